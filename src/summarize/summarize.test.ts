import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { SummarySchema } from '../shared/summary-schema.ts';
import type { ConversationEvent, ConversationMeta } from '../types.ts';
import { summarize } from './summarize.ts';

const meta: ConversationMeta = {
  id: 'c-1',
  site: 'demo',
  visitor: 'v-1234567890abcdef',
  page: 'https://shop.example/help',
  release: 'r1',
  locale: 'en',
  intent: null,
  startedAt: Date.UTC(2026, 10, 1, 12),
};
const t0 = meta.startedAt;
const msg = (role: 'user' | 'bot', index: number, at: number, traceId: string | null = null): ConversationEvent => ({
  type: 'message',
  at: t0 + at,
  role,
  index,
  fingerprint: `${role[0]}x.${index}`,
  traceId,
});

describe('summarize', () => {
  it('counts messages, keeps the last vote per message, and lists trace ids', () => {
    const events: ConversationEvent[] = [
      msg('bot', 0, 0, 'tr_greet'),
      msg('user', 0, 1000),
      msg('bot', 1, 2000, 'tr_answer'),
      { type: 'vote', at: t0 + 3000, message: 1, value: 'down' },
      { type: 'vote', at: t0 + 3500, message: 1, value: 'up' },
      { type: 'vote', at: t0 + 3600, message: 0, value: 'down' },
      { type: 'vote', at: t0 + 3700, message: 0, value: null },
      { type: 'end', at: t0 + 4000, reason: 'end' },
    ];
    const s = summarize(meta, events, { revision: 3 });
    expect(s).toMatchObject({
      id: 'c-1',
      revision: 3,
      messages: { user: 1, bot: 2 },
      thumbs: { up: 1, down: 0 },
      ratings: [{ message: 1, value: 'up', traceId: 'tr_answer' }],
      traceIds: ['tr_greet', 'tr_answer'],
      endReason: 'end',
      endedAt: new Date(t0 + 4000).toISOString(),
      outcome: 'resolved',
      resolution: 'explicit',
    });
    expect(v.safeParse(SummarySchema, s).success).toBe(true);
  });

  it('is open (no outcome) until an end, and an exit is only assumed when asked', () => {
    const events = [msg('bot', 0, 0), msg('user', 0, 1000)];
    expect(summarize(meta, events, { revision: 1 })).toMatchObject({ endReason: null, endedAt: null, outcome: null });
    expect(summarize(meta, events, { revision: 2, exitAt: t0 + 5000 })).toMatchObject({ endReason: 'exit', outcome: 'abandoned' });
  });

  it('uses event order, not timestamps, to tell whether the last user message was answered', () => {
    const sameInstant = [msg('user', 0, 1000), msg('bot', 0, 1000)];
    expect(summarize(meta, sameInstant, { revision: 1, exitAt: t0 + 2000 }).outcome).toBe('unknown');
  });

  it('keeps the first end; a CSAT answered after the end still counts', () => {
    const events: ConversationEvent[] = [
      msg('user', 0, 0),
      msg('bot', 0, 1000),
      { type: 'end', at: t0 + 2000, reason: 'idle' },
      { type: 'csat-shown', at: t0 + 2000 },
      { type: 'end', at: t0 + 9000, reason: 'end' },
      { type: 'csat', at: t0 + 3000, score: 2, comment: 'slow' },
    ];
    expect(summarize(meta, events, { revision: 1 })).toMatchObject({
      endReason: 'idle',
      endedAt: new Date(t0 + 2000).toISOString(),
      csat: { score: 2, comment: 'slow' },
      csatShown: true,
      outcome: 'unresolved',
    });
  });

  it('summarises sentiment per user message as first, last, min and mean', () => {
    const events: ConversationEvent[] = [
      msg('user', 0, 0),
      { type: 'sentiment', at: t0 + 10, message: 0, compound: -0.2 },
      msg('bot', 0, 1000),
      msg('user', 1, 2000),
      { type: 'sentiment', at: t0 + 2010, message: 1, compound: 0.8 },
      { type: 'end', at: t0 + 3000, reason: 'end' },
    ];
    const s = summarize(meta, events, { revision: 1 });
    expect(s.sentiment).toEqual({ first: -0.2, last: 0.8, min: -0.2, mean: 0.3 });
    expect(s).toMatchObject({ outcome: 'resolved', resolution: 'inferred' });
  });

  it('records a handoff as escalation', () => {
    const events: ConversationEvent[] = [msg('user', 0, 0), { type: 'handoff', at: t0 + 1, source: 'control' }, { type: 'end', at: t0 + 1, reason: 'handoff' }];
    expect(summarize(meta, events, { revision: 1 })).toMatchObject({ handoff: true, endReason: 'handoff', outcome: 'escalated' });
  });
});

describe('trace ids set through the API', () => {
  it('replace the one read from the page, on ratings and in traceIds', () => {
    const events: ConversationEvent[] = [
      msg('user', 0, 0),
      msg('bot', 0, 1000, null),
      { type: 'trace', at: t0 + 1100, message: 0, traceId: 'lf-trace-9' },
      { type: 'vote', at: t0 + 1200, message: 0, value: 'down' },
    ];
    const s = summarize(meta, events, { revision: 1 });
    expect(s.ratings).toEqual([{ message: 0, value: 'down', traceId: 'lf-trace-9' }]);
    expect(s.traceIds).toEqual(['lf-trace-9']);
  });
});

describe('summarize: intent and negative streak', () => {
  const sentiment = (message: number, compound: number, at: number): ConversationEvent => ({ type: 'sentiment', at: t0 + at, message, compound });

  it('carries the intent labelled on the device, and the longest run of negative user messages', () => {
    const events: ConversationEvent[] = [
      msg('user', 0, 0),
      { type: 'intent', at: t0 + 10, name: 'billing' },
      msg('bot', 0, 100),
      msg('user', 1, 200),
      msg('user', 2, 300),
      msg('user', 3, 400),
      msg('user', 4, 500),
      // Scores arrive out of order from the worker; runs follow message order.
      sentiment(2, -0.7, 600),
      sentiment(0, -0.6, 610),
      sentiment(1, -0.55, 620),
      sentiment(3, 0.2, 630),
      sentiment(4, -0.9, 640),
    ];
    const s = summarize(meta, events, { revision: 1 });
    expect(s.intent).toBe('billing');
    expect(s.negativeStreak).toBe(3);
    expect(v.safeParse(SummarySchema, s).success).toBe(true);
  });

  it('a message never scored breaks a run; no scores, no streak field', () => {
    const gap = summarize(meta, [msg('user', 0, 0), msg('user', 1, 1), msg('user', 2, 2), sentiment(0, -0.8, 3), sentiment(2, -0.8, 4)], { revision: 1 });
    expect(gap.negativeStreak).toBe(1);
    const none = summarize(meta, [msg('user', 0, 0)], { revision: 1 });
    expect(none.negativeStreak).toBeUndefined();
    expect(none.intent).toBeNull();
  });
});
