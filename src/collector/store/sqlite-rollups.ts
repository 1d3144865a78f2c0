// The embedded store's daily rollups (the design is in rollup-sql.ts): their tables and triggers,
// compaction in slices on this connection, and the dashboard's queries answered from them.
// At a million conversations, aggregating the rows of a 90-day period took seconds.
import type Database from 'better-sqlite3';
import { sqliteDialect, toMetricValues } from './metrics-sql.ts';
import { WATCHED, compactionSteps, completeRows, logInsert, rangeBounds, rebuildSteps, rollupQuerySql, rollupTablesDdl, rowKeyOf, scratchTables, type RollupDialect, type RollupKind } from './rollup-sql.ts';
import type { GroupBy, MetricGroup, MetricValues, MetricsRange } from './types.ts';

const dialect: RollupDialect = {
  ...sqliteDialect,
  dayOfIndex: (expression) => `strftime('%Y-%m-%d', ${expression} * 86400, 'unixepoch')`,
  scratchTable: (name, columns) => `CREATE TEMP TABLE IF NOT EXISTS ${name} (${columns})`,
};

/** Tables and triggers; rebuildRollups fills them from existing rows. */
export const ROLLUPS_MIGRATION = `${rollupTablesDdl({ id: 'INTEGER PRIMARY KEY', integer: 'INTEGER', flag: 'INTEGER', real: 'REAL', text: 'TEXT', keyed: ' WITHOUT ROWID' })}
  CREATE TRIGGER rollup_on_insert AFTER INSERT ON conversations BEGIN ${logInsert(dialect, 'new', 1)}; END;
  CREATE TRIGGER rollup_on_delete AFTER DELETE ON conversations BEGIN ${logInsert(dialect, 'old', -1)}; END;
  CREATE TRIGGER rollup_on_update AFTER UPDATE ON conversations
    WHEN ${WATCHED.map((column) => `old.${column} IS NOT new.${column}`).join(' OR ')}
    BEGIN ${logInsert(dialect, 'old', -1)}; ${logInsert(dialect, 'new', 1)}; END;`;

/** Recomputes every rollup from the conversation rows and empties the log. */
export function rebuildRollups(db: Database.Database): void {
  for (const sql of scratchTables(dialect)) db.exec(sql);
  db.transaction(() => {
    for (const sql of rebuildSteps(dialect)) db.exec(sql);
  })();
}

export interface SqliteRollups {
  /**
   * Folds the log into the rollups: all of it, or its oldest `limit` entries (any prefix of the log
   * is a state the rows were in). Returns whether entries remain.
   */
  compact(limit?: number): boolean;
  metrics(range: MetricsRange): MetricValues;
  groupedMetrics(range: MetricsRange, groupBy: GroupBy): MetricGroup[];
}

export function createRollups(db: Database.Database): SqliteRollups {
  for (const sql of scratchTables(dialect)) db.exec(sql);
  const maxLogId = db.prepare('SELECT MAX(id) FROM rollup_log').pluck();
  const sliceEnd = db.prepare('SELECT MAX(id) FROM (SELECT id FROM rollup_log ORDER BY id LIMIT ?)').pluck();
  const steps = compactionSteps().map((sql) => ({ statement: db.prepare(sql), usesUpTo: sql.includes('@upTo') }));
  const siteScope = db.prepare("SELECT id FROM rollup_scopes WHERE site = ? AND kind = 'all' AND value = ''").pluck();

  function compact(limit?: number): boolean {
    const last = maxLogId.get() as number | null;
    if (last === null) return false;
    const upTo = limit === undefined ? last : (sliceEnd.get(limit) as number);
    db.transaction(() => {
      for (const { statement, usesUpTo } of steps) {
        if (usesUpTo) statement.run({ upTo });
        else statement.run();
      }
    })();
    return upTo < last;
  }

  type Statements = { [K in keyof ReturnType<typeof rollupQuerySql> | 'firstSeen']: Database.Statement };
  /** A group's first conversation in [@from, @to), one group at a time (an index lookup each here). */
  const firstSeenSql = (kind: RollupKind) =>
    kind === 'day'
      ? 'SELECT MIN(started_at) AS first FROM conversations WHERE site = @site AND started_at >= @from AND started_at < @to'
      : `SELECT c.started_at AS first FROM conversations c WHERE c.site = @site AND c.started_at >= @from AND c.started_at < @to AND ${rowKeyOf(dialect, kind)} = @key ORDER BY c.started_at LIMIT 1`;
  const prepared = new Map<RollupKind, Statements>();
  const statements = (kind: RollupKind): Statements => {
    let found = prepared.get(kind);
    if (!found) {
      const sql = rollupQuerySql(dialect, kind);
      found = {
        sums: db.prepare(sql.sums),
        visitors: db.prepare(sql.visitors),
        returning: db.prepare(sql.returning),
        partialVisitors: db.prepare(sql.partialVisitors),
        firstSeen: db.prepare(firstSeenSql(kind)).pluck(),
        rows: db.prepare(sql.rows),
      };
      prepared.set(kind, found);
    }
    return found;
  };

  type Row = Record<string, unknown>;
  /** Rows of sums and distinct visitors per key, as the row queries would answer them. */
  function answer(kind: RollupKind, range: MetricsRange): Row[] {
    compact();
    const s = statements(kind);
    const bounds = rangeBounds(range);
    // Ranges without a whole day are small: the rows answer them directly.
    if (bounds === null) return s.rows.all(range) as Row[];
    const params = { ...bounds, siteScope: (siteScope.get(range.site) as number | undefined) ?? null };
    return db.transaction(() => {
      const rows = completeRows(kind, s.sums.all(params) as Row[], s.visitors.all(params) as Row[], s.returning.all(params) as Row[], s.partialVisitors.all(params) as Row[]);
      for (const row of rows) {
        if (row.firstSeenDay === undefined) continue;
        const from = row.firstSeenDay * 86_400_000;
        row.first_seen = s.firstSeen.get({ site: range.site, from, to: from + 86_400_000, key: String(row.key) });
      }
      return rows;
    })();
  }

  return {
    compact,
    metrics: (range) => toMetricValues(answer('all', range)[0] ?? {}),
    groupedMetrics: (range, groupBy) =>
      answer(groupBy, range).map((row) => ({ key: String(row.key), firstSeen: new Date(Number(row.first_seen)).toISOString(), ...toMetricValues(row) })),
  };
}
