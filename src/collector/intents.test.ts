// Intents: saved by the site owner (admin API or a config file), served to the site's own pages.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importIntentFile } from './intents.ts';
import { ORIGIN, SITE, TOKEN, admin, makeApp } from './test-fixtures.ts';
import { describeStores, openTestStore } from './test-stores.ts';

const BILLING = { name: 'billing', patterns: ['invoice', 'Rechnung', '/\\bVAT\\b/i'] };

function put(app: Awaited<ReturnType<typeof makeApp>>['app'], body: unknown, token = TOKEN): Promise<Response> {
  return Promise.resolve(
    app.request(`/v1/sites/${SITE}/intents`, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  );
}

const fromPage = (app: Awaited<ReturnType<typeof makeApp>>['app'], origin: string, site = SITE) =>
  Promise.resolve(app.request(`/v1/intents?site=${site}`, { headers: { Origin: origin } }));

describeStores('intents', (kind) => {
  it('the site owner saves intents; the site’s pages read them, other origins do not', async () => {
    const { app } = await makeApp({ kind });
    expect(await (await admin(app, `/v1/sites/${SITE}/intents`)).json()).toEqual({ intents: [] });
    const saved = await put(app, { intents: [BILLING] });
    expect(saved.status).toBe(200);
    expect(await (await admin(app, `/v1/sites/${SITE}/intents`)).json()).toEqual({ intents: [BILLING] });

    const page = await fromPage(app, ORIGIN);
    expect(page.status).toBe(200);
    expect(page.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(await page.json()).toEqual({ intents: [BILLING] });
    const other = await fromPage(app, 'https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect((await fromPage(app, ORIGIN, 'nope')).status).toBe(401);
  });

  it('refuses invalid lists with field errors, and needs the admin token', async () => {
    const { app } = await makeApp({ kind });
    for (const body of [{ intents: [{ name: 'x', patterns: ['/(/'] }] }, { intents: 'billing' }, {}, { intents: [BILLING, BILLING] }]) {
      const res = await put(app, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    }
    expect((await put(app, { intents: [BILLING] }, 'wrong')).status).toBe(401);
    expect((await admin(app, '/v1/sites/missing/intents')).status).toBe(404);
    expect(await (await admin(app, `/v1/sites/${SITE}/intents`)).json()).toEqual({ intents: [] });
  });
});

describe('CHATPULSE_INTENTS file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatpulse-intents-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the listed sites’ intents; an invalid file says where', async () => {
    const store = await openTestStore('sqlite');
    const file = join(dir, 'intents.json');
    writeFileSync(file, JSON.stringify({ shop: [BILLING], other: [] }));
    expect(await importIntentFile(store, file)).toEqual(['shop', 'other']);
    expect(JSON.parse((await store.getSetting('intents:shop'))!)).toEqual([BILLING]);
    writeFileSync(file, JSON.stringify({ shop: [{ name: 'x', patterns: [] }] }));
    await expect(importIntentFile(store, file)).rejects.toThrow(/shop\.0\.patterns/);
  });
});
