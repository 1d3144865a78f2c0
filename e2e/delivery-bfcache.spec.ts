// Delivery fault matrix, back/forward cache: the page stays eligible while a delivery is pending,
// and after it is restored, timers and sending resume. Playwright turns the cache off by default,
// so this file launches Chromium with it on (a separate worker).
import { existsSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { Summary } from '../src/shared/summary.ts';
import { converse, deviceState, expectFinalState, faultCollect, openChat, recordSummaries, type DeliveryLog } from './helpers.ts';
import { FIXTURES } from './ports.ts';

const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
test.use({
  launchOptions: {
    ...(systemChromium ? { executablePath: systemChromium } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  },
});

// Not watchDelivery: a page with an exposed binding is never put in the back/forward cache
// (notRestoredReasons "masked"), so this file reads the page's own record of summaries.
const log: DeliveryLog = { emitted: [], bodies: [] };
const pull = async (page: Page) => {
  log.emitted = await page.evaluate(() => (window as unknown as { __summaries: Summary[] }).__summaries);
};

test('bfcache hide and restore with a delivery pending: restored from the cache, delivery resumes', async ({ page }) => {
  let down = true;
  await faultCollect(page, () => (down ? { status: 503, headers: { 'Retry-After': '2' } } : 'pass'));
  await page.addInitScript(() => {
    addEventListener('pageshow', (e) => ((window as unknown as { restored: boolean }).restored = e.persisted));
  });
  await recordSummaries(page);
  const end = async () => {
    const before = (await page.evaluate(() => (window as unknown as { __summaries: unknown[] }).__summaries.length));
    await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
    await expect.poll(() => page.evaluate(() => (window as unknown as { __summaries: unknown[] }).__summaries.length)).toBeGreaterThan(before);
  };
  await openChat(page);
  await converse(page);
  await end();
  await expect.poll(() => deviceState(page).then((d) => d.outbox)).toBe(1);
  await page.goto(`${FIXTURES}/plain.html`);
  down = false;
  await page.goBack({ waitUntil: 'commit' });
  await expect.poll(() => page.evaluate(() => (window as unknown as { restored?: boolean }).restored !== undefined)).toBe(true);
  const reasons = await page.evaluate(() => JSON.stringify((performance.getEntriesByType('navigation')[0] as unknown as { notRestoredReasons?: unknown })?.notRestoredReasons ?? null));
  expect(await page.evaluate(() => (window as unknown as { restored?: boolean }).restored), `not restored: ${reasons}`).toBe(true);
  await pull(page);
  await expectFinalState(log, { count: 1 });
  // After the restore the page keeps working: a new conversation is delivered too.
  await converse(page, 'back again');
  await end();
  await pull(page);
  await expectFinalState(log, { count: 2 });
});
