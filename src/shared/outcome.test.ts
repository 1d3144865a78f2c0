import { describe, expect, it } from 'vitest';
import { classify, type OutcomeInput } from './outcome.ts';

const ended = (over: Partial<OutcomeInput> = {}): OutcomeInput => ({
  endReason: 'end',
  handoff: false,
  userMessages: 1,
  lastUserUnanswered: false,
  lastBotVote: null,
  csat: null,
  resolvedAt: null,
  lastUserSentiment: null,
  ...over,
});

describe('classify (DESIGN.md metric definitions, first rule that matches)', () => {
  it('has no outcome while the conversation is open', () => {
    expect(classify(ended({ endReason: null, csat: { score: 5, at: 1 } }))).toEqual({ outcome: null, resolution: null });
  });

  it('1. escalated whenever a handoff happened, even with positive signals', () => {
    expect(classify(ended({ handoff: true, csat: { score: 5, at: 2 } })).outcome).toBe('escalated');
  });

  it('2. abandoned: exit or idle while the last user message is unanswered', () => {
    expect(classify(ended({ endReason: 'exit', lastUserUnanswered: true })).outcome).toBe('abandoned');
    expect(classify(ended({ endReason: 'idle', lastUserUnanswered: true })).outcome).toBe('abandoned');
    // Closing the chat on purpose is not abandonment, answered or not.
    expect(classify(ended({ endReason: 'end', lastUserUnanswered: true })).outcome).toBe('unknown');
  });

  it('2. abandoned: leaving right after a thumbs-down or a very negative message', () => {
    expect(classify(ended({ endReason: 'exit', lastBotVote: { value: 'down', at: 5 } })).outcome).toBe('abandoned');
    expect(classify(ended({ endReason: 'idle', lastUserSentiment: { compound: -0.7, at: 5 } })).outcome).toBe('abandoned');
  });

  it('2. not abandoned when a positive signal follows the negative one', () => {
    const input = ended({ endReason: 'exit', lastUserSentiment: { compound: -0.6, at: 1 }, lastBotVote: { value: 'up', at: 2 } });
    expect(classify(input)).toEqual({ outcome: 'resolved', resolution: 'explicit' });
  });

  it('2. a mildly negative last message is not a leaving signal', () => {
    expect(classify(ended({ endReason: 'exit', lastUserSentiment: { compound: -0.4, at: 1 } })).outcome).toBe('unknown');
  });

  it('2. leaving without any user message is not abandonment', () => {
    expect(classify(ended({ endReason: 'exit', userMessages: 0, lastBotVote: { value: 'down', at: 1 } })).outcome).toBe('unresolved');
  });

  it('3. resolved explicitly by CSAT >= 4, thumbs-up on the last answer, or resolve()', () => {
    expect(classify(ended({ csat: { score: 4, at: 1 } }))).toEqual({ outcome: 'resolved', resolution: 'explicit' });
    expect(classify(ended({ lastBotVote: { value: 'up', at: 1 } }))).toEqual({ outcome: 'resolved', resolution: 'explicit' });
    expect(classify(ended({ resolvedAt: 1 }))).toEqual({ outcome: 'resolved', resolution: 'explicit' });
  });

  it('3. resolved by inference from a positive last message with no negative signal after it', () => {
    expect(classify(ended({ lastUserSentiment: { compound: 0.6, at: 1 } }))).toEqual({ outcome: 'resolved', resolution: 'inferred' });
    const downAfter = ended({ lastUserSentiment: { compound: 0.6, at: 1 }, lastBotVote: { value: 'down', at: 2 } });
    expect(classify(downAfter).outcome).toBe('unresolved');
    expect(classify(ended({ lastUserSentiment: { compound: 0.29, at: 1 } })).outcome).toBe('unknown');
  });

  it('4. unresolved by CSAT <= 2 or thumbs-down on the last answer', () => {
    expect(classify(ended({ csat: { score: 2, at: 1 } })).outcome).toBe('unresolved');
    expect(classify(ended({ lastBotVote: { value: 'down', at: 1 } })).outcome).toBe('unresolved');
  });

  it('5. unknown otherwise, including a CSAT of 3', () => {
    expect(classify(ended({ csat: { score: 3, at: 1 } })).outcome).toBe('unknown');
    expect(classify(ended()).outcome).toBe('unknown');
  });
});
