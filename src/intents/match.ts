// Labels a conversation with one of the site's intents from its first user messages. Runs in the
// browser (message text never leaves the device for this) and in the collector (to preview a
// definition in the dashboard). Keywords match whole words in scripts that separate words and as
// substrings in those that do not (Chinese, Japanese, Thai…); `/…/flags` entries are regexes.

import { LABEL_MESSAGES } from './limits.ts';

export interface IntentDefinition {
  /** The label conversations get, e.g. `billing`. */
  name: string;
  /** Keywords or phrases in any language, or regular expressions written as `/pattern/flags`. */
  patterns: string[];
}

/** A definition turned into something fast to test against many messages. */
export interface CompiledIntent {
  name: string;
  keywords: string[];
  regexes: RegExp[];
}

/** Only the start of a message is read: intents show in how people open, and it bounds the work. */
const MAX_TEXT = 500;

function normalize(text: string): string {
  // Case and accents should not decide a match: "Rückerstattung" ~ "ruckerstattung", "FACTURA" ~ "factura".
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
// Scripts written without spaces between words: a keyword there is found anywhere in the text.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

export function compileIntents(definitions: readonly IntentDefinition[]): CompiledIntent[] {
  return definitions.map((d) => {
    const keywords: string[] = [];
    const regexes: RegExp[] = [];
    for (const pattern of d.patterns) {
      const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
      if (regex) {
        try {
          regexes.push(new RegExp(regex[1]!, regex[2]!.replace(/[gy]/g, '')));
        } catch {
          // An invalid pattern is reported when it is saved; here it just never matches.
        }
      } else {
        const keyword = normalize(pattern);
        if (keyword) keywords.push(keyword);
      }
    }
    return { name: d.name, keywords, regexes };
  });
}

function containsKeyword(text: string, keyword: string): boolean {
  if (UNSPACED.test(keyword)) return text.includes(keyword);
  for (let at = text.indexOf(keyword); at >= 0; at = text.indexOf(keyword, at + 1)) {
    const before = text[at - 1];
    const after = text[at + keyword.length];
    if ((!before || !WORD_CHAR.test(before)) && (!after || !WORD_CHAR.test(after))) return true;
  }
  return false;
}

/** How strongly a message points at each intent: one point per keyword or regex that matches. */
function scoreMessage(text: string, intent: CompiledIntent): number {
  const raw = text.slice(0, MAX_TEXT);
  const normalized = normalize(raw);
  let score = 0;
  for (const keyword of intent.keywords) if (containsKeyword(normalized, keyword)) score++;
  for (const regex of intent.regexes) if (regex.test(raw)) score++;
  return score;
}

/**
 * The intent of a conversation from its first user messages: the one with the most matches in
 * the earliest message that matches any; ties go to the intent defined first. Null if none match.
 */
export function labelIntent(messages: readonly string[], intents: readonly CompiledIntent[]): string | null {
  for (const message of messages.slice(0, LABEL_MESSAGES)) {
    let best: CompiledIntent | null = null;
    let bestScore = 0;
    for (const intent of intents) {
      const score = scoreMessage(message, intent);
      if (score > bestScore) {
        best = intent;
        bestScore = score;
      }
    }
    if (best) return best.name;
  }
  return null;
}
