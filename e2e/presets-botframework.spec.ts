// The real Bot Framework Web Chat (botframework-webchat's published bundle) talking to an offline
// scripted bot through a DirectLine-compatible object, and ChatPulse with data-preset only.
import { expect, test, type Page } from '@playwright/test';
import { recordSummaries } from './helpers.ts';
import { expectThumbsOnBotsOnly, helpful, notHelpful, stored } from './preset-helpers.ts';
import { FIXTURES } from './ports.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('.webchat__send-box-text-box__input');
  await box.fill(text);
  await box.press('Enter');
}

test('botframework: thumbs on every bot message, counts, a handoff, stored by the collector', async ({ page }) => {
  await page.goto(`${FIXTURES}/presets-botframework.html`);
  const layouts = page.locator('.webchat__stacked-layout');
  const bots = page.locator('.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__stacked-layout__message-row');
  const users = page.locator('.webchat__stacked-layout--from-user');
  await expect(helpful(bots.first())).toBeVisible();

  await send(page, 'Where is my order?');
  await expect(bots).toHaveCount(2);
  await expect(helpful(bots.nth(1))).toBeVisible();
  await expectThumbsOnBotsOnly(bots, users, 2);
  await expect(layouts).toHaveCount(3);
  await notHelpful(bots.nth(1)).click();

  await send(page, 'I want to talk to a human agent');
  const s = await stored(page, (x) => x.handoff);
  expect(s).toMatchObject({
    messages: { user: 2, bot: 2 },
    thumbs: { up: 0, down: 1 },
    ratings: [{ message: 1, value: 'down' }],
    handoff: true,
    endReason: 'handoff',
    outcome: 'escalated',
  });
});
