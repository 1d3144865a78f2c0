// `npm run bench:metrics`: how fast the dashboard's queries answer over 1,000,000 conversations,
// against a plain `SELECT count(*)` over the same table in the same run. The embedded store by
// default; BENCH_STORE=postgres for PostgreSQL (CHATPULSE_BENCH_PG_URL, else a throwaway cluster).
// The history is the simulator's (intents, releases, outcomes, returning visitors), spread over
// 90 days. Options: BENCH_CONVERSATIONS (default 1,000,000), BENCH_RUNS (default 5, median kept),
// BENCH_KEEP=1 (keep the SQLite file or the PostgreSQL schema and cluster, printed, for looking at query plans).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBin, startThrowawayCluster } from '../src/collector/pg-throwaway.ts';
import { flagsUpdate, postgresDialect, sqliteDialect } from '../src/collector/store/metrics-sql.ts';
import { openPostgresStore } from '../src/collector/store/postgres.ts';
import { rebuildPostgresRollups } from '../src/collector/store/postgres-rollups.ts';
import { openSqliteStore, toRow } from '../src/collector/store/sqlite.ts';
import { rebuildRollups } from '../src/collector/store/sqlite-rollups.ts';
import type { CollectorStore, GroupBy } from '../src/collector/store/types.ts';
import type { ValidSummary } from '../src/shared/summary-schema.ts';
import { simulate } from '../src/simulate/model.ts';

