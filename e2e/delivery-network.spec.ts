// Delivery fault matrix, network side: the collector answers errors, hangs, or cannot be reached.
// Every case asserts the collector's final state (each conversation once, at its last revision)
// and, where something is dropped by design, the drop counters on the device and on the wire.
import { expect, test } from '@playwright/test';
import {
  advanceUntil,
  converse,
  deviceState,
  endChat,
  expectFinalState,
  faultCollect,
  openChat,
  storedConversations,
  watchDelivery,
  type DeliveryLog,
} from './helpers.ts';
import type { Summary } from '../src/shared/summary.ts';
import { FIXTURES } from './ports.ts';

let log: DeliveryLog;
test.beforeEach(async ({ context }) => {
  log = await watchDelivery(context);
});

const outbox = async (page: import('@playwright/test').Page) => (await deviceState(page)).outbox;
const publicFlush = (page: import('@playwright/test').Page) =>
  page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());

test('offline at capture, then online: the online event delivers at once', async ({ page, context }) => {
  await page.clock.install();
  await openChat(page);
  await context.setOffline(true);
  await converse(page);
  await endChat(page, log);
  await expect.poll(() => outbox(page)).toBe(1);
  // A minute offline grows the backoff to ~30-60 s; coming back online must not wait it out.
  for (let i = 0; i < 12; i++) await page.clock.fastForward(5_000);
  await context.setOffline(false);
  await expectFinalState(log, { count: 1, timeout: 10_000 });
  await expect.poll(() => outbox(page)).toBe(0);
});

test('500 three times, then 200: retried with backoff, stored once', async ({ page }) => {
  await page.clock.install();
  const net = await faultCollect(page, (n) => (n <= 3 ? { status: 500 } : 'pass'));
  await openChat(page);
  await converse(page);
  await endChat(page, log);
  await advanceUntil(page, () => net.count >= 4, 1_000);
  await expectFinalState(log, { count: 1 });
  expect(net.count).toBe(4);
});

for (const [status, form] of [
  [503, 'seconds'],
  [503, 'an HTTP date'],
  [429, 'seconds'],
  [429, 'an HTTP date'],
] as const) {
  test(`${status} with Retry-After in ${form}: waits as told, then delivers`, async ({ page }) => {
    await page.clock.install();
    const retryAfter = () => (form === 'seconds' ? '120' : new Date(Date.now() + 120_000).toUTCString());
    const net = await faultCollect(page, (n) => (n <= 2 ? { status, headers: { 'Retry-After': retryAfter() } } : 'pass'));
    await openChat(page);
    await converse(page);
    await endChat(page, log);
    await expect.poll(() => net.count).toBe(2);
    // Well before the 120 s it was told: no request (a default backoff would have retried by now).
    for (let i = 0; i < 10; i++) await page.clock.fastForward(10_000);
    expect(net.count).toBe(2);
    await advanceUntil(page, () => net.count >= 3, 5_000, 10);
    await expectFinalState(log, { count: 1 });
    expect(net.count).toBe(3);
  });
}

test('429 without Retry-After: default backoff, then delivered', async ({ page }) => {
  await page.clock.install();
  const net = await faultCollect(page, (n) => (n <= 3 ? { status: 429 } : 'pass'));
  await openChat(page);
  await converse(page);
  await endChat(page, log);
  await advanceUntil(page, () => net.count >= 4, 1_000);
  await expectFinalState(log, { count: 1 });
  expect(net.count).toBe(4);
});

test('400: not retried, counted as rejected, the count reported with the next summary', async ({ page }) => {
  const net = await faultCollect(page, (n) => (n === 1 ? { status: 400, body: '{"error":"no_valid_summaries"}' } : 'pass'));
  await openChat(page);
  await converse(page);
  const rejected = await endChat(page, log);
  await expect.poll(async () => (await deviceState(page)).drops).toEqual({ rejected: 1 });
  expect(await outbox(page)).toBe(0);
  // The count rides on the next request with a summary, and is settled once that is acknowledged.
  await converse(page, 'One more thing');
  await endChat(page, log);
  await expectFinalState(log, { except: [rejected.id], count: 1 });
  expect(log.bodies.filter((b) => b.dropped?.rejected === 1 && b.summaries.length > 0)).toHaveLength(1);
  await expect.poll(async () => (await deviceState(page)).drops).toEqual({});
  expect((await storedConversations()).some((s) => s.id === rejected.id)).toBe(false);
  expect(log.bodies.filter((b) => b.summaries.some((s) => s.id === rejected.id))).toHaveLength(1);
  expect(net.count).toBe(2);
});

