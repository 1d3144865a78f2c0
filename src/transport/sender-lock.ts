// One tab sends at a time: the outbox is shared by every tab of the site, and two tabs draining it
// together would send the same summaries twice. Web Locks where the browser has them; otherwise a
// lease in localStorage that the holder renews and that expires if its tab dies.
import { parse, stringify } from '../widget/native.ts';

const LEASE_MS = 5_000;
const RENEW_MS = 1_500;
const tabId = Math.random().toString(36).slice(2);

export type Exclusive = <T>(task: () => Promise<T>) => Promise<T | undefined>;

/** Runs `task` while holding the site's sender lock; resolves undefined if another tab holds it. */
export function createSenderLock(site: string): Exclusive {
  const name = `chatpulse:${site}:sender`;
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks?.request) {
    // Waiting (not ifAvailable): when the sending tab finishes or closes, this one takes over.
    return async <T>(task: () => Promise<T>) => {
      let ran = false;
      try {
        return (await locks.request(name, () => {
          ran = true;
          return task();
        })) as T;
      } catch (error) {
        // A page that stubbed or broke navigator.locks: the lease still keeps one sender.
        if (ran) throw error;
        return withLease(name, task);
      }
    };
  }
  return (task) => withLease(name, task);
}

async function withLease<T>(name: string, task: () => Promise<T>): Promise<T | undefined> {
  let storage: Storage;
  try {
    storage = localStorage;
  } catch {
    return task(); // No shared storage at all: this tab cannot see others, so it sends alone.
  }
  const read = (): { tab: string; until: number } | null => {
    try {
      const v = parse(storage.getItem(name) ?? 'null') as { tab?: unknown; until?: unknown } | null;
      return v && typeof v.tab === 'string' && typeof v.until === 'number' ? { tab: v.tab, until: v.until } : null;
    } catch {
      return null;
    }
  };
  const lease = read();
  if (lease && lease.tab !== tabId && lease.until > Date.now()) return undefined;
  const claim = (): void => storage.setItem(name, stringify({ tab: tabId, until: Date.now() + LEASE_MS }));
  claim();
  // Two tabs may claim in the same instant; the later write wins and the other steps back.
  await new Promise((r) => setTimeout(r, 50));
  if (read()?.tab !== tabId) return undefined;
  const renew = setInterval(claim, RENEW_MS);
  try {
    return await task();
  } finally {
    clearInterval(renew);
    if (read()?.tab === tabId) storage.removeItem(name);
  }
}