const TOTAL = Number(process.env.BENCH_CONVERSATIONS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STORE = process.env.BENCH_STORE === 'postgres' ? 'postgres' : 'sqlite';
const DAYS = 90;
const SITE = 'bench';
const DAY = 86_400_000;
const BATCH = 2000;

const end = Date.now();

// Distinct histories from a few seeds, copied with new ids, visitors and times up to TOTAL.
const base: ValidSummary[] = [];
for (let seed = 1; base.length < Math.min(TOTAL, 40_000); seed++) base.push(...(simulate({ conversations: 10_000, days: DAYS, site: SITE, end, seed }) as ValidSummary[]));

/** The i-th conversation row. Copies shift in time (within the 90 days) and get their own visitors, so visitor-based metrics stay realistic. */
function row(i: number): Record<string, string | number | null> {
  const s = base[i % base.length]!;
  const copy = Math.floor(i / base.length);
  const shift = ((copy * 7919) % (DAYS * 24)) * 3_600_000;
  const started = end - DAYS * DAY + ((Date.parse(s.startedAt) - (end - DAYS * DAY) + shift) % (DAYS * DAY));
  return toRow(SITE, { ...s, id: `${s.id}-${copy}`, visitor: `${s.visitor}-${copy % 50}`, startedAt: new Date(started).toISOString() }, end);
}
const columns = Object.keys(row(0));

interface Target {
  store: CollectorStore;
  /** The baseline: SELECT count(*) over the site's rows. */
  count(): Promise<number>;
  /** Conversations started in [from, to). */
  rowsIn(from: number, to: number): Promise<number>;
  close(): Promise<void>;
}

/** Loads the rows behind the store's back (no triggers), then gives them the flags and rollups the store keeps on write. */
async function loadSqlite(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'chatpulse-bench-metrics-'));
  const path = join(dir, 'bench.db');
  console.log(`loading ${TOTAL.toLocaleString('en-US')} conversations into ${path} …`);
  await (await openSqliteStore(path)).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(`INSERT INTO conversations (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  const load = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(row(i));
  });
  for (let i = 0; i < TOTAL; i += 50_000) load(i, Math.min(TOTAL, i + 50_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec(flagsUpdate(sqliteDialect, '1'));
  rebuildRollups(db);
  db.exec('ANALYZE');
  db.close();
  const store = openSqliteStore(path);
  const raw = new Database(path, { readonly: true });
  const count = raw.prepare('SELECT count(*) AS n FROM conversations WHERE site = ?').pluck();
  const rowsIn = raw.prepare('SELECT count(*) AS n FROM conversations WHERE site = ? AND started_at >= ? AND started_at < ?').pluck();
  return {
    store,
    count: async () => count.get(SITE) as number,
    rowsIn: async (from, to) => rowsIn.get(SITE, from, to) as number,
    close: async () => {
      raw.close();
      await store.close();
      if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function loadPostgres(): Promise<Target> {
  let url = process.env.CHATPULSE_BENCH_PG_URL ?? '';
  let cluster: { url: string; stop: () => Promise<void> } | null = null;
  if (!url) {
    const bin = findPostgresBin();
    if (!bin) throw new Error('BENCH_STORE=postgres needs CHATPULSE_BENCH_PG_URL or PostgreSQL installed');
    cluster = await startThrowawayCluster(bin, { durable: true });
    url = cluster.url;
  }
  const schema = `bench_${Date.now()}`;
  console.log(`loading ${TOTAL.toLocaleString('en-US')} conversations into PostgreSQL, schema ${schema} …`);
  await (await openPostgresStore({ url, schema })).close();
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
  const booleans = new Set(['csat_shown', 'handoff', 'simulated']);
  await pool.query('ALTER TABLE conversations DISABLE TRIGGER USER');
  for (let i = 0; i < TOTAL; i += BATCH) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let j = i; j < Math.min(TOTAL, i + BATCH); j++) {
      const r = row(j);
      tuples.push(`(${columns.map((c) => `$${values.push(booleans.has(c) ? r[c] === 1 : r[c])}`).join(', ')})`);
    }
    await pool.query(`INSERT INTO conversations (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
  await pool.query('ALTER TABLE conversations ENABLE TRIGGER USER');
  await pool.query(flagsUpdate(postgresDialect, 'true'));
  await rebuildPostgresRollups(pool);
  await pool.query('VACUUM ANALYZE');
  const store = await openPostgresStore({ url, schema });
  return {
    store,
    count: async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM conversations WHERE site = $1', [SITE])).rows[0]!.n),
    rowsIn: async (from, to) =>
      Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM conversations WHERE site = $1 AND started_at >= $2 AND started_at < $3', [SITE, from, to])).rows[0]!.n),
    close: async () => {
      await store.close();
      if (process.env.BENCH_KEEP) console.log(`kept: ${url} schema ${schema}`);
      else await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
      if (!process.env.BENCH_KEEP) await cluster?.stop();
    },
  };
}

const loadStarted = performance.now();
const target = STORE === 'postgres' ? await loadPostgres() : await loadSqlite();
console.log(`loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

async function median(run: () => unknown): Promise<number> {
  const times: number[] = [];
  await run(); // warm the cache and the statement
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

try {
  const baseline = await median(() => target.count());
  console.log(`\n${STORE}: baseline SELECT count(*) over ${TOTAL.toLocaleString('en-US')} rows: ${baseline.toFixed(1)} ms (median of ${RUNS})\n`);
  console.log('query'.padEnd(44), 'period'.padEnd(9), 'rows'.padStart(10), 'median ms'.padStart(10), 'vs count'.padStart(9), '  < 300 ms');
  let worst = 0;
  for (const days of [7, 30, DAYS]) {
    const range = { site: SITE, from: end - days * DAY, to: end + 60_000 };
    const rows = await target.rowsIn(range.from, range.to);
    const queries: Array<[string, () => Promise<unknown>]> = [
      ['metrics (tiles)', () => target.store.metrics(range)],
      ...(['day', 'page', 'release', 'intent'] as GroupBy[]).map((g) => [`grouped by ${g}${g === 'day' ? ' (time series)' : ''}`, () => target.store.groupedMetrics(range, g)] as [string, () => Promise<unknown>]),
      ['conversations (list, signal filter)', () => target.store.conversations({ ...range, limit: 50, signal: 'handoff' })],
    ];
    for (const [name, run] of queries) {
      const ms = await median(run);
      worst = Math.max(worst, ms);
      console.log(name.padEnd(44), `${days} days`.padEnd(9), rows.toLocaleString('en-US').padStart(10), ms.toFixed(1).padStart(10), `${(ms / baseline).toFixed(1)}×`.padStart(9), ms < 300 ? '  yes' : '  NO');
    }
  }
  console.log(`\nslowest dashboard query: ${worst.toFixed(1)} ms (${(worst / baseline).toFixed(1)}× the count baseline)`);
} finally {
  await target.close();
}
