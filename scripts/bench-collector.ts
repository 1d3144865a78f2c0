// `npm run bench:collector`: ingest throughput and p99 latency of POST /v1/collect, with validation
// and durable writes, for the embedded SQLite store and PostgreSQL, side by side with the ceiling —
// a bare node:http server on the same machine in the same run that answers 204 without parsing.
//
// Each server runs in its own child process (autocannon in this one), on loopback, for a bounded
// time. Every request carries new conversation ids, so every request is a write.
// PostgreSQL: CHATPULSE_BENCH_PG_URL (or CHATPULSE_TEST_PG_URL), else a throwaway cluster with
// fsync on (durable, like production) if PostgreSQL is installed, else skipped.
// Options: BENCH_DURATION (seconds per target and round, default 5), BENCH_ROUNDS (default 3),
// BENCH_CONNECTIONS (default 32), BENCH_TARGETS (default `bare,nostore,sqlite,postgres`), BENCH_VISITORS (how many
// visitors the requests cycle through, default 50,000: over a default run about a third of them
// come back, some within seconds, which exercises the visitor flags; 5,000 makes each visitor
// chat every few seconds, a pessimistic case for the flags).
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { batchedLines, createJsonLogger } from '../src/collector/ops.ts';
import { findPostgresBin, startThrowawayCluster } from '../src/collector/pg-throwaway.ts';
import { startCollector } from '../src/collector/server.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SITE = 'demo';
const ORIGIN = 'http://localhost:3000';

/**
 * `nostore` is a diagnostic: the whole collector (HTTP, origin check, rate limits, validation, logs,
 * metrics) with a store that acknowledges without writing, to show what the write itself costs.
 */
type Target = 'bare' | 'nostore' | 'sqlite' | 'postgres';

/** Child mode: start one server, print its port, run until SIGTERM. */
async function serve(target: Target, database: string): Promise<void> {
  if (target === 'bare') {
    const server = createServer((req, res) => {
      // Read the body (a real server must) but do nothing with it.
      req.resume();
      req.on('end', () => {
        res.statusCode = 204;
        res.end();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
    });
    process.on('SIGTERM', () => server.close(() => process.exit(0)));
    return;
  }
  // Production settings, with the request logs formatted and written as in production (to /dev/null).
  const devNull = openSync('/dev/null', 'w');
  const logLines = batchedLines((chunk) => void writeSync(devNull, chunk));
  const collector = await startCollector({
    port: 0,
    host: '127.0.0.1',
    database: target === 'nostore' ? ':memory:' : database,
    adminToken: 'bench-admin-token',
    projectRoot: ROOT,
    logger: createJsonLogger(logLines.write),
    // One loopback client stands in for thousands of visitors: lift the per-IP and per-site limits.
    limits: { perIpPerSecond: 1e9, perIpBurst: 1e9, perSitePerSecond: 1e9, perSiteBurst: 1e9 },
  });
  if (target === 'nostore') {
    Object.assign(collector.store, { upsert: async (_site: string, summaries: readonly unknown[]) => ({ written: summaries.length, stale: 0 }) });
  }
  console.log(JSON.stringify({ port: collector.port }));
  process.on('SIGTERM', () => {
    void collector.close().then(() => {
      logLines.flush();
      closeSync(devNull);
      process.exit(0);
    });
  });
}

interface Figures {
  target: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

async function main(): Promise<void> {
  const duration = positiveInteger('BENCH_DURATION', 5);
  const connections = positiveInteger('BENCH_CONNECTIONS', 32);
  const visitors = positiveInteger('BENCH_VISITORS', 50_000);
  const rounds = positiveInteger('BENCH_ROUNDS', 3);
  const dir = mkdtempSync(join(tmpdir(), 'chatpulse-bench-'));
  let cluster: { url: string; stop: () => Promise<void> } | null = null;
  const figures: Array<Figures & { round: number }> = [];
  try {
    let pgUrl = process.env.CHATPULSE_BENCH_PG_URL ?? process.env.CHATPULSE_TEST_PG_URL ?? '';
    if (!pgUrl) {
      const bin = findPostgresBin();
      if (bin) {
        cluster = await startThrowawayCluster(bin, { durable: true });
        pgUrl = cluster.url;
      }
    }
    if (pgUrl) {
      // A schema of its own, so a shared server's data is untouched.
      const url = new URL(pgUrl);
      url.searchParams.set('schema', `bench_${Date.now()}`);
      pgUrl = url.toString();
    }

    const only = process.env.BENCH_TARGETS?.split(',');
    const targets = (
      [
        ['bare', ''],
        ['nostore', ''],
        ['sqlite', join(dir, 'bench.db')],
        ...(pgUrl ? [['postgres', pgUrl] as [Target, string]] : []),
      ] as Array<[Target, string]>
    ).filter(([target]) => !only || only.includes(target));
    console.log(
      `POST /v1/collect on loopback: ${connections} connections, ${rounds} rounds of ${duration} s per target (taken in turn), 1–3 new summaries per request, ${visitors} visitors`,
    );
    if (!pgUrl) console.log('PostgreSQL: skipped (no CHATPULSE_BENCH_PG_URL and no PostgreSQL installed)');
    // Every server stays up and the targets take turns, round after round: the machine's speed
    // drifts over a run (the ceiling alone measured 12,000–20,800 req/s in one session), and each
    // round's ratio compares figures taken seconds apart.
    const children: Array<{ target: Target; port: number; process: ChildProcess }> = [];
    try {
      for (const [target, database] of targets) children.push({ target, ...(await startServer(target, database)) });
      for (const child of children) await run(child.port, 1, connections, visitors); // warm-up: JIT, prepared statements, pool
      for (let round = 0; round < rounds; round++) {
        for (const child of children) figures.push({ round, ...summarise(child.target, await run(child.port, duration, connections, visitors)) });
      }
    } finally {
      for (const child of children) await stopServer(child.process);
    }
  } finally {
    if (cluster) await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  print(figures);
}

async function startServer(target: Target, database: string): Promise<{ port: number; process: ChildProcess }> {
  // BENCH_NODE_ARGS, e.g. `--cpu-prof`, goes to the server processes (for profiling).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'scripts/bench-collector.ts', '--serve', target, database], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /\{"port":(\d+)\}/.exec(out);
      if (match) resolvePort(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`${target} server exited (${code}): ${out}`)));
  });
  return { port, process: child };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.on('exit', done));
  child.kill('SIGTERM');
  await exited;
}

