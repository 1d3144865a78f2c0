// Chooses the adapter for a page from the configuration (`data-preset` and the selectors).
import type { Config } from '../types.ts';
import { isValidSelector } from './dom.ts';
import { createGenericAdapter } from './generic.ts';
import type { AdapterSelectors, ChatAdapter } from './types.ts';
import { warn } from '../widget/log.ts';

export type { ChatAdapter } from './types.ts';

/** Conventions common to chat UIs, used when the site configures no message selectors. */
const DEFAULT_BOT = '[data-role="assistant"], [data-message-author-role="assistant"], [data-testid="message-assistant"]';
const DEFAULT_USER = '[data-role="user"], [data-message-author-role="user"], [data-testid="message-user"]';

export function selectorsFor(config: Config): AdapterSelectors | null {
  const selectors: AdapterSelectors = {
    chat: config.chat,
    botMessage: config.botMessage ?? DEFAULT_BOT,
    userMessage: config.userMessage ?? DEFAULT_USER,
    handoff: config.handoff,
    end: config.end,
    traceAttribute: config.traceAttribute,
  };
  for (const [name, value] of Object.entries(selectors)) {
    if (name === 'traceAttribute' || value === null) continue;
    if (!isValidSelector(value)) {
      warn(`data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is not a valid CSS selector: ${value}`);
      return null;
    }
  }
  return selectors;
}

export function createAdapter(config: Config): ChatAdapter | null {
  if (config.preset !== 'generic') warn(`unknown data-preset "${config.preset}", using the generic adapter`);
  const selectors = selectorsFor(config);
  return selectors ? createGenericAdapter(selectors) : null;
}
