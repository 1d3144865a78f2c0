// Microsoft Bot Framework Web Chat (botframework-webchat): React, light DOM. A message is the
// message row of a stacked activity; the row excludes the status line ("Just now", "Sent at …"),
// whose text changes over time and would otherwise keep the message from settling.
import type { Preset } from './types.ts';

export const preset: Preset = {
  selectors: {
    chat: '.webchat__basic-transcript',
    botMessage: '.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__stacked-layout__message-row',
    // The bubble's content: without the "You said:" label read to screen readers.
    userMessage: '.webchat__stacked-layout--from-user .webchat__bubble__content',
  },
};