test('413: the batch is split; a single summary still too large is dropped and counted', async ({ page }) => {
  let phase: 'hold' | 'split' = 'hold';
  let tooLarge = '';
  await faultCollect(page, (_n, body) => {
    if (phase === 'hold') return { status: 503, headers: { 'Retry-After': '300' } };
    if (body.summaries.length > 1 || body.summaries[0]?.id === tooLarge) return { status: 413, body: '{"error":"too_large"}' };
    return 'pass';
  });
  await openChat(page);
  for (const text of ['first question', 'second question', 'third question']) {
    await converse(page, text);
    const s = await endChat(page, log);
    if (text.startsWith('second')) tooLarge = s.id;
  }
  await expect.poll(() => outbox(page)).toBe(3);
  phase = 'split';
  await publicFlush(page);
  await expectFinalState(log, { except: [tooLarge], count: 2 });
  expect(log.bodies.some((b) => b.dropped?.['too-large'] === 1)).toBe(true);
  expect((await storedConversations()).some((s) => s.id === tooLarge)).toBe(false);
  expect(await deviceState(page)).toMatchObject({ outbox: 0, drops: {} });
});

test('401: sending pauses and the data is kept (no hot loop), then delivered after the pause', async ({ page }) => {
  await page.clock.install();
  let refuse = true;
  const net = await faultCollect(page, () => (refuse ? { status: 401, body: '{"error":"unknown_site"}' } : 'pass'));
  await openChat(page);
  await converse(page);
  await endChat(page, log);
  await converse(page, 'and another thing');
  await endChat(page, log);
  await expect.poll(() => outbox(page)).toBe(2);
  const refused = net.count;
  expect(refused).toBeLessThanOrEqual(3); // Each conversation's immediate send, and one locked drain.
  for (let i = 0; i < 9; i++) await page.clock.fastForward(60_000);
  expect(net.count).toBe(refused);
  expect(await outbox(page)).toBe(2);
  refuse = false;
  await advanceUntil(page, async () => (await outbox(page)) === 0, 60_000, 5);
  await expectFinalState(log, { count: 2 });
  expect(net.count).toBeLessThanOrEqual(refused + 2);
});

test('a hanging request is aborted after 10 s and retried', async ({ page }) => {
  await page.clock.install();
  const net = await faultCollect(page, (n) => (n === 1 ? 'hang' : 'pass'));
  await openChat(page);
  await converse(page);
  await endChat(page, log);
  await expect.poll(() => net.hung.length).toBe(1);
  await page.clock.fastForward(5_000);
  expect(net.count).toBe(1);
  await advanceUntil(page, () => net.count >= 2, 2_000, 10);
  await expectFinalState(log, { count: 1 });
});

test('strict CSP without the collector in connect-src: data kept, no hot loop, delivered by a page that may connect', async ({ page, context }) => {
  await page.clock.install();
  await page.addInitScript(() => {
    const w = window as unknown as { __blocked: number };
    w.__blocked = 0;
    document.addEventListener('securitypolicyviolation', (e) => {
      if (e.effectiveDirective === 'connect-src') w.__blocked++;
    });
  });
  await openChat(page, `${FIXTURES}/csp.html`);
  await converse(page);
  await endChat(page, log);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __blocked: number }).__blocked)).toBeGreaterThan(0);
  for (let i = 0; i < 20; i++) await page.clock.fastForward(30_000);
  // Ten minutes of backoff capped at 5 min: about ten attempts, not thousands.
  const blocked = await page.evaluate(() => (window as unknown as { __blocked: number }).__blocked);
  expect(blocked).toBeLessThanOrEqual(16);
  expect(await outbox(page)).toBe(1);
  await page.close();
  const next = await context.newPage();
  await openChat(next);
  await expectFinalState(log, { count: 1 });
});

test('a host page that patched fetch, JSON and Array.prototype: ChatPulse still delivers', async ({ page }) => {
  await page.addInitScript(() => {
    // The host's own scripts run in the top page only (Playwright would also run this in frames).
    if (window !== window.top) return;
    const w = window as unknown as { __hostFetchCalls: number };
    w.__hostFetchCalls = 0;
    window.fetch = function () {
      w.__hostFetchCalls++;
      return Promise.reject(new TypeError('the host wrapper is broken'));
    };
    JSON.stringify = function () {
      return '{"hijacked":true}';
    };
    JSON.parse = function () {
      throw new SyntaxError('the host parser is broken');
    };
    (Array.prototype as unknown as { toJSON(): string }).toJSON = function () {
      return 'not an array';
    };
    Object.defineProperty(Array.prototype, 'hostExtra', { value() {}, enumerable: true, writable: true, configurable: true });
  });
  await openChat(page);
  await converse(page);
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  // The test's binding serialises with the page's (broken) JSON, so read the summaries directly.
  await expect.poll(() => page.evaluate(() => (window as unknown as { __summaries: unknown[] }).__summaries.length)).toBeGreaterThan(0);
  log.emitted.push(...(await page.evaluate(() => (window as unknown as { __summaries: Summary[] }).__summaries)));
  await expectFinalState(log, { count: 1 });
  expect(log.bodies.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __hostFetchCalls: number }).__hostFetchCalls)).toBe(0);
});
