// Metric definitions of DESIGN.md as SQL aggregates, shared by the SQLite and PostgreSQL stores.
// Rows are conversations started in [from, to); rates divide by ended conversations with at least
// one user message (ended = endReason set: DESIGN.md has endReason null while open).
import type { ConversationQuery, GroupBy, MetricValues } from './types.ts';

const DAY_MS = 86_400_000;

/**
 * What differs between the SQL dialects the metrics run on. Booleans need nothing: SQLite stores
 * 0/1 and PostgreSQL `boolean`, and `CASE WHEN column` reads both the same way.
 */
export interface SqlDialect {
  /** `YYYY-MM-DD` (UTC) of an epoch-milliseconds column. */
  day(column: string): string;
  /** Whole UTC days since 1970-01-01 (floored, also before 1970) of an epoch-milliseconds column. */
  dayIndex(column: string): string;
  /** Placeholders for the range parameters (site, from, to), in the driver's style. */
  params: { site: string; from: string; to: string };
  /** A text expression that sorts bytewise (SQLite's default), so groups tie-break alike in both stores. */
  bytewise(expression: string): string;
  /** The n-th (1-based) positional parameter. */
  param(n: number): string;
}

export const sqliteDialect: SqlDialect = {
  // Seconds as a real, so a time before 1970 with a millisecond part falls on the right day.
  day: (column) => `strftime('%Y-%m-%d', ${column} / 1000.0, 'unixepoch')`,
  // Integer division truncates towards zero; shifting by the floored remainder floors it.
  dayIndex: (column) => `((${column} - ((${column} % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS}) / ${DAY_MS})`,
  params: { site: '@site', from: '@from', to: '@to' },
  bytewise: (expression) => expression,
  param: () => '?',
};

