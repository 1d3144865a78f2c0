// GET /v1/metrics over a hand-computed fixture, against each store. Every expected value below is worked out by hand
// from the table in `conversations` (not by re-running the SQL), with the arithmetic in comments.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { Summary } from '../shared/summary.ts';
import { SITE, admin, collect, envelope, makeApp, summary } from './test-fixtures.ts';
import { describeStores } from './test-stores.ts';

const FROM = '2024-03-04T00:00:00.000Z';
const TO = '2024-03-11T00:00:00.000Z'; // 7 days; the previous period is [2024-02-26, 2024-03-04)
const HELP = 'https://shop.example/help';
const PRICING = 'https://shop.example/pricing';

type Row = [
  id: string,
  visitor: string,
  start: string, // 2024-MM-DDTHH:MM (UTC)
  endReason: Summary['endReason'],
  user: number,
  outcome: Summary['outcome'],
  resolution: Summary['resolution'],
  csat: number | null,
  csatShown: boolean,
  up: number,
  down: number,
  sentiment: [first: number, last: number] | null,
  page: string,
  release: string | null,
  intent: string | null,
];

// prettier-ignore
const conversations: Row[] = [
  //  id     vis  start              endReason  user outcome       resolution  csat shown  up dn  sentiment     page     release intent
  ['C1',  'A', '2024-03-04T09:00', 'end',     3, 'resolved',   'explicit', 5,    true,  1, 0, [-0.2, 0.6], HELP,    'r1', 'billing'],
  ['C2',  'A', '2024-03-05T12:00', 'idle',    2, 'abandoned',  null,       null, false, 0, 1, [0.1, -0.6], HELP,    'r1', 'billing'],
  ['C3',  'B', '2024-03-04T10:00', 'handoff', 4, 'escalated',  null,       2,    true,  0, 2, [-0.1, -0.5], PRICING, 'r2', 'billing'],
  ['C4',  'B', '2024-03-04T20:00', 'end',     1, 'resolved',   'inferred', null, true,  0, 0, [0.0, 0.5],  PRICING, 'r2', null],
  ['C5',  'B', '2024-03-05T08:00', 'exit',    2, 'abandoned',  null,       null, false, 0, 0, null,        HELP,    'r2', 'shipping'],
  ['C6',  'C', '2024-03-06T14:00', 'end',     2, 'resolved',   'explicit', 4,    true,  2, 0, [0.2, 0.9],  HELP,    'r1', 'shipping'],
  ['C7',  'C', '2024-03-07T13:00', 'api',     1, 'unresolved', null,       1,    true,  0, 1, [-0.3, -0.7], HELP,    'r1', 'shipping'],
  ['C8',  'D', '2024-03-08T09:00', 'end',     2, 'unknown',    null,       3,    true,  1, 1, null,        PRICING, 'r2', null],
  ['C9',  'E', '2024-03-08T10:00', null,      3, null,         null,       null, false, 1, 0, [0.0, 0.4],  HELP,    'r1', 'billing'], // open
  ['C10', 'F', '2024-03-09T11:00', 'end',     0, 'escalated',  null,       null, false, 0, 0, null,        PRICING, null, null],       // no user message
  ['C11', 'G', '2024-03-09T15:00', 'end',     2, 'resolved',   'explicit', 5,    true,  1, 0, [0.3, 0.8],  HELP,    'r2', 'billing'],
  ['C12', 'H', '2024-03-10T08:00', 'idle',    1, 'resolved',   'inferred', null, true,  0, 0, [0.0, 0.7],  HELP,    'r1', 'shipping'],
  ['C13', 'I', '2024-03-10T20:00', 'end',     2, 'resolved',   'explicit', null, false, 1, 0, [0.5, 0.5],  PRICING, 'r1', 'billing'],
  ['C14', 'J', '2024-03-10T22:00', 'end',     1, 'resolved',   'explicit', 4,    true,  0, 0, null,        HELP,    'r1', 'billing'],
  ['C15', 'K', '2024-03-06T23:30', 'end',     2, 'resolved',   'explicit', 5,    true,  0, 0, null,        HELP,    'r1', null],
  ['C16', 'K', '2024-03-07T00:30', 'end',     1, 'unknown',    null,       null, false, 0, 0, null,        PRICING, 'r2', null],
  ['C17', 'L', '2024-03-08T01:00', 'end',     1, 'resolved',   'explicit', 4,    true,  0, 0, null,        HELP,    'r1', 'shipping'],
  ['C18', 'L', '2024-03-08T23:00', 'end',     1, 'unknown',    null,       null, false, 0, 0, null,        HELP,    'r1', 'shipping'],
  // previous period [02-26, 03-04)
  ['P1',  'G', '2024-03-03T18:00', 'end',     1, 'resolved',   'explicit', 5,    true,  0, 0, null,        HELP,    'r1', 'billing'],
  ['P2',  'I', '2024-03-03T21:00', 'end',     2, 'unresolved', null,       2,    true,  0, 1, null,        PRICING, 'r1', 'billing'],
  ['P3',  'J', '2024-03-02T21:00', 'end',     1, 'unknown',    null,       null, false, 0, 0, null,        HELP,    'r1', 'billing'],
  // after the period
  ['X1',  'H', '2024-03-11T07:00', 'end',     1, 'unknown',    null,       null, false, 0, 0, null,        HELP,    'r1', null],
];

