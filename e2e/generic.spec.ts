// A chat UI that is not the demo — a custom element with an open shadow root, on another origin
// than the collector — configured with nothing but the generic data-* selectors.
import { expect, test, type Page } from '@playwright/test';
import { csatPrompt, lastSummary, recordSummaries, storedSummary } from './helpers.ts';
import { FIXTURES } from './ports.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

const chat = (page: Page) => page.locator('help-desk');
const bots = (page: Page) => chat(page).locator('article[data-author=assistant]');
const users = (page: Page) => chat(page).locator('article[data-author=customer]');
const say = (page: Page, text: string) => page.evaluate((t) => (window as unknown as { hostChat: { say(t: string): void } }).hostChat.say(t), text);
const reply = (page: Page, text: string) =>
  page.evaluate((t) => (window as unknown as { hostChat: { reply(t: string, o: object): Promise<unknown> } }).hostChat.reply(t, { chunkMs: 80 }).then(() => undefined), text);

test('thumbs beside every bot message only, a streamed answer counted once, stored by the collector', async ({ page }) => {
  await page.goto(`${FIXTURES}/generic.html`);
  // The chat is created after load; ChatPulse finds it and its greeting.
  await expect(bots(page).first().getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();

  await say(page, 'Where is my order 1234?');
  await reply(page, 'Your order shipped yesterday and should arrive on Monday. Here is the tracking link for it.');
  await expect(bots(page)).toHaveCount(2);
  await expect(chat(page).getByRole('button', { name: 'Helpful', exact: true })).toHaveCount(2);
  await expect(chat(page).getByRole('button', { name: 'Not helpful' })).toHaveCount(2);
  await expect(users(page).getByRole('button')).toHaveCount(0);

  await bots(page).nth(1).getByRole('button', { name: 'Helpful', exact: true }).click();
  await chat(page).getByRole('button', { name: 'Done' }).click();
  await expect(csatPrompt(page)).toBeVisible();
  await csatPrompt(page).getByRole('button', { name: 'Close' }).click();
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
  const id = (await lastSummary(page)).id;

  const s = await storedSummary(id, (x) => x.endReason === 'end');
  expect(s).toMatchObject({
    site: 'demo',
    page: `${FIXTURES}/generic.html`,
    messages: { user: 1, bot: 2 },
    thumbs: { up: 1, down: 0 },
    ratings: [{ message: 1, value: 'up', traceId: 't-2' }],
    traceIds: ['t-1', 't-2'],
    endReason: 'end',
    outcome: 'resolved',
    resolution: 'explicit',
    handoff: false,
  });
});

test('a control whose text asks for a person is a handoff', async ({ page }) => {
  await page.goto(`${FIXTURES}/generic.html`);
  await expect(bots(page).first().getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await say(page, 'My parcel arrived damaged');
  await reply(page, 'Sorry to hear that. Could you describe the damage?');
  await chat(page).getByRole('button', { name: 'Speak to an agent' }).click();
  await expect(csatPrompt(page)).toBeVisible();
  const id = (await lastSummary(page)).id;
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
  const s = await storedSummary(id, (x) => x.handoff);
  expect(s).toMatchObject({ handoff: true, endReason: 'handoff', outcome: 'escalated', messages: { user: 1, bot: 2 } });
});

test('the conversation ends after the idle timeout and asks for CSAT', async ({ page }) => {
  await page.goto(`${FIXTURES}/idle.html`);
  await expect(bots(page).first().getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await say(page, 'Do you ship to Norway?');
  await reply(page, 'Yes, we ship to Norway within five working days.');
  await expect(csatPrompt(page)).toBeVisible({ timeout: 10_000 });
  await csatPrompt(page).getByRole('radio', { name: '4', exact: true }).check();
  const id = (await lastSummary(page)).id;
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
  const s = await storedSummary(id, (x) => x.csat !== null);
  expect(s).toMatchObject({ endReason: 'idle', csat: { score: 4 }, outcome: 'resolved', resolution: 'explicit' });
});
