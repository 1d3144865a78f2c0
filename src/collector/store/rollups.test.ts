// Both stores answer the dashboard from rollups kept by triggers and a compactor. These tests hold
// them to the plain SQL over the conversation rows: after random histories of new conversations,
// revisions that move a conversation between pages, releases, intents and outcomes, and retention,
// every metric of every grouping over ranges that start and end mid-day must be the same, and the
// incrementally kept rollups must equal a rebuild from the rows.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import type { Summary } from '../../shared/summary.ts';
import type { ValidSummary } from '../../shared/summary-schema.ts';
import { seededRandom } from '../../shared/seeded-random.ts';
import { summary } from '../test-fixtures.ts';
import { PG_URL, describeStores, dropSchema, freshSchemaName, type StoreKind } from '../test-stores.ts';
import { flagsUpdate, groupedMetricsQuery, metricsQuery, postgresDialect, sqliteDialect, toMetricValues, type SqlDialect } from './metrics-sql.ts';
import { openPostgresStore } from './postgres.ts';
import { rebuildPostgresRollups } from './postgres-rollups.ts';
import { openSqliteStore } from './sqlite.ts';
import { rebuildRollups } from './sqlite-rollups.ts';
import type { CollectorStore, GroupBy } from './types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2024-05-01T00:00:00.000Z');
const SPAN_DAYS = 40;
const GROUPINGS: readonly GroupBy[] = ['day', 'page', 'release', 'intent'];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A random history: conversations of a few returning visitors, then revisions that change what they count in. */
function history(seed: number, count: number): { first: Summary[]; revisions: Summary[] } {
  const random = seededRandom(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const outcomes = ['resolved', 'escalated', 'abandoned', 'unresolved', 'unknown'] as const;
  const first: Summary[] = [];
  for (let i = 0; i < count; i++) {
    const started = START + Math.floor(random() * SPAN_DAYS * DAY);
    const outcome = pick(outcomes);
    first.push(
      summary({
        id: `h${seed}-${i}`,
        visitor: `v${Math.floor(random() * count * 0.3)}`,
        page: pick(['https://shop.example/help', 'https://shop.example/pricing', 'https://shop.example/'] as const),
        release: pick(['r1', 'r2', null] as const),
        intent: pick(['billing', 'refund', null] as const),
        startedAt: new Date(started).toISOString(),
        endedAt: random() < 0.1 ? null : new Date(started + 60_000).toISOString(),
        endReason: random() < 0.1 ? null : 'end',
        messages: { user: random() < 0.1 ? 0 : 2, bot: 2 },
        thumbs: { up: Math.floor(random() * 3), down: Math.floor(random() * 2) },
        csat: random() < 0.4 ? { score: 1 + Math.floor(random() * 5), comment: null } : null,
        csatShown: random() < 0.6,
        outcome,
        resolution: outcome === 'resolved' ? pick(['explicit', 'inferred'] as const) : null,
        sentiment: random() < 0.5 ? { first: random() * 2 - 1, last: random() * 2 - 1, min: -1, mean: 0 } : null,
        simulated: random() < 0.2,
      }),
    );
  }
  // Later revisions: an intent found, a page changed, an outcome settled (visitor and start stay).
  const revisions = first
    .filter(() => random() < 0.4)
    .map((s) => {
      const outcome = pick(outcomes);
      return {
        ...s,
        revision: 2,
        intent: pick(['billing', 'refund', 'shipping', null] as const),
        page: random() < 0.3 ? 'https://shop.example/checkout' : s.page,
        outcome,
        resolution: outcome === 'resolved' ? ('explicit' as const) : null,
        thumbs: { up: s.thumbs.up + 1, down: s.thumbs.down },
      };
    });
  return { first, revisions };
}

type Row = Record<string, unknown>;

/** A store on a real database, and a second connection to the same database for the plain SQL. */
interface Harness {
  open(): Promise<CollectorStore>;
  /** Runs SQL on the second connection, with the dialect's own placeholders (named for SQLite, positional for PostgreSQL). */
  all(sql: string, values?: unknown[] | Record<string, unknown>): Promise<Row[]>;
  exec(sql: string): Promise<void>;
  dialect: SqlDialect;
  /** Puts the database back to the schema version before the rollups. */
  dropRollups(): Promise<void>;
  rebuild(): Promise<void>;
}

async function harness(kind: StoreKind): Promise<Harness> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'chatpulse-rollups-'));
    const path = join(dir, 'store.db');
    let db: Database.Database | null = null;
    const connection = () => (db ??= new Database(path));
    cleanups.push(async () => {
      db?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return {
      open: async () => openSqliteStore(path),
      all: async (sql, values = []) => connection().prepare(sql).all(values) as Row[],
      exec: async (sql) => void connection().exec(sql),
      dialect: sqliteDialect,
      dropRollups: async () => {
        connection().exec(`DROP TRIGGER rollup_on_insert; DROP TRIGGER rollup_on_update; DROP TRIGGER rollup_on_delete; ${DROP_ROLLUP_TABLES}`);
        connection().pragma('user_version = 7'); // the seven migrations before the rollups' (sqlite.ts)
      },
      rebuild: async () => rebuildRollups(connection()),
    };
  }
  const schema = freshSchemaName();
  const pool = new pg.Pool({ connectionString: PG_URL, options: `-c search_path=${schema}`, max: 2 });
  cleanups.push(async () => {
    await pool.end();
    await dropSchema(schema);
  });
  const exec = async (sql: string) => void (await pool.query(sql));
  return {
    open: async () => openPostgresStore({ url: PG_URL, schema, poolSize: 4 }),
    all: async (sql, values = []) => (await pool.query(sql, values as unknown[])).rows as Row[],
    exec,
    dialect: postgresDialect,
    dropRollups: async () => {
      await exec(`DROP FUNCTION rollup_log_change() CASCADE; ${DROP_ROLLUP_TABLES} DELETE FROM schema_migrations WHERE version >= 9;`);
    },
    rebuild: () => rebuildPostgresRollups(pool),
  };
}

