// Botpress Webchat (v2/v3 embed): its messages render inside the vendor's widget, so this preset
// counts them from the documented `window.botpress.on('message' | 'messageSent')` events.
// Thumbs are not placed (the widget's markup is not a public API); CSAT and handoff still work.
import { createVendorAdapter, textOf, type VendorFeed, type VendorMessage } from '../vendor.ts';
import type { Preset } from './types.ts';

interface BotpressApi {
  on(event: string, listener: (payload: unknown) => void): unknown;
}

const TEXT_PATHS = [['payload', 'text'], ['payload', 'markdown'], ['payload', 'block', 'text'], ['text'], ['block', 'text'], ['payload', 'title']] as const;

/** A Botpress message event as a turn; `fallbackKey` is used when the payload has no id. */
export function readBotpressMessage(role: 'user' | 'bot', payload: unknown, fallbackKey: string): VendorMessage {
  const id = textOf(payload, [['id'], ['messageId']]);
  return { key: id ? `${role}:${id}` : `${role}#${fallbackKey}`, role, text: textOf(payload, TEXT_PATHS) };
}

const listen: VendorFeed = (sink) => {
  let stopped = false;
  let count = 0;
  const offs: Array<() => void> = [];
  const report = (role: 'user' | 'bot') => (payload: unknown) => {
    if (!stopped) sink.message(readBotpressMessage(role, payload, String(++count)));
  };
  const attach = (api: BotpressApi): void => {
    for (const [event, role] of [['message', 'bot'], ['messageSent', 'user']] as const) {
      const off = api.on(event, report(role));
      if (typeof off === 'function') offs.push(off as () => void);
    }
  };
  // The embed script may define window.botpress after ChatPulse starts: look again until it does.
  const find = (): boolean => {
    const api = (window as unknown as { botpress?: Partial<BotpressApi> }).botpress;
    if (!api || typeof api.on !== 'function') return false;
    attach(api as BotpressApi);
    return true;
  };
  let timer: ReturnType<typeof setInterval> | null = null;
  if (!find()) {
    timer = setInterval(() => {
      if (timer !== null && find()) {
        clearInterval(timer);
        timer = null;
      }
    }, 500);
  }
  return () => {
    stopped = true;
    if (timer !== null) clearInterval(timer);
    timer = null;
    for (const off of offs) off();
  };
};

export const preset: Preset = { adapter: (tools) => createVendorAdapter(listen, tools) };
