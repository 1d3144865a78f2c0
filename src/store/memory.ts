// The fallback when IndexedDB is missing or fails: same verbs, kept for the life of the page.
import type { ConversationEvent } from '../types.ts';
import type { DropCounts, DropReason, LocalStore, OutboxEntry, StoredConversation } from './types.ts';

export function createMemoryStore(): LocalStore {
  const events = new Map<string, ConversationEvent[]>();
  const conversations = new Map<string, StoredConversation>();
  const outbox = new Map<string, OutboxEntry>();
  const drops: DropCounts = {};

  return {
    kind: 'memory',
    async putEvents(added, changed) {
      for (const [conversation, event] of added) {
        const list = events.get(conversation) ?? [];
        list.push(event);
        events.set(conversation, list);
      }
      for (const conversation of changed) conversations.set(conversation.id, { ...conversation });
    },
    async events(conversation) {
      return [...(events.get(conversation) ?? [])];
    },
    async putConversation(conversation) {
      conversations.set(conversation.id, { ...conversation });
    },
    async conversation(id) {
      const found = conversations.get(id);
      return found && { ...found };
    },
    async conversations() {
      return [...conversations.values()].map((c) => ({ ...c }));
    },
    async enqueue(entry) {
      const current = outbox.get(entry.id);
      if (!current || current.revision < entry.revision) {
        // Re-inserting moves the entry to the end, like a fresh IndexedDB key would.
        outbox.delete(entry.id);
        outbox.set(entry.id, entry);
      }
    },
    async takeBatch(maxBytes) {
      return cut([...outbox.values()], maxBytes);
    },
    async ack(delivered) {
      for (const { id, revision } of delivered) {
        if (outbox.get(id)?.revision === revision) outbox.delete(id);
      }
    },
    async pending() {
      return outbox.size;
    },
    async countDropped(reason, count) {
      drops[reason] = (drops[reason] ?? 0) + count;
    },
    async dropped() {
      return { ...drops };
    },
    async settleDropped(reported) {
      subtract(drops, reported);
    },
    async prune(before) {
      for (const [id, c] of conversations) {
        if (c.updatedAt < before) {
          conversations.delete(id);
          events.delete(id);
        }
      }
    },
    close() {},
  };
}

/** Takes entries in order while they fit; always at least one, so an oversized entry still moves. */
export function cut(entries: OutboxEntry[], maxBytes: number): OutboxEntry[] {
  const batch: OutboxEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (batch.length > 0 && bytes + entry.bytes + 1 > maxBytes) break;
    batch.push(entry);
    bytes += entry.bytes + 1;
  }
  return batch;
}

export function subtract(counts: DropCounts, reported: DropCounts): void {
  for (const [reason, n] of Object.entries(reported) as Array<[DropReason, number]>) {
    const left = (counts[reason] ?? 0) - n;
    if (left > 0) counts[reason] = left;
    else delete counts[reason];
  }
}
