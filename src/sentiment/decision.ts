/**
 * The 3-class label. VADER labels a message polar as soon as its compound leaves ±0.05, so any
 * single lexicon hit ("I'll *check* the *free* trial tomorrow") makes it positive or negative.
 * Tweets and chats are often informational, so that over-calls sentiment. Here a small logistic
 * model decides *whether* a message is polar from cheap evidence the valence rules already
 * computed (how much sentiment, how strong, how it is expressed); the *direction* still comes from
 * the sign of `compound`, and `compound` itself is untouched (it stays VADER's calibrated score).
 *
 * The weights are fitted by tools/train-decision.ts on data we are allowed to use (see
 * README.md); they live in decision-weights.ts. Feature order here and there must match.
 */
import { DECISION_WEIGHTS } from './decision-weights.ts';
import type { Analysis } from './scorer.ts';
import type { SentimentLabel } from './types.ts';
import { isNegator } from './vocab.ts';

/** Openers of an informational question or request ("how do I …", "can you …"). */
const QUESTION_OPENERS = new Set([
  'how', 'what', 'where', 'when', 'why', 'who', 'which', 'whats', "what's", 'can', 'could',
  'would', 'will', 'is', 'are', 'do', 'does', 'did', 'should', 'any', 'anyone', 'has', 'have',
]);
const FIRST_PERSON = new Set(['i', "i'm", 'im', 'me', 'my', "i've", 'ive', "i'll", 'myself', 'mine']);
const SECOND_PERSON = new Set(['you', 'your', "you're", 'youre', 'ur', 'u', 'yours']);

/**
 * Deliberately absent: @mentions/links, digits and hashtags. In the training data they only mark
 * *which corpus* a text came from (tweets vs Reddit), so the model learned "has a mention ⇒
 * polar", which is wrong for tweets and chats in general.
 */
export const FEATURE_NAMES = [
  'bias', 'absCompound', 'posMass', 'negMass', 'logHits', 'maxAbs', 'weakOnly', 'exclaim',
  'question', 'questionOpener', 'emoticonHit', 'capsHit', 'stretched', 'logTokens', 'contrast',
  'mixed', 'negation', 'hitDensity', 'firstPerson', 'secondPerson',
] as const;
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** Writes the feature vector of one analysed message into `out` (length FEATURE_COUNT). */
export function features(a: Analysis, text: string, out: Float64Array): void {
  const { tokens, valence } = a;
  const n = tokens.length;
  let pos = 0;
  let neg = 0;
  let hits = 0;
  let maxAbs = 0;
  let emoticon = 0;
  let caps = 0;
  let stretched = 0;
  let negation = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const v = valence[i]!;
    const w = t.w;
    if (v !== 0) {
      hits++;
      if (v > 0) pos += v;
      else neg -= v;
      const m = v < 0 ? -v : v;
      if (m > maxAbs) maxAbs = m;
      const c0 = w.charCodeAt(0);
      if (c0 < 97 || c0 > 122) emoticon = 1;
      if (t.caps) caps = 1;
    }
    if (t.stretched) stretched = 1;
    if (isNegator(w)) negation = 1;
    else if (FIRST_PERSON.has(w)) first = 1;
    else if (SECOND_PERSON.has(w)) second = 1;
  }
  out[0] = 1;
  out[1] = a.compound < 0 ? -a.compound : a.compound;
  out[2] = Math.min(pos, 8) / 4;
  out[3] = Math.min(neg, 8) / 4;
  out[4] = Math.log1p(hits);
  out[5] = Math.min(maxAbs, 4) / 4;
  out[6] = hits > 0 && maxAbs < 1.6 ? 1 : 0;
  out[7] = a.exclamations > 0 ? 1 : 0;
  out[8] = a.questions > 0 ? 1 : 0;
  out[9] = n > 0 && QUESTION_OPENERS.has(tokens[0]!.w) ? 1 : 0;
  out[10] = emoticon;
  out[11] = caps;
  out[12] = stretched;
  out[13] = Math.log1p(n) / 3;
  out[14] = a.contrastAt >= 0 ? 1 : 0;
  out[15] = pos > 0 && neg > 0 ? 1 : 0;
  out[16] = negation;
  out[17] = n > 0 ? hits / n : 0;
  out[18] = first;
  out[19] = second;
}

const x = new Float64Array(FEATURE_COUNT);

/** Probability that the message expresses sentiment at all (logistic model). */
export function polarity(a: Analysis, text: string): number {
  features(a, text, x);
  let z = 0;
  for (let k = 0; k < FEATURE_COUNT; k++) z += DECISION_WEIGHTS[k]! * x[k]!;
  return 1 / (1 + Math.exp(-z));
}

export function decideLabel(a: Analysis, text: string): SentimentLabel {
  if (a.compound === 0) return 'neutral';
  if (polarity(a, text) < 0.5) return 'neutral';
  return a.compound > 0 ? 'positive' : 'negative';
}
