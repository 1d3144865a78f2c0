// Operations endpoints and logs, in process: liveness, readiness (503 while draining), the
// Prometheus endpoint (admin token, counters by reason, latency histogram), one JSON log line per request.
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { batchedLines, createJsonLogger, createOps, type Ops } from './ops.ts';
import { ORIGIN, SITE, TOKEN, admin, collect, envelope, summary } from './test-fixtures.ts';
import { describeStores, openTestStore, type StoreKind } from './test-stores.ts';

async function opsApp(kind: StoreKind): Promise<{ app: ReturnType<typeof createApp>; ops: Ops; lines: Array<Record<string, unknown>> }> {
  const store = await openTestStore(kind);
  await store.putSite({ key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true });
  const lines: Array<Record<string, unknown>> = [];
  const ops = createOps(createJsonLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>)));
  return { app: createApp({ store, adminToken: TOKEN, ops }), ops, lines };
}

describeStores('operations', (kind) => {
  it('GET /healthz is liveness; GET /readyz answers 200 until draining, then 503 and Connection: close', async () => {
    const { app, ops } = await opsApp(kind);
    expect(await (await app.request('/healthz')).json()).toEqual({ ok: true, store: kind });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, store: kind });
    ops.draining = true;
    const draining = await app.request('/readyz');
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ ok: false, reason: 'shutting_down' });
    expect(draining.headers.get('Connection')).toBe('close');
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('GET /readyz answers 503 when the store does not answer', async () => {
    const store = await openTestStore(kind);
    const app = createApp({ store: { ...store, ping: async () => Promise.reject(new Error('down')) }, adminToken: TOKEN });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, reason: 'store_unavailable' });
  });

  it('GET /metrics needs the admin token and counts accepted summaries, rejections by reason, and latency', async () => {
    const { app } = await opsApp(kind);
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);

    expect((await collect(app, envelope([summary(), summary(), { bad: true }]))).status).toBe(202);
    expect((await collect(app, 'junk', { raw: true })).status).toBe(400);
    expect((await collect(app, envelope([summary()]), { headers: { Origin: 'https://evil.example' } })).status).toBe(403);
    expect((await collect(app, envelope([summary({ site: 'nobody' })], 'nobody'))).status).toBe(401);

    const res = await admin(app, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('chatpulse_summaries_accepted_total 2\n');
    expect(text).toContain('chatpulse_summaries_rejected_total 1\n');
    expect(text).toContain('chatpulse_collect_requests_total{status="202"} 1\n');
    expect(text).toContain('chatpulse_collect_rejected_total{status="400",reason="invalid_json"} 1\n');
    expect(text).toContain('chatpulse_collect_rejected_total{status="403",reason="origin_not_allowed"} 1\n');
    expect(text).toContain('chatpulse_collect_rejected_total{status="401",reason="unknown_site"} 1\n');
    expect(text).toContain('chatpulse_collect_duration_seconds_count 4\n');
    expect(text).toContain('chatpulse_collect_duration_seconds_bucket{le="+Inf"} 4\n');
    // every sample line is `name{labels} number`
    for (const line of text.trim().split('\n').filter((l) => !l.startsWith('#'))) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/);
  });

  it('logs one JSON line per request with method, path (no query), status and ms', async () => {
    const { app, lines } = await opsApp(kind);
    await collect(app, envelope([summary()]));
    await app.request(`/v1/conversations?site=${SITE}`);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ level: 'info', method: 'POST', path: '/v1/collect', status: 202 });
    expect(requests[1]).toMatchObject({ method: 'GET', path: '/v1/conversations', status: 401 });
    for (const line of requests) {
      expect(typeof line.ms).toBe('number');
      expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
    }
  });
});

describe('batchedLines', () => {
  it('writes the lines of one turn in one chunk, in order, and the next turn in the next', async () => {
    const chunks: string[] = [];
    const lines = batchedLines((chunk) => chunks.push(chunk));
    const logger = createJsonLogger(lines.write);
    logger.info('a');
    logger.warn('b', { n: 1 });
    expect(chunks).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.trimEnd().split('\n').map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg)).toEqual(['a', 'b']);
    lines.write('c\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toEqual([chunks[0], 'c\n']);
  });

  it('writes at once when the buffer is large, flush() writes the rest, and a failing write never throws', () => {
    const chunks: string[] = [];
    const lines = batchedLines((chunk) => chunks.push(chunk));
    const big = `${'x'.repeat(40_000)}\n`;
    lines.write(big);
    lines.write(big);
    expect(chunks).toEqual([big + big]);
    lines.write('tail\n');
    lines.flush();
    expect(chunks).toEqual([big + big, 'tail\n']);
    const broken = batchedLines(() => {
      throw new Error('EPIPE');
    });
    broken.write('lost\n');
    expect(() => broken.flush()).not.toThrow();
  });
});
