// The forwarding service: enqueues what each accepted summary revision means for the site's
// forwarders (called by POST /v1/collect before it answers 202, so a forward is as durable as the
// summary), and a background worker that delivers the outbox with retries and exponential backoff.
// The outbox lives in the database, so pending forwards survive restarts; rows are claimed with a
// lease (SKIP LOCKED in PostgreSQL), so several collectors never deliver the same row at once.
import type { ValidSummary } from '../../shared/summary-schema.ts';
import { silentLogger, type Logger } from '../ops.ts';
import type { CollectorStore } from '../store/types.ts';
import { planner } from './plan.ts';
import { readSettings, type IntegrationSettings } from './settings.ts';
import type { Forwarder, OutboxRow } from './types.ts';
import { buildRequest } from './wire.ts';

export interface ForwardingOptions {
  /** How often the worker looks for due rows (it is also woken at once by new forwards). */
  pollMs?: number;
  /** Rows claimed (and delivered concurrently) per round. */
  batch?: number;
  /** How long a claim is exclusive; longer than `timeoutMs`, so a live delivery is never taken over. */
  leaseMs?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Backoff: the first retry after about `baseDelayMs`, doubling up to `maxDelayMs` (with jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Attempts before a row is marked failed (it can be re-queued through the admin API). */
  maxAttempts?: number;
  /** How long forwarder lists and settings are cached per site (changes made here apply at once). */
  cacheMs?: number;
  fetch?: typeof fetch;
  logger?: Logger;
}

export interface RoundResult {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
}

export interface Forwarding {
  /** Plans and stores the forwards of accepted summaries; resolves when they are durable. */
  enqueue(site: string, summaries: readonly ValidSummary[], receivedAt?: number): Promise<number>;
  forwarders(site: string): Promise<Forwarder[]>;
  settings(site: string): Promise<IntegrationSettings>;
  /** Forget cached forwarders and settings (after a change through the admin API). */
  invalidate(site?: string): void;
  /** One delivery round: claims due rows and delivers them. */
  runOnce(now?: number): Promise<RoundResult>;
  /** Starts the background worker (idempotent). */
  start(): void;
  /** Makes the worker look for due rows now. */
  wake(): void;
  /** Stops the worker after the round in progress. */
  stop(): Promise<void>;
}

const RETRYABLE = new Set([408, 425, 429]);
const DAY_MS = 86_400_000;
/** Delivered rows are kept this long (diagnostics: GET /v1/forwarders/:id/outbox). */
const KEEP_DELIVERED_MS = 7 * DAY_MS;
/** Forward state of a conversation not revised for this long is dropped (a revision after that would forward its items again). */
const KEEP_STATE_MS = 30 * DAY_MS;
const PRUNE_EVERY_MS = 60 * 60_000;
const MAX_ROUNDS_PER_WAKE = 50;

export function createForwarding(store: CollectorStore, options: ForwardingOptions = {}): Forwarding {
  const pollMs = options.pollMs ?? 1000;
  const batch = options.batch ?? 25;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const leaseMs = Math.max(options.leaseMs ?? 60_000, timeoutMs * 2);
  const baseDelayMs = options.baseDelayMs ?? 2000;
  const maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
  const maxAttempts = options.maxAttempts ?? 100;
  const cacheMs = options.cacheMs ?? 5000;
  const doFetch = options.fetch ?? fetch;
  const logger = options.logger ?? silentLogger;
  const integrations = store.integrations;

  const cache = new Map<string, { at: number; forwarders: Promise<Forwarder[]>; settings: Promise<IntegrationSettings> }>();
  const cached = (site: string) => {
    let entry = cache.get(site);
    if (!entry || Date.now() - entry.at > cacheMs) {
      entry = { at: Date.now(), forwarders: integrations.listForwarders(site), settings: readSettings(store, site) };
      // A failed read is not cached.
      entry.forwarders.catch(() => cache.delete(site));
      entry.settings.catch(() => cache.delete(site));
      cache.set(site, entry);
    }
    return entry;
  };

  const backoff = (attempts: number, retryAfterMs: number | null): number => {
    const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
    const jittered = exp / 2 + Math.random() * (exp / 2);
    // Whole milliseconds: the column is an integer (bigint in PostgreSQL).
    return Math.round(Math.min(maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)));
  };

