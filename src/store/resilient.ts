// Wraps the IndexedDB store so a storage failure (quota exceeded, the database closed by another
// tab, a browser that drops the connection) moves ChatPulse to memory instead of losing events:
// the failed operation is replayed there, and what IndexedDB already holds is sent next load.
import { warn } from '../widget/log.ts';
import { createMemoryStore } from './memory.ts';
import type { LocalStore } from './types.ts';

export interface ResilientStore extends LocalStore {
  /** Switches to memory now (e.g. the database was closed under us). */
  fallBack(reason: string): void;
}

export function createResilientStore(primary: LocalStore): ResilientStore {
  let active: LocalStore = primary;
  const memory = createMemoryStore();

  function fallBack(reason: string): void {
    if (active === memory) return;
    warn(`storage failed (${reason}); keeping data in memory for this page`);
    active = memory;
  }

  function guarded<K extends keyof LocalStore>(name: K): LocalStore[K] {
    return (async (...args: unknown[]) => {
      const target = active;
      try {
        return await (target[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        if (target === memory) throw error;
        fallBack(error instanceof Error ? error.name : 'error');
        return (memory[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      }
    }) as LocalStore[K];
  }

  return {
    get kind() {
      return active.kind;
    },
    putEvents: guarded('putEvents'),
    events: guarded('events'),
    putConversation: guarded('putConversation'),
    conversation: guarded('conversation'),
    conversations: guarded('conversations'),
    enqueue: guarded('enqueue'),
    takeBatch: guarded('takeBatch'),
    ack: guarded('ack'),
    pending: guarded('pending'),
    countDropped: guarded('countDropped'),
    dropped: guarded('dropped'),
    settleDropped: guarded('settleDropped'),
    prune: guarded('prune'),
    close() {
      primary.close();
    },
    fallBack,
  };
}
