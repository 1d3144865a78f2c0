// A conversation across a reload in the same tab, calls made before the script loads, and flush().
import { expect, test } from '@playwright/test';
import { askDemo, csatPrompt, lastSummary, openDemo, recordSummaries, storedSummary } from './helpers.ts';
import { FIXTURES } from './ports.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

test('a reload in the same tab continues the conversation, votes included', async ({ page }) => {
  await openDemo(page);
  await askDemo(page, 'How do I create an API key?');
  const answer = page.locator('#support-chat .msg--bot').nth(1);
  await answer.getByRole('button', { name: 'Helpful', exact: true }).click();
  const id = await page.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation'));
  expect(id).toBeTruthy();

  await page.reload();
  // The demo restores its transcript; ChatPulse recognises the messages and the vote.
  await expect(page.locator('#support-chat .msg--bot').nth(1).getByRole('button', { name: 'Helpful', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await askDemo(page, 'And how do I rotate it?');
  await page.getByRole('button', { name: 'End chat' }).click();
  await csatPrompt(page).getByRole('button', { name: 'Close' }).click();
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());

  expect(await page.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation'))).toBe(id);
  const s = await storedSummary(id!, (x) => x.endReason === 'end');
  expect(s).toMatchObject({ messages: { user: 2, bot: 3 }, thumbs: { up: 1, down: 0 }, ratings: [{ message: 1, value: 'up' }], endReason: 'end' });
});

test('calls queued before the script loads are replayed, and flush() resolves once stored', async ({ page }) => {
  await page.addInitScript(() => {
    // A site's own code, running before chatpulse.js: it uses the documented stub.
    const cp = (window as unknown as { ChatPulse: { resolve(): Promise<void>; on(e: string, l: (d: unknown) => void): void } }).ChatPulse;
    (window as unknown as { earlyFeedback: unknown[] }).earlyFeedback = [];
    cp.on('feedback', (d) => (window as unknown as { earlyFeedback: unknown[] }).earlyFeedback.push(d));
  });
  await openDemo(page);
  await askDemo(page, 'Where can I download my invoice?');
  await page.locator('#support-chat .msg--bot').nth(1).getByRole('button', { name: 'Not helpful' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { earlyFeedback: unknown[] }).earlyFeedback.length)).toBe(1);

  await page.evaluate(() => (window as unknown as { ChatPulse: { resolve(): void; endConversation(): void } }).ChatPulse.resolve());
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  await expect(csatPrompt(page)).toBeVisible();
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
  const id = (await lastSummary(page)).id;
  // flush() resolved, so the collector already has the final state: no polling needed.
  const s = await storedSummary(id);
  expect(s).toMatchObject({ endReason: 'api', outcome: 'resolved', resolution: 'explicit', thumbs: { up: 0, down: 1 } });
});

test('ChatPulse.trace(element, id) gives a bot message its trace id, before or after it is counted', async ({ page }) => {
  await page.goto(`${FIXTURES}/generic.html`);
  const chat = page.locator('help-desk');
  await expect(chat.getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await page.evaluate(() => (window as unknown as { hostChat: { say(t: string): void } }).hostChat.say('What is my balance?'));
  await page.evaluate(async () => {
    const host = (window as unknown as { hostChat: { reply(t: string, o: object): Promise<Element> } }).hostChat;
    const answer = await host.reply('Your balance is 12 EUR.', { chunkMs: 0 });
    // The chat's own code knows the trace id of this answer and says so.
    (window as unknown as { ChatPulse: { trace(el: Element, id: string): void } }).ChatPulse.trace(answer, 'lf-trace-42');
  });
  await chat.locator('article[data-author=assistant]').nth(1).getByRole('button', { name: 'Not helpful' }).click();
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
  const s = await storedSummary((await lastSummary(page)).id, (x) => x.ratings.length === 1);
  expect(s.ratings).toEqual([{ message: 1, value: 'down', traceId: 'lf-trace-42' }]);
  expect(s.traceIds).toContain('lf-trace-42');
});