function toSummary([id, visitor, start, endReason, user, outcome, resolution, csat, csatShown, up, down, sentiment, page, release, intent]: Row): Summary {
  const startedAt = new Date(`${start}:00.000Z`);
  return summary({
    id,
    visitor,
    startedAt: startedAt.toISOString(),
    endedAt: endReason === null ? null : new Date(startedAt.getTime() + 5 * 60_000).toISOString(),
    endReason,
    handoff: outcome === 'escalated',
    messages: { user, bot: Math.max(1, user) },
    outcome,
    resolution,
    csat: csat === null ? null : { score: csat, comment: null },
    csatShown,
    thumbs: { up, down },
    sentiment: sentiment === null ? null : { first: sentiment[0], last: sentiment[1], min: Math.min(...sentiment), mean: (sentiment[0] + sentiment[1]) / 2 },
    page,
    release,
    intent,
  });
}

/** Numbers compared to 9 decimals (SQL float sums), everything else exactly. */
function approx(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : expect.closeTo(value, 9);
  if (Array.isArray(value)) return value.map(approx);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, approx(v)]));
  return value;
}

describeStores('metrics', (kind) => {
  let app: Hono;

  beforeAll(async () => {
    ({ app } = await makeApp({ kind }));
    // delivered in two batches, in shuffled order; order must not matter
    const all = conversations.map(toSummary);
    for (const batch of [all.filter((_, i) => i % 2 === 1), all.filter((_, i) => i % 2 === 0)]) {
      const res = await collect(app, envelope(batch));
      expect(res.status).toBe(202);
    }
  });

  async function metrics(query: string): Promise<Record<string, any>> {
    const res = await admin(app, `/v1/metrics?site=${SITE}&from=${FROM}&to=${TO}${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, any>;
  }

  // Current period: C1..C18 (18 conversations).
  // Rated (ended, ≥1 user message): all but C9 (open) and C10 (0 user messages) → 16.
  // Outcomes among the 16: resolved C1 C4 C6 C11 C12 C13 C14 C15 C17 = 9 (explicit C1 C6 C11 C13 C14 C15 C17 = 7,
  //   inferred C4 C12 = 2); escalated C3 = 1 (C10 excluded); abandoned C2 C5 = 2; unresolved C7 = 1;
  //   unknown C8 C16 C18 = 3. 9+1+2+1+3 = 16.
  // CSAT answers: C1 5, C3 2, C6 4, C7 1, C8 3, C11 5, C14 4, C15 5, C17 4 → 9 responses; ≥4: C1 C6 C11 C14 C15 C17 = 6
  //   → score 6/9; mean (5+2+4+1+3+5+4+5+4)/9 = 33/9; shown: C1 C3 C4 C6 C7 C8 C11 C12 C14 C15 C17 = 11, all 9
  //   answers were shown → responseRate 9/11.
  // Thumbs: up 1(C1)+2(C6)+1(C8)+1(C9)+1(C11)+1(C13) = 7; down 1(C2)+2(C3)+1(C7)+1(C8) = 5 → 7/12.
  // Sentiment shift (mean of last−first where known): C1 0.8, C2 −0.7, C3 −0.4, C4 0.5, C6 0.7, C7 −0.4, C9 0.4,
  //   C11 0.5, C12 0.7, C13 0.0 → sum 2.1 over 10 → 0.21.
  // First-contact resolution: resolved conversations with no new conversation by the visitor within 24 h:
  //   C1 ✓ (A's next is C2, 27 h later), C4 ✗ (C5 12 h later), C6 ✗ (C7 23 h later), C11 ✓ (none), C12 ✗ (X1 23 h
  //   later, even though X1 is after the period), C13 ✓, C14 ✓, C15 ✗ (C16 1 h later), C17 ✗ (C18 22 h later)
  //   → 4 / 16 rated = 0.25.
  // Returning visitors: the period's visitors A B C D E F G H I J K L = 12; conversations on ≥2 UTC days within 7 days:
  //   A (03-04, 03-05) ✓, B (03-04, 03-05) ✓, C (03-06, 03-07) ✓, D ✗, E ✗, F ✗, G (P1 03-03 18:00 → C11 03-09 15:00,
  //   5 d 21 h) ✓, H (C12 03-10 → X1 03-11) ✓, I (P2 03-03 21:00 → C13 03-10 20:00, 6 d 23 h) ✓, J (P3 03-02 21:00 →
  //   C14 03-10 22:00, 8 d 1 h) ✗, K (03-06 23:30 → 03-07 00:30, one hour but two UTC days) ✓, L (both on 03-08) ✗
  //   → 7/12.
  const CURRENT = {
    conversations: 18,
    ended: 16,
    resolutionRate: 9 / 16,
    explicitResolutionRate: 7 / 16,
    inferredResolutionRate: 2 / 16,
    escalationRate: 1 / 16,
    abandonmentRate: 2 / 16,
    unresolvedRate: 1 / 16,
    csat: { score: 6 / 9, mean: 33 / 9, responses: 9, responseRate: 9 / 11 },
    thumbsRatio: 7 / 12,
    thumbs: { up: 7, down: 5 },
    sentimentShift: 0.21,
    firstContactResolution: 4 / 16,
    returningVisitors: 7 / 12,
    visitors: 12,
    simulated: 0,
  };

  // Previous period [02-26, 03-04): P1 P2 P3, all rated.
  // resolved P1 (explicit) 1/3; unresolved P2 1/3; unknown P3. CSAT: P1 5, P2 2 → score 1/2, mean 3.5, both shown → 2/2.
  // Thumbs: 0 up, 1 down → 0. No sentiment → null. FCR: P1 (G's next is C11 six days later) ✓ → 1/3.
  // Returning: G ✓ (C11 within 7 d), I ✓ (C13 6 d 23 h later), J ✗ (C14 8 d 1 h later) → 2/3.
  const PREVIOUS = {
    conversations: 3,
    ended: 3,
    resolutionRate: 1 / 3,
    explicitResolutionRate: 1 / 3,
    inferredResolutionRate: 0,
    escalationRate: 0,
    abandonmentRate: 0,
    unresolvedRate: 1 / 3,
    csat: { score: 1 / 2, mean: 3.5, responses: 2, responseRate: 1 },
    thumbsRatio: 0,
    thumbs: { up: 0, down: 1 },
    sentimentShift: null,
    firstContactResolution: 1 / 3,
    returningVisitors: 2 / 3,
    visitors: 3,
    simulated: 0,
  };

  describe('GET /v1/metrics: hand-computed values', () => {
    it('answers every field of the period', async () => {
      const m = await metrics('');
      expect(m).toMatchObject({ site: SITE, from: FROM, to: TO });
      const { site: _s, from: _f, to: _t, previous: _p, groups, ...values } = m;
      expect(values).toEqual(approx(CURRENT));
      expect(groups).toEqual([]);
    });

    it('answers the previous period of the same length immediately before from', async () => {
      const m = await metrics('');
      expect(m.previous).toEqual(approx(PREVIOUS));
    });

    it('groupBy=release: each group has its own values, largest group first', async () => {
      const m = await metrics('&groupBy=release');
      expect(m.groupBy).toBe('release');
      expect(m.groups.map((g: { key: string }) => g.key)).toEqual(['r1', 'r2', '(none)']);
      const [r1, r2, none] = m.groups;
      // r1: C1 C2 C6 C7 C9 C12 C13 C14 C15 C17 C18 = 11; rated: all but C9 (open) = 10.
      // resolved C1 C6 C12 C13 C14 C15 C17 = 7 (explicit 6, inferred C12); abandoned C2; unresolved C7; escalated 0.
      // CSAT: C1 5, C6 4, C7 1, C14 4, C15 5, C17 4 → 6 answers, 5 good, mean 23/6; shown C1 C6 C7 C12 C14 C15 C17 = 7.
      // Thumbs: up C1 1 + C6 2 + C9 1 + C13 1 = 5, down C2 1 + C7 1 = 2 → 5/7.
      // Sentiment: 0.8 − 0.7 + 0.7 − 0.4 + 0.4 + 0.7 + 0.0 = 1.5 over 7.
      // FCR: C1 ✓ C6 ✗ C12 ✗ C13 ✓ C14 ✓ C15 ✗ C17 ✗ → 3/10.
      // Visitors A C E H I J K L = 8; returning (other conversations count whatever their release): A C H I K → 5/8.
      expect(r1).toEqual(
        approx({
          key: 'r1',
          firstSeen: '2024-03-04T09:00:00.000Z',
          conversations: 11,
          ended: 10,
          resolutionRate: 0.7,
          explicitResolutionRate: 0.6,
          inferredResolutionRate: 0.1,
          escalationRate: 0,
          abandonmentRate: 0.1,
          unresolvedRate: 0.1,
          csat: { score: 5 / 6, mean: 23 / 6, responses: 6, responseRate: 6 / 7 },
          thumbsRatio: 5 / 7,
          thumbs: { up: 5, down: 2 },
          sentimentShift: 1.5 / 7,
          firstContactResolution: 0.3,
          returningVisitors: 5 / 8,
          visitors: 8,
          simulated: 0,
        }),
      );
      // r2: C3 C4 C5 C8 C11 C16 = 6, all rated. resolved C4 (inferred) C11 (explicit) = 2; escalated C3; abandoned C5;
      // unknown C8 C16. CSAT C3 2, C8 3, C11 5 → 1 good of 3, mean 10/3; shown C3 C4 C8 C11 = 4 → 3/4.
      // Thumbs up C8 1 + C11 1 = 2, down C3 2 + C8 1 = 3 → 2/5. Sentiment C3 −0.4, C4 0.5, C11 0.5 → 0.6/3 = 0.2.
      // FCR: C4 ✗ C11 ✓ → 1/6. Visitors B D G K → returning B G K = 3/4.
      expect(r2).toEqual(
        approx({
          key: 'r2',
          firstSeen: '2024-03-04T10:00:00.000Z',
          conversations: 6,
          ended: 6,
          resolutionRate: 2 / 6,
          explicitResolutionRate: 1 / 6,
          inferredResolutionRate: 1 / 6,
          escalationRate: 1 / 6,
          abandonmentRate: 1 / 6,
          unresolvedRate: 0,
          csat: { score: 1 / 3, mean: 10 / 3, responses: 3, responseRate: 3 / 4 },
          thumbsRatio: 2 / 5,
          thumbs: { up: 2, down: 3 },
          sentimentShift: 0.2,
          firstContactResolution: 1 / 6,
          returningVisitors: 3 / 4,
          visitors: 4,
          simulated: 0,
        }),
      );
      // (none): only C10, which has no user message: no rate is defined.
      expect(none).toEqual({
        key: '(none)',
        firstSeen: '2024-03-09T11:00:00.000Z',
        conversations: 1,
        ended: 0,
        resolutionRate: null,
        explicitResolutionRate: null,
        inferredResolutionRate: null,
        escalationRate: null,
        abandonmentRate: null,
        unresolvedRate: null,
        csat: { score: null, mean: null, responses: 0, responseRate: null },
        thumbsRatio: null,
        thumbs: { up: 0, down: 0 },
        sentimentShift: null,
        firstContactResolution: null,
        returningVisitors: 0,
        visitors: 1,
        simulated: 0,
      });
    });

    it('several groupings in one request answer what each answers alone', async () => {
      const both = await metrics('&groupBy=intent,day,release');
      const [intent, day, release] = await Promise.all([metrics('&groupBy=intent'), metrics('&groupBy=day'), metrics('&groupBy=release')]);
      expect(both.groupBy).toBe('intent');
      expect(both.groups).toEqual(intent.groups);
      expect(both.groupings).toEqual({ intent: intent.groups, day: day.groups, release: release.groups });
      expect((await admin(app, `/v1/metrics?site=${SITE}&groupBy=day,week`)).status).toBe(400);
    });

    it('groupBy=page: the escalation without a user message (C10) stays out of the page rates', async () => {
      const m = await metrics('&groupBy=page');
      expect(m.groups.map((g: { key: string; conversations: number }) => [g.key, g.conversations])).toEqual([
        // help: C1 C2 C5 C6 C7 C9 C11 C12 C14 C15 C17 C18; pricing: C3 C4 C8 C10 C13 C16
        [HELP, 12],
        [PRICING, 6],
      ]);
      const pricing = m.groups[1];
      // pricing rated: C3 C4 C8 C13 C16 = 5 (C10 has no user message). resolved C4 C13 = 2/5, escalated C3 only = 1/5,
      // explicit C13 1/5, inferred C4 1/5.
      expect(pricing).toMatchObject(
        approx({ ended: 5, resolutionRate: 2 / 5, escalationRate: 1 / 5, explicitResolutionRate: 1 / 5, inferredResolutionRate: 1 / 5, abandonmentRate: 0 }) as object,
      );
      // help rated: 12 − C9 (open) = 11. resolved C1 C6 C11 C12 C14 C15 C17 = 7; abandoned C2 C5 = 2; escalated 0.
      expect(m.groups[0]).toMatchObject(approx({ ended: 11, resolutionRate: 7 / 11, abandonmentRate: 2 / 11, escalationRate: 0 }) as object);
    });

    it('groupBy=intent: intents with (none) for missing ones', async () => {
      const m = await metrics('&groupBy=intent');
      // billing: C1 C2 C3 C9 C11 C13 C14 = 7; shipping: C5 C6 C7 C12 C17 C18 = 6; (none): C4 C8 C10 C15 C16 = 5
      expect(m.groups.map((g: { key: string; conversations: number }) => [g.key, g.conversations])).toEqual([
        ['billing', 7],
        ['shipping', 6],
        ['(none)', 5],
      ]);
      // billing rated: all but C9 = 6; resolved C1 C11 C13 C14 = 4/6; escalated C3 1/6; abandoned C2 1/6.
      // CSAT: C1 5, C3 2, C11 5, C14 4 → 3/4 good.
      expect(m.groups[0]).toMatchObject(
        approx({ ended: 6, resolutionRate: 4 / 6, escalationRate: 1 / 6, abandonmentRate: 1 / 6, csat: { score: 3 / 4, responses: 4 } }) as object,
      );
      // (none) rated: C4 C8 C15 C16 = 4 (C10 has no user message); resolved C4 (inferred) C15 (explicit) = 2/4.
      expect(m.groups[2]).toMatchObject(approx({ ended: 4, resolutionRate: 0.5, inferredResolutionRate: 0.25, escalationRate: 0 }) as object);
    });

    it('groupBy=day: one group per UTC day, in date order', async () => {
      const m = await metrics('&groupBy=day');
      expect(m.groups.map((g: { key: string; conversations: number }) => [g.key, g.conversations])).toEqual([
        ['2024-03-04', 3], // C1 C3 C4
        ['2024-03-05', 2], // C2 C5
        ['2024-03-06', 2], // C6 C15
        ['2024-03-07', 2], // C7 C16
        ['2024-03-08', 4], // C8 C9 C17 C18
        ['2024-03-09', 2], // C10 C11
        ['2024-03-10', 3], // C12 C13 C14
      ]);
      // 03-04: C1 resolved (explicit), C3 escalated, C4 resolved (inferred) → 2/3, 1/3, 1/3, 1/3.
      // FCR: C1 ✓, C4 ✗ (C5 12 h later) → 1/3. Visitors A B, both returning → 1.
      expect(m.groups[0]).toMatchObject(
        approx({
          ended: 3,
          resolutionRate: 2 / 3,
          explicitResolutionRate: 1 / 3,
          inferredResolutionRate: 1 / 3,
          escalationRate: 1 / 3,
          firstContactResolution: 1 / 3,
          returningVisitors: 1,
        }) as object,
      );
      // 03-09: C10 (no user message, excluded), C11 resolved → 1/1; the escalation does not count.
      expect(m.groups[5]).toMatchObject({ conversations: 2, ended: 1, resolutionRate: 1, escalationRate: 0 });
    });

    it('a shorter period: [03-10, 03-11) with its previous day [03-09, 03-10)', async () => {
      const res = await admin(app, `/v1/metrics?site=${SITE}&from=2024-03-10T00:00:00Z&to=2024-03-11T00:00:00Z`);
      const m = (await res.json()) as Record<string, any>;
      // C12 (inferred) C13 C14 (explicit): 3 rated, all resolved. FCR: C12 ✗ (X1), C13 ✓, C14 ✓ → 2/3.
      // Visitors H I J: H ✓ (X1 next day), I ✓ (P2), J ✗ → 2/3.
      expect(m).toMatchObject(
        approx({ conversations: 3, ended: 3, resolutionRate: 1, inferredResolutionRate: 1 / 3, firstContactResolution: 2 / 3, returningVisitors: 2 / 3 }) as object,
      );
      // previous = 03-09: C10 and C11 → ended 1 (C11), resolved 1.
      expect(m.previous).toMatchObject({ conversations: 2, ended: 1, resolutionRate: 1, escalationRate: 0 });
    });

    it('epoch-millisecond from/to give the same answer as ISO dates', async () => {
      const iso = await metrics('');
      const res = await admin(app, `/v1/metrics?site=${SITE}&from=${Date.parse(FROM)}&to=${Date.parse(TO)}`);
      expect(await res.json()).toEqual(iso);
    });

    it('a period with no data answers zeros and nulls', async () => {
      const res = await admin(app, `/v1/metrics?site=${SITE}&from=2020-01-01T00:00:00Z&to=2020-01-08T00:00:00Z&groupBy=day`);
      const m = (await res.json()) as Record<string, any>;
      const empty = {
        conversations: 0,
        ended: 0,
        resolutionRate: null,
        explicitResolutionRate: null,
        inferredResolutionRate: null,
        escalationRate: null,
        abandonmentRate: null,
        unresolvedRate: null,
        csat: { score: null, mean: null, responses: 0, responseRate: null },
        thumbsRatio: null,
        thumbs: { up: 0, down: 0 },
        sentimentShift: null,
        firstContactResolution: null,
        returningVisitors: null,
        visitors: 0,
        simulated: 0,
      };
      expect(m).toMatchObject(empty);
      expect(m.previous).toEqual(empty);
      expect(m.groups).toEqual([]);
    });

    it('another site sees none of this data', async () => {
      const res = await admin(app, `/v1/metrics?site=elsewhere&from=${FROM}&to=${TO}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ site: 'elsewhere', conversations: 0, resolutionRate: null });
    });
  });
});

