// Delivers the outbox to the collector. An entry leaves the outbox only when the collector
// answers 2xx, or when it is given up on purpose (rejected as invalid, too large), and then it is
// counted and the count is reported with the next request: nothing is lost silently.
import type { DropCounts, LocalStore, OutboxEntry } from '../store/types.ts';
import { native, nativeFetch, parse, stringify, utf8Bytes } from '../widget/native.ts';
import { warn } from '../widget/log.ts';
import { createSenderLock, type Exclusive } from './sender-lock.ts';

/** Keepalive requests share a 64 KiB in-flight quota with the host page; leave it room. */
export const BEACON_MAX_BYTES = 60_000;
const BATCH_MAX_BYTES = 256_000;
/** The collector refuses (400) a request with more summaries than this: never send more. */
const BATCH_MAX_ENTRIES = 200;
/** Without Web Locks, a tab that found another tab's lease looks again this much later. */
const LEASE_RETRY_MS = 6_000;
const REQUEST_TIMEOUT_MS = 10_000;
const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 5 * 60_000;
/** After a 401/403 the site is refused; try again this much later (or on the next page load). */
const REFUSED_PAUSE_MS = 10 * 60_000;
const ENVELOPE_BYTES = 300;

export interface TransportOptions {
  endpoint: string;
  site: string;
  store: LocalStore;
  exclusive?: Exclusive;
}

export interface Transport {
  /**
   * Sends until the outbox is empty; rejects only when the collector refuses the site. `wake`
   * cuts a retry wait short (the network came back, or the caller asked for delivery now).
   */
  flush(wake?: boolean): Promise<void>;
  /**
   * Sends entries at once (keepalive, so it survives the page closing) and acknowledges them once
   * `stored` has put them in the outbox; a failure leaves them there for `flush`.
   */
  send(entries: OutboxEntry[], stored: Promise<unknown>): void;
  /** Fire-and-forget send for a page that is going away: nothing can read the answer. */
  beacon(entries: OutboxEntry[]): void;
  /** Stops timers (bfcache, consent withdrawn); `flush` starts them again. */
  suspend(): void;
  /** Called with what the collector acknowledged. */
  onAck(listener: (acked: ReadonlyArray<{ id: string; revision: number }>) => void): void;
}

type Outcome = { kind: 'ok' } | { kind: 'retry'; afterMs: number | null } | { kind: 'split' } | { kind: 'refused'; status: number };

export class Refused extends Error {}

