// Delivery fault matrix, page lifecycle: tabs closed or reloaded mid-send, pages that die without
// their pagehide handlers, beacons refused or over the 64 KiB keepalive quota.
import { expect, test, type Page } from '@playwright/test';
import { converse, deviceState, endChat, expectFinalState, faultCollect, openChat, storedConversations, storedSummary, watchDelivery, type DeliveryLog } from './helpers.ts';

let log: DeliveryLog;
test.beforeEach(async ({ context }) => {
  log = await watchDelivery(context);
});

const outbox = async (page: Page) => (await deviceState(page)).outbox;

/** Stops our pagehide/visibilitychange listeners from running, as when a tab is killed. */
function silenceLifecycle(names: string[]): void {
  const stop = (e: Event) => e.stopImmediatePropagation();
  for (const name of names) {
    const target = name === 'visibilitychange' ? document : window;
    target.addEventListener(name, stop, true);
    target.addEventListener(name, stop);
  }
}

test('tab closed while a request is in flight: resent on the next load, stored once', async ({ context }) => {
  let hold = true;
  const net = await faultCollect(context, () => (hold ? 'hang' : 'pass'));
  const page = await context.newPage();
  await openChat(page);
  await converse(page);
  const sent = await endChat(page, log);
  await expect.poll(() => net.hung.length).toBeGreaterThan(0);
  await expect.poll(() => outbox(page)).toBe(1);
  await page.close({ runBeforeUnload: true });
  await new Promise((r) => setTimeout(r, 500));
  // The hung requests die with the tab (its pagehide beacon may still get through on its own).
  for (const route of net.hung) await route.abort().catch(() => undefined);
  hold = false;
  const next = await context.newPage();
  await openChat(next);
  await expectFinalState(log, { count: 1 });
  // The next load sent what was still queued, and the collector kept one row.
  await expect.poll(() => outbox(next)).toBe(0);
  expect(log.bodies.filter((b) => b.summaries.some((s) => s.id === sent.id)).length).toBeGreaterThanOrEqual(2);
});

test('reload mid-send: stored once at the last revision', async ({ page }) => {
  const net = await faultCollect(page, (n) => (n === 1 ? 'hang' : 'pass'));
  await openChat(page);
  await converse(page);
  await endChat(page, log);
  await expect.poll(() => net.hung.length).toBe(1);
  await page.reload();
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true }).first()).toBeVisible();
  await net.hung[0]!.abort().catch(() => undefined);
  await expectFinalState(log, { count: 1, device: page, atLeast: true });
  await expect.poll(() => outbox(page)).toBe(0);
});

test('crash-like close (pagehide handlers never run), then revisit: recovered from storage as an exit', async ({ context }) => {
  const page = await context.newPage();
  await page.addInitScript(silenceLifecycle, ['pagehide', 'visibilitychange']);
  await faultCollect(page, () => 'abort');
  await openChat(page);
  await converse(page, 'Where is my order?');
  await converse(page, 'It has not arrived');
  // Greeting, two questions, two answers settled (thumbs shown), and on disk before the tab dies.
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toHaveCount(3);
  await expect.poll(async () => (await deviceState(page)).messages).toEqual({ user: 2, bot: 3 });
  expect(log.emitted).toHaveLength(0);
  await page.close();
  const next = await context.newPage();
  await openChat(next);
  const [stored] = await expectFinalState(log, { count: 1 });
  expect(stored).toMatchObject({ endReason: 'exit', messages: { user: 2, bot: 3 } });
});

test('sendBeacon returns false: the keepalive fetch carries the exit summary', async ({ context }) => {
  const page = await context.newPage();
  await page.addInitScript(() => {
    navigator.sendBeacon = () => false;
  });
  // Only pagehide runs, so the exit summary can only leave through the beacon path.
  await page.addInitScript(silenceLifecycle, ['visibilitychange']);
  await openChat(page);
  await converse(page);
  // The answer is on disk: were the exit summary lost with the tab, the next load rebuilds it from there.
  await expect.poll(async () => (await deviceState(page)).messages).toEqual({ user: 1, bot: 2 });
  const id = await page.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation'));
  await page.close({ runBeforeUnload: true });
  const stored = await storedSummary(id!);
  expect(stored).toMatchObject({ endReason: 'exit', messages: { user: 1, bot: 2 } });
  expect((await storedConversations()).filter((s) => s.id === id)).toHaveLength(1);
});

test('sendBeacon returns false and the fetch fails too: kept, delivered on the next load', async ({ context }) => {
  const page = await context.newPage();
  await page.addInitScript(() => {
    navigator.sendBeacon = () => false;
  });
  await page.addInitScript(silenceLifecycle, ['visibilitychange']);
  let refuse = true;
  await faultCollect(context, () => (refuse ? 'abort' : 'pass'));
  await openChat(page);
  await converse(page);
  // The answer is on disk: were the exit summary lost with the tab, the next load rebuilds it from there.
  await expect.poll(async () => (await deviceState(page)).messages).toEqual({ user: 1, bot: 2 });
  const id = await page.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation'));
  await page.close({ runBeforeUnload: true });
  refuse = false;
  const next = await context.newPage();
  await openChat(next);
  const [stored] = await expectFinalState(log, { count: 1 });
  expect(stored).toMatchObject({ id, endReason: 'exit', messages: { user: 1, bot: 2 } });
});

test('a summary over 64 KiB of multibyte text is never beaconed over the quota: kept and delivered', async ({ context }) => {
  let hold = true;
  const net = await faultCollect(context, () => (hold ? 'hang' : 'pass'));
  const page = await context.newPage();
  await openChat(page);
  await page.evaluate(async () => {
    const chat = (window as unknown as { hostChat: { say(t: string): void; add(a: string, t: string): Element } }).hostChat;
    chat.say('Où est ma commande ? 📦');
    // 110 answers, each with a 200-character trace id in three-byte characters.
    for (let i = 0; i < 110; i++) chat.add('assistant', `Réponse ${i} ✅`).setAttribute('data-trace', `${'日本語'.repeat(65)}${String(i).padStart(5, '0')}`);
  });
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toHaveCount(111);
  await page.evaluate(() => (window as unknown as { ChatPulse: { csat(s: number, c: string): void } }).ChatPulse.csat(5, 'Merci ! 😀'.repeat(200)));
  const summary = await endChat(page, log);
  const bytes = Buffer.byteLength(JSON.stringify(summary));
  expect(bytes).toBeGreaterThan(65_537);
  expect(JSON.stringify(summary).length).toBeLessThan(65_537); // Counting characters would be wrong.
  await expect.poll(() => outbox(page)).toBe(1);
  await page.close({ runBeforeUnload: true });
  await new Promise((r) => setTimeout(r, 300));
  for (const route of net.hung) await route.abort().catch(() => undefined);
  hold = false;
  const next = await context.newPage();
  await openChat(next);
  const [stored] = await expectFinalState(log, { count: 1 });
  expect(stored!.traceIds).toHaveLength(111); // The greeting's and the 110 answers'.
  expect(stored!.csat?.comment).toBe('Merci ! 😀'.repeat(200));
  expect(log.bodies.some((b) => b.bytes > 65_537 && b.summaries.some((s) => s.id === summary.id))).toBe(true);
});
