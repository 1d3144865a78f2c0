// POST /v1/collect, end to end through hono's in-process request, against each store (in-memory
// SQLite, and a fresh PostgreSQL schema).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES } from './app.ts';
import { ORIGIN, SITE, collect, envelope, makeApp, stored, summary } from './test-fixtures.ts';
import type { CollectorStore } from './store/types.ts';
import { describeStores, openTestStore } from './test-stores.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

async function json(res: Response): Promise<Record<string, any>> {
  return (await res.json()) as Record<string, any>;
}

describeStores('collect', (kind) => {
  describe('POST /v1/collect: accepting summaries', () => {
    it('answers 202 with accepted/written/rejected and stores the summary (text/plain, as sendBeacon sends)', async () => {
      const { app, store } = await makeApp({ kind });
      const s = summary({ id: 'conv-1', csat: { score: 5, comment: 'great' } });
      const res = await collect(app, envelope([s]));
      expect(res.status).toBe(202);
      expect(await json(res)).toEqual({ accepted: 1, written: 1, rejected: [] });
      const rows = await stored(store);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual(s);
    });

    it('accepts application/json bodies too', async () => {
      const { app, store } = await makeApp({ kind });
      const res = await collect(app, envelope([summary(), summary()]), { headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(202);
      expect(await json(res)).toMatchObject({ accepted: 2, written: 2 });
      expect(await stored(store)).toHaveLength(2);
    });

    it('is idempotent: the same id and revision twice is stored once', async () => {
      const { app, store } = await makeApp({ kind });
      const s = summary({ id: 'dup', revision: 3 });
      expect(await json(await collect(app, envelope([s])))).toMatchObject({ accepted: 1, written: 1 });
      const again = await collect(app, envelope([s]));
      expect(again.status).toBe(202);
      expect(await json(again)).toMatchObject({ accepted: 1, written: 0 });
      // and within one batch
      expect(await json(await collect(app, envelope([s, s])))).toMatchObject({ accepted: 2, written: 0 });
      expect(await stored(store)).toHaveLength(1);
    });

    it('never lets a lower revision overwrite a higher one; a higher revision replaces', async () => {
      const { app, store } = await makeApp({ kind });
      await collect(app, envelope([summary({ id: 'r', revision: 2, outcome: 'unknown', resolution: null })]));
      const older = await collect(app, envelope([summary({ id: 'r', revision: 1, outcome: 'escalated', resolution: null, handoff: true })]));
      expect(older.status).toBe(202);
      expect(await json(older)).toMatchObject({ written: 0 });
      let rows = await stored(store);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ revision: 2, outcome: 'unknown', handoff: false });

      const newer = await collect(app, envelope([summary({ id: 'r', revision: 5, outcome: 'resolved', resolution: 'explicit', csat: { score: 5, comment: null } })]));
      expect(await json(newer)).toMatchObject({ written: 1 });
      rows = await stored(store);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ revision: 5, outcome: 'resolved', csat: { score: 5 } });
      // the metrics see the replacement, not both revisions
      const m = await store.metrics({ site: SITE, from: 0, to: 8.64e15 });
      expect(m.conversations).toBe(1);
      expect(m.resolutionRate).toBe(1);
    });

    it('keeps the highest revision when revisions arrive out of order in one batch', async () => {
      const { app, store } = await makeApp({ kind });
      const res = await collect(app, envelope([3, 1, 2].map((revision) => summary({ id: 'o', revision, page: `https://shop.example/${revision}` }))));
      expect(await json(res)).toMatchObject({ accepted: 3, written: 1 });
      expect((await stored(store))[0]).toMatchObject({ revision: 3, page: 'https://shop.example/3' });
    });

    it('fills a missing intent with null', async () => {
      const { app, store } = await makeApp({ kind });
      const s: Record<string, unknown> = { ...summary({ id: 'no-intent' }) };
      delete s.intent;
      expect((await collect(app, envelope([s]))).status).toBe(202);
      expect((await stored(store))[0]?.intent).toBeNull();
    });
  });

  describe('POST /v1/collect: malformed input', () => {
    it('answers 400 invalid_json for a body that is not JSON', async () => {
      const { app } = await makeApp({ kind });
      for (const body of ['{', '', 'undefined', "{'v':1}", '{"v":1,}']) {
        const res = await collect(app, body, { raw: true });
        expect(res.status, body).toBe(400);
        expect(await json(res)).toEqual({ error: 'invalid_json' });
      }
    });

    it('answers 400 with field paths for envelope errors', async () => {
      const { app, store } = await makeApp({ kind });
      const cases: Array<[unknown, string]> = [
        [{ ...envelope([summary()]), v: 2 }, 'v'],
        [{ ...envelope([summary()]), site: '' }, 'site'],
        [{ ...envelope([summary()]), site: 'bad site!' }, 'site'],
        [{ ...envelope([summary()]), sentAt: 'yesterday' }, 'sentAt'],
        [envelope([]), 'summaries'],
        [{ ...envelope([summary()]), summaries: 'nope' }, 'summaries'],
        [envelope(Array.from({ length: 201 }, () => summary())), 'summaries'],
      ];
      for (const [body, path] of cases) {
        const res = await collect(app, body);
        expect(res.status, path).toBe(400);
        const out = await json(res);
        expect(out.error).toBe('invalid_body');
        expect(out.issues.map((i: { path: string }) => i.path)).toContain(path);
      }
      const missing = await json(await collect(app, { v: 1 }));
      expect(missing.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['site', 'sentAt', 'summaries']));
      expect(await stored(store)).toHaveLength(0);
    });

    it('stores the valid summaries of a partially valid batch and reports the invalid ones by index and field path', async () => {
      const { app, store } = await makeApp({ kind });
      const good0 = summary({ id: 'good-0' });
      const badScore = summary({ id: 'bad-1', csat: { score: 9, comment: null } });
      const good2 = summary({ id: 'good-2' });
      const badMany = { ...summary({ id: 'bad-3' }), revision: 0, messages: { user: -1, bot: 1.5 } };
      const res = await collect(app, envelope([good0, badScore, good2, badMany]));
      expect(res.status).toBe(202);
      const out = await json(res);
      expect(out).toMatchObject({ accepted: 2, written: 2 });
      expect(out.rejected).toHaveLength(2);
      expect(out.rejected[0]).toEqual({ index: 1, issues: [{ path: 'summaries.1.csat.score', message: expect.any(String) }] });
      expect(out.rejected[1].index).toBe(3);
      expect(out.rejected[1].issues.map((i: { path: string }) => i.path).sort()).toEqual(
        ['summaries.3.messages.bot', 'summaries.3.messages.user', 'summaries.3.revision'].sort(),
      );
      expect((await stored(store)).map((s) => s.id).sort()).toEqual(['good-0', 'good-2']);
    });

    it('answers 400 no_valid_summaries when every summary is invalid, storing nothing', async () => {
      const { app, store } = await makeApp({ kind });
      const res = await collect(app, envelope([{ id: 'x' }, summary({ endReason: 'bored' as never })]));
      expect(res.status).toBe(400);
      const out = await json(res);
      expect(out.error).toBe('no_valid_summaries');
      expect(out.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1]);
      expect(out.rejected[1].issues).toEqual([{ path: 'summaries.1.endReason', message: expect.any(String) }]);
      expect(await stored(store)).toHaveLength(0);
    });

    it('rejects a summary whose site differs from the envelope site', async () => {
      const { app, store } = await makeApp({
        kind,
        sites: [
          { key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true },
          { key: 'other', name: 'Other', origins: [ORIGIN], enabled: true },
        ],
      });
      const res = await collect(app, envelope([summary({ id: 'mine' }), summary({ id: 'theirs', site: 'other' })]));
      expect(res.status).toBe(202);
      const out = await json(res);
      expect(out).toMatchObject({ accepted: 1, written: 1 });
      expect(out.rejected).toEqual([{ index: 1, issues: [{ path: 'summaries.1.site', message: expect.any(String) }] }]);
      expect((await stored(store)).map((s) => s.id)).toEqual(['mine']);
      expect(await stored(store, 'other')).toHaveLength(0);
    });

    it.each([
      ['startedAt with an hour-only offset (valid ISO, unparsable by Date)', { startedAt: '2024-03-10T10:00:00+05' }, 'startedAt'],
      ['endedAt with an hour-only offset', { endedAt: '2024-03-10T10:00:00-03' }, 'endedAt'],
    ])('rejects %s as a field error, never a 5xx', async (_name, override, path) => {
      const { app, store } = await makeApp({ kind });
      const res = await collect(app, envelope([summary(override as never)]));
      expect(res.status).toBe(400);
      const out = await json(res);
      expect(out.rejected[0].issues.map((i: { path: string }) => i.path)).toContain(`summaries.0.${path}`);
      expect(await stored(store)).toHaveLength(0);
    });
  });

  describe('POST /v1/collect: sites and origins', () => {
    it('answers 401 for an unknown site', async () => {
      const { app, store } = await makeApp({ kind });
      const res = await collect(app, envelope([summary({ site: 'nobody' })], 'nobody'));
      expect(res.status).toBe(401);
      expect(await json(res)).toEqual({ error: 'unknown_site' });
      expect(await stored(store, 'nobody')).toHaveLength(0);
      expect(await stored(store)).toHaveLength(0);
      // nor does a summary naming a real site get in through an unknown envelope key
      expect((await collect(app, envelope([summary()], 'nobody'))).status).toBe(401);
      expect(await stored(store)).toHaveLength(0);
      expect(await store.clientDrops('nobody')).toEqual({});
    });

    it('answers 403 for a disabled site and stores nothing', async () => {
      const { app, store } = await makeApp({ kind, sites: [{ key: SITE, name: 'Shop', origins: [ORIGIN], enabled: false }] });
      const res = await collect(app, envelope([summary()]));
      expect(res.status).toBe(403);
      expect(await json(res)).toEqual({ error: 'site_disabled' });
      expect(await stored(store)).toHaveLength(0);
    });

    it('answers 403 for an Origin the site does not allow and stores nothing', async () => {
      const { app, store } = await makeApp({ kind });
      for (const origin of ['https://evil.example', 'http://shop.example', 'https://shop.example:8443', 'https://shop.example.evil.com']) {
        const res = await collect(app, envelope([summary()]), { headers: { Origin: origin } });
        expect(res.status, origin).toBe(403);
        expect(await json(res)).toEqual({ error: 'origin_not_allowed' });
        // The refusal itself is readable (so the widget pauses instead of retrying blindly); nothing is stored.
        expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin);
      }
      expect(await stored(store)).toHaveLength(0);
    });

    it('accepts a subdomain allowed by a *. pattern', async () => {
      const { app } = await makeApp({ kind });
      const res = await collect(app, envelope([summary()]), { headers: { Origin: 'https://eu.shop.example' } });
      expect(res.status).toBe(202);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://eu.shop.example');
    });

    it('accepts a request with no Origin but an allowed Referer', async () => {
      const { app, store } = await makeApp({ kind });
      const res = await collect(app, envelope([summary()]), { headers: { Origin: '', Referer: 'https://shop.example/help?x=1' } });
      expect(res.status).toBe(202);
      expect(await stored(store)).toHaveLength(1);
    });

    it('answers 403 with no Origin and a Referer from elsewhere, and with neither', async () => {
      const { app, store } = await makeApp({ kind });
      const elsewhere = await collect(app, envelope([summary()]), { headers: { Origin: '', Referer: 'https://evil.example/shop.example' } });
      expect(elsewhere.status).toBe(403);
      const neither = await collect(app, envelope([summary()]), { headers: { Origin: '' } });
      expect(neither.status).toBe(403);
      expect(await json(neither)).toEqual({ error: 'origin_not_allowed' });
      expect(await stored(store)).toHaveLength(0);
    });

    it('reflects an allowed origin in Access-Control-Allow-Origin with Vary: Origin', async () => {
      const { app } = await makeApp({ kind });
      const res = await collect(app, envelope([summary()]));
      expect(res.status).toBe(202);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
      expect(res.headers.get('Vary')).toContain('Origin');
    });

    it('answers an OPTIONS preflight with 204 and the CORS headers', async () => {
      const { app } = await makeApp({ kind });
      const res = await app.request('/v1/collect', {
        method: 'OPTIONS',
        headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
      expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST');
      expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('content-type');
    });
  });

  describe('POST /v1/collect: size, rate and storage limits', () => {
    function oversized(): string {
      // valid JSON, 1 byte over the limit
      const head = JSON.stringify(envelope([summary()])).slice(0, -1) + ',"pad":"';
      return head + 'x'.repeat(MAX_BODY_BYTES - head.length - 1) + '"}';
    }

    it('answers 413 for a body over 1 MiB (with Content-Length)', async () => {
      const { app, store } = await makeApp({ kind });
      const body = oversized();
      expect(body.length).toBe(MAX_BODY_BYTES + 1);
      const res = await collect(app, body, { raw: true });
      expect(res.status).toBe(413);
      expect(await json(res)).toMatchObject({ error: 'too_large' });
      expect(await stored(store)).toHaveLength(0);
    });

    it('answers 413 for a chunked body over 1 MiB without Content-Length', async () => {
      const { app, store } = await makeApp({ kind });
      const bytes = new TextEncoder().encode(oversized());
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
          controller.close();
        },
      });
      const res = await app.request('/v1/collect', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', Origin: ORIGIN },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(await stored(store)).toHaveLength(0);
    });

    it('accepts a chunked body under the limit', async () => {
      const { app, store } = await makeApp({ kind });
      const bytes = new TextEncoder().encode(JSON.stringify(envelope([summary(), summary()])));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, 100));
          controller.enqueue(bytes.slice(100));
          controller.close();
        },
      });
      const res = await app.request('/v1/collect', { method: 'POST', headers: { Origin: ORIGIN }, body: stream, duplex: 'half' } as RequestInit);
      expect(res.status).toBe(202);
      expect(await stored(store)).toHaveLength(2);
    });

    it('answers 429 with Retry-After once the per-IP budget is spent', async () => {
      const { app } = await makeApp({ kind, limits: { perIpPerSecond: 0.5, perIpBurst: 2 } });
      expect((await collect(app, envelope([summary()]))).status).toBe(202);
      expect((await collect(app, envelope([summary()]))).status).toBe(202);
      const res = await collect(app, envelope([summary()]));
      expect(res.status).toBe(429);
      expect(await json(res)).toEqual({ error: 'rate_limited' });
      // one token at 0.5/s takes ~2 s
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get('Retry-After'))).toBeLessThanOrEqual(2);
    });

    it('rate-limits per IP before reading the body (even junk gets 429)', async () => {
      const { app } = await makeApp({ kind, limits: { perIpPerSecond: 0.001, perIpBurst: 1 } });
      expect((await collect(app, 'junk', { raw: true })).status).toBe(400);
      const res = await collect(app, 'junk', { raw: true });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    });

    it('a replayed request (the same bytes again) answers 202 with written: 0 and is stored once', async () => {
      const { app, store } = await makeApp({ kind });
      const body = JSON.stringify(envelope([summary({ id: 'replay-1' }), summary({ id: 'replay-2', revision: 4 })]));
      const first = await collect(app, body, { raw: true });
      expect(first.status).toBe(202);
      expect(await json(first)).toEqual({ accepted: 2, written: 2, rejected: [] });
      for (let i = 0; i < 3; i++) {
        const again = await collect(app, body, { raw: true });
        expect(again.status).toBe(202);
        expect(await json(again)).toEqual({ accepted: 2, written: 0, rejected: [] });
      }
      const rows = await stored(store);
      expect(rows.map((s) => [s.id, s.revision]).sort()).toEqual([
        ['replay-1', 1],
        ['replay-2', 4],
      ]);
    });

    it('a flood from one IP gets 429 with Retry-After, stores only what was accepted, and stops by itself', async () => {
      const { app, store } = await makeApp({ kind, limits: { perIpPerSecond: 2, perIpBurst: 3 } });
      const statuses: number[] = [];
      let retryAfter = 0;
      for (let i = 0; i < 50; i++) {
        const res = await collect(app, envelope([summary({ id: `flood-${i}` })]));
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = Number(res.headers.get('Retry-After'));
          expect(await json(res)).toEqual({ error: 'rate_limited' });
        }
      }
      expect(statuses.slice(0, 3)).toEqual([202, 202, 202]);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(45);
      expect(new Set(statuses)).toEqual(new Set([202, 429]));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(1);
      const accepted = statuses.flatMap((s, i) => (s === 202 ? [`flood-${i}`] : []));
      expect((await stored(store)).map((s) => s.id).sort()).toEqual(accepted.sort());
      // no ban, no manual reset: after Retry-After the client is served again
      await new Promise((r) => setTimeout(r, retryAfter * 1000 + 50));
      expect((await collect(app, envelope([summary({ id: 'after-flood' })]))).status).toBe(202);
      expect((await stored(store)).map((s) => s.id)).toContain('after-flood');
    });

    it('answers 429 with Retry-After once the per-site budget is spent, storing nothing', async () => {
      const { app, store } = await makeApp({ kind, limits: { perSitePerSecond: 0.01, perSiteBurst: 1 } });
      expect((await collect(app, envelope([summary()]))).status).toBe(202);
      const res = await collect(app, envelope([summary({ id: 'late' })]));
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect((await stored(store)).map((s) => s.id)).not.toContain('late');
    });

    it('answers 503 with Retry-After when the store cannot write', async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const real = await openTestStore(kind);
      const failing: CollectorStore = { ...real, upsert: async () => Promise.reject(new Error('disk full')) };
      const { app } = await makeApp({ store: failing });
      const res = await collect(app, envelope([summary()]));
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(await json(res)).toEqual({ error: 'storage_unavailable' });
      expect(errors).toHaveBeenCalled();
      expect(await stored(real)).toHaveLength(0);
    });
  });

  describe('POST /v1/collect: hostile bodies never get a 5xx', () => {
    const deepObject = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const deepArray = '['.repeat(200_000) + ']'.repeat(200_000);
    const nul = summary({ id: 'nul' });
    const hostile: Array<[string, string]> = [
      ['null', 'null'],
      ['array', '[]'],
      ['string', '"x"'],
      ['number', '1'],
      ['true', 'true'],
      ['empty object', '{}'],
      ['deeply nested object', deepObject],
      ['deeply nested array', deepArray],
      ['deeply nested summary field', JSON.stringify(envelope([{ ...summary(), messages: 0 }])).replace('"messages":0', `"messages":${deepArray}`)],
      ['summaries: null', JSON.stringify({ ...envelope([]), summaries: null })],
      ['summaries of nulls', JSON.stringify(envelope([null, 1, 'x', [], {}]))],
      ['huge numbers', JSON.stringify(envelope([summary()])).replace('"revision":1', '"revision":1e400').replace('"user":2', '"user":1e308')],
      ['huge revision', JSON.stringify(envelope([{ ...summary(), revision: 2 ** 60 }]))],
      ['negative zero and fractions', JSON.stringify(envelope([{ ...summary(), revision: -0, thumbs: { up: 0.5, down: -0 } }]))],
      ['__proto__ keys', `{"__proto__":{"polluted":1},"v":1,"site":"${SITE}","sentAt":"2024-03-10T10:06:00Z","summaries":[{"__proto__":{"id":"p"},"constructor":{"prototype":{"polluted":1}}}]}`],
      ['__proto__ inside a valid summary', JSON.stringify(envelope([summary()])).replace('"csat":null', '"csat":{"__proto__":{"score":5,"comment":null}}')],
      ['strings with NUL', JSON.stringify(envelope([{ ...nul, id: 'a\u0000b', page: 'x\u0000y', release: '\u0000' }]))],
      ['site with NUL', JSON.stringify({ ...envelope([summary()]), site: 'shop\u0000' })],
      ['lone surrogates', JSON.stringify(envelope([summary()])).replace('"locale":"en"', '"locale":"\\ud800"')],
      ['wrong types everywhere', JSON.stringify(envelope([Object.fromEntries(Object.keys(summary()).map((k) => [k, { k }]))]))],
      ['very long strings', JSON.stringify(envelope([{ ...summary(), id: 'x'.repeat(500_000) }]))],
      ['very long site', JSON.stringify({ ...envelope([summary()]), site: 'x'.repeat(500_000) })],
      ['invalid dates', JSON.stringify(envelope([{ ...summary(), startedAt: '2024-13-45T99:99:99Z', endedAt: 'NaN' }]))],
      ['out-of-range years', JSON.stringify(envelope([{ ...summary(), startedAt: '9999-12-31T23:59:59.999999999Z' }]))],
      ['binary garbage', '\u0000\u0001\u0002\uFFFD'],
      ['BOM + JSON', '\uFEFF' + JSON.stringify(envelope([summary()]))],
    ];

    it.each(hostile)('%s → 4xx or 202, never 5xx', async (_name, body) => {
      const { app } = await makeApp({ kind });
      const res = await collect(app, body, { raw: true });
      expect(res.status).toBeLessThan(500);
      expect([202, 400, 401, 403, 413]).toContain(res.status);
      // the response is well-formed JSON
      expect(typeof (await res.json())).toBe('object');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a NUL inside an otherwise valid text field is stored and read back intact', async () => {
      const { app, store } = await makeApp({ kind });
      const s = summary({ id: 'nul-ok', release: 'r\u00001', csat: { score: 4, comment: 'a\u0000b' } });
      expect((await collect(app, envelope([s]))).status).toBe(202);
      expect((await stored(store))[0]).toMatchObject({ release: 'r\u00001', csat: { comment: 'a\u0000b' } });
    });
  });

  describe('other routes', () => {
    it('GET /healthz reports the store', async () => {
      const { app } = await makeApp({ kind });
      const res = await app.request('/healthz');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, store: kind });
    });

    it('unknown routes answer a JSON 404', async () => {
      const { app } = await makeApp({ kind });
      const res = await app.request('/v1/nope');
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not_found' });
    });
  });
});
