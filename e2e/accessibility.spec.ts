// WCAG 2.2 AA for what ChatPulse renders: axe-core finds no violations on the thumbs and the CSAT
// prompt (open and answered) in light, dark and right-to-left; a keyboard alone completes a CSAT
// answer; names and announcements are what screen readers need.
import { expect, test, type Page } from '@playwright/test';
import { axeViolations, csatPrompt, lastSummary, recordSummaries, storedSummary } from './helpers.ts';
import { FIXTURES } from './ports.ts';

const say = (page: Page, text: string) => page.evaluate((t) => (window as unknown as { hostChat: { say(t: string): void } }).hostChat.say(t), text);
const reply = (page: Page, text: string) =>
  page.evaluate((t) => (window as unknown as { hostChat: { reply(t: string, o: object): Promise<unknown> } }).hostChat.reply(t, { chunkMs: 0 }).then(() => undefined), text);

async function conversationWithPrompt(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('help-desk').getByRole('button', { name: /./ }).first()).toBeVisible();
  await say(page, 'Where is my parcel?');
  await reply(page, 'It left our warehouse this morning.');
  await expect(page.locator('help-desk article[data-author=assistant]').nth(1).locator('[data-chatpulse="thumbs"]')).toHaveCount(1);
  await page.locator('help-desk').getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
}

for (const [name, url, scheme] of [
  ['light', `${FIXTURES}/generic.html`, 'light'],
  ['dark (auto)', `${FIXTURES}/generic.html`, 'dark'],
  ['dark, inline prompt', `${FIXTURES}/inline-dark.html`, 'light'],
  ['right to left (Arabic)', `${FIXTURES}/rtl.html`, 'light'],
] as const) {
  test(`axe: no violations on thumbs and the CSAT prompt, open and answered — ${name}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await conversationWithPrompt(page, url);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('dialog').getByRole('radio').nth(4).check();
    await expect(page.getByRole('dialog').getByRole('textbox')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
  });
}

test('right to left: Arabic strings, and the hosts say so', async ({ page }) => {
  await conversationWithPrompt(page, `${FIXTURES}/rtl.html`);
  await expect(page.getByRole('button', { name: 'مفيد', exact: true }).first()).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'ما مدى رضاك عن هذه المحادثة؟' })).toBeVisible();
  expect(await page.locator('[data-chatpulse="csat"]').getAttribute('dir')).toBe('rtl');
});

test('keyboard only: vote, then answer the CSAT prompt with arrows, type a comment and send', async ({ page }) => {
  await recordSummaries(page);
  await page.goto(`${FIXTURES}/generic.html`);
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await say(page, 'Can I change my delivery address?');
  await reply(page, 'Yes, until the parcel ships.');
  const helpful = page.locator('help-desk article[data-author=assistant]').nth(1).getByRole('button', { name: 'Helpful', exact: true });
  await expect(helpful).toBeVisible();
  await helpful.focus();
  await page.keyboard.press('Space');
  await expect(helpful).toHaveAttribute('aria-pressed', 'true');
  // The vote is announced politely.
  await expect(page.locator('help-desk article[data-author=assistant]').nth(1).getByRole('status')).toHaveText('Thanks for your feedback');

  await page.locator('help-desk').getByRole('button', { name: 'Done' }).focus();
  await page.keyboard.press('Enter');
  const prompt = csatPrompt(page);
  await expect(prompt).toBeVisible();
  // Focus moves into the prompt (the user was not typing) on the first option.
  await expect(prompt.getByRole('radio', { name: '1', exact: true })).toBeFocused();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(prompt.getByRole('radio', { name: '4', exact: true })).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(prompt.getByRole('textbox')).toBeFocused();
  await page.keyboard.type('Clear answer');
  await page.keyboard.press('Tab');
  await expect(prompt.getByRole('button', { name: 'Send' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(prompt.getByRole('status')).toContainText('Thank you');
  await page.keyboard.press('Escape');
  await expect(prompt).toBeHidden();

  await page.evaluate(() => (window as unknown as { ChatPulse: { flush(): Promise<void> } }).ChatPulse.flush());
  const s = await storedSummary((await lastSummary(page)).id, (x) => x.csat?.comment === 'Clear answer');
  expect(s).toMatchObject({ csat: { score: 4, comment: 'Clear answer' }, thumbs: { up: 1, down: 0 }, outcome: 'resolved' });
});

test('the prompt never steals focus from someone typing in the chat', async ({ page }) => {
  await page.goto(`${FIXTURES}/generic.html`);
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
  await say(page, 'hello');
  await reply(page, 'Hi! How can I help?');
  const input = page.locator('help-desk').getByRole('textbox', { name: 'Message' });
  await input.focus();
  await page.keyboard.type('one more thing');
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  await expect(csatPrompt(page)).toBeVisible();
  await expect(input).toBeFocused();
});