const DROP_ROLLUP_TABLES = `DROP TABLE rollup_log; DROP TABLE rollup_cells; DROP TABLE rollup_scopes; DROP TABLE rollup_visitors;
  DROP TABLE rollup_visitor_days; DROP TABLE rollup_gaps;`;

/** The plain SQL over the rows (what PostgreSQL answered before rollups), on the harness's second connection. */
function reference(h: Harness) {
  type Range = { site: string; from: number; to: number };
  const values = (range: Range) => (h.dialect === sqliteDialect ? range : [range.site, range.from, range.to]);
  return {
    metrics: async (range: Range) => toMetricValues((await h.all(metricsQuery(h.dialect), values(range)))[0] ?? {}),
    grouped: async (range: Range, g: GroupBy) =>
      (await h.all(groupedMetricsQuery(h.dialect, g), values(range))).map((row) => ({ key: String(row.key), firstSeen: new Date(Number(row.first_seen)).toISOString(), ...toMetricValues(row) })),
    /** After retention, refreshes the flags of rows whose neighbours went (the rollups follow the rows that remain). */
    refreshFlags: () => h.exec(flagsUpdate(h.dialect, h.dialect === sqliteDialect ? '1' : 'true')),
  };
}

/** A conversation of `visitor` started at `ms` (epoch milliseconds), one minute long. */
function at(id: string, visitor: string, ms: number, revision = 1): Summary {
  return summary({ id, revision, visitor, startedAt: new Date(ms).toISOString(), endedAt: new Date(ms + 60_000).toISOString() });
}

/** Each conversation's flags as `<followed_up><is_returning>`, e.g. `01`. */
async function flagsById(h: Harness): Promise<Record<string, string>> {
  const rows = await h.all('SELECT id, followed_up, is_returning FROM conversations');
  return Object.fromEntries(rows.map((r) => [String(r.id), `${Number(r.followed_up)}${Number(r.is_returning)}`]));
}

/** Rounds floating sums so that sums folded in another order compare equal. */
function rounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v))) as T;
}

