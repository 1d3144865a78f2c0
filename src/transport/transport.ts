// Delivers the outbox to the collector: acknowledged entries leave the outbox, everything else
// stays for the next try. Beacons on page exit cannot see the answer, so they never ack.
import type { LocalStore, OutboxEntry } from '../store/types.ts';
import { warn } from '../widget/log.ts';

/** Keepalive requests share a 64 KiB in-flight quota with the host page; leave it room. */
export const BEACON_MAX_BYTES = 60_000;
const BATCH_MAX_BYTES = 256_000;
const REQUEST_TIMEOUT_MS = 15_000;
const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 5 * 60_000;

export interface TransportOptions {
  endpoint: string;
  site: string;
  store: LocalStore;
  onDropped?: (count: number) => void;
}

export interface Transport {
  /** Sends until the outbox is empty; rejects only when the collector refuses the site. */
  flush(): Promise<void>;
  /**
   * Sends entries at once (keepalive, so it survives the page closing) and acknowledges them once
   * `stored` has put them in the outbox; a failure leaves them there for `flush`.
   */
  send(entries: OutboxEntry[], stored: Promise<unknown>): void;
  /** Fire-and-forget send for a page that is going away: nothing can read the answer. */
  beacon(entries: OutboxEntry[]): void;
}

// Captured at load, before a host script can swap them for wrappers that break our requests.
const nativeFetch: typeof fetch | undefined = typeof fetch === 'function' ? fetch.bind(globalThis) : undefined;
const nativeBeacon: Navigator['sendBeacon'] | undefined =
  typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : undefined;
const stringify = JSON.stringify;

class Refused extends Error {}

export function createTransport(options: TransportOptions): Transport {
  let inFlight: Promise<void> | null = null;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  const body = (entries: OutboxEntry[]): string =>
    `{"v":1,"site":${stringify(options.site)},"sentAt":"${new Date().toISOString()}","summaries":[${entries
      .map((e) => stringify(e.summary))
      .join(',')}]}`;

  async function sendOnce(entries: OutboxEntry[], stored: Promise<unknown> = Promise.resolve()): Promise<'ok' | 'retry' | number> {
    if (!nativeFetch) return 'retry';
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = setTimeout(() => controller?.abort(), REQUEST_TIMEOUT_MS);
    try {
      const payload = body(entries);
      const response = await nativeFetch(options.endpoint, {
        method: 'POST',
        body: payload,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        keepalive: payload.length < BEACON_MAX_BYTES,
        credentials: 'omit',
        mode: 'cors',
        signal: controller?.signal ?? null,
      });
      if (response.ok) {
        const rejected = await rejectedIndexes(response);
        if (rejected.length > 0) options.onDropped?.(rejected.length);
        await stored;
        await options.store.ack(entries.map(({ id, revision }) => ({ id, revision })));
        return 'ok';
      }
      if (response.status === 400 || response.status === 422) {
        // The collector will never take these; keeping them would block everything behind them.
        options.onDropped?.(entries.length);
        await stored;
        await options.store.ack(entries.map(({ id, revision }) => ({ id, revision })));
        return 'ok';
      }
      if (response.status === 401 || response.status === 403) return response.status;
      const after = retryAfterMs(response.headers.get('Retry-After'));
      return after === null ? 'retry' : after;
    } catch {
      return 'retry';
    } finally {
      clearTimeout(timer);
    }
  }

  async function drain(): Promise<void> {
    for (;;) {
      const entries = await options.store.takeBatch(BATCH_MAX_BYTES);
      if (entries.length === 0) {
        failures = 0;
        return;
      }
      const result = await sendOnce(entries);
      if (result === 'ok') continue;
      if (result === 401 || result === 403) throw new Refused(`collector refused site "${options.site}" (${result})`);
      failures++;
      const backoff = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(failures - 1, 12));
      const delay = typeof result === 'number' ? Math.max(result, 250) : backoff / 2 + Math.random() * (backoff / 2);
      await new Promise<void>((resolve) => {
        retryTimer = setTimeout(resolve, delay);
      });
      retryTimer = null;
    }
  }

  function flush(): Promise<void> {
    const waiter = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    if (!inFlight) {
      inFlight = drain()
        .then(
          () => settle(null),
          (error: unknown) => {
            warn(error instanceof Refused ? error.message : 'delivery failed', error instanceof Refused ? undefined : error);
            settle(error instanceof Error ? error : new Error(String(error)));
          },
        )
        .finally(() => {
          inFlight = null;
        });
    }
    return waiter;
  }

  function settle(error: Error | null): void {
    const done = waiters;
    waiters = [];
    for (const w of done) (error ? w.reject(error) : w.resolve());
  }

  function send(entries: OutboxEntry[], stored: Promise<unknown>): void {
    sendOnce(entries, stored)
      .then((result) => {
        if (result !== 'ok') return stored.then(() => flush());
        return undefined;
      })
      .catch(() => undefined);
  }

  function beacon(entries: OutboxEntry[]): void {
    if (entries.length === 0) return;
    if (retryTimer !== null) {
      // The page is leaving: nothing waits for a backoff any more.
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    let batch: OutboxEntry[] = [];
    let bytes = 0;
    const sendBatch = (): void => {
      if (batch.length === 0) return;
      const payload = body(batch);
      let sent = false;
      try {
        sent = nativeBeacon?.(options.endpoint, new Blob([payload], { type: 'text/plain;charset=UTF-8' })) ?? false;
      } catch {
        sent = false;
      }
      if (!sent && nativeFetch) {
        nativeFetch(options.endpoint, { method: 'POST', body: payload, keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } }).catch(() => undefined);
      }
      batch = [];
      bytes = 0;
    };
    for (const entry of entries) {
      if (bytes + entry.bytes + 200 > BEACON_MAX_BYTES) sendBatch();
      batch.push(entry);
      bytes += entry.bytes + 1;
    }
    sendBatch();
  }

  return { flush, send, beacon };
}

async function rejectedIndexes(response: Response): Promise<number[]> {
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === 'object' && 'rejected' in parsed && Array.isArray(parsed.rejected)) {
      return parsed.rejected
        .map((r: unknown) => (r && typeof r === 'object' && 'index' in r && typeof r.index === 'number' ? r.index : -1))
        .filter((i: number) => i >= 0);
    }
  } catch {
    // A 2xx without a readable body still acknowledges the batch.
  }
  return [];
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date always names a day or month; this keeps "-5" from parsing as the year -5.
  if (!/[a-z]/i.test(value)) return null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
