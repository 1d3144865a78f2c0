// The SQL of the daily rollups both stores answer the dashboard from, in either dialect.
//
// - rollup_cells: additive sums (counts, CSAT sums, thumbs, …) per site, UTC day, page, release and
//   intent. A range's whole days come from here; its partial first and last days from the rows.
// - Distinct visitors are not additive. For each scope (the whole site, one page, one release, one
//   intent, and each of those restricted to returning visitor-days, marked `+`) the store keeps the
//   set of visitor-days, and per day a histogram of each visitor-day's gap to the same visitor's
//   previous day in that scope (0: none). Over days [a, b] a visitor is counted once, on their
//   first day in the range, which is the one whose gap reaches back before a:
//   distinct visitors = SUM(visitors) over days a..b where gap = 0 or gap > day − a.
// - Triggers append every change of a conversation row to rollup_log (the old row's contribution
//   with sign −1, the new row's with +1) inside the writer's transaction, so a write pays one or
//   two small inserts. Compaction folds the log into the rollups, set-based: sums are added, and
//   the visitors the log touched get their derived state (returning flags, returning scopes, gap
//   histograms) recomputed from their memberships. Queries fold the log first, so answers are exact.
//
// Statements name their parameters `@name`; the PostgreSQL store turns them into `$n`.
import { RETURNING_DAYS, groupedMetricsQuery, metricsQuery, type SqlDialect } from './metrics-sql.ts';
import type { GroupBy, MetricsRange } from './types.ts';

export const DAY_MS = 86_400_000;

export interface RollupDialect extends SqlDialect {
  /** `YYYY-MM-DD` of a day index (days since 1970-01-01, UTC). */
  dayOfIndex(expression: string): string;
  /** Creates (if missing) a scratch table of this connection; its rows last one transaction at most. */
  scratchTable(name: string, columns: string): string;
}

