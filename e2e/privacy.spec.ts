// Private by default: no message text leaves the browser unless the site turns it on, and then
// personal data is redacted on the device; Do Not Track / Global Privacy Control are honoured;
// withdrawing consent deletes what ChatPulse stored.
import { expect, test, type Page } from '@playwright/test';
import { lastSummary, recordSummaries, storedSummary } from './helpers.ts';
import { FIXTURES } from './ports.ts';

const say = (page: Page, text: string) => page.evaluate((t) => (window as unknown as { hostChat: { say(t: string): void } }).hostChat.say(t), text);
const reply = (page: Page, text: string) =>
  page.evaluate((t) => (window as unknown as { hostChat: { reply(t: string, o: object): Promise<unknown> } }).hostChat.reply(t, { chunkMs: 0 }).then(() => undefined), text);
const flush = (page: Page) => page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());

/** Every body the page sends to the collector. */
function captureBodies(page: Page): string[] {
  const bodies: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/v1/collect') && r.method() === 'POST') bodies.push(r.postData() ?? '');
  });
  return bodies;
}

/** Everything ChatPulse keeps in IndexedDB for the demo site, as text. */
const storedOnDevice = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const open = indexedDB.open('chatpulse:demo');
        open.onsuccess = () => {
          const tx = open.result.transaction(['events', 'outbox']);
          const events = tx.objectStore('events').getAll();
          const outbox = tx.objectStore('outbox').getAll();
          tx.oncomplete = () => resolve(JSON.stringify([events.result, outbox.result]));
        };
      }),
  );

const SECRET = 'Reach me at jane.doe@example.com or +44 20 7946 0958, card 4111 1111 1111 1111';

test('by default no message text is sent, and none is stored beyond the device', async ({ page }) => {
  await recordSummaries(page);
  const bodies = captureBodies(page);
  await page.goto(`${FIXTURES}/generic.html`);
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await say(page, SECRET);
  await reply(page, 'Thanks, we will call you back.');
  await flush(page);
  const s = await storedSummary((await lastSummary(page)).id);
  expect(s.messages.user).toBe(1);
  expect(s.text).toBeUndefined();
  expect(bodies.length).toBeGreaterThan(0);
  for (const body of bodies) expect(body).not.toMatch(/jane|7946|4111|Reach me/);
  expect(await storedOnDevice(page)).not.toMatch(/jane|7946|4111|Reach me/);
});

test('with data-capture-text="on", text is sent with e-mails, phones and cards redacted on the device', async ({ page }) => {
  await recordSummaries(page);
  const bodies = captureBodies(page);
  await page.goto(`${FIXTURES}/capture-text.html`);
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await say(page, SECRET);
  await reply(page, 'Thanks, we will call you back.');
  await say(page, 'ok thanks');
  await flush(page);
  const s = await storedSummary((await lastSummary(page)).id, (x) => x.messages.user === 2);
  expect(s.text).toEqual({ firstUser: 'Reach me at [email] or [phone], card [card]', lastUser: 'ok thanks' });
  for (const body of bodies) expect(body).not.toMatch(/jane|7946|4111/);
  expect(await storedOnDevice(page)).not.toMatch(/jane|7946|4111/);
});

for (const [signal, init] of [
  ['Global Privacy Control', () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })],
  ['Do Not Track', () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })],
] as const) {
  test(`${signal} turns ChatPulse off unless the site overrides it`, async ({ page }) => {
    await page.addInitScript(init);
    const bodies = captureBodies(page);
    await page.goto(`${FIXTURES}/generic.html`);
    await expect(page.locator('help-desk article')).toHaveCount(1);
    await say(page, 'hello');
    await page.waitForTimeout(1200);
    await expect(page.locator('[data-chatpulse]')).toHaveCount(0);
    await flush(page);
    expect(bodies).toEqual([]);

    await page.goto(`${FIXTURES}/privacy-ignore.html`);
    await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  });
}

test('consent(false) stops capture and deletes the stored data; data-consent="required" waits for consent(true)', async ({ page }) => {
  await recordSummaries(page);
  const bodies = captureBodies(page);
  await page.goto(`${FIXTURES}/consent-required.html`);
  await expect(page.locator('help-desk article')).toHaveCount(1);
  await page.waitForTimeout(1000);
  await expect(page.locator('[data-chatpulse]')).toHaveCount(0);
  expect(await page.evaluate(() => indexedDB.databases().then((dbs) => dbs.map((d) => d.name)))).not.toContain('chatpulse:demo');

  await page.evaluate(() => (window as unknown as { ChatPulse: { consent(v: boolean): void } }).ChatPulse.consent(true));
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await say(page, 'Where is my order?');
  await reply(page, 'On its way.');
  await flush(page);
  expect(bodies.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => indexedDB.databases().then((dbs) => dbs.map((d) => d.name)))).toContain('chatpulse:demo');
  expect(await page.evaluate(() => localStorage.getItem('chatpulse:demo:visitor'))).not.toBeNull();

  await page.evaluate(() => (window as unknown as { ChatPulse: { consent(v: boolean): void } }).ChatPulse.consent(false));
  await expect.poll(() => page.evaluate(() => indexedDB.databases().then((dbs) => dbs.map((d) => d.name)))).not.toContain('chatpulse:demo');
  await expect(page.locator('[data-chatpulse]')).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('chatpulse:demo:visitor'))).toBeNull();
  const sent = bodies.length;
  await say(page, 'one more question');
  await page.waitForTimeout(1000);
  await flush(page);
  expect(bodies.length).toBe(sent);
});
