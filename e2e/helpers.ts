import { expect, type Page } from '@playwright/test';
import type { Summary } from '../src/shared/summary.ts';
import { ADMIN_TOKEN, COLLECTOR } from './ports.ts';

/**
 * Installs the documented pre-load stub (README "JS API") and records every summary the widget
 * emits, so a test knows its conversation id even after the tab is gone.
 */
export async function recordSummaries(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { ChatPulse: Record<string, unknown> & { q: unknown[][] }; __summaries: unknown[]; __feedback: unknown[] };
    w.__summaries = [];
    w.__feedback = [];
    w.ChatPulse = w.ChatPulse || { q: [] };
    for (const m of ['endConversation', 'handoff', 'resolve', 'csat', 'flush', 'on', 'consent']) {
      w.ChatPulse[m] =
        w.ChatPulse[m] ||
        ((...args: unknown[]) =>
          new Promise((resolve, reject) => {
            w.ChatPulse.q.push([m, args, resolve, reject]);
          }));
    }
    (w.ChatPulse.on as (e: string, l: (s: unknown) => void) => void)('summary', (s) => w.__summaries.push(s));
    (w.ChatPulse.on as (e: string, l: (s: unknown) => void) => void)('feedback', (s) => w.__feedback.push(s));
  });
}

export async function lastSummary(page: Page): Promise<Summary> {
  await expect.poll(() => page.evaluate(() => (window as unknown as { __summaries: unknown[] }).__summaries.length)).toBeGreaterThan(0);
  return page.evaluate(() => {
    const list = (window as unknown as { __summaries: Summary[] }).__summaries;
    return list[list.length - 1]!;
  });
}

export async function conversationIds(page: Page): Promise<string[]> {
  return page.evaluate(() => [...new Set((window as unknown as { __summaries: Summary[] }).__summaries.map((s) => s.id))]);
}

export async function adminGet<T>(path: string): Promise<T> {
  const response = await fetch(`${COLLECTOR}${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function storedConversations(site = 'demo'): Promise<Summary[]> {
  const body = await adminGet<{ conversations: Summary[] }>(`/v1/conversations?site=${site}&limit=1000&from=0`);
  return body.conversations;
}

/** Polls the collector until the conversation is stored and `ready` holds for it. */
export async function storedSummary(id: string, ready: (s: Summary) => boolean = () => true, site = 'demo'): Promise<Summary> {
  let found: Summary | undefined;
  await expect
    .poll(
      async () => {
        found = (await storedConversations(site)).find((s) => s.id === id);
        return found !== undefined && ready(found);
      },
      { timeout: 20_000, message: `conversation ${id} stored` },
    )
    .toBe(true);
  return found!;
}

/** Opens the demo chat and waits until its greeting has settled (thumbs shown). */
export async function openDemo(page: Page, query = ''): Promise<void> {
  await page.goto(`${COLLECTOR}/demo/${query}`);
  await expect(page.locator('#support-chat .msg--bot').first().getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
}

/** Sends a message through the demo chat and waits for the bot to finish answering. */
export async function askDemo(page: Page, text: string): Promise<void> {
  const bots = page.locator('#support-chat .msg--bot');
  const before = await bots.count();
  await page.locator('#chat-input').fill(text);
  await page.locator('#chat-input').press('Enter');
  await expect(bots).toHaveCount(before + 1);
  // Thumbs appear when the streamed answer has settled.
  await expect(bots.nth(before).getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
}

export const csatPrompt = (page: Page) => page.getByRole('dialog', { name: 'How satisfied are you with this conversation?' });
