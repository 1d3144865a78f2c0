// Operations surface of a collector: structured JSON logs (one line per request), Prometheus
// counters and a latency histogram, readiness (503 while draining), and `Connection: close` while
// draining so keep-alive clients move to another collector behind the load balancer.
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { CollectorStore } from './store/types.ts';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** One JSON object per line: `{"time","level","msg",...fields}`; `write` defaults to stdout. */
export function createJsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const log = (level: string, msg: string, fields?: LogFields): void => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
  return {
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}

/** Flush once this much is buffered, without waiting for the end of the turn. */
const LOG_BUFFER_CHARS = 64 * 1024;

/**
 * Lines written together at the end of each event-loop turn: one write for every request answered
 * in that turn, where a write per line (a system call each, stdout being synchronous for files and
 * pipes) took 17% of the collector's time under load. Order is kept. Call `flush` on exit: a
 * `kill -9` loses at most one turn's lines, as with any asynchronous logger.
 */
export function batchedLines(writeChunk: (chunk: string) => void): { write(line: string): void; flush(): void } {
  let buffered = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (buffered === '') return;
    const chunk = buffered;
    buffered = '';
    try {
      writeChunk(chunk);
    } catch {
      // A closed or broken stdout must not take the collector down; those lines are lost.
    }
  };
  return {
    write(line) {
      buffered += line;
      if (buffered.length >= LOG_BUFFER_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

// Seconds, Prometheus convention; fine-grained below 25 ms, the p99 target of the issue.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface CollectorMetrics {
  /** Summaries stored or already stored (a 202), and summaries rejected inside a 202 batch. */
  summaries(accepted: number, rejected: number): void;
  /** A /v1/collect answer: status, and the machine-readable reason of a rejection. */
  collectRequest(status: number, reason: string | null, seconds: number): void;
  /** Prometheus text exposition format 0.0.4. */
  render(): string;
}

export function createMetrics(): CollectorMetrics {
  let accepted = 0;
  let rejectedSummaries = 0;
  const requests = new Map<string, number>(); // status
  const rejections = new Map<string, number>(); // status + reason
  const buckets = new Array<number>(LATENCY_BUCKETS.length).fill(0);
  let latencyCount = 0;
  let latencySum = 0;
  const bump = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };

  return {
    summaries(a, r) {
      accepted += a;
      rejectedSummaries += r;
    },
    collectRequest(status, reason, seconds) {
      bump(requests, String(status));
      if (status >= 400) bump(rejections, `status="${status}",reason="${reason ?? 'unknown'}"`);
      latencyCount += 1;
      latencySum += seconds;
      for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]!) buckets[i]! += 1;
    },
    render() {
      const lines: string[] = [
        '# HELP chatpulse_summaries_accepted_total Summaries accepted by POST /v1/collect (stored, or already stored at that revision or higher).',
        '# TYPE chatpulse_summaries_accepted_total counter',
        `chatpulse_summaries_accepted_total ${accepted}`,
        '# HELP chatpulse_summaries_rejected_total Invalid summaries inside otherwise accepted batches.',
        '# TYPE chatpulse_summaries_rejected_total counter',
        `chatpulse_summaries_rejected_total ${rejectedSummaries}`,
        '# HELP chatpulse_collect_requests_total POST /v1/collect requests by status.',
        '# TYPE chatpulse_collect_requests_total counter',
        ...[...requests].map(([status, n]) => `chatpulse_collect_requests_total{status="${status}"} ${n}`),
        '# HELP chatpulse_collect_rejected_total POST /v1/collect requests answered 4xx/5xx, by status and reason.',
        '# TYPE chatpulse_collect_rejected_total counter',
        ...[...rejections].map(([labels, n]) => `chatpulse_collect_rejected_total{${labels}} ${n}`),
        '# HELP chatpulse_collect_duration_seconds Time to answer POST /v1/collect (including the durable write).',
        '# TYPE chatpulse_collect_duration_seconds histogram',
        ...LATENCY_BUCKETS.map((le, i) => `chatpulse_collect_duration_seconds_bucket{le="${le}"} ${buckets[i]}`),
        `chatpulse_collect_duration_seconds_bucket{le="+Inf"} ${latencyCount}`,
        `chatpulse_collect_duration_seconds_sum ${latencySum}`,
        `chatpulse_collect_duration_seconds_count ${latencyCount}`,
        '# HELP process_resident_memory_bytes Resident memory size in bytes.',
        '# TYPE process_resident_memory_bytes gauge',
        `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}

export interface Ops {
  logger: Logger;
  metrics: CollectorMetrics;
  /** Set on shutdown: readiness fails and responses close their connection. */
  draining: boolean;
  /** Requests being handled now; shutdown waits for 0 before closing the store. */
  inFlight: number;
}

export function createOps(logger: Logger = silentLogger): Ops {
  return { logger, metrics: createMetrics(), draining: false, inFlight: 0 };
}

/** Logs every request and measures /v1/collect; register before the routes. */
export function requestObserver(ops: Ops): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    ops.inFlight += 1;
    try {
      await next();
    } finally {
      ops.inFlight -= 1;
    }
    const ms = performance.now() - started;
    const status = c.res.status;
    if (ops.draining) c.header('Connection', 'close');
    if (c.req.path === '/v1/collect' && c.req.method === 'POST') {
      ops.metrics.collectRequest(status, status >= 400 ? await rejectionReason(c) : null, ms / 1000);
    }
    ops.logger.info('request', { method: c.req.method, path: c.req.path, status, ms: Math.round(ms * 100) / 100 });
  };
}

/** The `error` field of a JSON error answer, as a bounded label value. */
async function rejectionReason(c: Context): Promise<string> {
  try {
    const body = (await c.res.clone().json()) as { error?: unknown };
    return typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error) ? body.error : 'other';
  } catch {
    return 'other';
  }
}

/** `GET /readyz` (store answers and not draining) and `GET /metrics` (guard it before calling this). */
export function mountOpsRoutes(app: Hono, ops: Ops, store: CollectorStore): void {
  app.get('/readyz', async (c) => {
    if (ops.draining) return c.json({ ok: false, reason: 'shutting_down' }, 503);
    try {
      await store.ping();
      return c.json({ ok: true, store: store.kind });
    } catch {
      return c.json({ ok: false, reason: 'store_unavailable' }, 503);
    }
  });
  app.get('/metrics', (c) => {
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(ops.metrics.render());
  });
}
