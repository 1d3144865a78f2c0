// The loop to LLM observability, end to end: bot messages of a chat on another origin carry trace
// ids (`data-trace`, named by data-trace-attribute), the user rates one, and the collector forwards
// that rating — with that trace id — to the site's webhook (signed) and to Langfuse (a score). The
// forwarders are configured through the admin API; a local receiver on 127.0.0.1 stands in for both.
import { expect, test, type Page } from '@playwright/test';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GENERIC_PAGE, converse, csatPrompt, lastSummary, recordSummaries } from './helpers.ts';
import { ADMIN_TOKEN, COLLECTOR } from './ports.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const SECRET = `whsec_${randomBytes(12).toString('hex')}`;
const suffix = randomBytes(4).toString('hex');
const HOOK = `e2e-trace-hook-${suffix}`;
const LANGFUSE = `e2e-trace-langfuse-${suffix}`;
const received: Received[] = [];
let server: Server;
let receiverUrl = '';

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${COLLECTOR}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The receiver side of the README's verification snippet. */
function verified(r: Received): boolean {
  const timestamp = String(r.headers['x-chatpulse-timestamp'] ?? '');
  const signature = String(r.headers['x-chatpulse-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${r.body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  expect((await admin('PUT', `/v1/forwarders/${HOOK}?site=demo`, { kind: 'webhook', events: ['rating'], config: { url: `${receiverUrl}/hook`, secret: SECRET } })).status).toBe(201);
  expect(
    (await admin('PUT', `/v1/forwarders/${LANGFUSE}?site=demo`, { kind: 'langfuse', events: ['rating'], config: { baseUrl: receiverUrl, publicKey: 'pk-lf-e2e', secretKey: 'sk-lf-e2e' } })).status,
  ).toBe(201);
});

test.afterAll(async () => {
  await admin('DELETE', `/v1/forwarders/${HOOK}?site=demo`);
  await admin('DELETE', `/v1/forwarders/${LANGFUSE}?site=demo`);
  await new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
});

const bots = (page: Page) => page.locator('help-desk').locator('article[data-author=assistant]');

test('a rating of a bot message reaches the webhook and Langfuse with that message’s trace id', async ({ page }) => {
  await recordSummaries(page);
  await page.goto(GENERIC_PAGE);
  await expect(bots(page).first().getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await converse(page, 'My discount code does not work', 'Codes cannot be combined with sale items.');
  await expect(bots(page)).toHaveCount(2);
  // The host page marks each answer with its LLM trace id.
  await expect(bots(page).nth(0)).toHaveAttribute('data-trace', 't-1');
  await expect(bots(page).nth(1)).toHaveAttribute('data-trace', 't-2');

  await bots(page).nth(1).getByRole('button', { name: 'Not helpful' }).click();
  await page.locator('help-desk').getByRole('button', { name: 'Done' }).click();
  await expect(csatPrompt(page)).toBeVisible();
  await csatPrompt(page).getByRole('button', { name: 'Close' }).click();
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
  const { id } = await lastSummary(page);

  const hook = () =>
    received.filter((r) => r.path === '/hook').filter((r) => (JSON.parse(r.body) as { data: { conversationId: string } }).data.conversationId === id);
  const scores = () =>
    received
      .filter((r) => r.path === '/api/public/scores')
      .filter((r) => (JSON.parse(r.body) as { metadata: { conversationId: string } }).metadata.conversationId === id);
  await expect.poll(() => hook().length + scores().length, { timeout: 20_000, message: 'the rating was forwarded twice over' }).toBe(2);

  const delivered = hook()[0]!;
  expect(verified(delivered)).toBe(true);
  expect(JSON.parse(delivered.body)).toMatchObject({
    type: 'rating',
    site: 'demo',
    data: { conversationId: id, message: 1, rating: 'down', traceId: 't-2', page: GENERIC_PAGE },
  });
  const score = scores()[0]!;
  expect(score.headers.authorization).toBe(`Basic ${Buffer.from('pk-lf-e2e:sk-lf-e2e').toString('base64')}`);
  expect(JSON.parse(score.body)).toMatchObject({ name: 'user-feedback', traceId: 't-2', value: 0, dataType: 'BOOLEAN', metadata: { conversationId: id, messageIndex: 1 } });

  // Nothing else about this conversation: the greeting was not rated, and each forward came once.
  await page.waitForTimeout(1000);
  expect(hook()).toHaveLength(1);
  expect(scores()).toHaveLength(1);

  // With a trace link template, the dashboard's trace chips open the trace in the observability tool.
  const template = 'https://cloud.langfuse.com/project/e2e/traces/{traceId}';
  expect((await admin('PUT', '/v1/integrations?site=demo', { traceUrlTemplate: template })).status).toBe(200);
  try {
    const dashboard = await page.context().newPage();
    await dashboard.goto(`${COLLECTOR}/#token=${ADMIN_TOKEN}`);
    await dashboard.getByLabel('Outcome').selectOption('unresolved');
    const row = dashboard.locator(`[data-conversation-id="${id}"]`);
    await expect(row).toBeVisible({ timeout: 20_000 });
    await expect(row.locator('a.chip[href="https://cloud.langfuse.com/project/e2e/traces/t-2"]')).toBeVisible();
  } finally {
    await admin('PUT', '/v1/integrations?site=demo', { traceUrlTemplate: null });
  }
});