/** Additive per-conversation contributions, as SQL over a conversations row (`row` = its alias). */
function contributions(row: string): Array<[column: string, expression: string]> {
  const flag = (condition: string) => `(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  const rated = `${row}.end_reason IS NOT NULL AND ${row}.user_messages > 0`;
  const outcome = (value: string) => flag(`${rated} AND ${row}.outcome = '${value}'`);
  return [
    ['simulated', flag(`${row}.simulated`)],
    ['ended', flag(rated)],
    ['resolved', outcome('resolved')],
    ['resolved_explicit', flag(`${rated} AND ${row}.outcome = 'resolved' AND ${row}.resolution = 'explicit'`)],
    ['escalated', outcome('escalated')],
    ['abandoned', outcome('abandoned')],
    ['unresolved', outcome('unresolved')],
    ['csat_responses', flag(`${row}.csat_score IS NOT NULL`)],
    ['csat_good', flag(`${row}.csat_score >= 4`)],
    ['csat_sum', `COALESCE(${row}.csat_score, 0)`],
    ['csat_shown', flag(`${row}.csat_shown`)],
    ['csat_answered', flag(`${row}.csat_shown AND ${row}.csat_score IS NOT NULL`)],
    ['thumbs_up', `${row}.thumbs_up`],
    ['thumbs_down', `${row}.thumbs_down`],
    ['shift_sum', `COALESCE(${row}.sentiment_last - ${row}.sentiment_first, 0)`],
    ['shift_n', flag(`${row}.sentiment_first IS NOT NULL AND ${row}.sentiment_last IS NOT NULL`)],
    ['first_contact_resolved', flag(`${rated} AND ${row}.outcome = 'resolved' AND NOT ${row}.followed_up`)],
  ];
}

/** The summed columns of the log and the cells. */
const SUMS = ['conversations', ...contributions('c').map(([column]) => column)];

/** A dialect's column types for the rollup tables. */
export interface RollupTypes {
  /** A generated integer primary key. */
  id: string;
  integer: string;
  /** The 0/1 `is_returning` column. */
  flag: string;
  real: string;
  text: string;
  /** Appended to the tables keyed by their primary key alone (SQLite: WITHOUT ROWID). */
  keyed: string;
}

/**
 * The rollup tables, in one dialect's types: the shared compaction and query SQL reads and writes
 * them, so both stores create the same shapes from here.
 */
export function rollupTablesDdl(t: RollupTypes): string {
  const sums = SUMS.map((column) => `${column} ${column === 'shift_sum' ? t.real : t.integer} NOT NULL`).join(', ');
  // rollup_visitor_days is keyed by visitor first: compaction recomputes a visitor's few rows, and
  // queries look up one visitor's days.
  return `
  CREATE TABLE rollup_log (
    id ${t.id},
    site ${t.text} NOT NULL, visitor ${t.text} NOT NULL, day ${t.integer} NOT NULL, page ${t.text} NOT NULL, release ${t.text} NOT NULL, intent ${t.text} NOT NULL,
    ${sums});
  CREATE TABLE rollup_cells (
    site ${t.text} NOT NULL, day ${t.integer} NOT NULL, page ${t.text} NOT NULL, release ${t.text} NOT NULL, intent ${t.text} NOT NULL, ${sums},
    PRIMARY KEY (site, day, page, release, intent))${t.keyed};
  CREATE TABLE rollup_scopes (id ${t.id}, site ${t.text} NOT NULL, kind ${t.text} NOT NULL, value ${t.text} NOT NULL, UNIQUE (site, kind, value));
  CREATE TABLE rollup_visitors (id ${t.id}, site ${t.text} NOT NULL, visitor ${t.text} NOT NULL, UNIQUE (site, visitor));
  CREATE TABLE rollup_visitor_days (
    visitor ${t.integer} NOT NULL, day ${t.integer} NOT NULL, scope ${t.integer} NOT NULL, conversations ${t.integer} NOT NULL, is_returning ${t.flag} NOT NULL,
    PRIMARY KEY (visitor, day, scope))${t.keyed};
  CREATE TABLE rollup_gaps (scope ${t.integer} NOT NULL, day ${t.integer} NOT NULL, gap ${t.integer} NOT NULL, visitors ${t.integer} NOT NULL, PRIMARY KEY (scope, day, gap))${t.keyed};`;
}
/** Columns of conversations whose change can change a rollup. */
export const WATCHED = ['site', 'visitor', 'started_at', 'page', 'release', 'intent', 'simulated', 'end_reason', 'user_messages', 'outcome', 'resolution', 'csat_score', 'csat_shown', 'thumbs_up', 'thumbs_down', 'sentiment_first', 'sentiment_last', 'followed_up'];

const releaseKey = (row: string) => `COALESCE(${row}.release, '(none)')`;
const intentKey = (row: string) => `COALESCE(${row}.intent, '(none)')`;

/** The dimensions a conversation is counted in; `+` marks the returning-visitor scope of each. */
type Kind = 'all' | 'page' | 'release' | 'intent';
const KINDS: readonly Kind[] = ['all', 'page', 'release', 'intent'];

/** The log entry of a row (`new` or `old` in a trigger) with the given sign. */
export function logInsert(d: RollupDialect, row: string, sign: 1 | -1): string {
  const values = contributions(row).map(([, expression]) => (sign === 1 ? expression : `-${expression}`));
  return `INSERT INTO rollup_log (site, visitor, day, page, release, intent, ${SUMS.join(', ')})
    VALUES (${row}.site, ${row}.visitor, ${d.dayIndex(`${row}.started_at`)}, ${row}.page, ${releaseKey(row)}, ${intentKey(row)}, ${sign}, ${values.join(', ')})`;
}

/** Scratch tables of a compaction. */
export function scratchTables(d: RollupDialect): string[] {
  return [
    d.scratchTable('rollup_deltas', 'visitor bigint NOT NULL, day bigint NOT NULL, scope bigint NOT NULL, delta bigint NOT NULL'),
    d.scratchTable('rollup_touched', 'visitor bigint PRIMARY KEY'),
    d.scratchTable('rollup_gap_changes', 'scope bigint NOT NULL, day bigint NOT NULL, gap bigint NOT NULL, visitors bigint NOT NULL'),
  ];
}

/** Each log entry's memberships: the site, its page, its release and its intent. */
function membershipsOfLog(): string {
  return KINDS.map(
    (kind) => `SELECT site, visitor, day, '${kind}' AS kind, ${kind === 'all' ? "''" : kind} AS value, conversations FROM rollup_log WHERE id <= @upTo`,
  ).join(' UNION ALL ');
}

/**
 * Recomputes the derived state of some visitors (`visitors`: SQL listing their ids) from their
 * memberships: returning flags, returning-scope rows and gap histograms. The histograms of those
 * visitors are taken out first (`withdraw`) and put back after (`deposit`), through rollup_gap_changes.
 */
function derivedState(visitors: string): { withdraw: string[]; recompute: string[]; deposit: string[] } {
  const gapsOf = (sign: '' | '-') => `
    INSERT INTO rollup_gap_changes (scope, day, gap, visitors)
      SELECT scope, day, gap, ${sign}COUNT(*) FROM (
        SELECT d.scope, d.day, COALESCE(d.day - LAG(d.day) OVER (PARTITION BY d.scope, d.visitor ORDER BY d.day), 0) AS gap
        FROM rollup_visitor_days d WHERE d.visitor IN (${visitors})) AS days
      GROUP BY 1, 2, 3`;
  return {
    withdraw: [gapsOf('-')],
    recompute: [
      `DELETE FROM rollup_visitor_days WHERE visitor IN (${visitors}) AND conversations <= 0`,
      `DELETE FROM rollup_visitor_days WHERE visitor IN (${visitors}) AND scope IN (SELECT id FROM rollup_scopes WHERE kind LIKE '%+')`,
      `UPDATE rollup_visitor_days SET is_returning = CASE WHEN EXISTS (
          SELECT 1 FROM rollup_visitor_days other WHERE other.visitor = rollup_visitor_days.visitor
            AND other.scope = rollup_visitor_days.scope AND other.day <> rollup_visitor_days.day
            AND other.day BETWEEN rollup_visitor_days.day - ${RETURNING_DAYS} AND rollup_visitor_days.day + ${RETURNING_DAYS}) THEN 1 ELSE 0 END
        WHERE visitor IN (${visitors}) AND scope IN (SELECT id FROM rollup_scopes WHERE kind = 'all')`,
      `INSERT INTO rollup_visitor_days (visitor, day, scope, conversations, is_returning)
        SELECT member.visitor, member.day, returning_scope.id, 1, 0
        FROM rollup_visitor_days member
        JOIN rollup_scopes scope ON scope.id = member.scope AND scope.kind NOT LIKE '%+'
        JOIN rollup_scopes returning_scope ON returning_scope.site = scope.site AND returning_scope.kind = scope.kind || '+' AND returning_scope.value = scope.value
        JOIN rollup_scopes site_scope ON site_scope.site = scope.site AND site_scope.kind = 'all'
        JOIN rollup_visitor_days whole ON whole.visitor = member.visitor AND whole.day = member.day AND whole.scope = site_scope.id AND whole.is_returning = 1
        WHERE member.visitor IN (${visitors})`,
    ],
    deposit: [gapsOf('')],
  };
}

/** Folds rollup_gap_changes into the histograms and drops the buckets that reach zero. */
const FOLD_GAPS = [
  `INSERT INTO rollup_gaps (scope, day, gap, visitors)
    SELECT scope, day, gap, SUM(visitors) FROM rollup_gap_changes WHERE true GROUP BY 1, 2, 3 HAVING SUM(visitors) <> 0
   ON CONFLICT (scope, day, gap) DO UPDATE SET visitors = rollup_gaps.visitors + excluded.visitors`,
  'DELETE FROM rollup_gaps WHERE visitors = 0 AND (scope, day, gap) IN (SELECT scope, day, gap FROM rollup_gap_changes)',
  'DELETE FROM rollup_gap_changes',
];

/** Statements that fold the log entries with id ≤ @upTo into the rollups, in order (scratch tables exist). */
export function compactionSteps(): string[] {
  const derived = derivedState('SELECT visitor FROM rollup_touched');
  return [
    `INSERT INTO rollup_cells (site, day, page, release, intent, ${SUMS.join(', ')})
       SELECT site, day, page, release, intent, ${SUMS.map((c) => `SUM(${c})`).join(', ')} FROM rollup_log WHERE id <= @upTo GROUP BY 1, 2, 3, 4, 5
     ON CONFLICT (site, day, page, release, intent) DO UPDATE SET ${SUMS.map((c) => `${c} = rollup_cells.${c} + excluded.${c}`).join(', ')}`,
    `DELETE FROM rollup_cells WHERE conversations = 0
       AND (site, day, page, release, intent) IN (SELECT site, day, page, release, intent FROM rollup_log WHERE id <= @upTo)`,
    'INSERT INTO rollup_visitors (site, visitor) SELECT DISTINCT site, visitor FROM rollup_log WHERE id <= @upTo ON CONFLICT DO NOTHING',
    `INSERT INTO rollup_scopes (site, kind, value)
       SELECT site, kind, value FROM (
         SELECT DISTINCT site, kind, value FROM (${membershipsOfLog()}) AS m
         UNION SELECT DISTINCT site, kind || '+', value FROM (${membershipsOfLog()}) AS r) AS scopes
       WHERE true ON CONFLICT DO NOTHING`,
    `INSERT INTO rollup_deltas (visitor, day, scope, delta)
       SELECT v.id, m.day, s.id, SUM(m.conversations) FROM (${membershipsOfLog()}) AS m
       JOIN rollup_visitors v ON v.site = m.site AND v.visitor = m.visitor
       JOIN rollup_scopes s ON s.site = m.site AND s.kind = m.kind AND s.value = m.value
       GROUP BY 1, 2, 3 HAVING SUM(m.conversations) <> 0`,
    'INSERT INTO rollup_touched (visitor) SELECT DISTINCT visitor FROM rollup_deltas',
    ...derived.withdraw,
    `INSERT INTO rollup_visitor_days (visitor, day, scope, conversations, is_returning) SELECT visitor, day, scope, delta, 0 FROM rollup_deltas WHERE true
     ON CONFLICT (visitor, day, scope) DO UPDATE SET conversations = rollup_visitor_days.conversations + excluded.conversations`,
    ...derived.recompute,
    ...derived.deposit,
    ...FOLD_GAPS,
    'DELETE FROM rollup_deltas',
    'DELETE FROM rollup_touched',
    'DELETE FROM rollup_log WHERE id <= @upTo',
  ];
}

/** Statements that recompute every rollup from the conversation rows and empty the log (scratch tables exist). */
export function rebuildSteps(d: RollupDialect): string[] {
  const day = d.dayIndex('c.started_at');
  const members = KINDS.map(
    (kind) =>
      `SELECT c.site, c.visitor, ${day} AS day, '${kind}' AS kind, ${{ all: "''", page: 'c.page', release: releaseKey('c'), intent: intentKey('c') }[kind]} AS value FROM conversations c`,
  ).join(' UNION ALL ');
  const derived = derivedState('SELECT id FROM rollup_visitors');
  return [
    'DELETE FROM rollup_log',
    'DELETE FROM rollup_cells',
    'DELETE FROM rollup_visitor_days',
    'DELETE FROM rollup_gaps',
    `INSERT INTO rollup_cells (site, day, page, release, intent, ${SUMS.join(', ')})
       SELECT c.site, ${day}, c.page, ${releaseKey('c')}, ${intentKey('c')}, COUNT(*), ${contributions('c').map(([, e]) => `SUM(${e})`).join(', ')}
       FROM conversations c GROUP BY 1, 2, 3, 4, 5`,
    'INSERT INTO rollup_visitors (site, visitor) SELECT DISTINCT site, visitor FROM conversations WHERE true ON CONFLICT DO NOTHING',
    `INSERT INTO rollup_scopes (site, kind, value)
       SELECT site, kind, value FROM (
         SELECT DISTINCT site, kind, value FROM (${members}) AS m UNION SELECT DISTINCT site, kind || '+', value FROM (${members}) AS r) AS scopes
       WHERE true ON CONFLICT DO NOTHING`,
    `INSERT INTO rollup_visitor_days (visitor, day, scope, conversations, is_returning)
       SELECT v.id, m.day, s.id, COUNT(*), 0 FROM (${members}) AS m
       JOIN rollup_visitors v ON v.site = m.site AND v.visitor = m.visitor
       JOIN rollup_scopes s ON s.site = m.site AND s.kind = m.kind AND s.value = m.value
       GROUP BY 1, 2, 3`,
    ...derived.recompute,
    ...derived.deposit,
    ...FOLD_GAPS,
  ];
}

/** What a metrics query groups by; `all` is the ungrouped tiles. */
export type RollupKind = Kind | 'day';

/** The whole days [a, b] of a range, and where its partial days begin and end; null if it has no whole day. */
export interface RangeBounds extends MetricsRange {
  a: number;
  b: number;
  wholeFrom: number;
  wholeTo: number;
}

export function rangeBounds(range: MetricsRange): RangeBounds | null {
  const a = Math.ceil(range.from / DAY_MS);
  const b = Math.floor(range.to / DAY_MS) - 1;
  if (a > b) return null;
  return { ...range, a, b, wholeFrom: a * DAY_MS, wholeTo: (b + 1) * DAY_MS };
}

/** The queries that answer one kind of metrics request from the rollups. */
export interface RollupQuerySql {
  /** Sums per key (whole days from the cells, partial days from the rows), ordered and limited like the row queries. */
  sums: string;
  /** Distinct visitors per key over the whole days, and the returning ones. */
  visitors: string;
  returning: string;
  /** Distinct visitors and returning visitors per key on the partial days not counted on a whole day. */
  partialVisitors: string;
  /** The same answer from the rows alone (ranges without a whole day). */
  rows: string;
}

/** A typed NULL: PostgreSQL resolves UNION column types branch by branch. */
const NONE = 'CAST(NULL AS BIGINT)';

/** The group key of a conversation row `c`. */
export function rowKeyOf(d: SqlDialect, kind: RollupKind): string {
  return { all: "''", day: d.day('c.started_at'), page: 'c.page', release: releaseKey('c'), intent: intentKey('c') }[kind];
}

export function rollupQuerySql(d: RollupDialect, kind: RollupKind): RollupQuerySql {
  // Grouped by day, rows group by the day index and only the groups are turned into dates
  // (formatting a date per row cost PostgreSQL hundreds of milliseconds at a million conversations).
  const cellKey = { all: "''", day: 'day', page: 'page', release: 'release', intent: 'intent' }[kind];
  const rowKey = rowKeyOf(d, kind);
  const rowGroupKey = kind === 'day' ? d.dayIndex('c.started_at') : rowKey;
  const order = kind === 'day' ? 'group_key' : `conversations DESC, ${d.bytewise('group_key')}`;
  const contributed = contributions('c').map(([, e]) => e).join(', ');
  const partialRows = (select: string) =>
    `SELECT ${select} FROM conversations c WHERE c.site = @site AND c.started_at >= @from AND c.started_at < @wholeFrom
     UNION ALL SELECT ${select} FROM conversations c WHERE c.site = @site AND c.started_at >= @wholeTo AND c.started_at < @to`;
  const scopeKind = kind === 'day' ? 'all' : kind;

  const sums = `SELECT ${kind === 'day' ? d.dayOfIndex('group_key') : 'group_key'} AS key, ${SUMS.map((c) => `SUM(${c}) AS ${c}`).join(', ')},
      MIN(first_partial) AS first_partial, MIN(first_day) AS first_day, MIN(last_partial) AS last_partial
    FROM (
      SELECT ${cellKey} AS group_key, ${NONE} AS first_partial, day AS first_day, ${NONE} AS last_partial, ${SUMS.join(', ')}
      FROM rollup_cells WHERE site = @site AND day BETWEEN @a AND @b
      UNION ALL
      SELECT ${rowGroupKey}, c.started_at, ${NONE}, ${NONE}, 1, ${contributed}
      FROM conversations c WHERE c.site = @site AND c.started_at >= @from AND c.started_at < @wholeFrom
      UNION ALL
      SELECT ${rowGroupKey}, ${NONE}, ${NONE}, c.started_at, 1, ${contributed}
      FROM conversations c WHERE c.site = @site AND c.started_at >= @wholeTo AND c.started_at < @to) AS parts
    GROUP BY group_key ORDER BY ${order} LIMIT 500`;

  const wholeDays = (returning: boolean) =>
    kind === 'day'
      ? `SELECT ${d.dayOfIndex('g.day')} AS key, SUM(g.visitors) AS visitors
         FROM rollup_gaps g JOIN rollup_scopes s ON s.id = g.scope
         WHERE s.site = @site AND s.kind = '${scopeKind}${returning ? '+' : ''}' AND g.day BETWEEN @a AND @b GROUP BY g.day`
      : `SELECT s.value AS key, SUM(g.visitors) AS visitors
         FROM rollup_scopes s JOIN rollup_gaps g ON g.scope = s.id
         WHERE s.site = @site AND s.kind = '${scopeKind}${returning ? '+' : ''}' AND g.day BETWEEN @a AND @b AND (g.gap = 0 OR g.gap > g.day - @a)
         GROUP BY s.value`;

  const partial = `(${partialRows(`${kind === 'day' ? "''" : rowKey} AS key, c.visitor AS visitor, ${d.dayIndex('c.started_at')} AS day`)}) AS e
    JOIN rollup_visitors v ON v.site = @site AND v.visitor = e.visitor`;
  const returningDay = `EXISTS (SELECT 1 FROM rollup_visitor_days r WHERE r.visitor = v.id AND r.day = e.day AND r.scope = @siteScope AND r.is_returning = 1)`;
  const notOnWholeDays = (scope: string) =>
    `NOT EXISTS (SELECT 1 FROM rollup_visitor_days w WHERE w.visitor = v.id AND w.day BETWEEN @a AND @b AND w.scope = ${scope})`;
  // Partial days are other days than the whole ones: grouped by day, nothing is counted twice.
  const partialVisitors =
    kind === 'day'
      ? `SELECT ${d.dayOfIndex('e.day')} AS key, COUNT(DISTINCT v.id) AS visitors, COUNT(DISTINCT CASE WHEN ${returningDay} THEN v.id END) AS returning_visitors
         FROM ${partial} GROUP BY e.day`
      : `SELECT e.key AS key,
           COUNT(DISTINCT CASE WHEN ${notOnWholeDays('s.id')} THEN v.id END) AS visitors,
           COUNT(DISTINCT CASE WHEN ${returningDay} AND (rs.id IS NULL OR ${notOnWholeDays('rs.id')}) THEN v.id END) AS returning_visitors
         FROM ${partial}
         JOIN rollup_scopes s ON s.site = @site AND s.kind = '${kind}' AND s.value = e.key
         LEFT JOIN rollup_scopes rs ON rs.site = @site AND rs.kind = '${kind}+' AND rs.value = e.key
         GROUP BY e.key`;

  // The row queries take (site, from, to) in the dialect's own placeholders.
  const rows = (kind === 'all' ? metricsQuery(d) : groupedMetricsQuery(d, kind as GroupBy))
    .replaceAll(d.params.site, '@site')
    .replaceAll(d.params.from, '@from')
    .replaceAll(d.params.to, '@to');
  return { sums, visitors: wholeDays(false), returning: wholeDays(true), partialVisitors, rows };
}

type Row = Record<string, unknown>;

/**
 * Completes the sums' rows into what the row queries answer: distinct visitors, means, and the
 * day whose first conversation is the group's first seen (`firstSeenDay`, to be looked up) when
 * no partial day gives it.
 */
export function completeRows(kind: RollupKind, sums: Row[], visitors: Row[], returning: Row[], partial: Row[]): Array<Row & { firstSeenDay?: number }> {
  const count = (rows: Row[], column: string) => new Map(rows.map((row) => [String(row.key), Number(row[column])]));
  const whole = count(visitors, 'visitors');
  const wholeReturning = count(returning, 'visitors');
  const partialVisitors = count(partial, 'visitors');
  const partialReturning = count(partial, 'returning_visitors');
  return sums.map((row) => {
    const key = String(row.key);
    const out: Row & { firstSeenDay?: number } = { ...row };
    out.visitors = (whole.get(key) ?? 0) + (partialVisitors.get(key) ?? 0);
    out.returning_visitors = (wholeReturning.get(key) ?? 0) + (partialReturning.get(key) ?? 0);
    const responses = Number(row.csat_responses);
    out.csat_mean = responses > 0 ? Number(row.csat_sum) / responses : null;
    const shifts = Number(row.shift_n);
    out.sentiment_shift = shifts > 0 ? Number(row.shift_sum) / shifts : null;
    if (kind === 'all') return out;
    if (row.first_partial !== null) out.first_seen = row.first_partial;
    else if (row.first_day !== null) out.firstSeenDay = Number(row.first_day);
    else out.first_seen = row.last_partial;
    return out;
  });
}
