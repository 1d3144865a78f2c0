// `npm run bench:metrics`: how fast the dashboard's queries answer over 1,000,000 conversations in
// the embedded store, against a plain `SELECT count(*)` over the same table in the same run.
// The history is the simulator's (intents, releases, outcomes, returning visitors), spread over
// 90 days. Options: BENCH_CONVERSATIONS (default 1,000,000), BENCH_RUNS (default 5, median kept),
// BENCH_KEEP=1 (keep the database file, whose path is printed, for looking at query plans).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagsUpdate, sqliteDialect } from '../src/collector/store/metrics-sql.ts';
import { openSqliteStore, toRow } from '../src/collector/store/sqlite.ts';
import { rebuildRollups } from '../src/collector/store/sqlite-rollups.ts';
import type { GroupBy } from '../src/collector/store/types.ts';
import type { ValidSummary } from '../src/shared/summary-schema.ts';
import { simulate } from '../src/simulate/model.ts';

const TOTAL = Number(process.env.BENCH_CONVERSATIONS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DAYS = 90;
const SITE = 'bench';
const DAY = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), 'chatpulse-bench-metrics-'));
const path = join(dir, 'bench.db');
const end = Date.now();

// Distinct histories from a few seeds, copied with new ids, visitors and times up to TOTAL.
const base: ValidSummary[] = [];
for (let seed = 1; base.length < Math.min(TOTAL, 40_000); seed++) base.push(...(simulate({ conversations: 10_000, days: DAYS, site: SITE, end, seed }) as ValidSummary[]));

console.log(`loading ${TOTAL.toLocaleString('en-US')} conversations into ${path} …`);
const loadStarted = performance.now();
const store = await openSqliteStore(path);
await store.close();
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
const columns = Object.keys(toRow(SITE, base[0]!, end));
const insert = db.prepare(`INSERT INTO conversations (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
const load = db.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const s = base[i % base.length]!;
    const copy = Math.floor(i / base.length);
    // Copies shift in time (within the 90 days) and get their own visitors, so visitor-based metrics stay realistic.
    const shift = ((copy * 7919) % (DAYS * 24)) * 3_600_000;
    const started = end - DAYS * DAY + ((Date.parse(s.startedAt) - (end - DAYS * DAY) + shift) % (DAYS * DAY));
    const moved: ValidSummary = { ...s, id: `${s.id}-${copy}`, visitor: `${s.visitor}-${copy % 50}`, startedAt: new Date(started).toISOString() };
    insert.run(toRow(SITE, moved, end));
  }
});
for (let i = 0; i < TOTAL; i += 50_000) load(i, Math.min(TOTAL, i + 50_000));
db.pragma('wal_checkpoint(TRUNCATE)');
// Rows loaded behind the store's back get the visitor flags and rollups the store keeps on write.
db.exec(flagsUpdate(sqliteDialect, '1'));
rebuildRollups(db);
db.exec('ANALYZE');
db.close();
console.log(`loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

const bench = await openSqliteStore(path);
const raw = new Database(path, { readonly: true });
const countStatement = raw.prepare('SELECT count(*) AS n FROM conversations WHERE site = ?');

async function median(run: () => unknown): Promise<number> {
  const times: number[] = [];
  await run(); // warm the page cache and the statement
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const baseline = await median(() => countStatement.get(SITE));
console.log(`\nbaseline: SELECT count(*) over ${TOTAL.toLocaleString('en-US')} rows: ${baseline.toFixed(1)} ms (median of ${RUNS})\n`);
console.log('query'.padEnd(44), 'period'.padEnd(9), 'rows'.padStart(10), 'median ms'.padStart(10), 'vs count'.padStart(9), '  < 300 ms');
let worst = 0;
for (const days of [7, 30, DAYS]) {
  const range = { site: SITE, from: end - days * DAY, to: end + 60_000 };
  const rows = (raw.prepare('SELECT count(*) AS n FROM conversations WHERE site = ? AND started_at >= ? AND started_at < ?').get(SITE, range.from, range.to) as { n: number }).n;
  const queries: Array<[string, () => Promise<unknown>]> = [
    ['metrics (tiles)', () => bench.metrics(range)],
    ...(['day', 'page', 'release', 'intent'] as GroupBy[]).map((g) => [`grouped by ${g}${g === 'day' ? ' (time series)' : ''}`, () => bench.groupedMetrics(range, g)] as [string, () => Promise<unknown>]),
    ['conversations (list, signal filter)', () => bench.conversations({ ...range, limit: 50, signal: 'handoff' })],
  ];
  for (const [name, run] of queries) {
    const ms = await median(run);
    worst = Math.max(worst, ms);
    console.log(name.padEnd(44), `${days} days`.padEnd(9), rows.toLocaleString('en-US').padStart(10), ms.toFixed(1).padStart(10), `${(ms / baseline).toFixed(1)}×`.padStart(9), ms < 300 ? '  yes' : '  NO');
  }
}
console.log(`\nslowest dashboard query: ${worst.toFixed(1)} ms (${(worst / baseline).toFixed(1)}× the count baseline)`);
raw.close();
await bench.close();
if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
