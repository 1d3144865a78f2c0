/**
 * The 3-class label. VADER labels a message polar as soon as its compound leaves ±0.05, so any
 * single lexicon hit ("I'll *check* the *free* trial tomorrow") makes it positive or negative.
 * Tweets and chats are often informational, so that over-calls sentiment, and a lexicon cannot
 * know that "good luck" is a courtesy or that "free" in "free shipping" is not a feeling.
 *
 * Here a small multinomial logistic model (neutral is the reference class) reads three kinds of
 * evidence: dense features that are by-products of the valence rules (how much sentiment, how
 * strong, how it is expressed, the signed compound); how the text is written (capitalised names,
 * digits, links); and hashed words and the word pairs around lexicon words (feature hashing: no
 * vocabulary ships, a word's bucket is a hash of its spelling).
 * The model answers whether a message is polar; the direction is the sign of `compound` where it
 * has one (see `labelFor`). `compound` itself is untouched: it stays VADER's calibrated score.
 *
 * The weights are fitted by tools/train-decision.ts on data we are allowed to use (see
 * README.md); they live in decision-weights.ts. Feature order here and there must match.
 */
import { DENSE_NEGATIVE, DENSE_POSITIVE, HASHED_SCALE, HASHED_WEIGHTS } from './decision-weights.ts';
import type { Analysis } from './scorer.ts';
import type { SentimentLabel } from './types.ts';

/** Openers of an informational question or request ("how do I …", "can you …"). */
const QUESTION_OPENERS = new Set([
  'how', 'what', 'where', 'when', 'why', 'who', 'which', 'whats', "what's", 'can', 'could',
  'would', 'will', 'is', 'are', 'do', 'does', 'did', 'should', 'any', 'anyone', 'has', 'have',
]);
const FIRST_PERSON = new Set(['i', "i'm", 'im', 'me', 'my', "i've", 'ive', "i'll", 'myself', 'mine']);
const SECOND_PERSON = new Set(['you', 'your', "you're", 'youre', 'ur', 'u', 'yours']);

/**
 * The dense features, in weight order. Mentions, links, digits and hashtags (`textShape`) were
 * left out while the only tweets in training were the VADER ones, because then they marked which
 * corpus a text came from (tweets vs Reddit). With tens of thousands of tweets of both classes
 * they say how a text is written instead.
 */
export const FEATURE_NAMES = [
  'bias', 'absCompound', 'posMass', 'negMass', 'logHits', 'maxAbs', 'weakOnly', 'exclaim',
  'question', 'questionOpener', 'emoticonHit', 'capsHit', 'stretched', 'logTokens', 'contrast',
  'mixed', 'negation', 'hitDensity', 'firstPerson', 'secondPerson', 'compound',
  'titleCaseWords', 'digits', 'link', 'mention', 'hashtag',
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
    if (t.negator) negation = 1;
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
  out[20] = a.compound;
  textShape(text, out, 21);
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;

/**
 * How the message is written, from its raw text: the share of capitalised words inside
 * sentences (names and titles: "Dark Souls 3 April Launch Date"), and whether it has digits,
 * links, mentions or hashtags. Announcements and news are written like this; feelings rarely are.
 */
function textShape(text: string, out: Float64Array, at: number): void {
  let words = 0;
  let titled = 0;
  let digits = 0;
  let link = 0;
  let mention = 0;
  let hashtag = 0;
  let sentenceStart = true;
  let wordStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9) {
      wordStart = true;
      continue;
    }
    if (wordStart) {
      words++;
      if (!sentenceStart && isUpper(c) && isLower(text.charCodeAt(i + 1))) titled++;
      if (c === 64 && i + 1 < text.length) mention = 1;
      else if (c === 35 && isLower(text.charCodeAt(i + 1) | 32)) hashtag = 1;
      else if ((c === 104 && text.startsWith('http', i)) || (c === 119 && text.startsWith('www.', i))) link = 1;
      wordStart = false;
      sentenceStart = false;
    }
    if (c >= 48 && c <= 57) digits = 1;
    if (c === 46 || c === 33 || c === 63) sentenceStart = true;
  }
  out[at] = words > 1 ? titled / (words - 1) : 0;
  out[at + 1] = digits;
  out[at + 2] = link;
  out[at + 3] = mention;
  out[at + 4] = hashtag;
}

/**
 * log2 of the number of hash buckets. The lower half holds lexicon words and the word pairs
 * around them; the upper half every other word, so that the many topic words ("iphone",
 * "tonight") never share a bucket with a sentiment word.
 */
