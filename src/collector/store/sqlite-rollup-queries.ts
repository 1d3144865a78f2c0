// Answers the dashboard's metric queries from the embedded store's rollups: whole days from the
// rollup tables, the partial days at either end of a range from the conversation rows, and ranges
// without a whole day from the rows alone (the same SQL PostgreSQL runs).
import type Database from 'better-sqlite3';
import { groupedMetricsQuery, metricsQuery, sqliteDialect, toMetricValues } from './metrics-sql.ts';
import { DAY_MS, SUMS, contributions, day, intentKey, releaseKey, type Kind } from './sqlite-rollup-schema.ts';
import type { GroupBy, MetricGroup, MetricValues, MetricsRange } from './types.ts';

export interface RollupQueries {
  metrics(range: MetricsRange): MetricValues;
  groupedMetrics(range: MetricsRange, groupBy: GroupBy): MetricGroup[];
}

/** `compact` folds the rollup log; each query calls it first, so answers are exact. */
export function createRollupQueries(db: Database.Database, compact: () => void): RollupQueries {
  const findScope = db.prepare('SELECT id FROM rollup_scopes WHERE site = ? AND kind = ? AND value = ?').pluck();

  // Whole days [a, b] of the range come from the rollups, the partial days around them
  // (`from` up to day a, and after day b up to `to`) from the rows.
  type Bounds = MetricsRange & { a: number; b: number; wholeFrom: number; wholeTo: number; siteScope: number | null };
  const cellKey: Record<Kind | 'day', string> = { all: "''", day: "strftime('%Y-%m-%d', day * 86400, 'unixepoch')", page: 'page', release: 'release', intent: 'intent' };
  const rowKey: Record<Kind | 'day', string> = { all: "''", day: sqliteDialect.day('c.started_at'), page: 'c.page', release: releaseKey('c'), intent: intentKey('c') };
  const partialRows = (select: string) =>
    `SELECT ${select} FROM conversations c WHERE c.site = @site AND c.started_at >= @from AND c.started_at < @wholeFrom
     UNION ALL SELECT ${select} FROM conversations c WHERE c.site = @site AND c.started_at >= @wholeTo AND c.started_at < @to`;

  function sumsSql(kind: Kind | 'day'): string {
    const order = kind === 'day' ? 'key' : 'conversations DESC, key';
    return `SELECT key, ${SUMS.map((c) => `SUM(${c}) AS ${c}`).join(', ')}, MIN(first_partial) AS first_partial, MIN(first_day) AS first_day, MIN(last_partial) AS last_partial
      FROM (
        SELECT ${cellKey[kind]} AS key, NULL AS first_partial, day AS first_day, NULL AS last_partial, ${SUMS.join(', ')}
        FROM rollup_cells WHERE site = @site AND day BETWEEN @a AND @b
        UNION ALL
        SELECT ${rowKey[kind]}, c.started_at, NULL, NULL, 1, ${contributions('c').map(([, e]) => e).join(', ')}
        FROM conversations c WHERE c.site = @site AND c.started_at >= @from AND c.started_at < @wholeFrom
        UNION ALL
        SELECT ${rowKey[kind]}, NULL, NULL, c.started_at, 1, ${contributions('c').map(([, e]) => e).join(', ')}
        FROM conversations c WHERE c.site = @site AND c.started_at >= @wholeTo AND c.started_at < @to)
      GROUP BY key ORDER BY ${order} LIMIT 500`;
  }

  /** Distinct visitors per key over the whole days, from the gap histograms. */
  function wholeDayVisitorsSql(kind: Kind | 'day', returning: boolean): string {
    const scopeKind = `${kind === 'day' ? 'all' : kind}${returning ? '+' : ''}`;
    if (kind === 'day') {
      return `SELECT strftime('%Y-%m-%d', g.day * 86400, 'unixepoch') AS key, SUM(g.visitors) AS visitors
        FROM rollup_gaps g JOIN rollup_scopes s ON s.id = g.scope
        WHERE s.site = @site AND s.kind = '${scopeKind}' AND g.day BETWEEN @a AND @b GROUP BY g.day`;
    }
    return `SELECT s.value AS key, SUM(g.visitors) AS visitors
      FROM rollup_scopes s JOIN rollup_gaps g ON g.scope = s.id
      WHERE s.site = @site AND s.kind = '${scopeKind}' AND g.day BETWEEN @a AND @b AND (g.gap = 0 OR g.gap > g.day - @a)
      GROUP BY s.value`;
  }

  /**
   * Distinct visitors (and returning ones) per key on the partial days who are not already counted
   * on a whole day of the range in the same scope.
   */
  function partialDayVisitorsSql(kind: Kind | 'day'): string {
    const rows = `(${partialRows(`${rowKey[kind]} AS key, c.visitor AS visitor, ${day('c')} AS day`)}) e
      JOIN rollup_visitors v ON v.site = @site AND v.visitor = e.visitor`;
    const returningDay = `EXISTS (SELECT 1 FROM rollup_visitor_days r WHERE r.visitor = v.id AND r.day = e.day AND r.scope = @siteScope AND r.is_returning = 1)`;
    // Partial days are other days than the whole ones: nothing to subtract per day.
    if (kind === 'day') {
      return `SELECT e.key AS key, COUNT(DISTINCT v.id) AS visitors, COUNT(DISTINCT CASE WHEN ${returningDay} THEN v.id END) AS returning_visitors
        FROM ${rows} GROUP BY e.key`;
    }
    const notOnWholeDays = (scope: string) =>
      `NOT EXISTS (SELECT 1 FROM rollup_visitor_days w WHERE w.visitor = v.id AND w.day BETWEEN @a AND @b AND w.scope = ${scope})`;
    return `SELECT e.key AS key,
        COUNT(DISTINCT CASE WHEN ${notOnWholeDays('s.id')} THEN v.id END) AS visitors,
        COUNT(DISTINCT CASE WHEN ${returningDay} AND (rs.id IS NULL OR ${notOnWholeDays('rs.id')}) THEN v.id END) AS returning_visitors
      FROM ${rows}
      JOIN rollup_scopes s ON s.site = @site AND s.kind = '${kind}' AND s.value = e.key
      LEFT JOIN rollup_scopes rs ON rs.site = @site AND rs.kind = '${kind}+' AND rs.value = e.key
      GROUP BY e.key`;
  }

  function firstSeenSql(kind: Kind | 'day'): string {
    if (kind === 'day') return 'SELECT MIN(started_at) FROM conversations WHERE site = @site AND started_at >= @from AND started_at < @to';
    return `SELECT c.started_at FROM conversations c WHERE c.site = @site AND c.started_at >= @from AND c.started_at < @to AND ${rowKey[kind]} = @key ORDER BY c.started_at LIMIT 1`;
  }

  interface Statements {
    sums: Database.Statement;
    visitors: Database.Statement;
    returning: Database.Statement;
    partialVisitors: Database.Statement;
    firstSeen: Database.Statement;
    raw: Database.Statement;
  }
  const statements = new Map<Kind | 'day', Statements>();
  function prepared(kind: Kind | 'day'): Statements {
    let found = statements.get(kind);
    if (!found) {
      found = {
        sums: db.prepare(sumsSql(kind)),
        visitors: db.prepare(wholeDayVisitorsSql(kind, false)),
        returning: db.prepare(wholeDayVisitorsSql(kind, true)),
        partialVisitors: db.prepare(partialDayVisitorsSql(kind)),
        firstSeen: db.prepare(firstSeenSql(kind)).pluck(),
        raw: db.prepare(kind === 'all' ? metricsQuery(sqliteDialect) : groupedMetricsQuery(sqliteDialect, kind)),
      };
      statements.set(kind, found);
    }
    return found;
  }

  function bounds(range: MetricsRange, siteScope: number | null): Bounds | null {
    const a = Math.ceil(range.from / DAY_MS);
    const b = Math.floor(range.to / DAY_MS) - 1;
    if (a > b) return null;
    return { ...range, a, b, wholeFrom: a * DAY_MS, wholeTo: (b + 1) * DAY_MS, siteScope };
  }

  type Row = Record<string, unknown>;
  const byKey = (rows: Row[]) => new Map(rows.map((row) => [String(row.key), Number(row.visitors)]));

  /** Rows of sums and distinct visitors per key, as the raw metric queries would answer them. */
  function answer(kind: Kind | 'day', range: MetricsRange): Row[] {
    compact();
    const s = prepared(kind);
    const site = findScope.get(range.site, 'all', '') as number | undefined;
    const params = bounds(range, site ?? null);
    // Ranges without a whole day are small: the rows answer them directly.
    if (params === null) return s.raw.all(range) as Row[];
    return db.transaction(() => {
      const rows = s.sums.all(params) as Row[];
      const visitors = byKey(s.visitors.all(params) as Row[]);
      const returning = byKey(s.returning.all(params) as Row[]);
      const partial = s.partialVisitors.all(params) as Row[];
      const partialVisitors = byKey(partial);
      const partialReturning = new Map(partial.map((row) => [String(row.key), Number(row.returning_visitors)]));
      for (const row of rows) {
        const key = String(row.key);
        row.visitors = (visitors.get(key) ?? 0) + (partialVisitors.get(key) ?? 0);
        row.returning_visitors = (returning.get(key) ?? 0) + (partialReturning.get(key) ?? 0);
        const responses = Number(row.csat_responses);
        row.csat_mean = responses > 0 ? Number(row.csat_sum) / responses : null;
        const shifts = Number(row.shift_n);
        row.sentiment_shift = shifts > 0 ? Number(row.shift_sum) / shifts : null;
        if (kind === 'all') continue;
        if (row.first_partial !== null) row.first_seen = row.first_partial;
        else if (row.first_day !== null) {
          const from = Number(row.first_day) * DAY_MS;
          row.first_seen = s.firstSeen.get({ site: range.site, from, to: from + DAY_MS, key });
        } else row.first_seen = row.last_partial;
      }
      return rows;
    })();
  }

  return {
    metrics(range) {
      return toMetricValues(answer('all', range)[0] ?? {});
    },
    groupedMetrics(range, groupBy) {
      return answer(groupBy, range).map((row) => ({ key: String(row.key), firstSeen: new Date(Number(row.first_seen)).toISOString(), ...toMetricValues(row) }));
    },
  };
}
