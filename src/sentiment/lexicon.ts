/**
 * The word → valence map the scorer looks up: VADER's lexicon, then ChatPulse's chat layer
 * and emoji on top. Decoded once per module load (a worker loads it once).
 */
import { CHAT_VALENCE, EMOJI_VALENCE, NEGATED_VALENCE, SPELLING } from './chat-lexicon.ts';
import { VADER_LEXICON } from './lexicon-data.ts';

function build(): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of VADER_LEXICON.split('\n')) {
    const tokens = line.split(' ');
    const valence = Number(tokens[0]);
    for (let i = 1; i < tokens.length; i++) map.set(tokens[i]!, valence);
  }
  for (const [word, valence] of Object.entries(CHAT_VALENCE)) {
    if (valence === 0) map.delete(word);
    else map.set(word, valence);
  }
  for (const [emoji, valence] of Object.entries(EMOJI_VALENCE)) map.set(emoji, valence);
  // Misspellings resolve to their word's valence, so the scorer needs one lookup per token.
  for (const [variant, word] of Object.entries(SPELLING)) {
    const valence = map.get(word);
    if (valence !== undefined) map.set(variant, valence);
  }
  return map;
}

export const LEXICON: ReadonlyMap<string, number> = build();

// Maps rather than object literals: lookups of arbitrary (mostly missing) words stay fast.
export const NEGATED: ReadonlyMap<string, number> = new Map(Object.entries(NEGATED_VALENCE));
export const SPELLINGS: ReadonlyMap<string, string> = new Map(Object.entries(SPELLING));
