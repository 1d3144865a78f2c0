// Both stores (embedded SQLite and PostgreSQL), through the same tests: upserts by revision,
// queries, sites and settings, retention, migrations, and metric edge cases (window boundaries,
// what counts as ended) checked directly against the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../shared/summary.ts';
import { SITE, summary } from '../test-fixtures.ts';
import { PG_URL, describeStores, dropSchema, freshSchemaName, openTestStore, type StoreKind } from '../test-stores.ts';
import { openPostgresStore } from './postgres.ts';
import { openSqliteStore, toRow } from './sqlite.ts';
import type { CollectorStore } from './types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2024-05-01T12:00:00.000Z');
const ALL = { site: SITE, from: 0, to: 8.64e15 };

function at(ms: number, overrides: Parameters<typeof summary>[0] = {}): Summary {
  return summary({ startedAt: new Date(ms).toISOString(), endedAt: new Date(ms + 60_000).toISOString(), ...overrides });
}

describeStores('store', (kind) => {
  describe('upsert', () => {
    it('reports written and stale, keeping the highest revision per (site, id)', async () => {
      const store = await openTestStore(kind);
      expect(await store.upsert(SITE, [summary({ id: 'a', revision: 2 }), summary({ id: 'b' })], 1)).toEqual({ written: 2, stale: 0 });
      expect(await store.upsert(SITE, [summary({ id: 'a', revision: 2 }), summary({ id: 'a', revision: 1 })], 2)).toEqual({ written: 0, stale: 2 });
      expect(await store.upsert(SITE, [summary({ id: 'a', revision: 3, page: 'https://shop.example/new' })], 3)).toEqual({ written: 1, stale: 0 });
      const rows = await store.conversations({ ...ALL, limit: 10 });
      expect(rows.find((r) => r.id === 'a')).toMatchObject({ revision: 3, page: 'https://shop.example/new' });
      expect(rows).toHaveLength(2);
    });

    it('keeps the same conversation id of two sites apart', async () => {
      const store = await openTestStore(kind);
      await store.upsert(SITE, [summary({ id: 'same' })], 1);
      await store.upsert('other', [summary({ id: 'same', site: 'other', revision: 1 })], 1);
      expect(await store.conversations({ ...ALL, limit: 10 })).toHaveLength(1);
      expect(await store.conversations({ ...ALL, site: 'other', limit: 10 })).toHaveLength(1);
    });

    it('survives a close and a reopen of the database', async () => {
      await withReopenable(kind, async (open) => {
        const first = await open();
        await first.upsert(SITE, [summary({ id: 'kept', revision: 4 })], 1);
        await first.putSite({ key: SITE, name: 'Shop', origins: ['https://shop.example'], enabled: true });
        await first.close();
        const second = await open();
        expect((await second.conversations({ ...ALL, limit: 10 })).map((s) => [s.id, s.revision])).toEqual([['kept', 4]]);
        expect(await second.getSite(SITE)).toMatchObject({ key: SITE });
        await second.close();
      });
    });
  });

  describe('conversations query', () => {
    it('returns the stored summaries newest first, within [from, to), limited, optionally by outcome', async () => {
      const store = await openTestStore(kind);
      await store.upsert(
        SITE,
        [
          at(T0, { id: 'first', outcome: 'resolved' }),
          at(T0 + 2 * HOUR, { id: 'third', outcome: 'abandoned', resolution: null }),
          at(T0 + HOUR, { id: 'second', outcome: 'resolved' }),
          at(T0 + 3 * HOUR, { id: 'at-to', outcome: 'resolved' }),
        ],
        1,
      );
      const q = { site: SITE, from: T0, to: T0 + 3 * HOUR };
      expect((await store.conversations({ ...q, limit: 10 })).map((s) => s.id)).toEqual(['third', 'second', 'first']);
      expect((await store.conversations({ ...q, limit: 2 })).map((s) => s.id)).toEqual(['third', 'second']);
      expect((await store.conversations({ ...q, limit: 10, outcome: 'resolved' })).map((s) => s.id)).toEqual(['second', 'first']);
      expect((await store.conversations({ ...q, from: T0 + 1, limit: 10 })).map((s) => s.id)).toEqual(['third', 'second']);
    });
  });

  describe('sites and settings', () => {
    it('puts, updates, gets and lists sites', async () => {
      const store = await openTestStore(kind);
      expect(await store.getSite('x')).toBeNull();
      await store.putSite({ key: 'b', name: 'B', origins: ['https://b.example'], enabled: true });
      await store.putSite({ key: 'a', name: 'A', origins: [], enabled: true });
      await store.putSite({ key: 'b', name: 'B2', origins: ['https://*.b.example', 'http://localhost:*'], enabled: false });
      expect(await store.getSite('b')).toEqual({ key: 'b', name: 'B2', origins: ['https://*.b.example', 'http://localhost:*'], enabled: false });
      expect((await store.listSites()).map((s) => s.key)).toEqual(['a', 'b']);
    });

    it('stores settings', async () => {
      const store = await openTestStore(kind);
      expect(await store.getSetting('admin_token')).toBeNull();
      await store.setSetting('admin_token', 'one');
      await store.setSetting('admin_token', 'two');
      expect(await store.getSetting('admin_token')).toBe('two');
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });

  describe('metric edge cases', () => {
    it('counts a conversation as ended by its endReason: open ones (endReason null) stay out of the rates', async () => {
      const store = await openTestStore(kind);
      await store.upsert(
        SITE,
        [
          at(T0, { id: 'ended', outcome: 'resolved' }),
          // open, even if a client sent an endedAt: no outcome yet, not in the denominator
          at(T0, { id: 'open-with-endedAt', endReason: null, outcome: null, resolution: null }),
          at(T0, { id: 'open', endReason: null, endedAt: null, outcome: null, resolution: null }),
          // 0 user messages: not in the denominator either, whatever its outcome
          at(T0, { id: 'silent', messages: { user: 0, bot: 1 }, outcome: 'abandoned', resolution: null, endReason: 'exit' }),
        ],
        1,
      );
      const m = await store.metrics(ALL);
      expect(m).toMatchObject({ conversations: 4, ended: 1, resolutionRate: 1, abandonmentRate: 0, firstContactResolution: 1 });
    });

    it('first-contact resolution: a new conversation within 24 h of the resolved one spoils it, one after 24 h does not', async () => {
      const store = await openTestStore(kind);
      await store.upsert(
        SITE,
        [
          // visitor a: back 23 h 59 min later → not first-contact
          at(T0, { id: 'a1', visitor: 'a' }),
          at(T0 + DAY - 60_000, { id: 'a2', visitor: 'a', outcome: 'unknown', resolution: null }),
          // visitor b: back 24 h 1 min later → first-contact
          at(T0, { id: 'b1', visitor: 'b' }),
          at(T0 + DAY + 60_000, { id: 'b2', visitor: 'b', outcome: 'unknown', resolution: null }),
          // visitor c: another visitor's conversation does not count against c
          at(T0, { id: 'c1', visitor: 'c' }),
          // visitor d: an earlier conversation does not count against d's resolved one
          at(T0 - HOUR, { id: 'd0', visitor: 'd', outcome: 'unknown', resolution: null }),
          at(T0, { id: 'd1', visitor: 'd' }),
        ],
        1,
      );
      // period [T0, T0 + 1 min): a1 b1 c1 d1, all resolved; first-contact: b1 c1 d1 → 3/4
      const m = await store.metrics({ site: SITE, from: T0, to: T0 + 60_000 });
      expect(m).toMatchObject({ ended: 4, resolutionRate: 1, firstContactResolution: 0.75 });
    });

    it('first-contact resolution only counts resolved conversations, over all rated ones', async () => {
      const store = await openTestStore(kind);
      await store.upsert(
        SITE,
        [
          at(T0, { id: 'r', visitor: 'r' }),
          at(T0, { id: 'u', visitor: 'u', outcome: 'unresolved', resolution: null }),
          at(T0, { id: 'e', visitor: 'e', outcome: 'escalated', resolution: null, handoff: true, endReason: 'handoff' }),
        ],
        1,
      );
      expect(await store.metrics(ALL)).toMatchObject({ firstContactResolution: 1 / 3, resolutionRate: 1 / 3, escalationRate: 1 / 3 });
    });

    it('returning visitors: chats on two UTC days at most 7 days apart; not the same day twice, not 8 days apart', async () => {
      const store = await openTestStore(kind);
      const day0 = Date.parse('2024-05-01T00:00:00Z');
      await store.upsert(
        SITE,
        [
          // same UTC day, 23 h apart → not returning
          at(day0 + 30 * 60_000, { id: 's1', visitor: 'same-day' }),
          at(day0 + 23.5 * HOUR, { id: 's2', visitor: 'same-day' }),
          // UTC days 7 apart (6 d 23 h) → returning
          at(day0 + HOUR, { id: 'w1', visitor: 'within' }),
          at(day0 + 7 * DAY + 30 * 60_000, { id: 'w2', visitor: 'within' }),
          // UTC days 8 apart (7 d 23 h) → not returning
          at(day0 + 2 * HOUR, { id: 'f1', visitor: 'far' }),
          at(day0 + 8 * DAY + HOUR, { id: 'f2', visitor: 'far' }),
          // two minutes apart across UTC midnight → returning
          at(day0 + DAY - 60_000, { id: 'm1', visitor: 'midnight' }),
          at(day0 + DAY + 60_000, { id: 'm2', visitor: 'midnight' }),
          // someone else's conversation does not make a visitor returning
          at(day0 + 2 * DAY, { id: 'o1', visitor: 'once' }),
        ],
        1,
      );
      // period: the first two days; visitors same-day, within, far, midnight, once → 2/5
      const m = await store.metrics({ site: SITE, from: day0, to: day0 + 2 * DAY + HOUR });
      expect(m).toMatchObject({ visitors: 5, returningVisitors: 2 / 5 });
    });

    it('CSAT: score is the share of 4–5 answers, the response rate is answers over prompts shown', async () => {
      const store = await openTestStore(kind);
      await store.upsert(
        SITE,
        [
          at(T0, { csat: { score: 4, comment: null }, csatShown: true }),
          at(T0, { csat: { score: 3, comment: null }, csatShown: true }),
          at(T0, { csat: null, csatShown: true, outcome: 'unknown', resolution: null }),
          at(T0, { csat: null, csatShown: true, outcome: 'unknown', resolution: null }),
          at(T0, { csat: null, csatShown: false, outcome: 'unknown', resolution: null }),
        ],
        1,
      );
      // answers 4, 3 → score 1/2, mean 3.5; shown 4 → 2/4
      expect((await store.metrics(ALL)).csat).toEqual({ score: 0.5, mean: 3.5, responses: 2, responseRate: 0.5 });
    });

    it('no thumbs, no sentiment, no CSAT → nulls (not zeros)', async () => {
      const store = await openTestStore(kind);
      await store.upsert(SITE, [at(T0, { outcome: 'unknown', resolution: null })], 1);
      const m = await store.metrics(ALL);
      expect(m).toMatchObject({ thumbsRatio: null, sentimentShift: null, csat: { score: null, mean: null, responses: 0, responseRate: null }, resolutionRate: 0 });
    });

    it('groups keep their keys, and null release/intent fall into (none)', async () => {
      const store = await openTestStore(kind);
      await store.upsert(SITE, [at(T0, { release: null, intent: null }), at(T0, { release: 'v2', intent: 'refund' }), at(T0, { release: 'v2', intent: 'refund' })], 1);
      expect((await store.groupedMetrics(ALL, 'release')).map((g) => [g.key, g.conversations])).toEqual([['v2', 2], ['(none)', 1]]);
      expect((await store.groupedMetrics(ALL, 'intent')).map((g) => [g.key, g.conversations])).toEqual([['refund', 2], ['(none)', 1]]);
    });
  });

  describe('retention', () => {
    it('deletes conversations started before the cutoff, of all sites or of one', async () => {
      const store = await openTestStore(kind);
      await store.upsert(SITE, [at(T0 - DAY, { id: 'old' }), at(T0, { id: 'at-cutoff' }), at(T0 + DAY, { id: 'new' })], 1);
      await store.upsert('other', [at(T0 - DAY, { id: 'old', site: 'other' }), at(T0 + DAY, { id: 'new', site: 'other' })], 1);
      expect(await store.deleteBefore(T0, 'other')).toBe(1);
      expect((await store.conversations({ ...ALL, site: 'other', limit: 10 })).map((s) => s.id)).toEqual(['new']);
      expect((await store.conversations({ ...ALL, limit: 10 })).map((s) => s.id)).toEqual(['new', 'at-cutoff', 'old']);
      expect(await store.deleteBefore(T0)).toBe(1);
      expect((await store.conversations({ ...ALL, limit: 10 })).map((s) => s.id)).toEqual(['new', 'at-cutoff']);
      expect(await store.deleteBefore(T0)).toBe(0);
      expect((await store.metrics(ALL)).conversations).toBe(2);
    });

    it('deletes more rows than one batch holds', async () => {
      const store = await openTestStore(kind);
      const total = 5_003;
      for (let start = 0; start < total; start += 1000) {
        const chunk = Array.from({ length: Math.min(1000, total - start) }, (_, i) => at(T0 - DAY + start + i, { id: `bulk-${start + i}` }));
        await store.upsert(SITE, chunk, 1);
      }
      await store.upsert(SITE, [at(T0, { id: 'kept' })], 1);
      expect(await store.deleteBefore(T0)).toBe(total);
      expect((await store.conversations({ ...ALL, limit: 10 })).map((s) => s.id)).toEqual(['kept']);
    });
  });

  describe('concurrent writers', () => {
    it('acknowledges each concurrent upsert with its own counts', async () => {
      const store = await openTestStore(kind);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.upsert(SITE, [summary({ id: `par-${i}` })], 1)));
      expect(results).toEqual(Array.from({ length: 50 }, () => ({ written: 1, stale: 0 })));
      expect((await store.metrics(ALL)).conversations).toBe(50);
    });

    it('keeps the highest revision when revisions of one conversation race', async () => {
      const store = await openTestStore(kind);
      const revisions = [7, 3, 10, 1, 9, 2, 8, 5, 4, 6, 10, 3];
      const results = await Promise.all(revisions.map((revision) => store.upsert(SITE, [summary({ id: 'race', revision, page: `https://shop.example/${revision}` })], 1)));
      expect(results.every((r) => r.written + r.stale === 1)).toBe(true);
      const rows = await store.conversations({ ...ALL, limit: 10 });
      expect(rows.map((r) => [r.id, r.revision, r.page])).toEqual([['race', 10, 'https://shop.example/10']]);
    });
  });

  it('stores text with NUL inertly: the summary reads back intact and grouping works', async () => {
    const store = await openTestStore(kind);
    const s = at(T0, { id: 'nul', page: 'https://shop.example/a\u0000b', release: 'r\u00001', intent: '\u0000', locale: 'e\u0000n' });
    expect(await store.upsert(SITE, [s], 1)).toEqual({ written: 1, stale: 0 });
    expect(await store.conversations({ ...ALL, limit: 10 })).toEqual([s]);
    expect((await store.groupedMetrics(ALL, 'release')).map((g) => g.conversations)).toEqual([1]);
    expect((await store.groupedMetrics(ALL, 'page')).map((g) => g.conversations)).toEqual([1]);
  });
});

