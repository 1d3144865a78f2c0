// Intents: the widget fetches the site's definitions and labels the conversation on the device from
// its first user messages; the label reaches the collector, the text does not.
import { expect, test, type Page } from '@playwright/test';
import { askDemo, openChat, openDemo, recordSummaries, storedSummary } from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

/** The stored intent once delivered: a label that arrives after the end goes out with the next flush. */
const storedIntent = async (page: Page, id: string) => {
  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
  return (await storedSummary(id, (s) => s.endReason !== null)).intent;
};

const conversationId = async (page: Page) => {
  await expect.poll(() => page.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation'))).not.toBeNull();
  return (await page.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation')))!;
};

test('the first user messages set the intent on the device; no message text leaves the page', async ({ page }) => {
  const sent: string[] = [];
  page.on('request', (r) => sent.push(`${r.url()} ${r.postData() ?? ''}`));
  await openDemo(page);
  await askDemo(page, 'Hi there');
  await askDemo(page, 'I was charged twice, where is my refund?');
  const id = await conversationId(page);
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  await expect.poll(() => storedIntent(page, id)).toBe('billing');
  expect(sent.some((line) => line.includes('/v1/intents?site=demo'))).toBe(true);
  expect(sent.filter((line) => /charged twice|refund\?/i.test(line))).toEqual([]);
});

test('a page on another origin labels in another language (German keywords of the same intent)', async ({ page }) => {
  await openChat(page);
  await page.evaluate(() => (window as unknown as { hostChat: { say(t: string): void } }).hostChat.say('Ich habe mein Passwort vergessen'));
  await expect.poll(() => page.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation'))).not.toBeNull();
  const id = (await page.evaluate(() => sessionStorage.getItem('chatpulse:demo:conversation')))!;
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  await expect.poll(() => storedIntent(page, id)).toBe('password');
});

test('no intent matches: the conversation stays unlabelled', async ({ page }) => {
  await openDemo(page);
  await askDemo(page, 'Tell me a joke about penguins');
  const id = await conversationId(page);
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  expect((await storedSummary(id, (s) => s.endReason !== null)).intent).toBeNull();
});
