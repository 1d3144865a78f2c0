// Alerts on simulated traffic: summaries posted to /v1/collect where release r2 regresses one
// intent ("account") while the others stay healthy must give exactly one alert, naming that intent
// and that release (with example traces of the regressed conversations), posted once to the
// webhook, signed, and not repeated while the condition persists. Both stores.
import { afterEach, expect, test, vi } from 'vitest';
import { createApp } from '../app.ts';
import type { Summary } from '../../shared/summary.ts';
import { ORIGIN, SITE, TOKEN, collect, envelope, summary } from '../test-fixtures.ts';
import { describeStores, openTestStore, type StoreKind } from '../test-stores.ts';
import { evaluateAlerts } from './alerts.ts';
import { createForwarding } from './forwarding.ts';
import { verifySignature } from './signature.ts';
import { startReceiver, type Receiver } from './test-receiver.ts';

const SECRET = 'whsec_alerts_0123456789';
const NOW = Date.parse('2024-06-10T12:00:00.000Z');
const HOUR = 3_600_000;
const INTENTS = ['billing', 'account', 'shipping'] as const;
const PAGES = ['https://shop.example/help', 'https://shop.example/account', 'https://shop.example/orders'];

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

let n = 0;
/** One ended conversation; `good` ones resolve, bad ones end unresolved (thumbs-down) or abandoned. */
function conversation(startedAt: number, intent: string, release: string, good: boolean): Summary {
  n += 1;
  const id = `sim-${n}`;
  const bad = n % 2 === 0 ? 'unresolved' : 'abandoned';
  return summary({
    id,
    intent,
    release,
    page: PAGES[n % PAGES.length]!,
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(startedAt + 5 * 60_000).toISOString(),
    endReason: good ? 'end' : bad === 'abandoned' ? 'exit' : 'end',
    messages: { user: 2, bot: 2 },
    thumbs: { up: good ? 1 : 0, down: good ? 0 : 1 },
    ratings: [{ message: 1, value: good ? 'up' : 'down', traceId: `${id}-t1` }],
    outcome: good ? 'resolved' : bad,
    resolution: good ? 'explicit' : null,
    traceIds: [`${id}-t0`, `${id}-t1`],
  });
}

/** 7 days of r1 baseline (90% resolved everywhere), then 24 h of r2 where "account" resolves 20%. */
function traffic(): Summary[] {
  const out: Summary[] = [];
  for (let day = 1; day <= 7; day++) {
    for (const intent of INTENTS) {
      for (let i = 0; i < 10; i++) out.push(conversation(NOW - 24 * HOUR - day * 24 * HOUR + i * HOUR, intent, 'r1', i !== 0));
    }
  }
  for (const intent of INTENTS) {
    for (let i = 0; i < 30; i++) {
      const good = intent === 'account' ? i % 5 === 0 : i % 10 !== 0;
      out.push(conversation(NOW - 23 * HOUR + i * 40 * 60_000, intent, 'r2', good));
    }
  }
  return out;
}

async function setup(kind: StoreKind) {
  const store = await openTestStore(kind);
  await store.putSite({ key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true });
  const forwarding = createForwarding(store, { baseDelayMs: 20, maxDelayMs: 100 });
  const app = createApp({ store, adminToken: TOKEN, forwarding });
  const r = await startReceiver();
  receivers.push(r);
  const admin = (method: string, path: string, body?: unknown) =>
    Promise.resolve(app.request(path, { method, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }));
  expect((await admin('PUT', `/v1/forwarders/alerts?site=${SITE}`, { kind: 'webhook', events: ['alert'], config: { url: `${r.url}/alerts`, secret: SECRET } })).status).toBe(201);
  expect((await admin('PUT', `/v1/integrations?site=${SITE}`, { traceUrlTemplate: 'https://cloud.langfuse.com/project/P/traces/{traceId}' })).status).toBe(200);
  const all = traffic();
  for (let i = 0; i < all.length; i += 200) expect((await collect(app, envelope(all.slice(i, i + 200)))).status).toBe(202);
  return { store, forwarding, app, r, admin };
}

