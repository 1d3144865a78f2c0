// Sentiment through the real widget: scored in a Web Worker (started cross-origin), with a
// main-thread fallback when a CSP forbids workers, feeding inferred outcomes in the collector.
import { expect, test, type Page } from '@playwright/test';
import { askDemo, csatPrompt, lastSummary, openDemo, recordSummaries, storedSummary } from './helpers.ts';
import { FIXTURES } from './ports.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

const say = (page: Page, text: string) => page.evaluate((t) => (window as unknown as { hostChat: { say(t: string): void } }).hostChat.say(t), text);
const flush = (page: Page) => page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
/** Flushes until the latest summary satisfies `read` (sentiment arrives from the worker a moment later). */
const flushedSummary = async <T>(page: Page, read: (s: Awaited<ReturnType<typeof lastSummary>>) => T) => {
  let value: T | undefined;
  await expect
    .poll(async () => {
      await flush(page);
      value = read(await lastSummary(page));
      return value !== null && value !== undefined;
    })
    .toBe(true);
  return value!;
};
const conversationId = async (page: Page, key = 'chatpulse:demo:conversation') => {
  await expect.poll(() => page.evaluate((k) => sessionStorage.getItem(k), key)).not.toBeNull();
  return (await page.evaluate((k) => sessionStorage.getItem(k), key))!;
};

test('scoring runs in a worker started from a widget on another origin', async ({ page }) => {
  await page.goto(`${FIXTURES}/generic.html`);
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  expect(page.workers()).toHaveLength(0);
  await say(page, 'I love how fast this was, thank you!');
  await expect.poll(() => page.workers().length).toBe(1);
  // The worker has no DOM: it is a real worker, not the main thread.
  expect(await page.workers()[0]!.evaluate(() => typeof document)).toBe('undefined');
  expect(await flushedSummary(page, (s) => s.sentiment?.first)).toBeGreaterThan(0.5);
});

test('when a CSP forbids workers, scoring still happens on the main thread', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('[ChatPulse]')) violations.push(m.text());
  });
  await page.goto(`${FIXTURES}/no-workers.html`);
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await say(page, 'This is useless, it still does not work!!!');
  expect(await flushedSummary(page, (s) => s.sentiment?.first)).toBeLessThan(-0.5);
  expect(page.workers()).toHaveLength(0);
  expect(await scorerOnMainThread(page)).toBe(true);
  expect(violations).toEqual([]);
});

/** Whether the page itself (not a worker) loaded the scorer, as the main-thread fallback does. */
const scorerOnMainThread = (page: Page) =>
  page.evaluate(() => performance.getEntriesByType('resource').some((r) => new URL(r.name).pathname.endsWith('/esm/sentiment.js')));

test('scoring 1,000 messages stays off the main thread: every one counted, scored in the worker', async ({ page }) => {
  await page.goto(`${FIXTURES}/generic.html`);
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  // The host adds messages the way a chat does: a few per frame.
  await page.evaluate(async () => {
    const chat = (window as unknown as { hostChat: { say(t: string): void } }).hostChat;
    const lines = ['this is taking forever', 'thanks, that worked!', 'ok', 'why is my invoice wrong??', 'Great support :)'];
    for (let i = 0; i < 1000; i++) {
      chat.say(`${lines[i % lines.length]} #${i}`);
      if (i % 10 === 9) await new Promise((r) => requestAnimationFrame(r));
    }
  });
  // Every message counted once, and the last of them scored.
  const s = await flushedSummary(page, (x) => (x.messages.user === 1000 && x.sentiment?.last !== undefined ? x : null));
  expect(s.messages.user).toBe(1000);
  expect(s.sentiment!.last).toBeGreaterThan(0.3); // 'Great support :)'
  expect(page.workers()).toHaveLength(1);
  expect(await scorerOnMainThread(page)).toBe(false);
});

test('a thankful last message gives an inferred resolution', async ({ page }) => {
  await openDemo(page);
  await askDemo(page, 'How do I reset my password?');
  await askDemo(page, 'great, that fixed it, thanks!');
  const id = await conversationId(page);
  await page.close({ runBeforeUnload: true });
  const s = await storedSummary(id, (x) => x.endReason !== null);
  expect(s).toMatchObject({ endReason: 'exit', outcome: 'resolved', resolution: 'inferred', messages: { user: 2, bot: 3 } });
  expect(s.sentiment!.last).toBeGreaterThanOrEqual(0.3);
});

test('an angry last message, then closing the tab, is abandonment', async ({ page }) => {
  await openDemo(page);
  await askDemo(page, 'I get an SSO error with Okta');
  await askDemo(page, "This is useless, it still doesn't work!!!");
  const id = await conversationId(page);
  await page.close({ runBeforeUnload: true });
  const s = await storedSummary(id, (x) => x.endReason !== null);
  expect(s).toMatchObject({ endReason: 'exit', outcome: 'abandoned', messages: { user: 2, bot: 3 } });
  expect(s.sentiment!.last).toBeLessThanOrEqual(-0.5);
});

test('a neutral "ok" leaves the outcome unknown', async ({ page }) => {
  await openDemo(page);
  await askDemo(page, 'What does the Pro plan cost?');
  await askDemo(page, 'ok');
  await page.getByRole('button', { name: 'End chat' }).click();
  await csatPrompt(page).getByRole('button', { name: 'Close' }).click();
  await flush(page);
  const s = await storedSummary((await lastSummary(page)).id, (x) => x.endReason === 'end');
  expect(s).toMatchObject({ outcome: 'unknown', resolution: null });
  expect(Math.abs(s.sentiment!.last)).toBeLessThan(0.3);
});
