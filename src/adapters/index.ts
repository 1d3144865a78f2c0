// Chooses the adapter for a page from the configuration (`data-preset` and the selectors). The
// generic adapter is built at once; a preset (see compose.ts) is a small module loaded on demand,
// so the script tag's initial bundle does not grow with the number of presets.
import type { Config } from '../types.ts';
import { isValidSelector } from './dom.ts';
import { createGenericAdapter } from './generic.ts';
import type { Preset } from './presets/types.ts';
import type { AdapterEvents, AdapterSelectors, ChatAdapter } from './types.ts';
import { warn } from '../widget/log.ts';

export type { ChatAdapter } from './types.ts';

/** Conventions common to chat UIs, used when the site configures no message selectors. */
const DEFAULT_BOT = '[data-role="assistant"], [data-message-author-role="assistant"], [data-testid="message-assistant"]';
const DEFAULT_USER = '[data-role="user"], [data-message-author-role="user"], [data-testid="message-user"]';

export function selectorsFor(config: Config, preset: Preset = {}): AdapterSelectors | null {
  const own = preset.selectors ?? {};
  const selectors: AdapterSelectors = {
    chat: config.chat ?? own.chat ?? null,
    botMessage: config.botMessage ?? own.botMessage ?? DEFAULT_BOT,
    userMessage: config.userMessage ?? own.userMessage ?? DEFAULT_USER,
    handoff: config.handoff ?? own.handoff ?? null,
    end: config.end ?? own.end ?? null,
    traceAttribute: config.traceAttribute,
    ...(own.busy ? { busy: own.busy } : {}),
  };
  for (const [name, value] of Object.entries(selectors)) {
    if (name === 'traceAttribute' || name === 'busy' || value === null) continue;
    if (!isValidSelector(value)) {
      warn(`data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is not a valid CSS selector: ${value}`);
      return null;
    }
  }
  return selectors;
}

export function createAdapter(config: Config): ChatAdapter | null {
  // The site's own selectors are checked up front: a typo turns ChatPulse off with one warning.
  const selectors = selectorsFor(config);
  if (!selectors) return null;
  if (config.preset === 'generic' && config.thumbsMode !== 'host') return createGenericAdapter(selectors);
  return lazy(config);
}

/**
 * Presets and host thumbs load with the code that composes them (lazy chunks: the script tag
 * carries only this loader, whatever the number of presets). Until the adapter starts there is
 * nothing to settle.
 */
function lazy(config: Config): ChatAdapter {
  let inner: ChatAdapter | null = null;
  let stopped = false;
  let ready: Promise<void> = Promise.resolve();
  return {
    start(events: AdapterEvents) {
      stopped = false;
      ready = import('./compose.ts')
        .then((compose) => compose.composeAdapter(config))
        .then((adapter) => {
          if (stopped) return;
          inner = adapter;
          inner?.start(events);
        })
        .catch((error: unknown) => warn('could not start the chat adapter', error));
    },
    settleNow() {
      inner?.settleNow();
    },
    async settleSoon() {
      await ready;
      await inner?.settleSoon();
    },
    stop() {
      stopped = true;
      inner?.stop();
      inner = null;
    },
  };
}