  async function deliver(row: OutboxRow, forwarder: Forwarder | null): Promise<'delivered' | 'retried' | 'failed'> {
    const now = Date.now();
    if (!forwarder) {
      await integrations.markFailed(row, 'forwarder removed', now);
      return 'failed';
    }
    if (!forwarder.enabled) {
      // Kept for when it is enabled again; looked at again after the longest backoff.
      await integrations.markRetry(row, now + maxDelayMs, 'forwarder disabled');
      return 'retried';
    }
    const retry = async (error: string, retryAfterMs: number | null): Promise<'retried' | 'failed'> => {
      if (row.attempts >= maxAttempts) {
        await integrations.markFailed(row, `gave up after ${row.attempts} attempts: ${error}`, Date.now());
        return 'failed';
      }
      await integrations.markRetry(row, Date.now() + backoff(row.attempts, retryAfterMs), error);
      return 'retried';
    };
    let request;
    try {
      request = buildRequest(forwarder, row.event, now);
    } catch (error) {
      await integrations.markFailed(row, `cannot build request: ${message(error)}`, now);
      return 'failed';
    }
    let response: Response;
    try {
      response = await doFetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      return retry(`network: ${message(error)}`, null);
    }
    if (response.status >= 200 && response.status < 300) {
      await integrations.markDelivered(row, Date.now());
      return 'delivered';
    }
    if (response.status >= 500 || RETRYABLE.has(response.status)) return retry(`HTTP ${response.status}`, retryAfter(response.headers.get('Retry-After')));
    await integrations.markFailed(row, `HTTP ${response.status} (not retried)`, Date.now());
    return 'failed';
  }

  async function runOnce(now = Date.now()): Promise<RoundResult> {
    const rows = await integrations.claim(now, batch, leaseMs);
    const result: RoundResult = { claimed: rows.length, delivered: 0, retried: 0, failed: 0 };
    if (rows.length === 0) return result;
    const forwarders = new Map<string, Promise<Forwarder | null>>();
    const forwarderOf = (row: OutboxRow) => {
      const key = `${row.site}\n${row.forwarder}`;
      let f = forwarders.get(key);
      if (!f) forwarders.set(key, (f = integrations.getForwarder(row.site, row.forwarder)));
      return f;
    };
    const outcomes = await Promise.all(
      rows.map(async (row) => {
        try {
          return await deliver(row, await forwarderOf(row));
        } catch (error) {
          // The database failed: the lease runs out and the row is claimed again.
          logger.error('forward bookkeeping failed', { id: row.id, error: message(error) });
          return 'retried' as const;
        }
      }),
    );
    for (const o of outcomes) result[o] += 1;
    if (result.failed > 0 || result.retried > 0) logger.info('forward round', { ...result });
    return result;
  }

  let stopped = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  const schedule = (ms: number): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void loop(), ms);
    timer.unref?.();
  };

  let prunedAt = 0;

  async function loop(): Promise<void> {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        // Bounded: full batches (or wake-ups meanwhile) continue at once, up to a limit per turn.
        if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
          prunedAt = Date.now();
          await integrations.prune(prunedAt - KEEP_DELIVERED_MS, prunedAt - KEEP_STATE_MS);
        }
        for (let round = 0; round < MAX_ROUNDS_PER_WAKE && !stopped; round++) {
          again = false;
          const r = await runOnce();
          if (r.claimed < batch && !again) break;
        }
      } catch (error) {
        logger.error('forward worker round failed', { error: message(error) });
      }
    })();
    await running;
    running = null;
    schedule(again ? 0 : pollMs);
  }

  const wake = (): void => {
    if (stopped) return;
    if (running) again = true;
    else schedule(0);
  };

  return {
    async enqueue(site, summaries, receivedAt = Date.now()) {
      if (summaries.length === 0) return 0;
      const entry = cached(site);
      const targets = (await entry.forwarders).filter((f) => f.enabled);
      if (targets.length === 0) return 0;
      const settings = await entry.settings;
      const inserted = await integrations.enqueue(site, summaries, planner(site, targets, settings.traceUrlTemplate, receivedAt));
      if (inserted > 0) wake();
      return inserted;
    },
    forwarders: (site) => cached(site).forwarders,
    settings: (site) => cached(site).settings,
    invalidate(site) {
      if (site === undefined) cache.clear();
      else cache.delete(site);
    },
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    wake,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

function retryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

function message(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
