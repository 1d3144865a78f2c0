// Rebuilds a conversation's summary from its stored events. Pure, so the same events always give
// the same summary, in the browser and in tests.
import { NEGATIVE_SENTIMENT, classify, type OutcomeInput } from '../shared/outcome.ts';
import type { Rating, SentimentSummary, Summary } from '../shared/summary.ts';
import type { ConversationEvent, ConversationMeta, Vote } from '../types.ts';

export interface SummarizeOptions {
  revision: number;
  /** Summaries sent as the page goes away treat an open conversation as left (`exit`) at this time. */
  exitAt?: number;
}

const iso = (t: number): string => new Date(t).toISOString();

export function summarize(meta: ConversationMeta, events: readonly ConversationEvent[], options: SummarizeOptions): Summary {
  let user = 0;
  let bot = 0;
  let lastUserAt = -1;
  let lastUserIndex = -1;
  const userTexts: string[] = [];
  let lastBotIndex = -1;
  // Event order, not timestamps, decides whether the user's last message was answered: two
  // messages can share a millisecond.
  let lastUserSeq = -1;
  let lastBotSeq = -1;
  const traceByMessage = new Map<number, string | null>();
  const votes = new Map<number, { value: Vote; at: number }>();
  const sentimentByMessage = new Map<number, number>();
  let csat: { score: number; comment: string | null; at: number } | null = null;
  let csatShown = false;
  let handoff = false;
  let resolvedAt: number | null = null;
  let end: { reason: Summary['endReason']; at: number } | null = null;
  let intent = meta.intent;

  for (const [seq, e] of events.entries()) {
    switch (e.type) {
      case 'message':
        if (e.role === 'user') {
          user++;
          lastUserAt = e.at;
          lastUserIndex = e.index;
          lastUserSeq = seq;
          if (e.text !== undefined) userTexts.push(e.text);
        } else {
          bot++;
          lastBotIndex = e.index;
          lastBotSeq = seq;
          traceByMessage.set(e.index, e.traceId);
        }
        break;
      case 'vote':
        if (e.value === null) votes.delete(e.message);
        else votes.set(e.message, { value: e.value, at: e.at });
        break;
      case 'csat-shown':
        csatShown = true;
        break;
      case 'csat':
        csat = { score: e.score, comment: e.comment, at: e.at };
        break;
      case 'handoff':
        handoff = true;
        break;
      case 'resolve':
        resolvedAt = e.at;
        break;
      case 'end':
        // The first end wins: later ends (a second close click) do not move the end time.
        end ??= { reason: e.reason, at: e.at };
        break;
      case 'sentiment':
        sentimentByMessage.set(e.message, e.compound);
        break;
      case 'trace':
        traceByMessage.set(e.message, e.traceId);
        break;
      case 'intent':
        intent = e.name;
        break;
    }
  }
  const scores = [...sentimentByMessage.entries()].sort(([a], [b]) => a - b);
  if (!end && options.exitAt !== undefined) end = { reason: 'exit', at: options.exitAt };

  const ratings: Rating[] = [...votes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([message, vote]) => ({ message, value: vote.value, traceId: traceByMessage.get(message) ?? null }));
  const up = ratings.filter((r) => r.value === 'up').length;

  const lastUserSentiment = sentimentByMessage.get(lastUserIndex);
  const input: OutcomeInput = {
    endReason: end?.reason ?? null,
    handoff,
    userMessages: user,
    lastUserUnanswered: lastUserSeq > lastBotSeq,
    lastBotVote: votes.get(lastBotIndex) ?? null,
    csat: csat ? { score: csat.score, at: csat.at } : null,
    resolvedAt,
    lastUserSentiment: lastUserSentiment === undefined ? null : { compound: lastUserSentiment, at: lastUserAt },
  };
  const { outcome, resolution } = classify(input);

  return {
    id: meta.id,
    revision: options.revision,
    site: meta.site,
    visitor: meta.visitor,
    page: meta.page,
    release: meta.release,
    locale: meta.locale,
    intent,
    startedAt: iso(meta.startedAt),
    endedAt: end ? iso(end.at) : null,
    endReason: end?.reason ?? null,
    messages: { user, bot },
    thumbs: { up, down: ratings.length - up },
    ratings,
    csat: csat ? { score: csat.score, comment: csat.comment } : null,
    csatShown,
    handoff,
    outcome,
    resolution,
    sentiment: sentimentOf(scores.map(([, c]) => c)),
    ...(scores.length > 0 ? { negativeStreak: longestNegativeRun(scores) } : {}),
    traceIds: [...new Set([...traceByMessage.values()].filter((t): t is string => t !== null))],
    ...(userTexts.length > 0 ? { text: { firstUser: userTexts[0]!, lastUser: userTexts[userTexts.length - 1]! } } : {}),
  };
}

/** Consecutive user messages (by index: an unscored message in between breaks the run) at or below the negative threshold. */
function longestNegativeRun(scores: ReadonlyArray<readonly [number, number]>): number {
  let longest = 0;
  let run = 0;
  let previous = -2;
  for (const [index, compound] of scores) {
    run = compound <= NEGATIVE_SENTIMENT ? (index === previous + 1 ? run + 1 : 1) : 0;
    previous = index;
    longest = Math.max(longest, run);
  }
  return longest;
}

function sentimentOf(scores: number[]): SentimentSummary | null {
  if (scores.length === 0) return null;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    first: round(scores[0]!),
    last: round(scores[scores.length - 1]!),
    min: round(Math.min(...scores)),
    mean: round(scores.reduce((a, b) => a + b, 0) / scores.length),
  };
}
