// Chatwoot: the widget is a cross-origin iframe, so nothing inside it can be read or decorated.
// Its SDK re-dispatches every message as a `chatwoot:on-message` window event (detail: the
// message, `message_type` 0 = from the visitor, 1 = to the visitor); a reply written by a human
// agent (sender type "user") rather than an agent bot is a handoff.
import { createVendorAdapter, textOf, type VendorFeed } from '../vendor.ts';
import type { Preset } from './types.ts';

const listen: VendorFeed = (sink) => {
  let handedOff = false;
  const onMessage = (event: Event): void => {
    const message = (event as CustomEvent<unknown>).detail;
    if (message === null || typeof message !== 'object') return;
    const m = message as Record<string, unknown>;
    const type = m['message_type'];
    const incoming = type === 0 || type === 'incoming';
    const outgoing = type === 1 || type === 'outgoing';
    if (!incoming && !outgoing) return; // activity and template messages are not turns
    const senderType = String(textOf(m, [['sender', 'type'], ['sender_type']])).toLowerCase();
    if (outgoing && senderType === 'user') {
      if (!handedOff) sink.control('handoff');
      handedOff = true;
      return;
    }
    const id = m['id'];
    const role = incoming ? 'user' : 'bot';
    sink.message({ key: `${role}:${typeof id === 'number' || typeof id === 'string' ? id : textOf(m, [['content']])}`, role, text: textOf(m, [['content']]) });
  };
  addEventListener('chatwoot:on-message', onMessage);
  return () => removeEventListener('chatwoot:on-message', onMessage);
};

export const preset: Preset = { adapter: () => createVendorAdapter(listen) };