export const HASH_BITS = 12;
const HALF_MASK = (1 << (HASH_BITS - 1)) - 1;
const OTHER_WORDS = 1 << (HASH_BITS - 1);

/** FNV-1a over a string's UTF-16 units: stable across engines, no allocation. */
export function fnv1a(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h;
}

const mix = (a: number, b: number) => Math.imul(a ^ (b >>> 15), 0x2c1b3c6d) ^ b;
const NEGATED_SALT = 0x5bd1e995;
const PAIR_SALT = 0x27d4eb2f;

/**
 * Calls `visit` with the bucket of every hashed feature of the message: each word, marked when a
 * negator precedes it in its clause (so "not good" and "good" differ), and each pair of adjacent
 * words within a clause of which at least one is a lexicon word ("can't wait", "good luck",
 * "free shipping"). Mentions and links (empty words) are skipped.
 */
export function forEachBucket(a: Analysis, visit: (bucket: number) => void): void {
  const tokens = a.tokens;
  let prev = 0;
  let prevKnown = false;
  let negatedUntilBoundary = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.w === '') {
      // A mention or link: no feature, but it ends a pair, and its punctuation a clause.
      prev = 0;
      if (t.boundary !== 0) negatedUntilBoundary = false;
      continue;
    }
    const h = fnv1a(t.w);
    const known = t.known;
    const word = (negatedUntilBoundary ? mix(h, NEGATED_SALT) : h) & HALF_MASK;
    visit(known ? word : OTHER_WORDS + word);
    if (prev !== 0 && (known || prevKnown)) visit(mix(mix(prev, PAIR_SALT), h) & HALF_MASK);
    if (t.negator || t.w === 'no') negatedUntilBoundary = true;
    prev = h;
    prevKnown = known;
    if (t.boundary !== 0) {
      prev = 0;
      negatedUntilBoundary = false;
    }
  }
}

/**
 * Hashed weights are 4-bit levels, one character each, two per bucket (negative, positive):
 * level = index in this alphabet − 8. One character per weight (not base64 over bytes) keeps
 * the frequent small levels as repeated characters, which gzip codes in a few bits.
 */
export const LEVELS = 'ABCDEFGHIJKLMNOP';
export const LEVEL_OFFSET = 8;
const hashed = decodeLevels(HASHED_WEIGHTS);

export function decodeLevels(encoded: string): Int8Array {
  const out = new Int8Array(encoded.length);
  for (let i = 0; i < encoded.length; i++) out[i] = LEVELS.indexOf(encoded[i]!) - LEVEL_OFFSET;
  return out;
}

const x = new Float64Array(FEATURE_COUNT);
let hashedNegative = 0;
let hashedPositive = 0;
const addBucket = (bucket: number) => {
  hashedNegative += hashed[2 * bucket]!;
  hashedPositive += hashed[2 * bucket + 1]!;
};

/** The model's logits of negative and positive against neutral (0). */
export function logits(a: Analysis, text: string): { negative: number; positive: number } {
  features(a, text, x);
  let negative = 0;
  let positive = 0;
  for (let k = 0; k < FEATURE_COUNT; k++) {
    negative += DENSE_NEGATIVE[k]! * x[k]!;
    positive += DENSE_POSITIVE[k]! * x[k]!;
  }
  hashedNegative = 0;
  hashedPositive = 0;
  forEachBucket(a, addBucket);
  return { negative: negative + hashedNegative * HASHED_SCALE, positive: positive + hashedPositive * HASHED_SCALE };
}

/**
 * The label from the model's logits against neutral. The model decides *whether* a message is
 * polar. The direction is the valence rules' own (negation, "no problem", sarcasm, contrast)
 * wherever they found sentiment, so the label never contradicts a non-zero `compound`. Where they
 * found none (compound 0: "the plot was predictable") the learned word weights may still call the
 * message polar, and then give the direction too. On the dev parts this tied with "compound 0 is
 * always neutral" and kept the VADER tweets at 0.906 instead of 0.900 (tools/train-decision.ts,
 * which scores its models with this same function).
 */
export function labelFor(compound: number, negative: number, positive: number): SentimentLabel {
  if (negative <= 0 && positive <= 0) return 'neutral';
  if (compound === 0) return positive >= negative ? 'positive' : 'negative';
  return compound > 0 ? 'positive' : 'negative';
}

export function decideLabel(a: Analysis, text: string): SentimentLabel {
  if (a.tokens.length === 0) return 'neutral';
  const { negative, positive } = logits(a, text);
  return labelFor(a.compound, negative, positive);
}
