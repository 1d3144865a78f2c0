// The site owner's view: a conversation that just ended shows up in the dashboard within seconds,
// and the headline tiles say what /v1/metrics says.
import { expect, test } from '@playwright/test';
import { formatCount, formatPercent } from '../src/dashboard/format.ts';
import { adminGet, askDemo, openDemo, recordSummaries } from './helpers.ts';
import { ADMIN_TOKEN, COLLECTOR } from './ports.ts';

interface Metrics {
  conversations: number;
  resolutionRate: number | null;
  escalationRate: number | null;
}

test('a closed conversation appears with its outcome, and the tiles match the API', async ({ browser }) => {
  const chat = await browser.newPage();
  await recordSummaries(chat);
  await openDemo(chat);
  await askDemo(chat, 'How do I reset my password?');
  await chat.locator('#support-chat .msg--bot').last().getByRole('button', { name: 'Helpful', exact: true }).click();
  await expect.poll(() => chat.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation'))).not.toBeNull();
  const id = (await chat.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation')))!;
  await chat.close({ runBeforeUnload: true });

  const dashboard = await browser.newPage();
  await dashboard.goto(`${COLLECTOR}/#token=${ADMIN_TOKEN}`);
  // The token moves from the address bar to storage.
  await expect(dashboard).toHaveURL(`${COLLECTOR}/`);
  const row = dashboard.locator(`[data-conversation-id="${id}"]`);
  await expect(row).toBeVisible({ timeout: 20_000 });
  await expect(row).toContainText('Resolved');

  const tile = (name: string) => dashboard.locator(`[data-metric="${name}"] .tile__value`);
  await expect
    .poll(async () => {
      const m = await adminGet<Metrics>('/v1/metrics?site=demo');
      const shown = [await tile('conversations').innerText(), await tile('resolutionRate').innerText(), await tile('escalationRate').innerText()];
      return JSON.stringify(shown) === JSON.stringify([formatCount(m.conversations), formatPercent(m.resolutionRate), formatPercent(m.escalationRate)]);
    }, { timeout: 20_000 })
    .toBe(true);
});

test('a wrong token gets the sign-in form, not data', async ({ page }) => {
  await page.goto(`${COLLECTOR}/#token=not-the-token`);
  await expect(page.getByLabel('Admin token')).toBeVisible();
  await expect(page.locator('[data-metric]')).toHaveCount(0);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('[data-metric="conversations"] .tile__value')).toBeVisible();
});
