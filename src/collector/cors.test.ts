// Error answers from /v1/collect are readable by the sending page (CORS), with Retry-After
// exposed, so the widget can tell "slow down", "too large" and "refused" from a network failure.
import { expect, it } from 'vitest';
import { MAX_BODY_BYTES } from './app.ts';
import { ORIGIN, collect, envelope, makeApp, summary } from './test-fixtures.ts';

const readable = (res: Response) => ({ status: res.status, origin: res.headers.get('Access-Control-Allow-Origin'), exposed: res.headers.get('Access-Control-Expose-Headers') });

it('reflects the Origin on every answer and exposes Retry-After', async () => {
  const { app } = await makeApp({ limits: { perIpPerSecond: 1, perIpBurst: 1 } });
  const h = { headers: { Origin: ORIGIN } };
  expect(readable(await collect(app, envelope([summary()]), h))).toEqual({ status: 202, origin: ORIGIN, exposed: 'Retry-After' });
  const limited = await collect(app, envelope([summary()]), h);
  expect(readable(limited)).toEqual({ status: 429, origin: ORIGIN, exposed: 'Retry-After' });
  expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
});

it('a refused origin, a bad body and an oversized body are readable too', async () => {
  const { app } = await makeApp();
  expect(readable(await collect(app, envelope([summary()]), { headers: { Origin: 'https://evil.example' } })).status).toBe(403);
  expect(readable(await collect(app, envelope([summary()]), { headers: { Origin: 'https://evil.example' } })).origin).toBe('https://evil.example');
  expect(readable(await collect(app, '{not json', { raw: true, headers: { Origin: ORIGIN } }))).toMatchObject({ status: 400, origin: ORIGIN });
  const big = 'x'.repeat(MAX_BODY_BYTES + 10);
  expect(readable(await collect(app, big, { raw: true, headers: { Origin: ORIGIN } }))).toMatchObject({ status: 413, origin: ORIGIN });
});
