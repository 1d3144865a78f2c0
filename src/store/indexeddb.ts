// The IndexedDB store: opened in one place, typed with DBSchema, a few small verbs. Every record
// read back is validated; what fails is removed and counted, never trusted.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ConversationEvent } from '../types.ts';
import { cut, subtract } from './memory.ts';
import type { DropCounts, LocalStore, OutboxEntry, StoredConversation } from './types.ts';
import { isConversationEvent, isOutboxEntry, isStoredConversation } from './validate.ts';

interface ChatPulseDB extends DBSchema {
  events: {
    key: number;
    value: { conversation: string; event: ConversationEvent };
    indexes: { byConversation: string };
  };
  conversations: { key: string; value: StoredConversation; indexes: { byUpdated: number } };
  outbox: { key: string; value: OutboxEntry & { queuedAt: number }; indexes: { byQueued: number } };
  /** Since version 2: small named values (the drop counters). */
  meta: { key: string; value: { name: string; value: DropCounts } };
}

export const DB_VERSION = 2;
const DROPS = 'drops';

export async function openIndexedDbStore(site: string, onLost: () => void): Promise<LocalStore> {
  const db: IDBPDatabase<ChatPulseDB> = await openDB<ChatPulseDB>(`chatpulse:${site}`, DB_VERSION, {
    upgrade(database, oldVersion) {
      // Each step upgrades one version and keeps what is queued: data waiting to be sent survives.
      if (oldVersion < 1) {
        const events = database.createObjectStore('events', { autoIncrement: true });
        events.createIndex('byConversation', 'conversation');
        database.createObjectStore('conversations', { keyPath: 'id' }).createIndex('byUpdated', 'updatedAt');
        database.createObjectStore('outbox', { keyPath: 'id' }).createIndex('byQueued', 'queuedAt');
      }
      if (oldVersion < 2) database.createObjectStore('meta', { keyPath: 'name' });
    },
    blocking() {
      // Another tab wants a newer schema: step aside rather than block it, and keep going in memory.
      db.close();
      onLost();
    },
    terminated() {
      onLost();
    },
  });

  return {
    kind: 'indexeddb',
    async putEvents(events, conversations) {
      const tx = db.transaction(['events', 'conversations'], 'readwrite');
      const writes: Array<Promise<unknown>> = events.map(([conversation, event]) => tx.objectStore('events').add({ conversation, event }));
      for (const conversation of conversations) writes.push(tx.objectStore('conversations').put(conversation));
      await Promise.all([...writes, tx.done]);
    },
    async events(conversation) {
      const rows = await db.getAllFromIndex('events', 'byConversation', conversation);
      return rows.map((row) => row.event).filter(isConversationEvent);
    },
    async putConversation(conversation) {
      await db.put('conversations', conversation);
    },
    async conversation(id) {
      const found = await db.get('conversations', id);
      return isStoredConversation(found) ? found : undefined;
    },
    async conversations() {
      return (await db.getAll('conversations')).filter(isStoredConversation);
    },
    async enqueue(entry) {
      const tx = db.transaction('outbox', 'readwrite');
      const current = await tx.store.get(entry.id);
      if (!current || !isOutboxEntry(current) || current.revision < entry.revision) await tx.store.put({ ...entry, queuedAt: Date.now() });
      await tx.done;
    },
    async takeBatch(maxBytes) {
      const entries: OutboxEntry[] = [];
      const corrupt = new Set<IDBValidKey>();
      let bytes = 0;
      const tx = db.transaction('outbox', 'readwrite');
      let cursor = await tx.store.index('byQueued').openCursor();
      while (cursor && bytes <= maxBytes) {
        const { queuedAt: _queuedAt, ...entry } = cursor.value;
        if (isOutboxEntry(entry)) {
          entries.push(entry);
          bytes += entry.bytes + 1;
        } else corrupt.add(cursor.primaryKey);
        cursor = await cursor.continue();
      }
      // Records without a usable queuedAt never reach the index, and keys that are not strings are
      // never ours: find both, once each (a Set, so a record caught twice is counted once).
      const indexed = new Set(await tx.store.index('byQueued').getAllKeys());
      for (const key of await tx.store.getAllKeys()) if (typeof key !== 'string' || !indexed.has(key)) corrupt.add(key);
      for (const key of corrupt) await tx.store.delete(key as string);
      if (corrupt.size > 0) await addDrops(db, { corrupt: corrupt.size });
      await tx.done.catch(() => undefined);
      return cut(entries, maxBytes);
    },
    async ack(delivered) {
      const tx = db.transaction('outbox', 'readwrite');
      for (const { id, revision } of delivered) {
        const current = await tx.store.get(id);
        if (current?.revision === revision) await tx.store.delete(id);
      }
      await tx.done;
    },
    async pending() {
      return db.count('outbox');
    },
    async countDropped(reason, count) {
      await addDrops(db, { [reason]: count });
    },
    async dropped() {
      const row = await db.get('meta', DROPS);
      return sanitizeDrops(row?.value);
    },
    async settleDropped(reported) {
      const tx = db.transaction('meta', 'readwrite');
      const counts = sanitizeDrops((await tx.store.get(DROPS))?.value);
      subtract(counts, reported);
      await tx.store.put({ name: DROPS, value: counts });
      await tx.done;
    },
    async prune(before) {
      const tx = db.transaction(['conversations', 'events'], 'readwrite');
      const stale = await tx.objectStore('conversations').index('byUpdated').getAllKeys(IDBKeyRange.upperBound(before, true));
      for (const id of stale) {
        await tx.objectStore('conversations').delete(id);
        const keys = await tx.objectStore('events').index('byConversation').getAllKeys(id);
        for (const key of keys) await tx.objectStore('events').delete(key);
      }
      await tx.done;
    },
    close() {
      db.close();
    },
  };
}

async function addDrops(db: IDBPDatabase<ChatPulseDB>, add: DropCounts): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  const counts = sanitizeDrops((await tx.store.get(DROPS))?.value);
  for (const [reason, n] of Object.entries(add) as Array<[keyof DropCounts, number]>) counts[reason] = (counts[reason] ?? 0) + n;
  await tx.store.put({ name: DROPS, value: counts });
  await tx.done;
}

function sanitizeDrops(value: unknown): DropCounts {
  const out: DropCounts = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const reason of ['rejected', 'too-large', 'corrupt', 'storage'] as const) {
    const n = (value as Record<string, unknown>)[reason];
    if (typeof n === 'number' && Number.isInteger(n) && n > 0) out[reason] = n;
  }
  return out;
}
