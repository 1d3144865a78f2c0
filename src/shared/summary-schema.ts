// Runtime schema of the collect body. The collector validates every request with it; the types in
// summary.ts are the compile-time view of the same shape (a test keeps the two in step).
import * as v from 'valibot';
import { END_REASONS, OUTCOMES } from './summary.ts';

/** Bounds that keep one summary small and storage inert; the widget never gets near them. */
export const LIMITS = {
  summariesPerRequest: 200,
  idLength: 64,
  shortText: 200,
  urlLength: 2048,
  comment: 2000,
  messageText: 500,
  listItems: 500,
  messageCount: 100_000,
} as const;

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idLength), v.regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only'));
const shortText = v.pipe(v.string(), v.maxLength(LIMITS.shortText));
// valibot's isoTimestamp also accepts forms Date.parse cannot read (an hour-only offset such as
// `+05`); the store needs epoch milliseconds, so require both (else a 503 for bad input).
const isoDate = v.pipe(
  v.string(),
  v.maxLength(40),
  v.isoTimestamp(),
  v.check((text) => Number.isFinite(Date.parse(text)), 'Invalid timestamp: not readable as a date'),
);
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.messageCount));
const unit = v.pipe(v.number(), v.minValue(-1), v.maxValue(1));
const traceId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.shortText));

export const RatingSchema = v.object({
  message: count,
  value: v.picklist(['up', 'down']),
  traceId: v.nullable(traceId),
});

export const SummarySchema = v.object({
  id,
  revision: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)),
  site: id,
  visitor: id,
  page: v.pipe(v.string(), v.maxLength(LIMITS.urlLength)),
  release: v.nullable(shortText),
  locale: v.nullable(v.pipe(v.string(), v.maxLength(35))),
  intent: v.optional(v.nullable(shortText), null),
  startedAt: isoDate,
  endedAt: v.nullable(isoDate),
  endReason: v.nullable(v.picklist(END_REASONS)),
  messages: v.object({ user: count, bot: count }),
  thumbs: v.object({ up: count, down: count }),
  ratings: v.pipe(v.array(RatingSchema), v.maxLength(LIMITS.listItems)),
  csat: v.nullable(
    v.object({
      score: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
      comment: v.nullable(v.pipe(v.string(), v.maxLength(LIMITS.comment))),
    }),
  ),
  csatShown: v.boolean(),
  handoff: v.boolean(),
  outcome: v.nullable(v.picklist(OUTCOMES)),
  resolution: v.nullable(v.picklist(['explicit', 'inferred'])),
  sentiment: v.nullable(v.object({ first: unit, last: unit, min: unit, mean: unit })),
  traceIds: v.pipe(v.array(traceId), v.maxLength(LIMITS.listItems)),
  negativeStreak: v.optional(count),
  simulated: v.optional(v.boolean()),
  text: v.optional(
    v.nullable(
      v.object({
        firstUser: v.nullable(v.pipe(v.string(), v.maxLength(LIMITS.messageText))),
        lastUser: v.nullable(v.pipe(v.string(), v.maxLength(LIMITS.messageText))),
      }),
    ),
  ),
});

/** The envelope is checked first; each summary separately, so one bad summary spoils no other. */
/** What a browser gave up on purpose since its last acknowledged request, by reason. */
export const DROP_REASONS = ['rejected', 'too-large', 'corrupt', 'storage'] as const;

export const EnvelopeSchema = v.pipe(
  v.object({
    v: v.literal(1),
    site: id,
    sentAt: isoDate,
    summaries: v.pipe(v.array(v.unknown()), v.maxLength(LIMITS.summariesPerRequest)),
    dropped: v.optional(v.record(v.picklist(DROP_REASONS), v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)))),
  }),
  // An envelope carries summaries, or only drop counts (so a loss is reported even when nothing else is queued).
  v.forward(
    v.partialCheck([['summaries'], ['dropped']], (body) => body.summaries.length > 0 || Object.keys(body.dropped ?? {}).length > 0, 'must not be empty'),
    ['summaries'],
  ),
);

export type ValidSummary = v.InferOutput<typeof SummarySchema>;

export interface FieldIssue {
  path: string;
  message: string;
}

/** Flattens valibot issues into `{ path: "summaries.0.csat.score", message }` pairs for 400 bodies. */
export function fieldIssues(issues: readonly v.BaseIssue<unknown>[], prefix = ''): FieldIssue[] {
  return issues.slice(0, 20).map((issue) => {
    const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
    return { path: [prefix, path].filter(Boolean).join('.'), message: issue.message };
  });
}
