// Shared steps of the preset tests (e2e/presets-*.spec.ts): real chat UI packages on a fixture
// page, ChatPulse configured with only `data-preset`, and the summary read back from the collector.
import { expect, type Locator, type Page } from '@playwright/test';
import type { Summary } from '../src/shared/summary.ts';
import { lastSummary, storedSummary } from './helpers.ts';

export const helpful = (scope: Locator | Page) => scope.getByRole('button', { name: 'Helpful', exact: true });
export const notHelpful = (scope: Locator | Page) => scope.getByRole('button', { name: 'Not helpful', exact: true });

/** Thumbs beside every bot message and none beside user messages (our hosts are inside each message). */
export async function expectThumbsOnBotsOnly(bots: Locator, users: Locator, botCount: number): Promise<void> {
  await expect(bots).toHaveCount(botCount);
  for (let i = 0; i < botCount; i++) {
    await expect(helpful(bots.nth(i))).toHaveCount(1);
    await expect(notHelpful(bots.nth(i))).toHaveCount(1);
  }
  await expect(users.locator('[data-chatpulse="thumbs"]')).toHaveCount(0);
}

/** Flushes, then waits for the page's last conversation to be stored with `ready` holding. */
export async function stored(page: Page, ready: (s: Summary) => boolean): Promise<Summary> {
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
  const id = (await lastSummary(page)).id;
  return storedSummary(id, ready);
}