export const postgresDialect: SqlDialect = {
  // to_timestamp takes seconds; a double holds epoch milliseconds exactly (< 2^53).
  day: (column) => `to_char(to_timestamp(${column} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  dayIndex: (column) => `floor(${column} / ${DAY_MS}.0)::bigint`,
  params: { site: '$1', from: '$2', to: '$3' },
  bytewise: (expression) => `(${expression}) COLLATE "C"`,
  param: (n) => `$${n}`,
};

/**
 * First-contact resolution and returning visitors depend on a visitor's other conversations. Asking
 * that per row at query time (correlated subqueries) cost seconds at a million conversations, so each
 * row carries the answer, kept current on write (see arrivalFlags).
 *
 * - followed_up: the visitor started another conversation within 24 hours after this one.
 * - is_returning: the visitor had a conversation on another UTC day at most 7 days away. It depends
 *   on days only, so every conversation of a visitor-day has the same flag, which the embedded
 *   store's rollups (sqlite-rollups.ts) rely on to count returning visitors per day.
 */
function followsUp(earlier: string, later: string): string {
  return `${later}.started_at > ${earlier}.started_at AND ${later}.started_at <= ${earlier}.started_at + ${DAY_MS}`;
}

/** `other` falls on another UTC day at most RETURNING_DAYS from `row`'s (symmetric). */
function returnsNear(d: SqlDialect, row: string, other: string): string {
  const day = d.dayIndex(`${row}.started_at`);
  return `${other}.started_at >= (${day} - ${RETURNING_DAYS}) * ${DAY_MS} AND ${other}.started_at < (${day} + ${RETURNING_DAYS + 1}) * ${DAY_MS}
    AND ${d.dayIndex(`${other}.started_at`)} <> ${day}`;
}

const sameVisitor = (a: string, b: string): string => `${b}.site = ${a}.site AND ${b}.visitor = ${a}.visitor`;

/** Each flag of the `conversations` row at hand, from all of its visitor's conversations. */
function flagsOf(d: SqlDialect): { followedUp: string; returning: string } {
  return {
    followedUp: `EXISTS (SELECT 1 FROM conversations later WHERE ${sameVisitor('conversations', 'later')} AND ${followsUp('conversations', 'later')})`,
    returning: `EXISTS (SELECT 1 FROM conversations other WHERE ${sameVisitor('conversations', 'other')} AND ${returnsNear(d, 'conversations', 'other')})`,
  };
}

/** Recomputes both flags of the rows `where` selects, from all of their visitors' conversations. */
export function flagsUpdate(d: SqlDialect, where: string, target = 'conversations'): string {
  const flags = flagsOf(d);
  return `UPDATE ${target} SET
      followed_up = ${flags.followedUp},
      is_returning = ${flags.returning}
    WHERE ${where}`;
}

/**
 * What storing new conversations changes, as statements run after their rows are in (their own
 * flags start false), in the transaction that stores them:
 * - `own`: the new rows' flags, from every conversation of their visitors; it writes only the rows
 *   that get a flag.
 * - `followedUp`, `returning`: a flag can only turn on when a conversation arrives (a later revision
 *   keeps the visitor and start it began with), so the other rows change 0 → 1, and each statement
 *   reaches exactly the rows an arrival turns on, through the visitor index: for followed_up the
 *   visitor's conversations in the 24 hours before it, for is_returning those on the other days
 *   within RETURNING_DAYS. Recomputing every row near an arrival cost most of the ingest time: a
 *   visitor with k conversations in the window made each arrival rewrite k rows, each reading k.
 *
 * `arrivals` is a relation `n(visitor, started_at)` of the new conversations (one site), `fresh`
 * selects their rows. `target` may name the index to use: SQLite's planner, without statistics,
 * read the whole site's window through the time-ordered index instead of the visitor's.
 */
export function arrivalFlags(
  d: SqlDialect,
  site: string,
  arrivals: string,
  fresh: string,
  target = 'conversations',
): { own: string; followedUp: string; returning: string } {
  const { followedUp: later, returning: other } = flagsOf(d);
  const neighbours = `FROM ${arrivals} WHERE conversations.site = ${site} AND conversations.visitor = n.visitor`;
  return {
    own: `UPDATE conversations SET followed_up = ${later}, is_returning = ${other}
      WHERE site = ${site} AND ${fresh} AND (${later} OR ${other})`,
    followedUp: `UPDATE ${target} SET followed_up = true ${neighbours}
      AND conversations.started_at >= n.started_at - ${DAY_MS} AND conversations.started_at < n.started_at AND NOT conversations.followed_up`,
    returning: `UPDATE ${target} SET is_returning = true ${neighbours}
      AND ${returnsNear(d, 'n', 'conversations')} AND NOT conversations.is_returning`,
  };
}

/** A visitor returns when they chat on two UTC days at most this many days apart. */
export const RETURNING_DAYS = 7;

/**
 * Window (ms) around a conversation whose rows' flags it can change: every day within
 * RETURNING_DAYS, whole. When a conversation goes (retention) or changes visitor or start (a
 * revision that should not, but may), the flags of its old and new neighbourhoods are recomputed:
 * those can turn off as well as on.
 */
export const FLAG_WINDOW_MS = (RETURNING_DAYS + 1) * DAY_MS;

/**
 * The latest deleted start per visitor: every conversation whose flags a deleted one of the same
 * visitor decided starts within FLAG_WINDOW_MS of it, and the older ones are being deleted too.
 */
export function latestPerVisitor<R extends { site: string; visitor: string; started_at: number | string }>(gone: readonly R[]): R[] {
  const latest = new Map<string, R>();
  for (const row of gone) {
    const key = `${row.site}\u001f${row.visitor}`;
    const seen = latest.get(key);
    if (!seen || Number(seen.started_at) < Number(row.started_at)) latest.set(key, row);
  }
  return [...latest.values()];
}

/** The conversations of one site started in [from, to), with `rated` = counts in the rate denominators. */
function baseCte(d: SqlDialect): string {
  return `WITH base AS (
      SELECT conversations.*, (end_reason IS NOT NULL AND user_messages > 0) AS rated
      FROM conversations WHERE site = ${d.params.site} AND started_at >= ${d.params.from} AND started_at < ${d.params.to})`;
}

/**
 * One row of aggregates for a range. Distinct visitors are counted by grouping on the visitor in a
 * separate pass, which the visitor-ordered index answers without sorting (COUNT(DISTINCT) over the
 * time-ordered rows sorted a million visitors).
 */
export function metricsQuery(d: SqlDialect): string {
  const rangeWhere = `site = ${d.params.site} AND started_at >= ${d.params.from} AND started_at < ${d.params.to}`;
  return `${baseCte(d)}
    SELECT totals.*, people.visitors, people.returning_visitors
    FROM (SELECT ${aggregateColumns(false)} FROM base) totals,
      (SELECT COUNT(*) AS visitors, COALESCE(SUM(came_back), 0) AS returning_visitors
       FROM (SELECT MAX(CASE WHEN is_returning THEN 1 ELSE 0 END) AS came_back FROM conversations WHERE ${rangeWhere} GROUP BY visitor) per_visitor) people`;
}

/** One row of aggregates per group, days in order, other keys by size (at most 500 groups). */
export function groupedMetricsQuery(d: SqlDialect, groupBy: GroupBy): string {
  const key = groupKey(groupBy, d.day);
  const order = groupBy === 'day' ? 'key' : 'conversations DESC, key';
  return `${baseCte(d)} SELECT ${d.bytewise(key)} AS key, MIN(started_at) AS first_seen, ${aggregateColumns()} FROM base GROUP BY ${key} ORDER BY ${order} LIMIT 500`;
}

/** A conversation with this many negative user messages in a row is a "negative streak". */
export const NEGATIVE_STREAK = 2;

/** The conversation list's WHERE clause and its values, newest first. */
export function conversationsQuery(d: SqlDialect, q: ConversationQuery): { text: string; values: Array<string | number> } {
  const values: Array<string | number> = [q.site, q.from, q.to];
  const where = [`site = ${d.param(1)}`, `started_at >= ${d.param(2)}`, `started_at < ${d.param(3)}`];
  const equal = (column: string, value: string | undefined, nullable: boolean) => {
    if (value === undefined) return;
    // '(none)' is how groups show a conversation without a release or intent.
    if (nullable && value === '(none)') {
      where.push(`${column} IS NULL`);
      return;
    }
    values.push(value);
    where.push(`${column} = ${d.param(values.length)}`);
  };
  equal('outcome', q.outcome, false);
  equal('intent', q.intent, true);
  equal('release', q.release, true);
  equal('page', q.page, false);
  if (q.signal === 'thumbs-down') where.push('thumbs_down > 0');
  else if (q.signal === 'handoff') where.push('handoff');
  else if (q.signal === 'negative-streak') where.push(`negative_streak >= ${NEGATIVE_STREAK}`);
  values.push(q.limit);
  return { text: `SELECT summary FROM conversations WHERE ${where.join(' AND ')} ORDER BY started_at DESC LIMIT ${d.param(values.length)}`, values };
}

/** Aggregate columns over a `base` CTE of conversation rows. */
export function aggregateColumns(withVisitors = true): string {
  return `
    COUNT(*) AS conversations,
    SUM(CASE WHEN simulated THEN 1 ELSE 0 END) AS simulated,
    SUM(CASE WHEN rated THEN 1 ELSE 0 END) AS ended,
    SUM(CASE WHEN rated AND outcome = 'resolved' THEN 1 ELSE 0 END) AS resolved,
    SUM(CASE WHEN rated AND outcome = 'resolved' AND resolution = 'explicit' THEN 1 ELSE 0 END) AS resolved_explicit,
    SUM(CASE WHEN rated AND outcome = 'escalated' THEN 1 ELSE 0 END) AS escalated,
    SUM(CASE WHEN rated AND outcome = 'abandoned' THEN 1 ELSE 0 END) AS abandoned,
    SUM(CASE WHEN rated AND outcome = 'unresolved' THEN 1 ELSE 0 END) AS unresolved,
    SUM(CASE WHEN csat_score IS NOT NULL THEN 1 ELSE 0 END) AS csat_responses,
    SUM(CASE WHEN csat_score >= 4 THEN 1 ELSE 0 END) AS csat_good,
    AVG(csat_score) AS csat_mean,
    SUM(CASE WHEN csat_shown THEN 1 ELSE 0 END) AS csat_shown,
    SUM(CASE WHEN csat_shown AND csat_score IS NOT NULL THEN 1 ELSE 0 END) AS csat_answered,
    SUM(thumbs_up) AS thumbs_up,
    SUM(thumbs_down) AS thumbs_down,
    AVG(CASE WHEN sentiment_first IS NOT NULL AND sentiment_last IS NOT NULL THEN sentiment_last - sentiment_first END) AS sentiment_shift,
    SUM(CASE WHEN rated AND outcome = 'resolved' AND NOT followed_up THEN 1 ELSE 0 END) AS first_contact_resolved${
      withVisitors
        ? `,
    COUNT(DISTINCT visitor) AS visitors,
    COUNT(DISTINCT CASE WHEN is_returning THEN visitor END) AS returning_visitors`
        : ''
    }`;
}

export function groupKey(groupBy: GroupBy, dayExpr: (column: string) => string): string {
  switch (groupBy) {
    case 'day':
      return dayExpr('started_at');
    case 'page':
      return 'page';
    case 'release':
      return "COALESCE(release, '(none)')";
    case 'intent':
      return "COALESCE(intent, '(none)')";
  }
}

type Row = Record<string, unknown>;

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function toMetricValues(row: Row): MetricValues {
  const ended = num(row.ended);
  const up = num(row.thumbs_up);
  const down = num(row.thumbs_down);
  const responses = num(row.csat_responses);
  const resolved = num(row.resolved);
  const explicit = num(row.resolved_explicit);
  const shift = row.sentiment_shift;
  const mean = row.csat_mean;
  return {
    conversations: num(row.conversations),
    ended,
    resolutionRate: ratio(resolved, ended),
    explicitResolutionRate: ratio(explicit, ended),
    inferredResolutionRate: ratio(resolved - explicit, ended),
    escalationRate: ratio(num(row.escalated), ended),
    abandonmentRate: ratio(num(row.abandoned), ended),
    unresolvedRate: ratio(num(row.unresolved), ended),
    csat: {
      score: ratio(num(row.csat_good), responses),
      mean: mean === null || mean === undefined ? null : Number(mean),
      responses,
      responseRate: ratio(num(row.csat_answered), num(row.csat_shown)),
    },
    thumbsRatio: ratio(up, up + down),
    thumbs: { up, down },
    sentimentShift: shift === null || shift === undefined ? null : Number(shift),
    firstContactResolution: ratio(num(row.first_contact_resolved), ended),
    returningVisitors: ratio(num(row.returning_visitors), num(row.visitors)),
    visitors: num(row.visitors),
    simulated: num(row.simulated),
  };
}
