// What a site owner may save as intents (dashboard, config file, API). Bounded so that a
// definition stays cheap to fetch and to run on every visitor's device.
import safeRegex from 'safe-regex2';
import * as v from 'valibot';

export const INTENT_LIMITS = { intents: 50, patterns: 50, name: 60, pattern: 200 } as const;

const literalOf = (pattern: string) => /^\/(.+)\/([a-z]*)$/s.exec(pattern);

// Patterns run on every visitor's device: one with nested repetition such as (a+)+ can take
// exponential time on a crafted message and freeze the page, so such patterns are refused.
const linearRegex = (pattern: string): boolean => {
  const literal = literalOf(pattern);
  return !literal || safeRegex(literal[1]!);
};

const validRegex = (pattern: string): boolean => {
  const literal = literalOf(pattern);
  if (!literal) return true;
  try {
    new RegExp(literal[1]!, literal[2]!);
    return /^[dimsu]*$/.test(literal[2]!);
  } catch {
    return false;
  }
};

export const IntentSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(INTENT_LIMITS.name), v.regex(/^[^\p{C}]+$/u, 'no control characters')),
  patterns: v.pipe(
    v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(INTENT_LIMITS.pattern), v.check(validRegex, 'not a valid /regular expression/flags'), v.check(linearRegex, 'nested repetition such as (a+)+ can freeze a visitor\'s page: rewrite this /regular expression/ without it'))),
    v.minLength(1),
    v.maxLength(INTENT_LIMITS.patterns),
  ),
});

export const IntentListSchema = v.pipe(
  v.array(IntentSchema),
  v.maxLength(INTENT_LIMITS.intents),
  v.check((list) => new Set(list.map((i) => i.name)).size === list.length, 'intent names must be unique'),
);

/** `{ "site-id": [intents…] }`, the shape of a CHATPULSE_INTENTS file. */
export const IntentFileSchema = v.record(v.string(), IntentListSchema);

export type IntentList = v.InferOutput<typeof IntentListSchema>;
