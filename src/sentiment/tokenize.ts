/**
 * One pass over a message: whitespace tokens, lower-cased, with VADER's edge-punctuation
 * stripping, and the flags the rules need. Everything else reads these tokens; nothing
 * re-scans the text.
 */
import { LEXICON, NEGATED, SPELLINGS } from './lexicon.ts';
import { isNegator } from './vocab.ts';

/** What punctuation ended a token: nothing, a clause (, ; :) or a sentence (. ! ? …). */
export const Boundary = { None: 0, Clause: 1, Sentence: 2 } as const;
export type Boundary = (typeof Boundary)[keyof typeof Boundary];

export interface Token {
  /** Lower-cased lexicon key ("" for mentions and links, which carry no sentiment). */
  w: string;
  /** ALL CAPS as typed (VADER's emphasis rule). */
  caps: boolean;
  /** Letters stretched for emphasis ("sooo gooood"). */
  stretched: boolean;
  boundary: Boundary;
  /** Trailing "..": marks a trailing-off or sarcastic pause ("great... another error"). */
  ellipsis: boolean;
  /** A negator ("not", "never", any "n't"), looked up once here for every rule that asks. */
  negator: boolean;
  /** In the lexicon, or a word with a negated valence ("work"): a sentiment word to the label model. */
  known: boolean;
}

export interface Tokens {
  tokens: Token[];
  exclamations: number;
  questions: number;
}

// Emoji ranges: Misc Symbols/Dingbats and the astral pictographs (surrogate pairs).
const EMOJI = /(?:[\u2600-\u27bf]|\ud83c[\udf00-\udfff]|\ud83d[\udc00-\udeff]|\ud83e[\udd00-\udeff])\ufe0f?/g;
const HAS_EMOJI = /[\u2600-\u27bf\ud83c-\ud83e]/;

function isPunct(c: number): boolean {
  // ASCII punctuation (VADER's string.punctuation), the ellipsis and curly quotes.
  return (
    (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
    (c >= 123 && c <= 126) || c === 0x2026 || (c >= 0x2018 && c <= 0x201d)
  );
}

/** Python's str.isupper() given that the slice has an upper-case letter: no lower-case one. */
function isCaps(raw: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
  }
  return true;
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0;

/** "gooood" → "good", then "god" only if the doubled form is unknown. */
function unstretch(w: string): string | undefined {
  // Fast exit: most lexicon misses are ordinary words with no letter repeated 3 times.
  let found = false;
  for (let i = 2; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c === w.charCodeAt(i - 1) && c === w.charCodeAt(i - 2)) {
      found = true;
      break;
    }
  }
  if (!found) return undefined;
  let two = '';
  let one = '';
  let run = 0;
  let stretched = false;
  for (let i = 0; i < w.length; i++) {
    const ch = w[i]!;
    run = i > 0 && w[i - 1] === ch ? run + 1 : 1;
    if (run >= 3) stretched = true;
    if (run <= 2) two += ch;
    if (run === 1) one += ch;
  }
  if (!stretched) return undefined;
  if (LEXICON.has(two) || SPELLINGS.has(two)) return two;
  if (LEXICON.has(one)) return one;
  return two;
}

/** "hahahaha", "hehehe" → "haha" ("loool" is handled by unstretch). Only runs on lexicon misses. */
const LAUGHTER = /^h?(?:[ae]h){2,}[ae]?$/;

/** Last-resort inflections for lexicon misses: "lovin" → "loving", "coolest" → "cool". */
function stem(w: string): string {
  const n = w.length;
  if (n < 4) return w;
  let base: string;
  if (w.endsWith('in')) base = `${w}g`;
  else if (w.endsWith('est')) base = w.slice(0, -3);
  else if (w.endsWith('s')) base = w.slice(0, -1);
  else return w;
  if (LEXICON.has(base)) return base;
  if (w.endsWith('est') && LEXICON.has(`${base}e`)) return `${base}e`; // "nicest" → "nice"
  return w;
}