function randomRanges(seed: number, n: number): Array<{ from: number; to: number }> {
  const random = seededRandom(seed);
  const ranges = [
    { from: START, to: START + SPAN_DAYS * DAY }, // whole days only
    { from: START + 5 * HOUR, to: START + 5 * HOUR + 7 * DAY }, // a week from mid-morning
    { from: START + 3 * DAY + 1, to: START + 3 * DAY + 20 * HOUR }, // less than a day
    { from: 0, to: 8.64e15 },
  ];
  for (let i = 0; i < n; i++) {
    const from = START - DAY + Math.floor(random() * (SPAN_DAYS + 1) * DAY);
    ranges.push({ from, to: from + Math.floor(random() * 20 * DAY) + 1 });
  }
  return ranges;
}

async function expectSameAsRows(store: CollectorStore, h: Harness, site: string, seed: number): Promise<void> {
  const ref = reference(h);
  for (const range of randomRanges(seed, 12)) {
    const r = { site, ...range };
    expect(rounded(await store.metrics(r)), `metrics ${JSON.stringify(range)}`).toEqual(rounded(await ref.metrics(r)));
    for (const g of GROUPINGS) {
      expect(rounded(await store.groupedMetrics(r, g)), `groupBy=${g} ${JSON.stringify(range)}`).toEqual(rounded(await ref.grouped(r, g)));
    }
  }
}

/** The rollup tables with ids replaced by what they stand for, in a stable order. */
async function rollupState(h: Harness): Promise<unknown> {
  const text = h.dialect === sqliteDialect ? '' : ' COLLATE "C"';
  return rounded({
    cells: await h.all(`SELECT * FROM rollup_cells ORDER BY site${text}, day, page${text}, release${text}, intent${text}`),
    members: await h.all(
      `SELECT v.site, v.visitor, d.day, s.kind, s.value, d.conversations, d.is_returning FROM rollup_visitor_days d
       JOIN rollup_visitors v ON v.id = d.visitor JOIN rollup_scopes s ON s.id = d.scope
       ORDER BY v.site${text}, v.visitor${text}, d.day, s.kind${text}, s.value${text}`,
    ),
    gaps: await h.all(`SELECT s.site, s.kind, s.value, g.day, g.gap, g.visitors FROM rollup_gaps g JOIN rollup_scopes s ON s.id = g.scope ORDER BY s.site${text}, s.kind${text}, s.value${text}, g.day, g.gap`),
  });
}

