// The five outcomes of DESIGN.md, each through the real demo page, the real widget, the real
// collector and its database, asserting the stored summary field by field.
import { expect, test } from '@playwright/test';
import { askDemo, csatPrompt, lastSummary, openDemo, recordSummaries, storedSummary } from './helpers.ts';
import { COLLECTOR } from './ports.ts';

test.beforeEach(async ({ page }) => {
  await recordSummaries(page);
});

const traceIdsOf = (page: import('@playwright/test').Page) =>
  page.locator('#support-chat .msg--bot').evaluateAll((els) => els.map((el) => el.getAttribute('data-trace-id')));

test('resolved (explicit): thumbs up on the answer and a CSAT of 5', async ({ page }) => {
  await openDemo(page);
  await askDemo(page, 'How do I reset my password?');
  const answer = page.locator('#support-chat .msg--bot').last();
  await answer.getByRole('button', { name: 'Helpful', exact: true }).click();
  await expect(answer.getByRole('button', { name: 'Helpful', exact: true })).toHaveAttribute('aria-pressed', 'true');
  const traces = await traceIdsOf(page);

  await page.getByRole('button', { name: 'End chat' }).click();
  await expect(csatPrompt(page)).toBeVisible();
  await csatPrompt(page).getByRole('radio', { name: '5', exact: true }).check();
  await csatPrompt(page).getByRole('textbox').fill('Quick and clear');
  await csatPrompt(page).getByRole('button', { name: 'Send', exact: true }).click();
  const id = (await lastSummary(page)).id;
  await page.close();

  const s = await storedSummary(id, (x) => x.csat?.comment === 'Quick and clear');
  expect(s).toMatchObject({
    site: 'demo',
    release: 'demo-2026.11',
    endReason: 'end',
    outcome: 'resolved',
    resolution: 'explicit',
    messages: { user: 1, bot: 2 },
    thumbs: { up: 1, down: 0 },
    ratings: [{ message: 1, value: 'up', traceId: traces[1] }],
    csat: { score: 5, comment: 'Quick and clear' },
    csatShown: true,
    handoff: false,
  });
  expect(s.traceIds).toEqual(traces);
  expect(s.page).toBe(`${COLLECTOR}/demo/`);
  expect(Date.parse(s.endedAt!)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));
});

test('unresolved: thumbs down and a CSAT of 1', async ({ page }) => {
  await openDemo(page);
  await askDemo(page, 'I get an SSO error with Okta');
  await page.locator('#support-chat .msg--bot').last().getByRole('button', { name: 'Not helpful' }).click();
  await page.getByRole('button', { name: 'End chat' }).click();
  await csatPrompt(page).getByRole('radio', { name: '1', exact: true }).check();
  const id = (await lastSummary(page)).id;
  await page.close();

  const s = await storedSummary(id, (x) => x.csat !== null);
  expect(s).toMatchObject({
    endReason: 'end',
    outcome: 'unresolved',
    resolution: null,
    messages: { user: 1, bot: 2 },
    thumbs: { up: 0, down: 1 },
    ratings: [{ message: 1, value: 'down' }],
    csat: { score: 1, comment: null },
    csatShown: true,
    handoff: false,
  });
});

test('escalated: "Talk to a human" ends the conversation as a handoff', async ({ page }) => {
  await openDemo(page);
  await askDemo(page, 'How do I get a refund?');
  await page.getByRole('button', { name: 'Talk to a human' }).click();
  await expect(csatPrompt(page)).toBeVisible();
  const id = (await lastSummary(page)).id;
  await page.close();

  const s = await storedSummary(id);
  expect(s).toMatchObject({
    endReason: 'handoff',
    outcome: 'escalated',
    handoff: true,
    csatShown: true,
    csat: null,
    messages: { user: 1, bot: 2 },
    thumbs: { up: 0, down: 0 },
  });
});

test('abandoned: the tab closes while the bot has not answered', async ({ page }) => {
  await openDemo(page, '?delay=60000');
  await page.locator('#chat-input').fill('Can I export all my data as CSV?');
  await page.locator('#chat-input').press('Enter');
  await expect(page.locator('#support-chat .msg--user')).toHaveCount(1);
  // The tab's conversation pointer appears once the user message is recorded.
  const key = 'chatpulse:demo:conversation';
  await expect.poll(() => page.evaluate((k) => sessionStorage.getItem(k), key)).not.toBeNull();
  const id = (await page.evaluate((k) => sessionStorage.getItem(k), key))!;
  await page.close({ runBeforeUnload: true });

  const s = await storedSummary(id);
  expect(s).toMatchObject({
    endReason: 'exit',
    outcome: 'abandoned',
    resolution: null,
    messages: { user: 1, bot: 1 },
    handoff: false,
    csatShown: false,
    csat: null,
  });
});

test('unknown: the chat ends with no signal either way', async ({ page }) => {
  await openDemo(page);
  await askDemo(page, 'What does the Pro plan cost?');
  await page.getByRole('button', { name: 'End chat' }).click();
  await csatPrompt(page).getByRole('button', { name: 'Close' }).click();
  await expect(csatPrompt(page)).toBeHidden();
  const id = (await lastSummary(page)).id;
  await page.close();

  const s = await storedSummary(id);
  expect(s).toMatchObject({
    endReason: 'end',
    outcome: 'unknown',
    resolution: null,
    messages: { user: 1, bot: 2 },
    thumbs: { up: 0, down: 0 },
    ratings: [],
    csat: null,
    csatShown: true,
    handoff: false,
  });
});
