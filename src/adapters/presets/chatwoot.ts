// Chatwoot: the widget is a cross-origin iframe, so nothing inside it can be read or decorated.
// Its SDK re-dispatches every message as a `chatwoot:on-message` window event (detail: the
// message, `message_type` 0 = from the visitor, 1 = to the visitor); a reply written by a human
// agent (sender type "user") rather than an agent bot is a handoff.
import { createVendorAdapter, textOf, type VendorFeed, type VendorMessage } from '../vendor.ts';
import type { Preset } from './types.ts';

/** What one `chatwoot:on-message` detail means: a turn, a human agent taking over, or nothing. */
export type ChatwootReading = { message: VendorMessage } | { handoff: true } | null;

export function readChatwootMessage(detail: unknown): ChatwootReading {
  if (detail === null || typeof detail !== 'object') return null;
  const m = detail as Record<string, unknown>;
  const type = m['message_type'];
  const incoming = type === 0 || type === 'incoming';
  const outgoing = type === 1 || type === 'outgoing';
  if (!incoming && !outgoing) return null; // activity and template messages are not turns
  if (outgoing && textOf(m, [['sender', 'type'], ['sender_type']]).toLowerCase() === 'user') return { handoff: true };
  const id = m['id'];
  const role = incoming ? 'user' : 'bot';
  const text = textOf(m, [['content']]);
  return { message: { key: `${role}:${typeof id === 'number' || typeof id === 'string' ? id : text}`, role, text } };
}

const listen: VendorFeed = (sink) => {
  let handedOff = false;
  const onMessage = (event: Event): void => {
    const reading = readChatwootMessage((event as CustomEvent<unknown>).detail);
    if (!reading) return;
    if ('message' in reading) sink.message(reading.message);
    else if (!handedOff) {
      handedOff = true;
      sink.control('handoff');
    }
  };
  addEventListener('chatwoot:on-message', onMessage);
  return () => removeEventListener('chatwoot:on-message', onMessage);
};

export const preset: Preset = { adapter: (tools) => createVendorAdapter(listen, tools) };
