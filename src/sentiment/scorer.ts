/**
 * VADER's valence algorithm (Hutto & Gilbert 2014), re-implemented over pre-tokenised input
 * and extended for chat: clause-bounded negation with chat-specific negated valences,
 * "no" as a determiner negator, context-dependent boosters ("pretty bad" vs "pretty"),
 * sarcasm flips, and later sentences weighing more.
 */
import { LEXICON, NEGATED } from './lexicon.ts';
import { applyPhrases } from './phrases.ts';
import type { Token } from './tokenize.ts';
import { tokenize } from './tokenize.ts';
import type { SentimentScore } from './types.ts';
import { decideLabel } from './decision.ts';
import {
  BOOSTERS,
  CONTRAST,
  DAMPENER_BIGRAM_HEADS,
  INTERJECTIONS,
  LIKE_NEUTRALISERS,
  SARCASM_PRIMERS,
} from './vocab.ts';

/** VADER's empirically derived constants. */
const CAPS_INCR = 0.733;
const NEGATION_SCALAR = -0.74;
const NORMALIZE_ALPHA = 15;
/** Stretched words ("sooo gooood") are emphasis, like caps but weaker. */
const STRETCH_INCR = 0.4;
/** Later sentences weigh more in chat: the last one by this factor over the first. */
export const SENTENCE_RAMP = 0.2;

export const POSITIVE_THRESHOLD = 0.05;
export const NEGATIVE_THRESHOLD = -0.05;

const sign = (v: number) => (v >= 0 ? 1 : -1);

/** True when the token at i is followed, in the same clause, by a sentiment word. */
function modifiesNext(tokens: Token[], i: number): boolean {
  const next = tokens[i + 1];
  if (next === undefined || tokens[i]!.boundary !== 0 || next.w === tokens[i]!.w) return false;
  const v = LEXICON.get(next.w);
  if (v !== undefined) return true;
  // "so very good": a booster followed by a booster still modifies.
  return BOOSTERS.has(next.w) && modifiesNext(tokens, i + 1);
}

/** Valence of the word at i with VADER's caps, booster and negation rules applied. */
function wordValence(tokens: Token[], i: number, capDiff: boolean): number {
  const t = tokens[i]!;
  const w = t.w;
  let v = LEXICON.get(w);
  const negated = v === undefined || v > 0 ? NEGATED.get(w) : undefined;
  if (v === undefined) {
    if (negated === undefined) return 0;
    v = 0; // "work", "help": neutral alone, negative when negated
  }
  if (BOOSTERS.has(w) && modifiesNext(tokens, i)) return 0; // "pretty bad", "damn good"
  if (w === 'no' && modifiesNext(tokens, i)) return 0; // "no help": negates instead
  // "kind of", "sort of" are dampeners (VADER), not kindness.
  if ((w === 'kind' || w === 'sort') && tokens[i + 1]?.w === 'of') return 0;
  if (w === 'like' && i > 0 && LIKE_NEUTRALISERS.has(tokens[i - 1]!.w)) return 0;
  // "Well, ..." opening a sentence is a discourse marker, not approval.
  if (w === 'well' && t.boundary === 1 && (i === 0 || tokens[i - 1]!.boundary === 2)) return 0;

  // Emoticons and emoji state the writer's feeling directly: "nope :-)" stays positive.
  const c0 = w.charCodeAt(0);
  if (c0 < 97 || c0 > 122 || INTERJECTIONS.has(w)) return v;
  if (t.caps && capDiff) v += sign(v) * CAPS_INCR;
  if (t.stretched) v += sign(v) * STRETCH_INCR;

  // Boosters add magnitude in the word's direction, also after negation ("still doesn't work").
  let boost = 0;
  let negations = 0;
  let intensified = false;
  for (let k = 1; k <= 3; k++) {
    const j = i - k;
    if (j < 0) break;
    const p = tokens[j]!;
    if (p.boundary !== 0) break; // negation and boosters stop at , ; . ! ?
    // A negator is used up by the nearer sentiment word: "aren't good at dirty talk".
    if (k > 1 && LEXICON.has(p.w) && !BOOSTERS.has(p.w) && p.w !== 'no') break;
    const b = BOOSTERS.get(p.w);
    if (b !== undefined && !(j > 0 && DAMPENER_BIGRAM_HEADS.has(tokens[j - 1]!.w) && p.w === 'of')) {
      let s = b;
      if (p.caps && capDiff) s += CAPS_INCR;
      boost += k === 1 ? s : k === 2 ? s * 0.95 : s * 0.9;
    } else if (p.w === 'of' && j > 0 && DAMPENER_BIGRAM_HEADS.has(tokens[j - 1]!.w)) {
      boost -= 0.293; // "kind of", "sort of"
    }
    if (p.w === 'no') {
      if (k === 1 && w !== 'no') negations++; // determiner "no": "no help", "no problem"
    } else if (p.negator) {
      // VADER: "never so good", "haven't been this happy" intensify rather than negate.
      const between = tokens[i - 1]!.w;
      if (k > 1 && (between === 'so' || between === 'this')) {
        if (p.w === 'never' || k === 3) intensified = true;
        else negations++;
      } else negations++;
    }
  }
  if (intensified) v *= 1.25;
  // "least" negates unless "at least" / "very least".
  if (i > 0 && tokens[i - 1]!.w === 'least') {
    const before = i > 1 ? tokens[i - 2]!.w : '';
    if (before !== 'at' && before !== 'very') negations++;
  }
  if (negations % 2 === 1) v = negated ?? v * NEGATION_SCALAR;
  else if (negations > 0) v *= NEGATION_SCALAR * NEGATION_SCALAR;
  return v === 0 ? 0 : v + sign(v) * boost;
}