describeStores('rollups', (kind) => {
  it('answer every metric and grouping like the rows do, across revisions that move conversations between groups', async () => {
    const h = await harness(kind);
    const store = await h.open();
    try {
      const { first, revisions } = history(7, 600);
      // In several requests, so the compactor folds the log more than once.
      for (let i = 0; i < first.length; i += 97) await store.upsert('shop', first.slice(i, i + 97) as ValidSummary[], START);
      await expectSameAsRows(store, h, 'shop', 1);
      await store.upsert('shop', revisions as ValidSummary[], START);
      // Another site's conversations never count.
      await store.upsert('other', history(8, 50).first as ValidSummary[], START);
      await expectSameAsRows(store, h, 'shop', 2);
      // The flags kept as conversations arrived are the ones a recomputation over all rows gives.
      const flags = async () => h.all(`SELECT site, id, followed_up, is_returning FROM conversations ORDER BY site, id`);
      const kept = rounded(await flags());
      await reference(h).refreshFlags();
      const recomputed = rounded(await flags());
      expect(recomputed.filter((r) => Number(r.followed_up)).length).toBeGreaterThan(20);
      expect(recomputed.filter((r) => Number(r.is_returning)).length).toBeGreaterThan(20);
      expect(kept).toEqual(recomputed);
    } finally {
      await store.close();
    }
  });

  it('keep visitor flags exact at the 24-hour and 7-day edges, whichever conversation arrives first', async () => {
    const h = await harness(kind);
    const store = await h.open();
    try {
      const t = START + 10 * DAY + 3 * HOUR;
      // Each pair in both orders: the earlier conversation learns its flag from its own row (the
      // later one is in) or from the arrival of the later one.
      const pairs: Array<[string, number, number]> = [
        ['exactly-24h', t, t + DAY], // followed up
        ['24h-and-1ms', t, t + DAY + 1], // not followed up; next UTC day: both returning
        ['same-instant', t, t], // neither
        ['7-days', t, t + 7 * DAY], // both returning (day + 7)
        ['8-days', t, t + 8 * DAY], // neither
        ['midnight', START + 11 * DAY - 1, START + 11 * DAY], // 1 ms apart, two days: followed up, both returning
      ];
      for (const [name, first, second] of pairs) {
        await store.upsert('shop', [at(`${name}-a1`, `${name}-a`, first)], START);
        await store.upsert('shop', [at(`${name}-a2`, `${name}-a`, second)], START);
        await store.upsert('shop', [at(`${name}-b2`, `${name}-b`, second)], START);
        await store.upsert('shop', [at(`${name}-b1`, `${name}-b`, first)], START);
      }
      const flags = () => flagsById(h);
      const kept = await flags();
      const expected: Record<string, [string, string]> = {
        'exactly-24h': ['11', '01'],
        '24h-and-1ms': ['01', '01'],
        'same-instant': ['00', '00'],
        '7-days': ['01', '01'],
        '8-days': ['00', '00'],
        midnight: ['11', '01'],
      };
      for (const [name, [earlier, later]] of Object.entries(expected)) {
        for (const visitor of ['a', 'b']) {
          expect([kept[`${name}-${visitor}1`], kept[`${name}-${visitor}2`]], `${name}, visitor ${visitor}`).toEqual([earlier, later]);
        }
      }
      await reference(h).refreshFlags();
      expect(await flags()).toEqual(kept);
    } finally {
      await store.close();
    }
  });

  it('recompute both places when a revision moves a conversation to another visitor or start', async () => {
    const h = await harness(kind);
    const store = await h.open();
    try {
      const t = START + 10 * DAY + 3 * HOUR;
      await store.upsert('shop', [at('a1', 'a', t), at('a2', 'a', t + HOUR), at('a3', 'a', t - 3 * DAY), at('b1', 'b', t + 2 * DAY)], START);
      const flags = () => flagsById(h);
      expect(await flags()).toEqual({ a1: '11', a2: '01', a3: '01', b1: '00' });
      // a2 (which made a1 followed up) moves to visitor b; a3 moves 20 days on (no longer near a1).
      await store.upsert('shop', [at('a2', 'b', t + HOUR, 2), at('a3', 'a', t + 20 * DAY, 2)], START);
      expect(await flags()).toEqual({ a1: '00', a2: '01', a3: '00', b1: '01' });
      await reference(h).refreshFlags();
      expect(await flags()).toEqual({ a1: '00', a2: '01', a3: '00', b1: '01' });
    } finally {
      await store.close();
    }
  });

  it('follow retention, and what they keep equals a rebuild from the rows', async () => {
    const h = await harness(kind);
    const store = await h.open();
    try {
      const { first, revisions } = history(11, 500);
      await store.upsert('shop', first as ValidSummary[], START);
      await store.upsert('shop', revisions as ValidSummary[], START);
      expect(await store.deleteBefore(START + 10 * DAY + 7 * HOUR, 'shop')).toBeGreaterThan(0);
      // The flags of what remains are what the remaining rows give.
      const flags = async () => rounded(await h.all('SELECT site, id, followed_up, is_returning FROM conversations ORDER BY site, id'));
      const kept = await flags();
      await reference(h).refreshFlags();
      expect(kept).toEqual(await flags());
      await expectSameAsRows(store, h, 'shop', 3);

      await store.metrics({ site: 'shop', from: 0, to: 1 }); // folds the log
      const rollups = await rollupState(h);
      await h.rebuild();
      expect(await rollupState(h)).toEqual(rollups);
    } finally {
      await store.close();
    }
  });

  it('a database from before the rollups gets them when opened', async () => {
    const h = await harness(kind);
    const store = await h.open();
    await store.upsert('shop', history(13, 200).first as ValidSummary[], START);
    await store.close();
    await h.dropRollups();
    const reopened = await h.open();
    try {
      await expectSameAsRows(reopened, h, 'shop', 4);
    } finally {
      await reopened.close();
    }
  });
});
