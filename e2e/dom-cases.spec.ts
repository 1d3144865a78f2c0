// The hard DOM cases handled by the adapter layer for every chat UI, with the expected summary:
// virtualised lists that drop and re-create message elements, several chats on one page, the chat
// root replaced on SPA navigation, nested open shadow roots, a chat in a same-origin iframe. (Streaming and regenerate are covered
// with real packages in e2e/presets-*.spec.ts.)
import { expect, test, type Page } from '@playwright/test';
import { recordSummaries } from './helpers.ts';
import { helpful, stored } from './preset-helpers.ts';
import { FIXTURES } from './ports.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

type Chats = { chats: Array<{ add(role: string, text: string): void; recycle(): Promise<void>; replaceRoot(): void }> };
const add = (page: Page, chat: number, role: 'user' | 'bot', text: string) =>
  page.evaluate(([c, r, t]) => (window as unknown as Chats).chats[c as number]!.add(r as string, t as string), [chat, role, text] as const);
const bots = (page: Page, scope = '.chat') => page.locator(`${scope} [data-author=bot]`);
const end = (page: Page) => page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());

async function exchange(page: Page, chat: number, question: string, answer: string, scope = '.chat'): Promise<void> {
  const before = await bots(page, scope).count();
  await add(page, chat, 'user', question);
  await add(page, chat, 'bot', answer);
  await expect(helpful(bots(page, scope).nth(before))).toBeVisible();
}

test('virtualised list: re-created message elements are counted once and keep their thumbs and vote', async ({ page }) => {
  await page.goto(`${FIXTURES}/dom-cases.html`);
  await expect(helpful(bots(page).first())).toBeVisible();
  await exchange(page, 0, 'Where is my order?', 'It shipped yesterday.');
  await exchange(page, 0, 'Can I change the address?', 'Yes, until it leaves the depot.');
  await helpful(bots(page).nth(1)).click();
  await page.evaluate(() => (window as unknown as Chats).chats[0]!.recycle());
  await expect(bots(page)).toHaveCount(3);
  // The re-created elements get ChatPulse's thumbs back, the vote still shown on the same message.
  for (let i = 0; i < 3; i++) await expect(helpful(bots(page).nth(i))).toBeVisible();
  await expect(helpful(bots(page).nth(1))).toHaveAttribute('aria-pressed', 'true');
  await exchange(page, 0, 'Thanks!', 'You are welcome.');
  await end(page);
  const s = await stored(page, (x) => x.endReason === 'api');
  expect(s).toMatchObject({ messages: { user: 3, bot: 4 }, thumbs: { up: 1, down: 0 }, ratings: [{ message: 1, value: 'up' }] });
});

test('the same words again are a new message while the first is still on the page', async ({ page }) => {
  await page.goto(`${FIXTURES}/dom-cases.html`);
  await expect(helpful(bots(page).first())).toBeVisible();
  await exchange(page, 0, 'Yes', 'Done.');
  await exchange(page, 0, 'Yes', 'Done.');
  await end(page);
  const s = await stored(page, (x) => x.endReason === 'api');
  expect(s.messages).toEqual({ user: 2, bot: 3 });
});

test('several chats on one page: every chat matching data-chat is counted, in the page conversation', async ({ page }) => {
  await page.goto(`${FIXTURES}/dom-cases.html`);
  await expect(helpful(bots(page).first())).toBeVisible();
  await exchange(page, 0, 'Where is my order?', 'It shipped yesterday.', '#sales');
  await exchange(page, 1, 'My invoice is wrong', 'I have corrected it.', '#support');
  await expect(helpful(page.locator('#support [data-author=bot]'))).toHaveCount(1);
  await end(page);
  const s = await stored(page, (x) => x.endReason === 'api');
  expect(s.messages).toEqual({ user: 2, bot: 3 });
});

test('SPA navigation replaces the chat root: the re-rendered history is not counted again', async ({ page }) => {
  await page.goto(`${FIXTURES}/dom-cases.html`);
  await expect(helpful(bots(page).first())).toBeVisible();
  await exchange(page, 0, 'Where is my order?', 'It shipped yesterday.', '#sales');
  await page.evaluate(() => (window as unknown as Chats).chats[0]!.replaceRoot());
  await expect(helpful(page.locator('#sales [data-author=bot]').nth(1))).toBeVisible();
  await exchange(page, 0, 'And the tracking number?', 'It is 1Z999.', '#sales');
  await end(page);
  const s = await stored(page, (x) => x.endReason === 'api');
  expect(s.messages).toEqual({ user: 2, bot: 3 });
});

test('nested open shadow roots: a chat whose log is a component inside a component', async ({ page }) => {
  await page.goto(`${FIXTURES}/dom-nested.html`);
  const nestedBots = page.locator('chat-widget chat-log [data-author=bot]');
  await expect(helpful(nestedBots.first())).toBeVisible();
  await page.evaluate(() => {
    const chat = (window as unknown as { chat: { add(r: string, t: string): void } }).chat;
    chat.add('user', 'Where is my order?');
    chat.add('bot', 'It shipped yesterday.');
  });
  await expect(helpful(nestedBots.nth(1))).toBeVisible();
  await expect(page.locator('chat-widget chat-log [data-author=user] [data-chatpulse]')).toHaveCount(0);
  await end(page);
  const s = await stored(page, (x) => x.endReason === 'api');
  expect(s.messages).toEqual({ user: 1, bot: 2 });
});

test('same-origin iframe: the script tag on the parent page counts the chat inside the frame', async ({ page }) => {
  await page.goto(`${FIXTURES}/dom-iframe.html`);
  const frame = page.frameLocator('iframe[title="Chat"]');
  const frameBots = frame.locator('[data-author=bot]');
  await expect(helpful(frameBots.first())).toBeVisible();
  const chatFrame = page.frame({ url: /dom-iframe-chat\.html/ })!;
  await chatFrame.evaluate(() => {
    const chat = (window as unknown as { chat: { add(r: string, t: string): void } }).chat;
    chat.add('user', 'Where is my order?');
    chat.add('bot', 'It shipped yesterday.');
  });
  await expect(helpful(frameBots.nth(1))).toBeVisible();
  await expect(frame.locator('[data-author=user] [data-chatpulse]')).toHaveCount(0);
  await helpful(frameBots.nth(1)).click();
  // A user message in the frame asking for a person is a handoff.
  await chatFrame.evaluate(() => (window as unknown as { chat: { add(r: string, t: string): void } }).chat.add('user', 'Can I talk to a human?'));
  const s = await stored(page, (x) => x.handoff);
  expect(s).toMatchObject({ messages: { user: 2, bot: 2 }, thumbs: { up: 1, down: 0 }, handoff: true, endReason: 'handoff' });
});

test('a chat element defined after ChatPulse found it: its shadow root is watched once it upgrades', async ({ page }) => {
  await page.goto(`${FIXTURES}/dom-late-upgrade.html`);
  const lateBots = page.locator('late-chat [data-author=bot]');
  await expect(helpful(lateBots.first())).toBeVisible();
  await page.evaluate(() => {
    const chat = (window as unknown as { chat: { add(r: string, t: string): void } }).chat;
    chat.add('user', 'Where is my order?');
    chat.add('bot', 'It shipped yesterday.');
  });
  await expect(helpful(lateBots.nth(1))).toBeVisible();
  await end(page);
  const s = await stored(page, (x) => x.endReason === 'api');
  expect(s.messages).toEqual({ user: 1, bot: 2 });
});
