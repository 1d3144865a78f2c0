import { warn } from '../widget/log.ts';
import { openIndexedDbStore } from './indexeddb.ts';
import { createMemoryStore } from './memory.ts';
import { createResilientStore } from './resilient.ts';
import type { LocalStore } from './types.ts';

export type { DropCounts, DropReason, LocalStore, OutboxEntry, StoredConversation } from './types.ts';

/** IndexedDB when it opens, memory otherwise: capture never stops because storage failed. */
export async function openStore(site: string): Promise<LocalStore> {
  try {
    if (typeof indexedDB === 'undefined' || indexedDB === null) throw new Error('IndexedDB is not available');
    let lost: (() => void) | null = null;
    const primary = await withTimeout(
      openIndexedDbStore(site, () => lost?.()),
      3000,
    );
    const store = createResilientStore(primary);
    lost = () => store.fallBack('database closed');
    return store;
  } catch (error) {
    warn('storage unavailable, keeping data in memory for this page', error);
    return createMemoryStore();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  // An open blocked by another tab's old connection never settles on its own.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('IndexedDB open timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
