// The real @assistant-ui/react primitives with a local runtime (offline scripted model, streamed),
// built by Vite in globalSetup, and ChatPulse with data-preset="assistant-ui" only; then the same
// app with its own feedback buttons recorded through data-thumbs="host".
import { expect, test, type Page } from '@playwright/test';
import { recordSummaries } from './helpers.ts';
import { expectThumbsOnBotsOnly, helpful, notHelpful, stored } from './preset-helpers.ts';
import { FIXTURES } from './ports.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

const bots = (page: Page) => page.locator('[data-role="assistant"]');
const users = (page: Page) => page.locator('[data-role="user"]');

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

test('assistant-ui: thumbs on every bot message, counts, a handoff, stored by the collector', async ({ page }) => {
  await page.goto(`${FIXTURES}/apps/assistant-ui/index.html`);
  await expect(helpful(bots(page).first())).toBeVisible();
  await send(page, 'Where is my order?');
  await expect(bots(page)).toHaveCount(2);
  await expect(helpful(bots(page).nth(1))).toBeVisible();
  await expect(bots(page).nth(1)).toContainText('Here is the tracking link.');
  await expectThumbsOnBotsOnly(bots(page), users(page), 2);
  await helpful(bots(page).nth(1)).click();
  await send(page, 'Please connect me with a human agent');
  await expect(bots(page).nth(2)).toContainText('support team now.');
  const s = await stored(page, (x) => x.handoff);
  expect(s).toMatchObject({ messages: { user: 2, bot: 2 }, thumbs: { up: 1, down: 0 }, ratings: [{ message: 1, value: 'up' }], handoff: true, outcome: 'escalated' });
});

test('assistant-ui regenerate: the old answer keeps its rating, the new answer is a new message', async ({ page }) => {
  await page.goto(`${FIXTURES}/apps/assistant-ui/index.html`);
  await expect(helpful(bots(page).first())).toBeVisible();
  await send(page, 'How do returns work?');
  await expect(helpful(bots(page).nth(1))).toBeVisible();
  await notHelpful(bots(page).nth(1)).click();
  await page.locator('.regenerate').last().click();
  await expect(bots(page).nth(1)).toContainText('(Take 1)');
  await expect(helpful(bots(page).nth(1))).toBeVisible();
  // The new answer starts unrated.
  await expect(notHelpful(bots(page).nth(1))).toHaveAttribute('aria-pressed', 'false');
  await helpful(bots(page).nth(1)).click();
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  const s = await stored(page, (x) => x.endReason === 'api');
  expect(s).toMatchObject({
    messages: { user: 1, bot: 3 },
    thumbs: { up: 1, down: 1 },
    ratings: [
      { message: 1, value: 'down' },
      { message: 2, value: 'up' },
    ],
  });
});

test('assistant-ui with data-thumbs="host": clicks on its own feedback buttons are the votes, no thumbs added', async ({ page }) => {
  await page.goto(`${FIXTURES}/apps/assistant-ui/host-thumbs.html`);
  await expect(bots(page).first()).toBeVisible();
  await send(page, 'Where is my order?');
  await expect(bots(page).nth(1).locator('.vote-up')).toBeVisible();
  // Votes count from the moment the answer has settled (when ChatPulse's own thumbs would appear).
  await page.waitForFunction(() => {
    const el = document.querySelectorAll('[data-role="assistant"]')[1] as unknown as Record<symbol, { onHostVote?: unknown } | undefined>;
    return typeof el?.[Symbol.for('chatpulse.marks')]?.onHostVote === 'function';
  });
  await bots(page).nth(1).locator('.vote-down').click();
  await bots(page).nth(1).locator('.vote-up').click();
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  const s = await stored(page, (x) => x.endReason === 'api');
  expect(s).toMatchObject({ messages: { user: 1, bot: 2 }, thumbs: { up: 1, down: 0 }, ratings: [{ message: 1, value: 'up' }] });
  await expect(page.locator('[data-chatpulse="thumbs"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __feedback: unknown[] }).__feedback.length)).toBe(2);
});

test('Vercel AI chatbot conventions with data-thumbs="host": its message-upvote / message-downvote buttons by default', async ({ page }) => {
  await page.goto(`${FIXTURES}/presets-vercel-host-thumbs.html`);
  const answers = page.locator('[data-testid="message-assistant"]');
  await expect(answers.first()).toBeVisible();
  await page.evaluate(() => (window as unknown as { ask(t: string): void }).ask('Where is my order?'));
  await expect(answers).toHaveCount(2);
  await page.waitForFunction(() => {
    const el = document.querySelectorAll('[data-testid="message-assistant"]')[1] as unknown as Record<symbol, { onHostVote?: unknown } | undefined>;
    return typeof el?.[Symbol.for('chatpulse.marks')]?.onHostVote === 'function';
  });
  // The host stops the click's propagation; ChatPulse's capturing listener still sees it.
  await answers.nth(1).getByTestId('message-downvote').click();
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  const s = await stored(page, (x) => x.endReason === 'api');
  expect(s).toMatchObject({ messages: { user: 1, bot: 2 }, thumbs: { up: 0, down: 1 }, ratings: [{ message: 1, value: 'down' }] });
  await expect(page.locator('[data-chatpulse="thumbs"]')).toHaveCount(0);
});
