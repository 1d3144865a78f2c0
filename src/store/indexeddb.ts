// The IndexedDB store: opened in one place, typed with DBSchema, a few small verbs.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ConversationEvent } from '../types.ts';
import { cut } from './memory.ts';
import type { LocalStore, OutboxEntry, StoredConversation } from './types.ts';

interface ChatPulseDB extends DBSchema {
  events: {
    key: number;
    value: { conversation: string; event: ConversationEvent };
    indexes: { byConversation: string };
  };
  conversations: { key: string; value: StoredConversation; indexes: { byUpdated: number } };
  outbox: { key: string; value: OutboxEntry & { queuedAt: number }; indexes: { byQueued: number } };
}

const VERSION = 1;

export async function openIndexedDbStore(site: string): Promise<LocalStore> {
  const db: IDBPDatabase<ChatPulseDB> = await openDB<ChatPulseDB>(`chatpulse:${site}`, VERSION, {
    upgrade(database) {
      const events = database.createObjectStore('events', { autoIncrement: true });
      events.createIndex('byConversation', 'conversation');
      database.createObjectStore('conversations', { keyPath: 'id' }).createIndex('byUpdated', 'updatedAt');
      database.createObjectStore('outbox', { keyPath: 'id' }).createIndex('byQueued', 'queuedAt');
    },
    blocking() {
      // Another tab wants a newer schema: step aside rather than block it forever.
      db.close();
    },
  });

  return {
    kind: 'indexeddb',
    async putEvent(conversation, event) {
      await db.add('events', { conversation, event });
    },
    async events(conversation) {
      const rows = await db.getAllFromIndex('events', 'byConversation', conversation);
      return rows.map((row) => row.event);
    },
    async putConversation(conversation) {
      await db.put('conversations', conversation);
    },
    async conversation(id) {
      return db.get('conversations', id);
    },
    async conversations() {
      return db.getAll('conversations');
    },
    async enqueue(entry) {
      const tx = db.transaction('outbox', 'readwrite');
      const current = await tx.store.get(entry.id);
      if (!current || current.revision < entry.revision) await tx.store.put({ ...entry, queuedAt: Date.now() });
      await tx.done;
    },
    async takeBatch(maxBytes) {
      const entries: OutboxEntry[] = [];
      let bytes = 0;
      let cursor = await db.transaction('outbox').store.index('byQueued').openCursor();
      while (cursor && bytes <= maxBytes) {
        const { queuedAt: _queuedAt, ...entry } = cursor.value;
        entries.push(entry);
        bytes += entry.bytes + 1;
        cursor = await cursor.continue();
      }
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
  };
}
