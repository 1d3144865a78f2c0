// Daily rollups that answer the dashboard's queries on the embedded store without reading every
// conversation of the period: at a million conversations, aggregating the rows of 90 days took
// seconds, and the dashboard asks for several such aggregates per refresh.
//
// - rollup_cells: additive sums (counts, CSAT sums, thumbs, …) per site, UTC day, page, release and
//   intent. A range's whole days come from here; its partial first and last days from the rows.
// - Distinct visitors are not additive. For each scope (the whole site, one page, one release, one
//   intent, and each of those restricted to returning visitor-days) the store keeps the set of
//   visitor-days, and per day a histogram of each visitor-day's gap to the same visitor's previous
//   day in that scope (0: none). Over days [a, b] a visitor is counted once, on their first day in
//   the range, which is the one whose gap reaches back before a:
//   distinct visitors = SUM(visitors) over days a..b where gap = 0 or gap > day − a.
// - Triggers append every change of a conversation row to rollup_log (the old row's contribution
//   with sign −1, the new row's with +1) inside the writer's transaction, so a request pays one or
//   two small inserts. compact() folds the log into the rollups, on a timer and before every query,
//   so answers are exact. rebuild() recomputes everything from the rows (migration, bulk loads).
import type Database from 'better-sqlite3';
import { RETURNING_DAYS } from './metrics-sql.ts';
import { createRollupQueries, type RollupQueries } from './sqlite-rollup-queries.ts';
import { KINDS, SUMS, contributions, day, intentKey, releaseKey } from './sqlite-rollup-schema.ts';

export { ROLLUPS_MIGRATION } from './sqlite-rollup-schema.ts';

/** Recomputes every rollup from the conversation rows and empties the log. */
export function rebuildRollups(db: Database.Database): void {
  const members = (c: string) =>
    `SELECT ${c}.site AS site, ${c}.visitor AS visitor, ${day(c)} AS day, 'all' AS kind, '' AS value FROM conversations ${c}
     UNION ALL SELECT ${c}.site, ${c}.visitor, ${day(c)}, 'page', ${c}.page FROM conversations ${c}
     UNION ALL SELECT ${c}.site, ${c}.visitor, ${day(c)}, 'release', ${releaseKey(c)} FROM conversations ${c}
     UNION ALL SELECT ${c}.site, ${c}.visitor, ${day(c)}, 'intent', ${intentKey(c)} FROM conversations ${c}`;
  const derived = derivedStateSql('SELECT id FROM rollup_visitors');
  db.transaction(() => {
    db.exec(`DELETE FROM rollup_log; DELETE FROM rollup_cells; DELETE FROM rollup_visitor_days; DELETE FROM rollup_gaps;
      INSERT INTO rollup_cells (site, day, page, release, intent, ${SUMS.join(', ')})
        SELECT c.site, ${day('c')}, c.page, ${releaseKey('c')}, ${intentKey('c')}, COUNT(*), ${contributions('c').map(([, e]) => `SUM(${e})`).join(', ')}
        FROM conversations c GROUP BY 1, 2, 3, 4, 5;
      INSERT OR IGNORE INTO rollup_visitors (site, visitor) SELECT DISTINCT site, visitor FROM conversations;
      CREATE TEMP TABLE rollup_members AS SELECT site, visitor, day, kind, value, COUNT(*) AS conversations FROM (${members('c')}) GROUP BY 1, 2, 3, 4, 5;
      INSERT OR IGNORE INTO rollup_scopes (site, kind, value)
        SELECT DISTINCT site, kind, value FROM temp.rollup_members UNION SELECT DISTINCT site, kind || '+', value FROM temp.rollup_members;
      INSERT INTO rollup_visitor_days (visitor, day, scope, conversations)
        SELECT v.id, m.day, s.id, m.conversations FROM temp.rollup_members m
        JOIN rollup_visitors v ON v.site = m.site AND v.visitor = m.visitor
        JOIN rollup_scopes s ON s.site = m.site AND s.kind = m.kind AND s.value = m.value;
      DROP TABLE temp.rollup_members;
      ${TEMP_TABLES}
      ${derived.recompute}
      ${derived.depositGaps}
      ${FOLD_GAPS}`);
  })();
}

