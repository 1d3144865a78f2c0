// The real deep-chat web component (open shadow root, streamed answers) with an offline scripted
// bot, and ChatPulse configured with nothing but data-preset="deep-chat" — then the same page with
// only the generic data-* selectors instead of the preset: a chat UI that is not a preset works
// the same.
import { expect, test } from '@playwright/test';
import { recordSummaries } from './helpers.ts';
import { expectThumbsOnBotsOnly, helpful, stored } from './preset-helpers.ts';
import { FIXTURES } from './ports.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

for (const [how, file] of [
  ['data-preset="deep-chat"', 'presets-deep-chat.html'],
  ['generic data-* selectors only', 'generic-deep-chat.html'],
] as const) {
  test(`deep-chat with ${how}: thumbs on every bot message, counts, a handoff, stored by the collector`, async ({ page }) => {
    await page.goto(`${FIXTURES}/${file}`);
    const bots = page.locator('deep-chat .deep-chat-outer-container-role-ai');
    const users = page.locator('deep-chat .deep-chat-outer-container-role-user');
    await expect(helpful(bots.first())).toBeVisible();

    await page.evaluate(() => (window as unknown as { ask(t: string): void }).ask('Where is my order?'));
    await expect(bots).toHaveCount(2);
    // Thumbs appear only once the streamed answer has settled, and the counted text is the whole answer.
    await expect(helpful(bots.nth(1))).toBeVisible();
    await expect(bots.nth(1)).toContainText('Here is the tracking link.');
    await expectThumbsOnBotsOnly(bots, users, 2);
    await helpful(bots.nth(1)).click();

    await page.evaluate(() => (window as unknown as { ask(t: string): void }).ask('Can I talk to a human agent?'));
    const s = await stored(page, (x) => x.handoff);
    expect(s).toMatchObject({
      messages: { user: 2, bot: 2 },
      thumbs: { up: 1, down: 0 },
      ratings: [{ message: 1, value: 'up' }],
      handoff: true,
      endReason: 'handoff',
      outcome: 'escalated',
    });
  });
}

test('deep-chat with data-preset and data-csat-placement="inline": the CSAT prompt follows the last message inside the chat', async ({ page }) => {
  await page.goto(`${FIXTURES}/presets-deep-chat-inline.html`);
  const bots = page.locator('deep-chat .deep-chat-outer-container-role-ai');
  await expect(helpful(bots.first())).toBeVisible();
  await page.evaluate(() => (window as unknown as { ask(t: string): void }).ask('Where is my order?'));
  await expect(helpful(bots.nth(1))).toBeVisible();
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  const prompt = page.locator('deep-chat [data-chatpulse="csat"][data-placement="inline"]');
  await expect(prompt.getByRole('radio', { name: '5' })).toBeVisible();
  // Right after deep-chat's last message element, inside deep-chat's own shadow root.
  expect(await prompt.evaluate((host) => host.previousElementSibling?.matches('.deep-chat-outer-container-role-ai, .deep-chat-outer-container-role-user') ?? false)).toBe(true);
});
