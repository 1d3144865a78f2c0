// Presets driven by a vendor's documented window events (Botpress, Chatwoot). Tested against
// event fixtures that emit those events, not the vendors' hosted widgets (no network here).
import { expect, test } from '@playwright/test';
import { recordSummaries } from './helpers.ts';
import { stored } from './preset-helpers.ts';
import { FIXTURES } from './ports.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

test('botpress: messages from window.botpress events, a handoff asked for in words', async ({ page }) => {
  await page.goto(`${FIXTURES}/presets-botpress.html`);
  const emit = (event: string, text: string) =>
    page.evaluate(([e, t]) => (window as unknown as { botpress: { emit(e: string, t: string): void } }).botpress.emit(e!, t!), [event, text]);
  // The preset loads lazily and subscribes once it has: wait until it listens.
  await page.waitForFunction(() => (window as unknown as { listening?: boolean }).listening === true);
  await emit('message', 'Hello! How can I help?');
  await emit('messageSent', 'Where is my order?');
  await emit('message', 'It shipped yesterday.');
  await emit('messageSent', 'I want to speak to a human');
  const s = await stored(page, (x) => x.handoff);
  expect(s).toMatchObject({ messages: { user: 2, bot: 2 }, handoff: true, endReason: 'handoff', outcome: 'escalated' });
});

test('chatwoot: messages from chatwoot:on-message, updates counted once, a human agent reply is a handoff', async ({ page }) => {
  await page.goto(`${FIXTURES}/presets-chatwoot.html`);
  const say = (id: number, type: number, content: string, sender?: string) =>
    page.evaluate(([i, t, c, s]) => (window as unknown as { chatwoot(i: number, t: number, c: string, s?: string): void }).chatwoot(i as number, t as number, c as string, s as string | undefined), [id, type, content, sender] as const);
  await page.waitForFunction(() => (window as unknown as { listening?: boolean }).listening === true);
  await say(1, 1, 'Hi! I am the support bot.', 'agent_bot');
  await say(2, 0, 'My parcel arrived damaged', 'contact');
  await say(3, 1, 'Sorry to hear that. Could you send a photo?', 'agent_bot');
  await say(3, 1, 'Sorry to hear that. Could you send a photo?', 'agent_bot'); // message.updated
  await say(4, 2, 'Conversation was assigned to Jane');
  await say(5, 1, 'Hi, Jane here from the support team.', 'user');
  const s = await stored(page, (x) => x.handoff);
  expect(s).toMatchObject({ messages: { user: 1, bot: 2 }, handoff: true, endReason: 'handoff', outcome: 'escalated' });
});
