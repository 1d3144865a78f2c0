// assistant-ui (@assistant-ui/react) and the Vercel AI chatbot: React chat kits whose templates
// mark messages with `data-role` or `data-testid="message-…"`. Both may ship their own vote
// buttons; the Vercel chatbot's are named by test id, assistant-ui's by the site (data-thumbs-up).
import type { Preset } from './types.ts';

export const preset: Preset = {
  selectors: {
    botMessage: '[data-role="assistant"], [data-testid="message-assistant"]',
    userMessage: '[data-role="user"], [data-testid="message-user"]',
    // assistant-ui shows a "●" indicator in an answer still running: that is not an answer yet.
    busy: '[data-status="running"]',
  },
  hostThumbs: { up: '[data-testid="message-upvote"]', down: '[data-testid="message-downvote"]' },
};
