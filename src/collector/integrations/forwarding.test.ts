// Forwarders against a local receiver that checks each request against the target's published
// wire format: Langfuse `POST /api/public/scores` (Basic auth, score body), OTLP/HTTP JSON logs
// (`POST /v1/logs`, ExportLogsServiceRequest) and the signed webhook. Delivery survives a receiver
// answering 500, a receiver that is down for a while, and a collector restart; two collectors on
// one database deliver each forward once. Every test runs against both stores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { createApp } from '../app.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import type { CollectorStore } from '../store/types.ts';
import { ORIGIN, SITE, TOKEN, collect, envelope, summary } from '../test-fixtures.ts';
import { PG_URL, describeStores, dropSchema, freshSchemaName, openTestStore, type StoreKind } from '../test-stores.ts';
import { createForwarding, type Forwarding, type ForwardingOptions } from './forwarding.ts';
import { verifySignature } from './signature.ts';
import { startReceiver, type Receiver, type ReceivedRequest } from './test-receiver.ts';

const FAST: ForwardingOptions = { baseDelayMs: 20, maxDelayMs: 150, pollMs: 50, timeoutMs: 2000, leaseMs: 5000 };
const SECRET = 'whsec_test_0123456789abcdef';
const LANGFUSE_AUTH = `Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(answer);
  cleanups.push(() => r.close());
  return r;
}

async function setup(kind: StoreKind, given?: CollectorStore, options: ForwardingOptions = {}) {
  const store = given ?? (await openTestStore(kind));
  await store.putSite({ key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true });
  const forwarding = createForwarding(store, { ...FAST, ...options });
  const app = createApp({ store, adminToken: TOKEN, forwarding });
  return { store, forwarding, app };
}

function send(app: ReturnType<typeof createApp>, method: string, path: string, body?: unknown): Promise<Response> {
  return Promise.resolve(
    app.request(path, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

async function addForwarders(app: ReturnType<typeof createApp>, r: Receiver, kinds: Array<'langfuse' | 'otlp' | 'webhook'> = ['langfuse', 'otlp', 'webhook']): Promise<void> {
  const configs = {
    langfuse: { kind: 'langfuse', config: { baseUrl: `${r.url}/`, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' } },
    otlp: { kind: 'otlp', config: { endpoint: r.url, headers: { 'x-api-key': 'otel-key-1234' } } },
    webhook: { kind: 'webhook', config: { url: `${r.url}/hooks/chatpulse`, secret: SECRET } },
  };
  for (const kind of kinds) expect((await send(app, 'PUT', `/v1/forwarders/${kind}-1?site=${SITE}`, configs[kind])).status).toBe(201);
}

/** Delivery rounds until `done` holds (bounded), then a few more to catch anything delivered twice. */
async function deliverUntil(forwarding: Forwarding | Forwarding[], done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const all = Array.isArray(forwarding) ? forwarding : [forwarding];
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) {
    await Promise.all(all.map((f) => f.runOnce()));
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(done()).toBe(true);
  for (let i = 0; i < 5; i++) {
    await Promise.all(all.map((f) => f.runOnce()));
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** The idempotency key of a received forward, whatever its format. */
function forwardId(r: ReceivedRequest): string {
  const body = JSON.parse(r.body) as Record<string, unknown>;
  if (r.path === '/api/public/scores') return `langfuse:${body.id as string}:${JSON.stringify(body.value)}`;
  if (r.path === '/v1/logs') {
    const record = (body as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ attributes: Array<{ key: string; value: { stringValue?: string } }> }> }> }> }).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    return `otlp:${record.attributes.find((a) => a.key === 'chatpulse.event.id')!.value.stringValue!}`;
  }
  return `webhook:${body.id as string}`;
}

function expectEachOnce(r: Receiver, expected: number): void {
  const ids = r.accepted().map(forwardId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toHaveLength(expected);
}

/** A conversation with two rated answers, a CSAT answer and an outcome: 4 forwards per forwarder. */
function rated(id: string, overrides: Parameters<typeof summary>[0] = {}) {
  return summary({
    id,
    intent: 'billing',
    release: 'v12',
    messages: { user: 2, bot: 3 },
    thumbs: { up: 1, down: 1 },
    ratings: [
      { message: 1, value: 'down', traceId: `${id}-trace-1` },
      { message: 2, value: 'up', traceId: `${id}-trace-2` },
    ],
    csat: { score: 2, comment: 'too slow' },
    csatShown: true,
    outcome: 'unresolved',
    resolution: null,
    traceIds: [`${id}-trace-0`, `${id}-trace-1`, `${id}-trace-2`],
    ...overrides,
  });
}

const LANGFUSE_SCORE_FIELDS = new Set(['id', 'traceId', 'sessionId', 'observationId', 'datasetRunId', 'name', 'environment', 'queueId', 'value', 'comment', 'metadata', 'dataType', 'configId']);

/** The Langfuse public API's score body: POST /api/public/scores, Basic auth with the project keys. */
function checkLangfuse(r: ReceivedRequest): Record<string, unknown> {
  expect(r.method).toBe('POST');
  expect(r.headers.authorization).toBe(LANGFUSE_AUTH);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(r.body) as Record<string, unknown>;
  for (const key of Object.keys(body)) expect(LANGFUSE_SCORE_FIELDS.has(key), `unknown score field ${key}`).toBe(true);
  expect(typeof body.name).toBe('string');
  expect(typeof body.traceId).toBe('string');
  expect(typeof body.id).toBe('string');
  expect(['NUMERIC', 'BOOLEAN', 'CATEGORICAL']).toContain(body.dataType);
  // Numeric and boolean scores take a number (boolean: 0 or 1); categorical ones a string.
  if (body.dataType === 'CATEGORICAL') expect(typeof body.value).toBe('string');
  else expect(typeof body.value).toBe('number');
  if (body.dataType === 'BOOLEAN') expect([0, 1]).toContain(body.value);
  return body;
}

type OtlpValue = { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean };
interface OtlpRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: OtlpValue;
  attributes: Array<{ key: string; value: OtlpValue }>;
  traceId?: string;
  spanId?: string;
}

/** OTLP/HTTP JSON: an ExportLogsServiceRequest; hex ids, 64-bit integers as decimal strings, integer enums. */
function checkOtlp(r: ReceivedRequest): { record: OtlpRecord; attrs: Record<string, OtlpValue> } {
  expect(r.method).toBe('POST');
  expect(r.path).toBe('/v1/logs');
  expect(r.headers['content-type']).toBe('application/json');
  expect(r.headers['x-api-key']).toBe('otel-key-1234');
  const body = JSON.parse(r.body) as { resourceLogs: Array<{ resource: { attributes: Array<{ key: string; value: OtlpValue }> }; scopeLogs: Array<{ scope: { name: string }; logRecords: OtlpRecord[] }> }> };
  expect(Object.keys(body)).toEqual(['resourceLogs']);
  expect(body.resourceLogs).toHaveLength(1);
  const resource = body.resourceLogs[0]!;
  expect(resource.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'chatpulse' } });
  expect(resource.scopeLogs[0]!.scope.name).toBe('chatpulse.collector');
  const record = resource.scopeLogs[0]!.logRecords[0]!;
  expect(record.timeUnixNano).toMatch(/^\d{19}$/);
  expect(record.observedTimeUnixNano).toMatch(/^\d{19}$/);
  expect(Number.isInteger(record.severityNumber)).toBe(true);
  expect(typeof record.body.stringValue).toBe('string');
  if (record.traceId !== undefined) expect(record.traceId).toMatch(/^[0-9a-f]{32}$/);
  if (record.spanId !== undefined) expect(record.spanId).toMatch(/^[0-9a-f]{16}$/);
  for (const a of record.attributes) {
    expect(Object.keys(a.value)).toHaveLength(1);
    if (a.value.intValue !== undefined) expect(a.value.intValue).toMatch(/^-?\d+$/);
  }
  return { record, attrs: Object.fromEntries(record.attributes.map((a) => [a.key, a.value])) };
}

function checkWebhook(r: ReceivedRequest): Record<string, unknown> {
  expect(r.method).toBe('POST');
  expect(r.path).toBe('/hooks/chatpulse');
  const timestamp = r.headers['x-chatpulse-timestamp'] as string;
  const signature = r.headers['x-chatpulse-signature'] as string;
  expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  expect(verifySignature(SECRET, r.body, timestamp, signature)).toBe(true);
  const body = JSON.parse(r.body) as Record<string, unknown>;
  expect(r.headers['x-chatpulse-delivery']).toBe(body.id);
  expect(r.headers['x-chatpulse-event']).toBe(body.type);
  return body;
}

describeStores('forwarders', (kind) => {
  vi.setConfig({ testTimeout: 30_000 });
  test('Langfuse: one score per rating, CSAT and outcome, as the public API documents; re-sent revisions add nothing; a changed vote updates its score', async () => {
    const r = await receiver();
    const { app, forwarding, store } = await setup(kind);
    await addForwarders(app, r, ['langfuse']);
    const s = rated('conv-1');
    expect((await collect(app, envelope([s]))).status).toBe(202);
    await deliverUntil(forwarding, () => r.accepted().length >= 4);
    const scores = r.accepted().map(checkLangfuse);
    expect(r.requests.every((q) => q.path === '/api/public/scores')).toBe(true);
    const byName = (name: string) => scores.filter((b) => b.name === name);
    expect(byName('user-feedback').map((b) => [b.traceId, b.value, b.dataType]).sort()).toEqual([
      ['conv-1-trace-1', 0, 'BOOLEAN'],
      ['conv-1-trace-2', 1, 'BOOLEAN'],
    ]);
    expect(byName('csat')).toEqual([expect.objectContaining({ traceId: 'conv-1-trace-2', value: 2, dataType: 'NUMERIC', comment: 'too slow' })]);
    expect(byName('conversation-outcome')).toEqual([expect.objectContaining({ traceId: 'conv-1-trace-2', value: 'unresolved', dataType: 'CATEGORICAL' })]);
    expect(byName('user-feedback')[0]!.metadata).toMatchObject({ source: 'chatpulse', site: SITE, conversationId: 'conv-1', release: 'v12', intent: 'billing' });

    // The same revision again, and a higher one with nothing new: nothing more to forward.
    await collect(app, envelope([s]));
    await collect(app, envelope([{ ...s, revision: 2 }]));
    // A stale revision with another vote: ignored.
    await collect(app, envelope([{ ...s, revision: 1, ratings: [{ message: 1, value: 'up', traceId: 'conv-1-trace-1' }] }]));
    expect((await store.integrations.outboxRows(SITE)).length).toBe(4);

    // A changed vote: one more forward, to the same score id (Langfuse updates it).
    const changed = { ...s, revision: 3, ratings: [{ message: 1, value: 'up' as const, traceId: 'conv-1-trace-1' }, s.ratings[1]!] };
    await collect(app, envelope([changed]));
    await deliverUntil(forwarding, () => r.accepted().length >= 5);
    const last = checkLangfuse(r.accepted()[4]!);
    expect(last).toMatchObject({ name: 'user-feedback', traceId: 'conv-1-trace-1', value: 1 });
    expect(last.id).toBe(byName('user-feedback').find((b) => b.traceId === 'conv-1-trace-1')!.id);
    expect(r.accepted()).toHaveLength(5);
  });

  test('Langfuse: thumbs as NUMERIC, an environment, and nothing for ratings without a trace id', async () => {
    const r = await receiver();
    const { app, forwarding } = await setup(kind);
    const put = await send(app, 'PUT', `/v1/forwarders/lf?site=${SITE}`, {
      kind: 'langfuse',
      events: ['rating'],
      config: { baseUrl: r.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', thumbsAs: 'NUMERIC', environment: 'production' },
    });
    expect(put.status).toBe(201);
    await collect(app, envelope([rated('conv-2', { ratings: [{ message: 0, value: 'up', traceId: null }, { message: 1, value: 'down', traceId: 'tr-9' }] })]));
    await deliverUntil(forwarding, () => r.accepted().length >= 1);
    expect(r.accepted().map(checkLangfuse)).toEqual([expect.objectContaining({ traceId: 'tr-9', value: 0, dataType: 'NUMERIC', environment: 'production' })]);
  });

  test('OpenTelemetry: OTLP/HTTP JSON log records carrying the trace id and the experience attributes', async () => {
    const r = await receiver();
    const { app, forwarding } = await setup(kind);
    await addForwarders(app, r, ['otlp']);
    const hex = '4bf92f3577b34da6a3ce929d0e0e4736';
    await collect(
      app,
      envelope([
        rated('conv-3', {
          ratings: [
            { message: 0, value: 'down', traceId: hex.toUpperCase() },
            { message: 1, value: 'up', traceId: `00-${hex}-00f067aa0ba902b7-01` },
            { message: 2, value: 'up', traceId: 't-2' },
          ],
          csat: null,
          csatShown: false,
        }),
      ]),
    );
    await deliverUntil(forwarding, () => r.accepted().length >= 4);
    const logs = r.accepted().map(checkOtlp);
    const ratings = logs.filter((l) => l.attrs['chatpulse.event']!.stringValue === 'rating');
    expect(ratings).toHaveLength(3);
    const byMessage = (i: number) => ratings.find((l) => l.attrs['chatpulse.message.index']!.intValue === String(i))!;
    expect(byMessage(0).record).toMatchObject({ traceId: hex, severityNumber: 13, severityText: 'WARN' });
    expect(byMessage(0).record.spanId).toBeUndefined();
    expect(byMessage(1).record).toMatchObject({ traceId: hex, spanId: '00f067aa0ba902b7', severityNumber: 9 });
    // Not an OTLP trace id: the record has none, and the attribute keeps the page's id.
    expect(byMessage(2).record.traceId).toBeUndefined();
    expect(byMessage(2).attrs['chatpulse.trace_id']).toEqual({ stringValue: 't-2' });
    expect(byMessage(0).attrs).toMatchObject({
      'chatpulse.site': { stringValue: SITE },
      'chatpulse.release': { stringValue: 'v12' },
      'chatpulse.intent': { stringValue: 'billing' },
      'chatpulse.outcome': { stringValue: 'unresolved' },
      'chatpulse.rating': { stringValue: 'down' },
      'chatpulse.conversation.id': { stringValue: 'conv-3' },
    });
    const outcome = logs.find((l) => l.attrs['chatpulse.event']!.stringValue === 'outcome')!;
    // The conversation's end, in nanoseconds.
    expect(outcome.record.timeUnixNano).toBe(`${Date.parse('2024-03-10T10:05:00.000Z')}000000`);
  });

  test('webhook: JSON signed with HMAC-SHA256 over timestamp.body; a changed body or an old timestamp fails verification', async () => {
    const r = await receiver();
    const { app, forwarding } = await setup(kind);
    await addForwarders(app, r, ['webhook']);
    expect((await send(app, 'PUT', `/v1/integrations?site=${SITE}`, { traceUrlTemplate: 'https://cloud.langfuse.com/project/P/traces/{traceId}' })).status).toBe(200);
    await collect(app, envelope([rated('conv-4')]));
    await deliverUntil(forwarding, () => r.accepted().length >= 4);
    const bodies = r.accepted().map(checkWebhook);
    const down = bodies.find((b) => b.type === 'rating' && (b.data as { rating: string }).rating === 'down')!;
    expect(down).toMatchObject({
      type: 'rating',
      site: SITE,
      data: { conversationId: 'conv-4', message: 1, rating: 'down', traceId: 'conv-4-trace-1', traceUrl: 'https://cloud.langfuse.com/project/P/traces/conv-4-trace-1', release: 'v12', intent: 'billing' },
    });
    expect(bodies.map((b) => b.type).sort()).toEqual(['csat', 'outcome', 'rating', 'rating']);
    const sample = r.accepted()[0]!;
    const ts = sample.headers['x-chatpulse-timestamp'] as string;
    const sig = sample.headers['x-chatpulse-signature'] as string;
    expect(verifySignature(SECRET, sample.body.replace('"site"', '"sitE"'), ts, sig)).toBe(false);
    expect(verifySignature('another-secret-0123456789', sample.body, ts, sig)).toBe(false);
    expect(verifySignature(SECRET, sample.body, ts, sig, 300, (Number(ts) + 301) * 1000)).toBe(false);
  });

  test('a receiver answering 500 gets every forward again later: each arrives exactly once', async () => {
    // The first 6 requests fail, whatever they are.
    const r = await receiver((_req, n) => (n <= 6 ? 500 : 200));
    const { app, forwarding, store } = await setup(kind);
    await addForwarders(app, r);
    await collect(app, envelope([rated('conv-5'), rated('conv-6')]));
    // 2 conversations × 4 forwards × 3 forwarders.
    await deliverUntil(forwarding, () => r.accepted().length >= 24);
    expectEachOnce(r, 24);
    expect(r.requests.filter((q) => q.status === 500)).toHaveLength(6);
    r.accepted('/api/public/scores').forEach(checkLangfuse);
    r.accepted('/v1/logs').forEach(checkOtlp);
    r.accepted('/hooks/chatpulse').forEach(checkWebhook);
    const rows = await store.integrations.outboxRows(SITE);
    expect(rows.every((row) => row.status === 'delivered')).toBe(true);
    expect(rows.some((row) => row.attempts > 1)).toBe(true);
    // Delivered rows are pruned after a while; the conversations' forward state stays (it is recent).
    expect(await store.integrations.prune(Date.now() + 1, 0)).toBe(24);
    expect(await store.integrations.outboxRows(SITE)).toEqual([]);
    await collect(app, envelope([rated('conv-5')]));
    expect(await store.integrations.outboxRows(SITE)).toEqual([]);
  });

  test('a receiver that is down for a while (closed port) gets every forward once it is back', async () => {
    const r = await receiver();
    const { app, forwarding, store } = await setup(kind);
    await addForwarders(app, r);
    await r.close();
    await collect(app, envelope([rated('conv-7')]));
    for (let i = 0; i < 5; i++) {
      await forwarding.runOnce();
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const waiting = await store.integrations.outboxRows(SITE);
    expect(waiting).toHaveLength(12);
    expect(waiting.every((row) => row.status === 'pending' && row.attempts >= 1 && /network/.test(row.lastError ?? ''))).toBe(true);
    const stats = await (await send(app, 'GET', `/v1/forwarders?site=${SITE}`)).json();
    expect(stats.forwarders.map((f: { outbox: { pending: number } }) => f.outbox.pending)).toEqual([4, 4, 4]);
    expect(r.requests).toHaveLength(0);

    await r.restart();
    await deliverUntil(forwarding, () => r.accepted().length >= 12);
    expectEachOnce(r, 12);
  });

  test('a receiver refusing a forward for good (400) fails it without retrying; retry re-queues it', async () => {
    let refuse = true;
    const r = await receiver(() => (refuse ? 400 : 200));
    const { app, forwarding } = await setup(kind);
    await addForwarders(app, r, ['webhook']);
    await collect(app, envelope([rated('conv-8', { ratings: [], csat: null, csatShown: false })]));
    await deliverUntil(forwarding, () => r.requests.length >= 1);
    expect(r.requests).toHaveLength(1);
    const listed = await (await send(app, 'GET', `/v1/forwarders/webhook-1?site=${SITE}`)).json();
    expect(listed.outbox).toMatchObject({ failed: 1, pending: 0, lastError: 'HTTP 400 (not retried)' });
    refuse = false;
    expect(await (await send(app, 'POST', `/v1/forwarders/webhook-1/retry?site=${SITE}`)).json()).toEqual({ requeued: 1 });
    await deliverUntil(forwarding, () => r.accepted().length >= 1);
    expectEachOnce(r, 1);
  });

  test('pending forwards survive a collector restart, and two collectors on one database deliver each once', async () => {
    const shared = await sharedDatabase(kind);
    const r = await receiver(async () => {
      // Slow answers, so the two collectors' rounds overlap.
      await new Promise((resolve) => setTimeout(resolve, 15));
      return 200;
    });
    const first = await setup(kind, await shared.open());
    await addForwarders(first.app, r);
    const conversations = Array.from({ length: 5 }, (_, i) => rated(`conv-r${i}`));
    expect((await collect(first.app, envelope(conversations))).status).toBe(202);
    // The collector stops before delivering anything.
    await first.forwarding.stop();
    await first.store.close();

    const a = await setup(kind, await shared.open(), { batch: 4 });
    const b = await setup(kind, await shared.open(), { batch: 4 });
    await deliverUntil([a.forwarding, b.forwarding], () => r.accepted().length >= 60);
    expectEachOnce(r, 60);
    expect(r.requests).toHaveLength(60);
    await a.store.close();
    await b.store.close();
  });

  test('admin API: secrets are never returned, input is validated, settings hold the trace link template', async () => {
    const { app } = await setup(kind);
    expect((await app.request(`/v1/forwarders?site=${SITE}`)).status).toBe(401);
    expect((await send(app, 'GET', '/v1/forwarders?site=nope')).status).toBe(404);
    const created = await send(app, 'PUT', `/v1/forwarders/lf?site=${SITE}`, { kind: 'langfuse', config: { baseUrl: 'https://cloud.langfuse.com', publicKey: 'pk-lf-1', secretKey: 'sk-lf-secret-9876' } });
    expect(created.status).toBe(201);
    const text = JSON.stringify(await (await send(app, 'GET', `/v1/integrations?site=${SITE}`)).json());
    expect(text).not.toContain('sk-lf-secret-9876');
    expect(text).toContain('…9876');
    // Updating without the secret keeps it.
    expect((await send(app, 'PUT', `/v1/forwarders/lf?site=${SITE}`, { kind: 'langfuse', enabled: false, config: { baseUrl: 'https://cloud.langfuse.com', publicKey: 'pk-lf-1' } })).status).toBe(200);
    const got = await (await send(app, 'GET', `/v1/forwarders/lf?site=${SITE}`)).json();
    expect(got).toMatchObject({ kind: 'langfuse', enabled: false, config: { secretKey: '…9876' } });
    expect((await send(app, 'PUT', `/v1/forwarders/wh?site=${SITE}`, { kind: 'webhook', config: { url: 'https://example.com/h', secret: 'short' } })).status).toBe(400);
    expect((await send(app, 'PUT', `/v1/forwarders/wh?site=${SITE}`, { kind: 'webhook', config: { url: 'ftp://example.com/h', secret: SECRET } })).status).toBe(400);
    expect((await send(app, 'PUT', `/v1/forwarders/wh?site=${SITE}`, { kind: 'smoke-signals', config: {} })).status).toBe(400);
    expect((await send(app, 'PUT', `/v1/forwarders/bad%20id?site=${SITE}`, { kind: 'webhook', config: { url: 'https://example.com/h', secret: SECRET } })).status).toBe(400);
    expect((await send(app, 'PUT', `/v1/integrations?site=${SITE}`, { traceUrlTemplate: 'https://example.com/traces/' })).status).toBe(400);
    expect((await send(app, 'PUT', `/v1/integrations?site=${SITE}`, { traceUrlTemplate: 'javascript:alert({traceId})' })).status).toBe(400);
    const saved = await send(app, 'PUT', `/v1/integrations?site=${SITE}`, { traceUrlTemplate: 'https://cloud.langfuse.com/project/P/traces/{traceId}', alerts: { minVolume: 50 } });
    expect(await saved.json()).toMatchObject({ traceUrlTemplate: 'https://cloud.langfuse.com/project/P/traces/{traceId}', alerts: { minVolume: 50, windowHours: 24 } });
    expect(await (await send(app, 'GET', `/v1/integrations?site=${SITE}`)).json()).toMatchObject({ traceUrlTemplate: 'https://cloud.langfuse.com/project/P/traces/{traceId}', alerts: { minVolume: 50 } });
    expect((await send(app, 'DELETE', `/v1/forwarders/lf?site=${SITE}`)).status).toBe(204);
    expect((await send(app, 'DELETE', `/v1/forwarders/lf?site=${SITE}`)).status).toBe(404);
  });
});

/** One database two store handles can open: a SQLite file, or a PostgreSQL schema. */
async function sharedDatabase(kind: StoreKind): Promise<{ open(): Promise<CollectorStore> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'chatpulse-forward-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { open: async () => openSqliteStore(join(dir, 'collector.db')) };
  }
  const schema = freshSchemaName();
  const opened: CollectorStore[] = [];
  cleanups.push(async () => {
    for (const s of opened) await s.close().catch(() => {});
    await dropSchema(schema);
  });
  return {
    async open() {
      const store = await openPostgresStore({ url: PG_URL, schema, poolSize: 4 });
      opened.push(store);
      return store;
    },
  };
}
