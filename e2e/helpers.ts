import { createRequire } from 'node:module';
import { expect, type BrowserContext, type Page, type Route } from '@playwright/test';
import type { Summary } from '../src/shared/summary.ts';
import { ADMIN_TOKEN, COLLECTOR, FIXTURES } from './ports.ts';

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
    for (const m of ['endConversation', 'handoff', 'resolve', 'csat', 'flush', 'on', 'consent', 'trace']) {
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

// ---- delivery fault matrix (e2e/delivery-*.spec.ts) -------------------------------------------

/** What a context's pages emitted, across reloads and closed tabs, plus what went on the wire. */
export interface DeliveryLog {
  emitted: Summary[];
  /** Parsed bodies of every POST /v1/collect the browser made (beacons included). */
  bodies: Array<{ dropped?: Record<string, number>; summaries: Summary[]; bytes: number }>;
}

/**
 * Installs the pre-load stub in every page of the context and reports each emitted summary to the
 * test through a binding, so the log outlives reloads and closed tabs.
 */
export async function watchDelivery(context: BrowserContext): Promise<DeliveryLog> {
  const log: DeliveryLog = { emitted: [], bodies: [] };
  await context.exposeBinding('__cpEmit', (_source, summary: Summary) => void log.emitted.push(summary));
  await context.addInitScript(() => {
    const w = window as unknown as { ChatPulse: Record<string, unknown> & { q: unknown[][] }; __summaries: unknown[]; __cpEmit(s: unknown): void };
    w.__summaries = [];
    w.ChatPulse = w.ChatPulse || { q: [] };
    for (const m of ['endConversation', 'handoff', 'resolve', 'csat', 'flush', 'on', 'consent', 'trace']) {
      w.ChatPulse[m] = w.ChatPulse[m] || ((...args: unknown[]) => new Promise((resolve, reject) => w.ChatPulse.q.push([m, args, resolve, reject])));
    }
    (w.ChatPulse.on as (e: string, l: (s: unknown) => void) => void)('summary', (s) => {
      w.__summaries.push(s);
      void w.__cpEmit(s);
    });
  });
  context.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/v1/collect')) return;
    const raw = request.postDataBuffer();
    try {
      const body = JSON.parse(raw?.toString('utf8') ?? '') as { dropped?: Record<string, number>; summaries: Summary[] };
      log.bodies.push({ ...body, bytes: raw?.length ?? 0 });
    } catch {
      // Not ours to judge here; the collector answers 400.
    }
  });
  return log;
}

/** The highest revision the pages emitted, per conversation. */
export function latestEmitted(log: DeliveryLog): Map<string, Summary> {
  const latest = new Map<string, Summary>();
  // A closing tab's last summary may reach the wire (or the next page's request) but not the
  // binding, so what went on the wire counts as emitted too.
  for (const s of [...log.emitted, ...log.bodies.flatMap((b) => b.summaries)]) if ((latest.get(s.id)?.revision ?? -1) < s.revision) latest.set(s.id, s);
  return latest;
}

/**
 * The collector's final state: every conversation the pages emitted is stored exactly once, at the
 * last revision emitted, with that revision's content. `except` lists ids dropped by design.
 */
export async function expectFinalState(
  log: DeliveryLog,
  options: { except?: string[]; timeout?: number; count?: number; device?: Page; atLeast?: boolean } = {},
): Promise<Summary[]> {
  const known = latestEmitted(log);
  if (options.device) {
    // A tab that closed may have given out a revision the test never saw leave; the device's
    // conversation record holds the highest revision given out.
    for (const [id, revision] of await deviceRevisions(options.device)) {
      const s = known.get(id);
      if (s && s.revision < revision) known.set(id, { ...s, revision });
    }
  }
  const latest = [...known.values()].filter((s) => !options.except?.includes(s.id));
  if (options.count !== undefined) expect(latest).toHaveLength(options.count);
  expect(latest.length).toBeGreaterThan(0);
  let rows: Summary[] = [];
  await expect
    .poll(
      async () => {
        rows = await storedConversations();
        // atLeast: a tab that died mid-send may have got a later revision (e.g. a sentiment score
        // settled after the end) to the collector without any trace the test can read.
        return latest.map((s) => `${s.id}@${rows.filter((r) => r.id === s.id).map((r) => (options.atLeast && r.revision > s.revision ? s.revision : r.revision)).join('+') || 'missing'}`);
      },
      { timeout: options.timeout ?? 20_000, message: 'every conversation stored once at its last revision' },
    )
    .toEqual(latest.map((s) => `${s.id}@${s.revision}`));
  const stored = latest.map((s) => rows.find((r) => r.id === s.id)!);
  latest.forEach((s, i) => {
    expect(stored[i]).toMatchObject({ messages: s.messages, endReason: s.endReason, thumbs: s.thumbs, csat: s.csat, traceIds: s.traceIds, ...(options.atLeast ? {} : { outcome: s.outcome }) });
  });
  return stored;
}