describeStores('visitor flags kept on write', (kind) => {
  const at = (iso: string) => new Date(iso).toISOString();
  const conv = (id: string, visitor: string, start: string) =>
    summary({ id, visitor, startedAt: at(start), endedAt: at(start), endReason: 'end', outcome: 'resolved', resolution: 'explicit', messages: { user: 1, bot: 1 } });
  const read = async (app: Hono, from: string, to: string) =>
    (await (await admin(app, `/v1/metrics?site=${SITE}&from=${from}&to=${to}`)).json()) as { firstContactResolution: number | null; returningVisitors: number | null };

  it('a later conversation of the same visitor changes an earlier one’s first-contact resolution and returning flag, in any arrival order', async () => {
    const { app } = await makeApp({ kind });
    const window = ['2024-05-01T00:00:00Z', '2024-05-02T00:00:00Z'] as const;
    expect((await collect(app, envelope([conv('a', 'v-1', '2024-05-01T10:00:00Z')]))).status).toBe(202);
    expect(await read(app, ...window)).toMatchObject({ firstContactResolution: 1, returningVisitors: 0 });
    // Back 3 hours later the next day (UTC): not a first-contact resolution any more, and a returning visitor.
    expect((await collect(app, envelope([conv('b', 'v-1', '2024-05-02T01:00:00Z')]))).status).toBe(202);
    expect(await read(app, ...window)).toMatchObject({ firstContactResolution: 0, returningVisitors: 1 });
    // The same, arriving the other way round, and a newer revision of the earlier one changes nothing.
    expect((await collect(app, envelope([conv('d', 'v-2', '2024-05-11T01:00:00Z')]))).status).toBe(202);
    expect((await collect(app, envelope([conv('c', 'v-2', '2024-05-10T10:00:00Z')]))).status).toBe(202);
    expect((await collect(app, envelope([{ ...conv('c', 'v-2', '2024-05-10T10:00:00Z'), revision: 2 }]))).status).toBe(202);
    expect(await read(app, '2024-05-10T00:00:00Z', '2024-05-11T00:00:00Z')).toMatchObject({ firstContactResolution: 0, returningVisitors: 1 });
    // Eight days apart is neither.
    expect((await collect(app, envelope([conv('e', 'v-3', '2024-06-01T10:00:00Z'), conv('f', 'v-3', '2024-06-09T10:00:00Z')]))).status).toBe(202);
    expect(await read(app, '2024-06-01T00:00:00Z', '2024-06-02T00:00:00Z')).toMatchObject({ firstContactResolution: 1, returningVisitors: 0 });
  });
});
