/**
 * Multi-word expressions whose sentiment is not the sum of their words: VADER's idioms plus
 * support-chat phrases ("still waiting", "waste of time", "talk to a human") and cheap sarcasm
 * ("thanks for nothing", "yeah right"). A match fixes the valence of the whole span, which
 * the word rules then leave alone.
 */
import type { Token } from './tokenize.ts';
import { tokenize } from './tokenize.ts';

const PHRASES: Record<string, number> = {
  // VADER's special-case idioms.
  'the shit': 3, 'the bomb': 3, 'bad ass': 1.5, 'cut the mustard': 2, 'kiss of death': -1.5,
  'hand to mouth': -2,
  // VADER's multi-word lexicon entries.
  "can't stand": -2, 'cant stand': -2, 'screwed up': -1.5, 'messed up': -1.5,
  // Sarcasm and dismissal.
  'yeah right': -2, 'yea right': -2, 'thanks for nothing': -2.5, 'thanks a lot for nothing': -2.5,
  'oh no': -1.5, 'what a joke': -2, 'are you kidding': -1.5, 'you kidding me': -1.5, 'give me a break': -1.5,
  // Polite closings that mean the problem was not solved.
  'thanks anyway': -0.6, 'thanks anyways': -0.6, 'thank you anyway': -0.6,
  'thank you anyways': -0.6, 'thanks though': -0.4, 'thanks tho': -0.4,
  'no thanks': 0, 'no thank you': 0, 'never mind': -0.3,
  // Waiting, failing, giving up.
  'still waiting': -2, 'still nothing': -2, 'still no': -1.2, 'waste of time': -2.5,
  'waste of my time': -2.5, 'waste of money': -2.5, 'stopped working': -2, 'stop working': -2,
  'keeps crashing': -2.3, 'keeps failing': -2, 'on hold': -1, 'for hours': -0.8,
  'for weeks': -0.8, 'any update': -0.5, 'any updates': -0.5, 'sick of': -2.2, 'fed up': -2.2,
  'had enough': -1.8, 'give up': -1.5, 'gave up': -1.5, 'never again': -2,
  'not good enough': -2, 'makes no sense': -1.5, 'going in circles': -1.8,
  // Asking for a person instead of the bot.
  'talk to a human': -1.2, 'speak to a human': -1.2, 'talk to a person': -1.2,
  'speak to a person': -1.2, 'talk to a real person': -1.2, 'speak to a real person': -1.2,
  'talk to an actual person': -1.2, 'talk to someone': -1, 'speak to someone': -1,
  'real person': -1, 'real human': -1, 'human agent': -1, 'live agent': -1,
  'talk to an agent': -1, 'speak to an agent': -1, 'talk to a representative': -1,
  'speak to a representative': -1,
  // Resolution.
  'works now': 2, 'working now': 2, 'works again': 2, 'working again': 2, "can't wait": 1.8,
  'cant wait': 1.8, 'cannot wait': 1.8, 'problem solved': 2, 'all good': 1.6,
  // Words that are not sentiment in these phrases.
  'make sure': 0, 'good morning': 0.6, 'good afternoon': 0.6, 'good evening': 0.6,
  'good night': 0.6, 'no problem': 1, 'no worries': 1, 'no problems': 1,
};

interface Phrase {
  rest: string[];
  valence: number;
}

/** First word → phrases starting with it, longest first. Tokenised like messages are. */
const BY_HEAD = new Map<string, Phrase[]>();
for (const [text, valence] of Object.entries(PHRASES)) {
  const words = tokenize(text).tokens.map((t) => t.w);
  const [head, ...rest] = words;
  if (head === undefined) continue;
  const list = BY_HEAD.get(head) ?? [];
  list.push({ rest, valence });
  list.sort((a, b) => b.rest.length - a.rest.length);
  BY_HEAD.set(head, list);
}

/**
 * Writes phrase valences into `valence` (at the phrase's first token, 0 for the rest) and
 * marks the covered tokens in `fixed`. Phrases do not run across sentence boundaries.
 */
export function applyPhrases(tokens: Token[], valence: number[], fixed: number[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const candidates = BY_HEAD.get(tokens[i]!.w);
    if (candidates === undefined) continue;
    for (const p of candidates) {
      if (!matches(tokens, i, p.rest)) continue;
      valence[i] = p.valence;
      fixed[i] = 1;
      for (let k = 1; k <= p.rest.length; k++) fixed[i + k] = 1;
      i += p.rest.length;
      break;
    }
  }
}

function matches(tokens: Token[], i: number, rest: string[]): boolean {
  if (i + rest.length >= tokens.length) return false;
  for (let k = 0; k < rest.length; k++) {
    // A phrase may not continue past the end of a sentence ("thanks. anyway, ...").
    if (tokens[i + k]!.boundary === 2) return false;
    if (tokens[i + k + 1]!.w !== rest[k]) return false;
  }
  return true;
}
