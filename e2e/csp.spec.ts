// The whole loop under a strict Content-Security-Policy — nonce-based scripts, no inline styles,
// no eval, Trusted Types — with zero `securitypolicyviolation` events.
import { expect, test } from '@playwright/test';
import { csatPrompt, lastSummary, recordSummaries, storedSummary } from './helpers.ts';
import { FIXTURES } from './ports.ts';

test('strict CSP with Trusted Types: thumbs, sentiment worker, CSAT and delivery, no violations', async ({ page, context }) => {
  const workerScripts: number[] = [];
  context.on('requestfinished', (request) => {
    if (request.url().includes('/esm/assets/worker-')) void request.response().then((r) => workerScripts.push(r?.status() ?? 0));
  });
  // The recorder stub is an init script (it runs outside the page's CSP, like an extension would).
  await recordSummaries(page);
  await page.goto(`${FIXTURES}/strict-csp.html`);
  const chat = page.locator('help-desk');
  await expect(chat.getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await page.evaluate(() => (window as unknown as { hostChat: { say(t: string): void } }).hostChat.say('This is great, thank you so much!'));
  await page.evaluate(() => (window as unknown as { hostChat: { reply(t: string, o: object): Promise<unknown> } }).hostChat.reply('Happy to help!', { chunkMs: 0 }).then(() => undefined));
  await expect(chat.getByRole('button', { name: 'Helpful', exact: true })).toHaveCount(2);
  await chat.getByRole('button', { name: 'Helpful', exact: true }).last().click();
  // The sentiment worker starts through the collector-origin script, allowed by worker-src.
  await expect.poll(() => page.workers().length).toBe(1);
  // ...and the policy let it load the scorer from the collector.
  await expect.poll(() => workerScripts).toEqual([200]);
  await chat.getByRole('button', { name: 'Done' }).click();
  await csatPrompt(page).getByRole('radio', { name: '5', exact: true }).check();
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());

  const s = await storedSummary((await lastSummary(page)).id, (x) => x.csat !== null && x.sentiment !== null);
  expect(s).toMatchObject({ outcome: 'resolved', resolution: 'explicit', csat: { score: 5 }, thumbs: { up: 1, down: 0 } });
  // Styles applied without inline <style>: the thumbs are laid out by the adopted stylesheet.
  const size = await chat.getByRole('button', { name: 'Helpful', exact: true }).first().boundingBox();
  expect(size!.width).toBeGreaterThanOrEqual(24);
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});