export interface SqliteRollups extends RollupQueries {
  /**
   * Folds the log into the rollups: all of it, or its oldest `limit` entries (any prefix of the log
   * is a state the rows were in). Returns whether entries remain.
   */
  compact(limit?: number): boolean;
}

/** Each log entry's memberships: the site, its page, its release and its intent. */
function membershipsOfLog(): string {
  return KINDS.map(
    (kind) =>
      `SELECT site, visitor, day, '${kind}' AS kind, ${kind === 'all' ? "''" : kind} AS value, conversations FROM rollup_log WHERE id <= @upTo`,
  ).join(' UNION ALL ');
}

/**
 * The derived visitor state of some visitors, recomputed from their memberships in the site,
 * page, release and intent scopes (`visitors`: a SQL list of visitor ids): returning flags, the
 * returning scopes' rows, and their gap histograms. Shared by compaction (the visitors the log
 * touched) and rebuild (all of them). The histograms of those visitors are taken out first
 * (`withdrawGaps`) and put back after (`depositGaps`), into temp.rollup_gap_changes.
 */
function derivedStateSql(visitors: string): { withdrawGaps: string; recompute: string; depositGaps: string } {
  const gapsOf = (sign: '' | '-') => `
    INSERT INTO temp.rollup_gap_changes (scope, day, gap, visitors)
      SELECT scope, day, gap, ${sign}COUNT(*) FROM (
        SELECT d.scope, d.day, COALESCE(d.day - LAG(d.day) OVER (PARTITION BY d.scope, d.visitor ORDER BY d.day), 0) AS gap
        FROM rollup_visitor_days d WHERE d.visitor IN (${visitors}))
      GROUP BY 1, 2, 3;`;
  return {
    withdrawGaps: gapsOf('-'),
    recompute: `
      DELETE FROM rollup_visitor_days WHERE visitor IN (${visitors}) AND conversations <= 0;
      DELETE FROM rollup_visitor_days WHERE visitor IN (${visitors}) AND scope IN (SELECT id FROM rollup_scopes WHERE kind LIKE '%+');
      UPDATE rollup_visitor_days SET is_returning = EXISTS (
          SELECT 1 FROM rollup_visitor_days other WHERE other.visitor = rollup_visitor_days.visitor
            AND other.scope = rollup_visitor_days.scope AND other.day <> rollup_visitor_days.day
            AND other.day BETWEEN rollup_visitor_days.day - ${RETURNING_DAYS} AND rollup_visitor_days.day + ${RETURNING_DAYS})
        WHERE visitor IN (${visitors}) AND scope IN (SELECT id FROM rollup_scopes WHERE kind = 'all');
      INSERT INTO rollup_visitor_days (visitor, day, scope, conversations)
        SELECT member.visitor, member.day, returning_scope.id, 1
        FROM rollup_visitor_days member
        JOIN rollup_scopes scope ON scope.id = member.scope AND scope.kind NOT LIKE '%+'
        JOIN rollup_scopes returning_scope ON returning_scope.site = scope.site AND returning_scope.kind = scope.kind || '+' AND returning_scope.value = scope.value
        JOIN rollup_scopes site_scope ON site_scope.site = scope.site AND site_scope.kind = 'all'
        JOIN rollup_visitor_days whole ON whole.visitor = member.visitor AND whole.day = member.day AND whole.scope = site_scope.id AND whole.is_returning = 1
        WHERE member.visitor IN (${visitors});`,
    depositGaps: gapsOf(''),
  };
}

/** Folds temp.rollup_gap_changes into the histograms and drops the buckets that reach zero. */
const FOLD_GAPS = `
  INSERT INTO rollup_gaps (scope, day, gap, visitors)
    SELECT scope, day, gap, SUM(visitors) FROM temp.rollup_gap_changes WHERE true GROUP BY 1, 2, 3 HAVING SUM(visitors) <> 0
  ON CONFLICT (scope, day, gap) DO UPDATE SET visitors = visitors + excluded.visitors;
  DELETE FROM rollup_gaps WHERE visitors = 0 AND (scope, day, gap) IN (SELECT scope, day, gap FROM temp.rollup_gap_changes);
  DELETE FROM temp.rollup_gap_changes;`;