/** What punctuation from `from` to the end of the token says: a boundary, a trailing "..". */
function trailing(raw: string, from: number): { boundary: Boundary; ellipsis: boolean } {
  let boundary: Boundary = Boundary.None;
  let ellipsis = false;
  for (let i = from; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 46 /* . */ && raw.charCodeAt(i + 1) === 46) ellipsis = true;
    if (c === 0x2026) ellipsis = true;
    if (c === 46 || c === 33 || c === 63 || c === 0x2026) boundary = Boundary.Sentence;
    else if ((c === 44 || c === 59 || c === 58) && boundary === Boundary.None) boundary = Boundary.Clause;
  }
  return { boundary, ellipsis };
}

function push(out: Token[], raw: string): void {
  const lower = raw.toLowerCase();
  const first = raw.charCodeAt(0);
  let e = raw.length;
  while (e > 0 && isPunct(raw.charCodeAt(e - 1))) e--;
  if (first === 64 /* @ */ || lower.startsWith('http') || lower.startsWith('www.')) {
    // No sentiment, but "not @bob. great": the sentence still ends here.
    const { boundary } = trailing(raw, e);
    out.push({ w: '', caps: false, stretched: false, boundary, ellipsis: false, negator: false, known: false });
    return;
  }
  // Emoticons (":)", ":-(", "</3") are lexicon entries made of punctuation: look up as typed.
  // Only a token that starts or ends with punctuation can be one (and needs this extra lookup).
  const edged = isPunct(first) || e < raw.length;
  if (edged && raw.length > 1 && LEXICON.has(lower)) {
    const caps = lower !== raw && isCaps(raw, 0, raw.length);
    out.push({ w: lower, caps, stretched: false, boundary: Boundary.None, ellipsis: false, negator: false, known: true });
    return;
  }
  // Trailing punctuation first: a token of punctuation only ("...", "!") is then all trailing.
  let s = 0;
  while (s < e && isPunct(raw.charCodeAt(s))) s++;
  const { boundary, ellipsis } = trailing(raw, e);
  // A bare "..." or "!" token marks the end of the word before it.
  const prev = out[out.length - 1];
  if (e - s < 2) {
    if (prev !== undefined && e === s) {
      if (boundary > prev.boundary) prev.boundary = boundary;
      if (ellipsis) prev.ellipsis = true;
    }
    return; // VADER ignores single characters ("I", "a")
  }
  // Lower-casing can change the length ("İ"): then slice the raw token and lower-case the slice.
  let w = s === 0 && e === raw.length ? lower : lower.length === raw.length ? lower.slice(s, e) : raw.slice(s, e).toLowerCase();
  const caps = w !== raw.slice(s, e) && isCaps(raw, s, e);
  let stretched = false;
  if (!LEXICON.has(w)) {
    const spelled = SPELLINGS.get(w);
    if (spelled !== undefined) w = spelled;
    else if (w.charCodeAt(0) === 104 && LAUGHTER.test(w)) w = 'haha';
    else {
      const u = unstretch(w);
      if (u !== undefined) {
        w = SPELLINGS.get(u) ?? u;
        stretched = true;
      } else w = stem(w);
    }
  }
  out.push({ w, caps, stretched, boundary, ellipsis, negator: isNegator(w), known: LEXICON.has(w) || NEGATED.has(w) });
}

export function tokenize(input: string): Tokens {
  let text = input;
  if (text.includes('\u2019')) text = text.replace(/\u2019/g, "'");
  // Emoji glued to words ("great😀") become tokens of their own, without the VS16 selector.
  if (HAS_EMOJI.test(text)) text = text.replace(EMOJI, (m) => ` ${m.replace('\ufe0f', '')} `);
  const tokens: Token[] = [];
  let exclamations = 0;
  let questions = 0;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c === 33) exclamations++;
    else if (c === 63) questions++;
    if (isSpace(c)) {
      if (start >= 0) push(tokens, text.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return { tokens, exclamations, questions };
}
