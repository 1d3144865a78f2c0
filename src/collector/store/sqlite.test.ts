// The embedded SQLite store: upserts by revision, queries, sites and settings, and metric edge
// cases (window boundaries, what counts as ended) checked directly against the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../shared/summary.ts';
import { SITE, summary } from '../test-fixtures.ts';
import { openSqliteStore, toRow } from './sqlite.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2024-05-01T12:00:00.000Z');
const ALL = { site: SITE, from: 0, to: 8.64e15 };

function at(ms: number, overrides: Parameters<typeof summary>[0] = {}): Summary {
  return summary({ startedAt: new Date(ms).toISOString(), endedAt: new Date(ms + 60_000).toISOString(), ...overrides });
}

describe('upsert', () => {
  it('reports written and stale, keeping the highest revision per (site, id)', async () => {
    const store = openSqliteStore(':memory:');
    expect(await store.upsert(SITE, [summary({ id: 'a', revision: 2 }), summary({ id: 'b' })], 1)).toEqual({ written: 2, stale: 0 });
    expect(await store.upsert(SITE, [summary({ id: 'a', revision: 2 }), summary({ id: 'a', revision: 1 })], 2)).toEqual({ written: 0, stale: 2 });
    expect(await store.upsert(SITE, [summary({ id: 'a', revision: 3, page: 'https://shop.example/new' })], 3)).toEqual({ written: 1, stale: 0 });
    const rows = await store.conversations({ ...ALL, limit: 10 });
    expect(rows.find((r) => r.id === 'a')).toMatchObject({ revision: 3, page: 'https://shop.example/new' });
    expect(rows).toHaveLength(2);
  });

  it('keeps the same conversation id of two sites apart', async () => {
    const store = openSqliteStore(':memory:');
    await store.upsert(SITE, [summary({ id: 'same' })], 1);
    await store.upsert('other', [summary({ id: 'same', site: 'other', revision: 1 })], 1);
    expect(await store.conversations({ ...ALL, limit: 10 })).toHaveLength(1);
    expect(await store.conversations({ ...ALL, site: 'other', limit: 10 })).toHaveLength(1);
  });

  it('survives a reopen of a database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatpulse-store-'));
    try {
      const path = join(dir, 'nested', 'db.sqlite');
      const first = openSqliteStore(path);
      await first.upsert(SITE, [summary({ id: 'kept', revision: 4 })], 1);
      await first.putSite({ key: SITE, name: 'Shop', origins: ['https://shop.example'], enabled: true });
      await first.close();
      const second = openSqliteStore(path);
      expect((await second.conversations({ ...ALL, limit: 10 })).map((s) => [s.id, s.revision])).toEqual([['kept', 4]]);
      expect(await second.getSite(SITE)).toMatchObject({ key: SITE });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('conversations query', () => {
  it('returns the stored summaries newest first, within [from, to), limited, optionally by outcome', async () => {
    const store = openSqliteStore(':memory:');
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
    const store = openSqliteStore(':memory:');
    expect(await store.getSite('x')).toBeNull();
    await store.putSite({ key: 'b', name: 'B', origins: ['https://b.example'], enabled: true });
    await store.putSite({ key: 'a', name: 'A', origins: [], enabled: true });
    await store.putSite({ key: 'b', name: 'B2', origins: ['https://*.b.example', 'http://localhost:*'], enabled: false });
    expect(await store.getSite('b')).toEqual({ key: 'b', name: 'B2', origins: ['https://*.b.example', 'http://localhost:*'], enabled: false });
    expect((await store.listSites()).map((s) => s.key)).toEqual(['a', 'b']);
  });

  it('stores settings', async () => {
    const store = openSqliteStore(':memory:');
    expect(await store.getSetting('admin_token')).toBeNull();
    await store.setSetting('admin_token', 'one');
    await store.setSetting('admin_token', 'two');
    expect(await store.getSetting('admin_token')).toBe('two');
    await expect(store.ping()).resolves.toBeUndefined();
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

describe('metric edge cases', () => {
  it('counts a conversation as ended by its endReason: open ones (endReason null) stay out of the rates', async () => {
    const store = openSqliteStore(':memory:');
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
    const store = openSqliteStore(':memory:');
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
    const store = openSqliteStore(':memory:');
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

  it('returning visitors: two UTC days within 7 days; not the same day twice, not 7 days and more apart', async () => {
    const store = openSqliteStore(':memory:');
    const day0 = Date.parse('2024-05-01T00:00:00Z');
    await store.upsert(
      SITE,
      [
        // same UTC day, 23 h apart → not returning
        at(day0 + 30 * 60_000, { id: 's1', visitor: 'same-day' }),
        at(day0 + 23.5 * HOUR, { id: 's2', visitor: 'same-day' }),
        // 6 d 23 h apart on different days → returning
        at(day0 + HOUR, { id: 'w1', visitor: 'within' }),
        at(day0 + 7 * DAY - 1 * 60_000, { id: 'w2', visitor: 'within' }),
        // 7 d 1 h apart → not returning
        at(day0 + HOUR, { id: 'f1', visitor: 'far' }),
        at(day0 + 7 * DAY + 2 * HOUR, { id: 'f2', visitor: 'far' }),
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
    const store = openSqliteStore(':memory:');
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
    const store = openSqliteStore(':memory:');
    await store.upsert(SITE, [at(T0, { outcome: 'unknown', resolution: null })], 1);
    const m = await store.metrics(ALL);
    expect(m).toMatchObject({ thumbsRatio: null, sentimentShift: null, csat: { score: null, mean: null, responses: 0, responseRate: null }, resolutionRate: 0 });
  });

  it('groups keep their keys, and null release/intent fall into (none)', async () => {
    const store = openSqliteStore(':memory:');
    await store.upsert(SITE, [at(T0, { release: null, intent: null }), at(T0, { release: 'v2', intent: 'refund' }), at(T0, { release: 'v2', intent: 'refund' })], 1);
    expect((await store.groupedMetrics(ALL, 'release')).map((g) => [g.key, g.conversations])).toEqual([['v2', 2], ['(none)', 1]]);
    expect((await store.groupedMetrics(ALL, 'intent')).map((g) => [g.key, g.conversations])).toEqual([['refund', 2], ['(none)', 1]]);
  });
});