describeStores('alerts', (kind) => {
  vi.setConfig({ testTimeout: 30_000 });

  test('one release regressing one intent gives exactly one alert, naming the intent and the release, posted once to the webhook', async () => {
    const { store, forwarding, r, admin } = await setup(kind);

    const first = await evaluateAlerts(store, forwarding, SITE, NOW);
    expect(first.opened).toHaveLength(1);
    const alert = first.opened[0]!;
    expect(alert).toMatchObject({ dimension: 'intent', key: 'account', release: 'r2', previousRelease: 'r1', metric: 'resolution' });
    const resolution = alert.metrics.find((m) => m.metric === 'resolution')!;
    expect(resolution.baseline).toBeCloseTo(0.9, 5);
    expect(resolution.current).toBeCloseTo(0.2, 5);
    expect(resolution.currentVolume).toBe(30);
    // The pages the intent is asked on moved with it: folded into this alert, not alerted on their own.
    expect(alert.related.length).toBeGreaterThan(0);
    expect(alert.related.every((g) => g.dimension === 'page')).toBe(true);
    expect(alert.exampleTraceIds.length).toBeGreaterThan(0);
    const stored = (await store.conversations({ site: SITE, from: 0, to: 8.64e15, limit: 10_000 })).filter((s) => s.intent === 'account' && s.release === 'r2' && s.outcome !== 'resolved');
    const regressedTraces = new Set(stored.flatMap((s) => s.traceIds));
    for (const id of alert.exampleTraceIds) expect(regressedTraces.has(id)).toBe(true);
    expect(alert.exampleTraceUrls?.[0]).toBe(`https://cloud.langfuse.com/project/P/traces/${alert.exampleTraceIds[0]}`);

    // While the condition persists: no second alert.
    const again = await evaluateAlerts(store, forwarding, SITE, NOW + 5 * 60_000);
    expect(again.opened).toHaveLength(0);
    expect(again.holding).toEqual(['intent:account']);
    const listed = await (await admin('GET', `/v1/alerts?site=${SITE}&status=open`)).json();
    expect(listed.alerts).toHaveLength(1);
    expect(listed.alerts[0]).toMatchObject({ id: alert.id, key: 'account', release: 'r2', resolvedAt: null });

    // Posted to the webhook once, signed like the forwards.
    for (let i = 0; i < 100 && r.accepted().length < 1; i++) {
      await forwarding.runOnce();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (let i = 0; i < 3; i++) await forwarding.runOnce();
    expect(r.accepted()).toHaveLength(1);
    const hook = r.accepted()[0]!;
    expect(verifySignature(SECRET, hook.body, hook.headers['x-chatpulse-timestamp'] as string, hook.headers['x-chatpulse-signature'] as string)).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({
      type: 'alert',
      site: SITE,
      data: { id: alert.id, dimension: 'intent', key: 'account', metric: 'resolution', release: 'r2', previousRelease: 'r1', exampleTraceIds: alert.exampleTraceIds },
    });
  });

  test('healthy traffic alerts on nothing; too little traffic alerts on nothing', async () => {
    const store = await openTestStore(kind);
    await store.putSite({ key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true });
    const forwarding = createForwarding(store);
    const app = createApp({ store, adminToken: TOKEN, forwarding });
    const healthy: Summary[] = [];
    for (let day = 1; day <= 7; day++) for (let i = 0; i < 10; i++) healthy.push(conversation(NOW - 24 * HOUR - day * 24 * HOUR + i * HOUR, 'billing', 'r1', i !== 0));
    for (let i = 0; i < 30; i++) healthy.push(conversation(NOW - 20 * HOUR + i * 60_000, 'billing', 'r2', i % 10 !== 0));
    // A small intent that fails completely, but with too few conversations to judge.
    for (let i = 0; i < 5; i++) healthy.push(conversation(NOW - 10 * HOUR + i * 60_000, 'refunds', 'r2', false));
    for (let i = 0; i < healthy.length; i += 200) expect((await collect(app, envelope(healthy.slice(i, i + 200)))).status).toBe(202);
    const result = await evaluateAlerts(store, forwarding, SITE, NOW);
    expect(result.opened).toEqual([]);
    expect(await store.integrations.listAlerts(SITE)).toEqual([]);
  });

  test('an alert resolves once its group is measured back within the threshold, ', async () => {
    const { store, forwarding, app } = await setup(kind);
    expect((await evaluateAlerts(store, forwarding, SITE, NOW)).opened).toHaveLength(1);
    // A fixed r3: 40 healthy "account" conversations in the next day.
    const later = NOW + 24 * HOUR;
    const fixed: Summary[] = [];
    for (let i = 0; i < 40; i++) fixed.push(conversation(later - 20 * HOUR + i * 60_000, 'account', 'r3', i % 10 !== 0));
    expect((await collect(app, envelope(fixed))).status).toBe(202);
    const after = await evaluateAlerts(store, forwarding, SITE, later);
    expect(after.resolved).toEqual(['intent:account']);
    expect(after.opened).toEqual([]);
    const all = await store.integrations.listAlerts(SITE);
    expect(all).toHaveLength(1);
    expect(all[0]!.resolvedAt).toBe(new Date(later).toISOString());
  });
});