// Module state first: main() runs at the end of the file, after every declaration.
let sequence = 0;

/** A realistic summary (an ended, rated conversation with sentiment and traces), ~1 KB. */
function summaryJson(id: string, visitor: string, startedAt: string): string {
  return JSON.stringify({
    id,
    revision: 1,
    site: SITE,
    visitor,
    page: 'https://shop.example/help/returns?utm_source=newsletter',
    release: 'prompt-v42',
    locale: 'en-GB',
    intent: 'returns',
    startedAt,
    endedAt: startedAt,
    endReason: 'end',
    messages: { user: 4, bot: 5 },
    thumbs: { up: 1, down: 1 },
    ratings: [
      { message: 1, value: 'down', traceId: 'trace-9f2c1a7e4b' },
      { message: 4, value: 'up', traceId: 'trace-1b7d93e0aa' },
    ],
    csat: { score: 4, comment: 'Got there in the end, thanks' },
    csatShown: true,
    handoff: false,
    outcome: 'resolved',
    resolution: 'explicit',
    sentiment: { first: -0.31, last: 0.64, min: -0.45, mean: 0.12 },
    traceIds: ['trace-55a0c2d1f3', 'trace-9f2c1a7e4b', 'trace-0c4e8b6d21', 'trace-73aa1f9e05', 'trace-1b7d93e0aa'],
  });
}

/** `visitors`: how many visitor ids the requests cycle through. */
function run(port: number, duration: number, connections: number, visitors: number): Promise<autocannon.Result> {
  const now = new Date().toISOString();
  return autocannon({
    url: `http://127.0.0.1:${port}/v1/collect`,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN },
    requests: [
      {
        setupRequest: (request) => {
          const n = ++sequence;
          const count = 1 + (n % 3);
          const summaries = Array.from({ length: count }, (_, i) => summaryJson(`b${process.pid}-${n}-${i}`, `v${n % visitors}`, now));
          return { ...request, body: `{"v":1,"site":"${SITE}","sentAt":"${now}","summaries":[${summaries.join(',')}]}` };
        },
      },
    ],
  });
}

function summarise(target: string, result: autocannon.Result): Figures {
  return {
    target,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result['2xx'] + result.non2xx,
  };
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Text columns (the first `left`) to the left, figures to the right. */
function table(header: string[], rows: string[][], left = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`;
}

/** Every round's figures (the ratio against that round's ceiling), then the median round of each target. */
function print(results: Array<Figures & { round: number }>): void {
  const name = (target: string) =>
    target === 'bare' ? 'bare node:http 204 (ceiling)' : target === 'nostore' ? 'collector, writes stubbed out' : `collector, ${target}`;
  const ceilingOf = (round: number) => results.find((r) => r.target === 'bare' && r.round === round)?.requestsPerSecond ?? Number.NaN;
  const ratio = (r: Figures & { round: number }) => r.requestsPerSecond / ceilingOf(r.round);
  console.log(
    `\n${table(
      ['round', 'target', 'req/s', 'p50 ms', 'p99 ms', '× ceiling', 'non-2xx', 'errors'],
      results.map((r) => [String(r.round + 1), name(r.target), r.requestsPerSecond.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1), ratio(r).toFixed(2), String(r.non2xx), String(r.errors)]),
      2,
    )}`,
  );
  const targets = [...new Set(results.map((r) => r.target))];
  const medians = targets.map((target) => {
    const of = results.filter((r) => r.target === target);
    return {
      target,
      requestsPerSecond: median(of.map((r) => r.requestsPerSecond)),
      p99: median(of.map((r) => r.p99)),
      ratio: median(of.map(ratio)),
      failures: of.reduce((n, r) => n + r.non2xx + r.errors, 0),
    };
  });
  console.log(
    `\nmedian of ${Math.max(...results.map((r) => r.round)) + 1} rounds\n${table(
      ['target', 'req/s', 'p99 ms', '× ceiling', 'non-2xx + errors'],
      medians.map((m) => [name(m.target), m.requestsPerSecond.toFixed(0), m.p99.toFixed(1), m.ratio.toFixed(2), String(m.failures)]),
    )}`,
  );
  for (const m of medians.filter((x) => x.target === 'sqlite' || x.target === 'postgres')) {
    const ok = m.ratio >= 0.5 && m.p99 < 25 && m.failures === 0;
    console.log(`${m.target}: ${ok ? 'meets' : 'MISSES'} the target (median ≥ 0.5× the ceiling, p99 < 25 ms, all 2xx)`);
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3] as Target, process.argv[4] ?? '');
else await main();