/** What the widget holds on the device: queued summaries, drop counts, and the messages on disk. */
export interface DeviceState {
  outbox: number;
  drops: Record<string, number>;
  /** Message events saved in IndexedDB, by role: what a tab that dies now could be recovered with. */
  messages: { user: number; bot: number };
}

export async function deviceState(page: Page, site = 'demo'): Promise<DeviceState> {
  return page.evaluate(
    (name) =>
      new Promise<DeviceState>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const stores = ['outbox', 'meta', 'events'].filter((s) => db.objectStoreNames.contains(s));
          if (stores.length < 3) {
            db.close();
            resolve({ outbox: 0, drops: {}, messages: { user: 0, bot: 0 } });
            return;
          }
          const tx = db.transaction(stores);
          const count = tx.objectStore('outbox').count();
          const events = tx.objectStore('events').getAll();
          const drops = tx.objectStore('meta').get('drops');
          tx.oncomplete = () => {
            db.close();
            const messages = { user: 0, bot: 0 };
            for (const { event: e } of events.result as Array<{ event?: { type?: string; role?: string } }>) {
              if (e?.type === 'message' && (e.role === 'user' || e.role === 'bot')) messages[e.role]++;
            }
            resolve({ outbox: count.result, messages, drops: (drops.result as { value?: Record<string, number> } | undefined)?.value ?? {} });
          };
        };
      }),
    `chatpulse:${site}`,
  );
}

export const GENERIC_PAGE = `${FIXTURES}/generic.html`;

/** Opens a fixture chat page and waits until ChatPulse has put thumbs on the greeting. */
export async function openChat(page: Page, url = GENERIC_PAGE): Promise<void> {
  await page.goto(url);
  await expect(page.locator('help-desk').getByRole('button', { name: 'Helpful', exact: true }).first()).toBeVisible();
}

/** One exchange in the fixture chat: a user message and a short bot answer. */
export async function converse(page: Page, text = 'Where is my order?', answer = 'It ships today.'): Promise<void> {
  await page.evaluate(
    async ([t, a]) => {
      const chat = (window as unknown as { hostChat: { say(t: string): void; reply(t: string, o: object): Promise<unknown> } }).hostChat;
      chat.say(t!);
      await chat.reply(a!, { chunkMs: 0 });
    },
    [text, answer],
  );
}

/** Ends the page's conversation through the API and waits for its summary to be emitted. */
export async function endChat(page: Page, log: DeliveryLog): Promise<Summary> {
  const before = log.emitted.length;
  await page.evaluate(() => (window as unknown as { ChatPulse: { endConversation(): void } }).ChatPulse.endConversation());
  await expect.poll(() => log.emitted.length).toBeGreaterThan(before);
  return log.emitted[log.emitted.length - 1]!;
}

export type Answer = 'pass' | 'hang' | 'abort' | { status: number; headers?: Record<string, string>; body?: string };

/**
 * Answers the page's POST /v1/collect as `answer` says for the n-th request (1-based). Fulfilled
 * answers carry the CORS headers a real collector must send, Retry-After exposed.
 */
export async function faultCollect(
  target: Page | BrowserContext,
  answer: (n: number, body: { summaries: Summary[]; dropped?: Record<string, number> }) => Answer,
): Promise<{ count: number; hung: Route[] }> {
  const state = { count: 0, hung: [] as Route[] };
  await target.route(`${COLLECTOR}/v1/collect`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    let body: { summaries: Summary[]; dropped?: Record<string, number> } = { summaries: [] };
    try {
      body = JSON.parse(route.request().postDataBuffer()?.toString('utf8') ?? '');
    } catch {
      // Keep the empty body.
    }
    const a = answer(++state.count, body);
    if (a === 'pass') return route.continue().catch(() => undefined);
    if (a === 'hang') return void state.hung.push(route);
    if (a === 'abort') return route.abort().catch(() => undefined);
    return route
      .fulfill({
        status: a.status,
        headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After', 'Content-Type': 'application/json', ...a.headers },
        body: a.body ?? '{}',
      })
      .catch(() => undefined);
  });
  return state;
}

/** With page.clock installed: jumps time forward in steps until `done` holds. */
export async function advanceUntil(page: Page, done: () => boolean | Promise<boolean>, stepMs = 1_000, maxSteps = 120): Promise<void> {
  for (let i = 0; i < maxSteps && !(await done()); i++) {
    await page.clock.fastForward(stepMs);
    await page.waitForTimeout(30);
  }
  expect(await done()).toBe(true);
}

/** The highest revision given out per conversation, from our `conversations` store. */
export async function deviceRevisions(page: Page, site = 'demo'): Promise<Map<string, number>> {
  const pairs = await page.evaluate(
    (name) =>
      new Promise<Array<[string, number]>>((resolve) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => {
          const all = open.result.transaction('conversations').objectStore('conversations').getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve((all.result as Array<{ id: string; revision: number }>).map((c) => [c.id, c.revision]));
          };
        };
      }),
    `chatpulse:${site}`,
  );
  return new Map(pairs);
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's WCAG 2.x A and AA violations (2.2's target size included) on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}
