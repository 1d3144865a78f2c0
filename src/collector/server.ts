// Starts a collector: opens the store, makes sure the demo site and an admin token exist, listens,
// runs retention, and shuts down gracefully (stop accepting, let in-flight requests finish — their
// writes are committed before they are answered — then close the store).
import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { createApp, type AppOptions } from './app.ts';
import { DEMO_INTENTS, importIntentFile, putIntents } from './intents.ts';
import { scheduleAlerts } from './integrations/alerts.ts';
import { createForwarding, type ForwardingOptions } from './integrations/forwarding.ts';
import { createOps, silentLogger, type Logger } from './ops.ts';
import { openPostgresStore } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { CollectorStore } from './store/types.ts';

export const DEMO_SITE = { key: 'demo', name: 'Demo', origins: ['http://localhost:*', 'http://127.0.0.1:*'], enabled: true };

const DAY_MS = 86_400_000;
const RETENTION_EVERY_MS = 60 * 60_000;

export interface CollectorOptions {
  port: number;
  host: string;
  /** A file path for the embedded database, `:memory:`, or a `postgres://` / `postgresql://` URL. */
  database: string;
  adminToken?: string;
  projectRoot: string;
  /** Delete conversations that started more than this many days ago (hourly); unset = keep forever. */
  retentionDays?: number;
  /** A JSON file `{ "site": [{ name, patterns }] }` whose intents replace the stored ones at start. */
  intentsFile?: string;
  limits?: AppOptions['limits'];
  /** Connections per collector to PostgreSQL. */
  pgPoolSize?: number;
  /** How long in-flight requests may take to finish on shutdown before their connections are cut. */
  drainTimeoutMs?: number;
  logger?: Logger;
  /** Forwarding worker tuning, and how often alerts are evaluated (false: never; default 5 minutes). */
  integrations?: { forwarding?: ForwardingOptions; alertEveryMs?: number | false };
  /** Slow-client limits; see SERVER_TIMEOUTS. */
  timeouts?: Partial<ServerTimeouts>;
}

export interface ServerTimeouts {
  /** Request line and headers must arrive within this (Node's `headersTimeout`; 408 and close). */
  headersMs: number;
  /** The whole request, body included (Node's `requestTimeout`), a backstop to the body deadline. */
  requestMs: number;
  /** The collect route's own deadline for the body, from when it starts reading (408 and close). */
  bodyMs: number;
  /** Idle keep-alive connections close after this. */
  keepAliveMs: number;
}

/**
 * Node's defaults (60 s for headers, 300 s per request) let a few thousand trickling connections
 * hold sockets and memory for minutes. A beacon is ~1–50 KB sent at once, so seconds are plenty.
 */
export const SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, bodyMs: 10_000, keepAliveMs: 5_000 };

export interface RunningCollector {
  url: string;
  port: number;
  adminToken: string;
  adminTokenGenerated: boolean;
  store: CollectorStore;
  /** Graceful: readiness fails, no new connections, in-flight requests finish, then the store closes. */
  close(): Promise<void>;
}

/**
 * A `postgres://` or `postgresql://` URL selects PostgreSQL (an optional `schema` query parameter
 * picks the schema; it is created if missing); anything else is an embedded database file.
 */
export async function openStore(database: string, options: { pgPoolSize?: number; logger?: Logger } = {}): Promise<CollectorStore> {
  if (/^postgres(ql)?:\/\//i.test(database)) {
    const url = new URL(database);
    const schema = url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    const logger = options.logger ?? silentLogger;
    return openPostgresStore({
      url: url.toString(),
      ...(schema ? { schema } : {}),
      ...(options.pgPoolSize ? { poolSize: options.pgPoolSize } : {}),
      onError: (error) => logger.error('postgres connection error', { error: error.message }),
    });
  }
  return openSqliteStore(database);
}

export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const logger = options.logger ?? silentLogger;
  const store = await openStore(options.database, { ...(options.pgPoolSize ? { pgPoolSize: options.pgPoolSize } : {}), logger });
  if (!(await store.getSite(DEMO_SITE.key))) await store.putSite(DEMO_SITE);
  // The demo starts with intents; a list saved since (even an empty one) is left alone.
  if ((await store.getSetting(`intents:${DEMO_SITE.key}`)) === null) await putIntents(store, DEMO_SITE.key, DEMO_INTENTS);
  if (options.intentsFile) await importIntentFile(store, options.intentsFile);

  let adminToken = options.adminToken ?? (await store.getSetting('admin_token'));
  let adminTokenGenerated = false;
  if (!adminToken) {
    adminToken = randomBytes(24).toString('base64url');
    adminTokenGenerated = true;
    await store.setSetting('admin_token', adminToken);
  }

  const ops = createOps(logger);
  const forwarding = createForwarding(store, { logger, ...options.integrations?.forwarding });
  const timeouts = { ...SERVER_TIMEOUTS, ...options.timeouts };
  const app = createApp({
    store,
    adminToken,
    ops,
    forwarding,
    staticDirs: { dist: resolve(options.projectRoot, 'dist'), demo: resolve(options.projectRoot, 'demo') },
    limits: { ...options.limits, bodyTimeoutMs: timeouts.bodyMs },
  });
  const server = await new Promise<ServerType>((ready) => {
    const serverOptions = {
      headersTimeout: timeouts.headersMs,
      requestTimeout: Math.max(timeouts.requestMs, timeouts.headersMs + 1),
      keepAliveTimeout: timeouts.keepAliveMs,
      // Node checks the two timeouts above only this often (default 30 s): check often enough to honour them.
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(timeouts.headersMs / 2))),
    };
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host, serverOptions }, () => ready(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '127.0.0.1' ? 'localhost' : options.host;
  logger.info('listening', { host: options.host, port, store: store.kind, retentionDays: options.retentionDays ?? null });

  const stopRetention = options.retentionDays ? scheduleRetention(store, options.retentionDays, logger) : () => {};
  forwarding.start();
  const alertEveryMs = options.integrations?.alertEveryMs;
  const stopAlerts = alertEveryMs === false ? () => {} : scheduleAlerts(store, forwarding, { logger, ...(alertEveryMs ? { everyMs: alertEveryMs } : {}) });

  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    adminToken,
    adminTokenGenerated,
    store,
    close() {
      closing ??= (async () => {
        logger.info('shutting down', { reason: 'close' });
        ops.draining = true;
        stopRetention();
        stopAlerts();
        const deadline = Date.now() + (options.drainTimeoutMs ?? 10_000);
        await drain(server as Server, deadline - Date.now());
        // A client that hung up leaves its request running without a connection: wait for it too.
        while (ops.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        // A delivery in progress finishes (and is recorded) before the store closes.
        await forwarding.stop();
        await store.close();
        logger.info('stopped', {});
      })();
      return closing;
    },
  };
}

/** Stops accepting, closes idle keep-alive connections as they become idle, and waits for the rest. */
async function drain(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
  const cutoff = setTimeout(() => server.closeAllConnections(), timeoutMs);
  try {
    await closed;
  } finally {
    clearInterval(idleSweep);
    clearTimeout(cutoff);
  }
}

/** Runs retention now and hourly; several collectors may run it at once (deletes are idempotent). */
function scheduleRetention(store: CollectorStore, days: number, logger: Logger): () => void {
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const cutoff = Date.now() - days * DAY_MS;
      const deleted = await store.deleteBefore(cutoff);
      logger.info('retention', { days, cutoff: new Date(cutoff).toISOString(), deleted });
    } catch (error) {
      logger.error('retention failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), 1000);
  const timer = setInterval(() => void run(), RETENTION_EVERY_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
