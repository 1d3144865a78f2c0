// A page with no chat, broken configuration, or a collector that is down: the user sees no error,
// the console gets at most one prefixed warning, and the host page keeps working.
import { expect, test, type Page } from '@playwright/test';
import { csatPrompt } from './helpers.ts';
import { FIXTURES } from './ports.ts';

function watchConsole(page: Page): { warnings: string[]; pageErrors: string[] } {
  const seen = { warnings: [] as string[], pageErrors: [] as string[] };
  page.on('console', (m) => {
    if (m.text().includes('[ChatPulse]')) seen.warnings.push(m.text());
  });
  page.on('pageerror', (e) => seen.pageErrors.push(e.message));
  return seen;
}

async function hostStillWorks(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Host button' }).click();
  await expect(page.locator('#host-output')).toHaveText('clicked 1');
}

async function widgetSettled(page: Page): Promise<void> {
  // The engine has loaded (the queue stub was replaced by the real API) and had time to look.
  await expect.poll(() => page.evaluate(() => 'q' in ((window as unknown as { ChatPulse?: object }).ChatPulse ?? { q: 1 }))).toBe(false);
  await page.waitForTimeout(800);
}

test('a page without a chat: nothing shown, nothing logged', async ({ page }) => {
  const seen = watchConsole(page);
  await page.goto(`${FIXTURES}/no-chat.html`);
  await widgetSettled(page);
  await hostStillWorks(page);
  expect(seen.pageErrors).toEqual([]);
  expect(seen.warnings).toEqual([]);
  await expect(page.locator('[data-chatpulse]')).toHaveCount(0);
});

test('a broken selector: one warning, nothing else', async ({ page }) => {
  const seen = watchConsole(page);
  await page.goto(`${FIXTURES}/bad-selector.html`);
  await widgetSettled(page);
  await page.evaluate(() => (window as unknown as { hostChat: { say(t: string): void } }).hostChat.say('hello'));
  await hostStillWorks(page);
  expect(seen.pageErrors).toEqual([]);
  expect(seen.warnings).toHaveLength(1);
  expect(seen.warnings[0]).toContain('not a valid CSS selector');
});

test('a missing data-site: one warning, nothing else', async ({ page }) => {
  const seen = watchConsole(page);
  await page.goto(`${FIXTURES}/no-site.html`);
  await expect.poll(() => seen.warnings.length).toBe(1);
  await hostStillWorks(page);
  expect(seen.pageErrors).toEqual([]);
  expect(seen.warnings[0]).toContain('data-site');
});

test('a collector that is down: the chat works, feedback is kept on the device, no error shown', async ({ page }) => {
  const seen = watchConsole(page);
  await page.goto(`${FIXTURES}/collector-down.html`);
  const chat = page.locator('help-desk');
  await expect(chat.getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await page.evaluate(() => (window as unknown as { hostChat: { say(t: string): void } }).hostChat.say('Is my order late?'));
  await page.evaluate(() => (window as unknown as { hostChat: { reply(t: string): Promise<unknown> } }).hostChat.reply('It is on time.').then(() => undefined));
  await expect(chat.getByRole('button', { name: 'Not helpful' })).toHaveCount(2);
  await chat.getByRole('button', { name: 'Not helpful' }).last().click();
  await chat.getByRole('button', { name: 'Done' }).click();
  await csatPrompt(page).getByRole('radio', { name: '2', exact: true }).check();
  await hostStillWorks(page);

  // Everything waits in the IndexedDB outbox for the collector to come back.
  const pending = async () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('chatpulse:demo');
          open.onsuccess = () => {
            const count = open.result.transaction('outbox').objectStore('outbox').count();
            count.onsuccess = () => resolve(count.result);
          };
        }),
    );
  await expect.poll(pending).toBe(1);
  expect(seen.pageErrors).toEqual([]);
  expect(seen.warnings.length).toBeLessThanOrEqual(1);
});