/** What the valence rules found in one message: the inputs of `score` and of the label decision. */
export interface Analysis {
  tokens: Token[];
  /** Final per-token valences (after phrases, negation, sarcasm, contrast, sentence ramp). */
  valence: number[];
  /** VADER's normalised sum, in [-1, 1]. */
  compound: number;
  /** VADER's punctuation emphasis added to the sum. */
  emphasis: number;
  exclamations: number;
  questions: number;
  /** Index of the first "but"/"however"/"yet", or -1. */
  contrastAt: number;
}

export function analyse(text: string): Analysis {
  const { tokens, exclamations, questions } = tokenize(text);
  const n = tokens.length;

  let caps = 0;
  for (const t of tokens) if (t.caps) caps++;
  const capDiff = caps > 0 && caps < n;

  // Plain arrays, not typed ones: two small typed-array allocations per message cost about
  // an eighth of the scoring time (measured against the scorer of the previous commit).
  const valence: number[] = [];
  const fixed: number[] = [];
  for (let i = 0; i < n; i++) {
    valence.push(0);
    fixed.push(0);
  }
  applyPhrases(tokens, valence, fixed);
  let contrastAt = -1;
  let sentences = 1;
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    if (contrastAt < 0 && CONTRAST.has(t.w)) contrastAt = i;
    if (t.boundary === 2 && i < n - 1) sentences++;
    if (fixed[i] === 0) valence[i] = wordValence(tokens, i, capDiff);
  }

  // Sarcasm: a positive word after "oh"/"just" or trailing off ("great...") in an otherwise
  // negative message is meant the other way round ("oh great, it crashed again").
  let negMass = 0;
  for (let i = 0; i < n; i++) if (valence[i]! < 0) negMass -= valence[i]!;
  if (negMass >= 1) {
    for (let i = 0; i < n; i++) {
      const v = valence[i]!;
      if (v <= 0 || fixed[i] === 1) continue;
      const primed = i > 0 && SARCASM_PRIMERS.has(tokens[i - 1]!.w);
      if (primed || tokens[i]!.ellipsis) valence[i] = -v * 0.75;
    }
  }

  // "but"/"however": what follows dominates; later sentences dominate earlier ones.
  let sum = 0;
  let sentence = 0;
  for (let i = 0; i < n; i++) {
    let v = valence[i]!;
    if (contrastAt >= 0) v *= i < contrastAt ? 0.5 : i > contrastAt ? 1.5 : 1;
    if (sentences > 1) v *= 1 - SENTENCE_RAMP / 2 + (SENTENCE_RAMP * sentence) / (sentences - 1);
    if (tokens[i]!.boundary === 2) sentence++;
    valence[i] = v;
    sum += v;
  }

  const emphasis = punctuationEmphasis(exclamations, questions);
  if (sum > 0) sum += emphasis;
  else if (sum < 0) sum -= emphasis;
  const compound = Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + NORMALIZE_ALPHA)));
  return { tokens, valence, compound, emphasis, exclamations, questions, contrastAt };
}

export function score(text: string): SentimentScore {
  const a = analyse(text);
  if (a.tokens.length === 0) return { compound: 0, positive: 0, negative: 0, neutral: 0, label: 'neutral' };
  return { compound: a.compound, ...proportions(a.valence, a.emphasis), label: decideLabel(a, text) };
}

/** VADER: up to 4 "!" add 0.292 each; 2-3 "?" add 0.18 each, more add 0.96. */
function punctuationEmphasis(exclamations: number, questions: number): number {
  const ep = Math.min(exclamations, 4) * 0.292;
  const qm = questions > 3 ? 0.96 : questions > 1 ? questions * 0.18 : 0;
  return ep + qm;
}

/** VADER's pos/neg/neu: sentiment mass per side (+1 per word) against neutral word count. */
function proportions(valence: number[], emphasis: number) {
  let pos = 0;
  let neg = 0;
  let neu = 0;
  for (const v of valence) {
    if (v > 0) pos += v + 1;
    else if (v < 0) neg += v - 1;
    else neu += 1;
  }
  if (pos > -neg) pos += emphasis;
  else if (pos < -neg) neg -= emphasis;
  const total = pos - neg + neu;
  if (total === 0) return { positive: 0, negative: 0, neutral: 0 };
  return { positive: pos / total, negative: -neg / total, neutral: neu / total };
}

export function labelOf(compound: number): SentimentScore['label'] {
  if (compound >= POSITIVE_THRESHOLD) return 'positive';
  if (compound <= NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}