describe('toRow', () => {
  it('maps a summary to columns: epoch ms, 0/1 booleans, nullable fields', () => {
    const s = summary({
      startedAt: '2024-05-01T12:00:00+02:00',
      endedAt: null,
      endReason: null,
      csat: { score: 4, comment: 'ok' },
      csatShown: true,
      handoff: false,
      sentiment: { first: -0.25, last: 0.5, min: -0.25, mean: 0.1 },
      intent: 'billing',
    });
    const row = toRow(SITE, s, 42);
    expect(row).toMatchObject({
      site: SITE,
      started_at: Date.parse('2024-05-01T10:00:00Z'),
      ended_at: null,
      end_reason: null,
      csat_score: 4,
      csat_shown: 1,
      handoff: 0,
      sentiment_first: -0.25,
      sentiment_last: 0.5,
      intent: 'billing',
      received_at: 42,
    });
    expect(JSON.parse(String(row.summary))).toEqual(s);
  });
});

describe.skipIf(!PG_URL)('PostgreSQL migrations', () => {
  it('run once when several collectors start at the same time (advisory lock), and are recorded', async () => {
    const schema = freshSchemaName();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore({ url: PG_URL, schema, poolSize: 2 })));
      const url = await schemaUrl(schema);
      const again = await openPostgresStore({ url });
      await again.upsert(SITE, [summary({ id: 'after-migrate' })], 1);
      await Promise.all([...stores, again].map((s) => s.close()));
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
        // Each version once, in order; later migrations (integrations: 5+) may follow 4 (site keys).
        const versions = rows.map((r) => r.version);
        expect(versions.slice(0, 4)).toEqual([1, 2, 3, 4]);
        expect(new Set(versions).size).toBe(versions.length);
        const indexes = await client.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname', [schema]);
        expect(indexes.rows.map((r) => r.indexname)).toEqual(expect.arrayContaining(['conversations_by_age', 'conversations_metrics', 'conversations_visitors']));
      } finally {
        await client.end();
      }
    } finally {
      await dropSchema(schema);
    }
  });
});

/** The URL of an existing schema, as a second process would get it (search_path in the URL). */
async function schemaUrl(schema: string): Promise<string> {
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Calls `body` with an opener of the same persistent database (a file, or a PostgreSQL schema), then deletes it. */
async function withReopenable(kind: StoreKind, body: (open: () => Promise<CollectorStore>) => Promise<void>): Promise<void> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'chatpulse-store-'));
    try {
      const path = join(dir, 'nested', 'db.sqlite');
      await body(async () => openSqliteStore(path));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const schema = freshSchemaName();
  try {
    await body(() => openPostgresStore({ url: PG_URL, schema }));
  } finally {
    await dropSchema(schema);
  }
}
