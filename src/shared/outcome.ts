// The outcome rules of DESIGN.md ("Metric definitions"), as one pure function shared by the
// widget (which classifies) and by tests and tools (which check).
import type { EndReason, Outcome, Resolution, Vote } from './summary.ts';

/** Sentiment at or above this on the last user message infers resolution. */
export const POSITIVE_SENTIMENT = 0.3;
/** Sentiment at or below this on the last user message is a negative signal. */
export const NEGATIVE_SENTIMENT = -0.5;

export type SignalKind = 'thumb' | 'csat' | 'resolve' | 'sentiment';

/** A positive or negative signal at a point in time; order decides "no later positive signal". */
export interface Signal {
  kind: SignalKind;
  polarity: 'positive' | 'negative';
  at: number;
}

export interface OutcomeInput {
  endReason: EndReason | null;
  handoff: boolean;
  userMessages: number;
  /** The user's last message came after the last bot message. */
  lastUserUnanswered: boolean;
  /** Current vote on the last bot message, with when it was cast. */
  lastBotVote: { value: Vote; at: number } | null;
  csat: { score: number; at: number } | null;
  resolvedAt: number | null;
  /** Sentiment of the last user message, with the message's time. */
  lastUserSentiment: { compound: number; at: number } | null;
}

export interface OutcomeResult {
  outcome: Outcome | null;
  resolution: Resolution | null;
}

export function signalsOf(input: OutcomeInput): Signal[] {
  const signals: Signal[] = [];
  if (input.lastBotVote) {
    signals.push({ kind: 'thumb', polarity: input.lastBotVote.value === 'up' ? 'positive' : 'negative', at: input.lastBotVote.at });
  }
  if (input.csat) {
    if (input.csat.score >= 4) signals.push({ kind: 'csat', polarity: 'positive', at: input.csat.at });
    else if (input.csat.score <= 2) signals.push({ kind: 'csat', polarity: 'negative', at: input.csat.at });
  }
  if (input.resolvedAt !== null) signals.push({ kind: 'resolve', polarity: 'positive', at: input.resolvedAt });
  if (input.lastUserSentiment) {
    const { compound, at } = input.lastUserSentiment;
    if (compound >= POSITIVE_SENTIMENT) signals.push({ kind: 'sentiment', polarity: 'positive', at });
    else if (compound <= NEGATIVE_SENTIMENT) signals.push({ kind: 'sentiment', polarity: 'negative', at });
  }
  // Stable on ties: a later-listed signal of the same instant counts as later.
  return signals.map((s, i) => ({ s, i })).sort((a, b) => a.s.at - b.s.at || a.i - b.i).map((x) => x.s);
}

/** Classifies an ended conversation; open conversations have no outcome yet. */
export function classify(input: OutcomeInput): OutcomeResult {
  if (input.endReason === null) return { outcome: null, resolution: null };
  if (input.handoff) return { outcome: 'escalated', resolution: null };

  const signals = signalsOf(input);
  const leftWithoutWord = input.endReason === 'exit' || input.endReason === 'idle';
  if (leftWithoutWord && input.userMessages > 0) {
    if (input.lastUserUnanswered) return { outcome: 'abandoned', resolution: null };
    // DESIGN.md names thumbs-down and a strongly negative last message as the signals a user
    // leaves on; a low CSAT is an answer, not leaving, so it does not count here.
    const lastLeaving = signals.filter((s) => s.polarity === 'negative' && (s.kind === 'thumb' || s.kind === 'sentiment')).pop();
    if (lastLeaving && !signals.some((s) => s.polarity === 'positive' && s.at > lastLeaving.at)) {
      return { outcome: 'abandoned', resolution: null };
    }
  }

  const explicitPositive =
    (input.csat !== null && input.csat.score >= 4) || input.lastBotVote?.value === 'up' || input.resolvedAt !== null;
  if (explicitPositive) return { outcome: 'resolved', resolution: 'explicit' };

  const sentiment = input.lastUserSentiment;
  if (sentiment && sentiment.compound >= POSITIVE_SENTIMENT) {
    const negativeAfter = signals.some((s) => s.polarity === 'negative' && s.at > sentiment.at);
    if (!negativeAfter) return { outcome: 'resolved', resolution: 'inferred' };
  }

  const explicitNegative = (input.csat !== null && input.csat.score <= 2) || input.lastBotVote?.value === 'down';
  if (explicitNegative) return { outcome: 'unresolved', resolution: null };
  return { outcome: 'unknown', resolution: null };
}