const TEMP_TABLES = `
  CREATE TEMP TABLE IF NOT EXISTS rollup_deltas (visitor INTEGER NOT NULL, day INTEGER NOT NULL, scope INTEGER NOT NULL, delta INTEGER NOT NULL);
  CREATE TEMP TABLE IF NOT EXISTS rollup_touched (visitor INTEGER PRIMARY KEY);
  CREATE TEMP TABLE IF NOT EXISTS rollup_gap_changes (scope INTEGER NOT NULL, day INTEGER NOT NULL, gap INTEGER NOT NULL, visitors INTEGER NOT NULL);`;

export function createRollups(db: Database.Database): SqliteRollups {
  db.exec(TEMP_TABLES);
  const maxLogId = db.prepare('SELECT MAX(id) FROM rollup_log').pluck();
  const sliceEnd = db.prepare('SELECT MAX(id) FROM (SELECT id FROM rollup_log ORDER BY id LIMIT ?)').pluck();
  const touched = 'SELECT visitor FROM temp.rollup_touched';
  const derived = derivedStateSql(touched);
  // Every statement of a compaction, in order; each reads @upTo or ignores it.
  const steps = [
    `INSERT INTO rollup_cells (site, day, page, release, intent, ${SUMS.join(', ')})
       SELECT site, day, page, release, intent, ${SUMS.map((c) => `SUM(${c})`).join(', ')} FROM rollup_log WHERE id <= @upTo GROUP BY 1, 2, 3, 4, 5
     ON CONFLICT (site, day, page, release, intent) DO UPDATE SET ${SUMS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
    `DELETE FROM rollup_cells WHERE conversations = 0
       AND (site, day, page, release, intent) IN (SELECT site, day, page, release, intent FROM rollup_log WHERE id <= @upTo)`,
    'INSERT OR IGNORE INTO rollup_visitors (site, visitor) SELECT DISTINCT site, visitor FROM rollup_log WHERE id <= @upTo',
    `INSERT OR IGNORE INTO rollup_scopes (site, kind, value)
       SELECT DISTINCT site, kind, value FROM (${membershipsOfLog()}) UNION SELECT DISTINCT site, kind || '+', value FROM (${membershipsOfLog()})`,
    `INSERT INTO temp.rollup_deltas (visitor, day, scope, delta)
       SELECT v.id, m.day, s.id, SUM(m.conversations) FROM (${membershipsOfLog()}) m
       JOIN rollup_visitors v ON v.site = m.site AND v.visitor = m.visitor
       JOIN rollup_scopes s ON s.site = m.site AND s.kind = m.kind AND s.value = m.value
       GROUP BY 1, 2, 3 HAVING SUM(m.conversations) <> 0`,
    'INSERT INTO temp.rollup_touched (visitor) SELECT DISTINCT visitor FROM temp.rollup_deltas',
    derived.withdrawGaps,
    `INSERT INTO rollup_visitor_days (visitor, day, scope, conversations) SELECT visitor, day, scope, delta FROM temp.rollup_deltas WHERE true
     ON CONFLICT (visitor, day, scope) DO UPDATE SET conversations = conversations + excluded.conversations`,
    derived.recompute,
    derived.depositGaps,
    FOLD_GAPS,
    'DELETE FROM temp.rollup_deltas; DELETE FROM temp.rollup_touched;',
    'DELETE FROM rollup_log WHERE id <= @upTo',
  ]
    .flatMap((step) => step.split(';'))
    .map((sql) => sql.trim())
    .filter((sql) => sql.length > 0)
    .map((sql) => ({ statement: db.prepare(sql), usesUpTo: sql.includes('@upTo') }));

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

  return { compact, ...createRollupQueries(db, () => compact()) };
}
