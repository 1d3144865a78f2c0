// Delivery fault matrix, several tabs: one sender at a time (Web Locks, or the localStorage lease
// where they are missing or broken), takeover when the sending tab closes, nothing lost.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { converse, deviceState, endChat, expectFinalState, faultCollect, openChat, watchDelivery, type DeliveryLog } from './helpers.ts';

let log: DeliveryLog;
test.beforeEach(async ({ context }) => {
  log = await watchDelivery(context);
});

async function tabs(context: BrowserContext, n: number): Promise<Page[]> {
  const pages = await Promise.all(Array.from({ length: n }, () => context.newPage()));
  await Promise.all(pages.map((p) => openChat(p)));
  return pages;
}

async function chatInEveryTab(pages: Page[], rounds = 1): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    await Promise.all(pages.map((p, i) => converse(p, `tab ${i} question ${r}`)));
    await Promise.all(pages.map((p) => endChat(p, log)));
  }
}

for (const n of [2, 3]) {
  test(`${n} tabs at once: every conversation stored once`, async ({ context }) => {
    const pages = await tabs(context, n);
    await chatInEveryTab(pages, 2);
    await expectFinalState(log, { count: n * 2 });
    await expect.poll(() => deviceState(pages[0]!).then((d) => d.outbox)).toBe(0);
  });
}

test('the sending tab closes mid-retry: another tab takes over and delivers both', async ({ context }) => {
  let down = true;
  await faultCollect(context, () => (down ? { status: 500 } : 'pass'));
  const [leader, follower] = await tabs(context, 2);
  await converse(leader!, 'leader question');
  await endChat(leader!, log);
  // The leader now holds the sender lock, waiting out its backoff.
  await expect.poll(() => deviceState(leader!).then((d) => d.outbox)).toBe(1);
  await converse(follower!, 'follower question');
  await endChat(follower!, log);
  await expect.poll(() => deviceState(follower!).then((d) => d.outbox)).toBe(2);
  await leader!.close();
  down = false;
  await expectFinalState(log, { count: 2, device: follower!, atLeast: true });
  await expect.poll(() => deviceState(follower!).then((d) => d.outbox)).toBe(0);
});

const noLocks = () => {
  Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true });
};
const brokenLocks = () => {
  const broken = () => Promise.reject(new DOMException('The request was rejected', 'SecurityError'));
  Object.defineProperty(Navigator.prototype, 'locks', { get: () => ({ request: broken, query: broken }), configurable: true });
};

for (const [name, script] of [
  ['missing', noLocks],
  ['broken (every request rejects)', brokenLocks],
] as const) {
  test(`Web Locks ${name}: the localStorage lease keeps one sender, two tabs delivered`, async ({ context }) => {
    await context.addInitScript(script);
    const pages = await tabs(context, 2);
    await chatInEveryTab(pages, 2);
    await expectFinalState(log, { count: 4 });
    await expect.poll(() => deviceState(pages[0]!).then((d) => d.outbox)).toBe(0);
  });
}
