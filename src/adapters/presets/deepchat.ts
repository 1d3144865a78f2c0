// deep-chat (https://deepchat.dev): a web component whose messages live in its open shadow root.
// Each message is an `.outer-message-container` with a role class; thumbs go below the bubble.
import type { Preset } from './types.ts';

export const preset: Preset = {
  selectors: {
    chat: 'deep-chat',
    // Roles other than "user" are the bot's ("ai" by default, "assistant" when a handler says so);
    // error and loading bubbles carry no role class, so they are never counted.
    botMessage: '.deep-chat-outer-container-role-ai, .deep-chat-outer-container-role-assistant',
    userMessage: '.deep-chat-outer-container-role-user',
  },
};