export function createTransport(options: TransportOptions): Transport {
  const exclusive = options.exclusive ?? createSenderLock(options.site);
  const { store } = options;
  let inFlight: Promise<void> | null = null;
  let failures = 0;
  let carrying = false;
  // The retry wait in progress: suspend() and flush(true) end it early, so a drain never hangs
  // on a timer that was cleared (it would hold the sender lock and block every later flush).
  let sleeping: { timer: ReturnType<typeof setTimeout>; done: () => void } | null = null;
  let suspended = false;
  let pausedUntil = 0;
  const ackListeners: Array<(acked: ReadonlyArray<{ id: string; revision: number }>) => void> = [];

  const envelope = (entries: OutboxEntry[], dropped: DropCounts): string =>
    `{"v":1,"site":${stringify(options.site)},"sentAt":"${new Date().toISOString()}",${
      Object.keys(dropped).length > 0 ? `"dropped":${stringify(dropped)},` : ''
    }"summaries":[${entries.map((e) => stringify(e.summary)).join(',')}]}`;

  async function post(entries: OutboxEntry[], stored: Promise<unknown>): Promise<Outcome> {
    const fetcher = nativeFetch();
    if (!fetcher) return { kind: 'retry', afterMs: null };
    // Drop counts ride on one request at a time: two requests carrying the same counts would both
    // settle them, and the collector would count them twice.
    const carry = !carrying;
    carrying = true;
    const dropped = carry ? await store.dropped().catch(() => ({})) : {};
    const payload = envelope(entries, dropped);
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    // A request that hangs is abandoned and retried; the collector's upsert makes that harmless.
    const timer = setTimeout(() => controller?.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetcher(options.endpoint, {
        method: 'POST',
        body: payload,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        keepalive: utf8Bytes(payload) < BEACON_MAX_BYTES,
        credentials: 'omit',
        mode: 'cors',
        signal: controller?.signal ?? null,
      });
      const status = response.status;
      if (response.ok || status === 400 || status === 422) {
        // 400/422: the collector will never take these; keeping them would block the rest.
        const rejected = response.ok ? (await rejectedIndexes(response)).length : entries.length;
        await stored;
        const acked = entries.map(({ id, revision }) => ({ id, revision }));
        await store.ack(acked);
        for (const listener of ackListeners) listener(acked);
        await store.settleDropped(dropped);
        if (rejected > 0) await store.countDropped('rejected', rejected);
        return { kind: 'ok' };
      }
      if (status === 413) return { kind: 'split' };
      if (status === 401 || status === 403) return { kind: 'refused', status };
      return { kind: 'retry', afterMs: status === 429 || status === 503 ? retryAfterMs(response.headers.get('Retry-After')) : null };
    } catch {
      return { kind: 'retry', afterMs: null };
    } finally {
      clearTimeout(timer);
      if (carry) carrying = false;
    }
  }

  /** Sends one batch; a 413 halves it until single summaries, which are then given up. */
  async function deliver(entries: OutboxEntry[]): Promise<Outcome> {
    const outcome = await post(entries, Promise.resolve());
    if (outcome.kind !== 'split') return outcome;
    if (entries.length === 1) {
      await store.ack([{ id: entries[0]!.id, revision: entries[0]!.revision }]);
      await store.countDropped('too-large', 1);
      return { kind: 'ok' };
    }
    const half = Math.ceil(entries.length / 2);
    const first = await deliver(entries.slice(0, half));
    return first.kind === 'ok' ? deliver(entries.slice(half)) : first;
  }

  /** Resolves true when the outbox is empty (or the page was suspended, which flush undoes). */
  async function drain(): Promise<boolean> {
    for (;;) {
      if (suspended) return true;
      if (Date.now() < pausedUntil) throw new Refused(`collector refused site "${options.site}"; paused`);
      const entries = (await store.takeBatch(BATCH_MAX_BYTES)).slice(0, BATCH_MAX_ENTRIES);
      if (entries.length === 0) {
        failures = 0;
        // Drop counts with nothing else to send go out alone, once: a failure leaves them on the
        // device for the next request, so a lost count never holds flush() in a retry loop.
        if (Object.keys(await store.dropped()).length > 0) await post([], Promise.resolve());
        return true;
      }
      const outcome = await deliver(entries);
      if (outcome.kind === 'ok') {
        failures = 0;
        continue;
      }
      if (outcome.kind === 'refused') {
        pausedUntil = Date.now() + REFUSED_PAUSE_MS;
        schedule(REFUSED_PAUSE_MS);
        throw new Refused(`collector refused site "${options.site}" (${outcome.status}); data kept, sending paused`);
      }
      failures++;
      const backoff = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(failures - 1, 12));
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      const delay = outcome.kind === 'retry' && outcome.afterMs !== null ? Math.min(RETRY_CAP_MS, Math.max(outcome.afterMs, 250)) : jittered;
      await new Promise<void>((done) => {
        sleeping = { timer: setTimeout(done, delay), done };
      });
      sleeping = null;
    }
  }

  function wake(): void {
    if (!sleeping) return;
    clearTimeout(sleeping.timer);
    sleeping.done();
  }

  function schedule(ms: number): void {
    setTimeout(() => void flush().catch(() => undefined), ms);
  }

  function flush(wakeNow = false): Promise<void> {
    suspended = false;
    if (wakeNow) wake();
    inFlight ??= exclusive(drain)
      .then((done) => {
        // Another tab holds the lease (no Web Locks): it sends; look again when it may be done.
        if (done === undefined) schedule(LEASE_RETRY_MS);
      })
      .catch((error: unknown) => {
        warn(error instanceof Refused ? error.message : 'delivery failed', error instanceof Refused ? undefined : error);
        throw error;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  function send(entries: OutboxEntry[], stored: Promise<unknown>): void {
    if (Date.now() < pausedUntil) return;
    post(entries, stored)
      .then((outcome) => (outcome.kind === 'ok' ? undefined : stored.then(() => flush())))
      .catch(() => undefined);
  }

  function beacon(entries: OutboxEntry[]): void {
    if (entries.length === 0 || Date.now() < pausedUntil) return;
    suspend();
    let batch: OutboxEntry[] = [];
    let bytes = ENVELOPE_BYTES;
    const sendBatch = (): void => {
      if (batch.length === 0) return;
      const payload = envelope(batch, {});
      let queued = false;
      try {
        queued = native.sendBeacon?.(options.endpoint, new Blob([payload], { type: 'text/plain;charset=UTF-8' })) ?? false;
      } catch {
        queued = false;
      }
      // sendBeacon refuses past the quota; keepalive fetch is the second chance, and if that is
      // refused too the entries are still in the outbox for the next page load.
      if (!queued) {
        nativeFetch()?.(options.endpoint, { method: 'POST', body: payload, keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } }).catch(() => undefined);
      }
      batch = [];
      bytes = ENVELOPE_BYTES;
    };
    for (const entry of entries) {
      if (entry.bytes + ENVELOPE_BYTES > BEACON_MAX_BYTES) continue; // Too big to beacon: sent next load.
      if (bytes + entry.bytes + 1 > BEACON_MAX_BYTES) sendBatch();
      batch.push(entry);
      bytes += entry.bytes + 1;
    }
    sendBatch();
  }

  function suspend(): void {
    // The drain returns at its next step and releases the sender lock (bfcache, page leaving).
    suspended = true;
    wake();
  }

  return { flush, send, beacon, suspend, onAck: (listener) => void ackListeners.push(listener) };
}

async function rejectedIndexes(response: Response): Promise<number[]> {
  try {
    const parsed: unknown = parse(await response.text());
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
