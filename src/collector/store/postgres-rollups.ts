// PostgreSQL's daily rollups (the design is in rollup-sql.ts): their tables and trigger, compaction
// that any one collector at a time runs, and the dashboard's queries answered from them.
//
// Several collectors share one database. Writers only append to rollup_log; one compactor at a
// time (a session advisory lock) folds it, in a REPEATABLE READ transaction, so every statement of
// a compaction sees the same log entries, and entries committed meanwhile wait for the next one.
import type pg from 'pg';
import { postgresDialect, toMetricValues } from './metrics-sql.ts';
import { inTransaction, transactionOn } from './pg-transaction.ts';
import { DAY_MS, WATCHED, compactionSteps, completeRows, logInsert, rangeBounds, rebuildSteps, rowKeyOf, rollupQuerySql, rollupTablesDdl, scratchTables, type RollupDialect, type RollupKind, type RollupQuerySql } from './rollup-sql.ts';
import type { GroupBy, MetricGroup, MetricValues, MetricsRange } from './types.ts';

const dialect: RollupDialect = {
  ...postgresDialect,
  dayOfIndex: (expression) => `to_char(to_timestamp((${expression}) * 86400) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  scratchTable: (name, columns) => `CREATE TEMP TABLE IF NOT EXISTS ${name} (${columns}) ON COMMIT DELETE ROWS`,
};

/** Tables, trigger and a first rebuild from the rows: one migration. */
export const POSTGRES_ROLLUPS_MIGRATION = `${rollupTablesDdl({ id: 'bigserial PRIMARY KEY', integer: 'bigint', flag: 'integer', real: 'double precision', text: 'text', keyed: '' })}
  CREATE FUNCTION rollup_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP <> 'INSERT' THEN ${logInsert(dialect, 'OLD', -1)}; END IF;
    IF TG_OP <> 'DELETE' THEN ${logInsert(dialect, 'NEW', 1)}; END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER rollup_on_insert_or_delete AFTER INSERT OR DELETE ON conversations FOR EACH ROW EXECUTE FUNCTION rollup_log_change();
  CREATE TRIGGER rollup_on_update AFTER UPDATE ON conversations FOR EACH ROW
    WHEN (${WATCHED.map((column) => `OLD.${column} IS DISTINCT FROM NEW.${column}`).join(' OR ')})
    EXECUTE FUNCTION rollup_log_change();
  ${scratchTables(dialect).join(';\n  ')};
  ${rebuildSteps(dialect).join(';\n  ')};`;

/** Recomputes every rollup from the rows in one transaction (bulk loads; tests compare it with what compaction kept). */
export async function rebuildPostgresRollups(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (const sql of [...scratchTables(dialect), ...rebuildSteps(dialect)]) await client.query(sql);
  });
}

/** Advisory lock held by the collector that is compacting ("CP" + 3). */
const COMPACTION_LOCK = [0x4350_0003, 0] as const;

/** A statement with `@name` parameters turned into `$n`, and the names in order. */
interface Positional {
  name: string;
  text: string;
  names: string[];
}

function positional(name: string, sql: string): Positional {
  const names: string[] = [];
  const text = sql.replace(/@([A-Za-z]+)/g, (_match, parameter: string) => {
    if (!names.includes(parameter)) names.push(parameter);
    return `$${names.indexOf(parameter) + 1}`;
  });
  return { name, text, names };
}

const run = <R extends pg.QueryResultRow>(client: pg.Pool | pg.ClientBase, statement: Positional, values: Record<string, unknown>) =>
  client.query<R>({ name: statement.name, text: statement.text, values: statement.names.map((n) => values[n] ?? null) });

export interface PostgresRollups {
  /** Folds the log; with `wait`, after the compaction another collector may be running. */
  compact(wait: boolean): Promise<void>;
  metrics(range: MetricsRange): Promise<MetricValues>;
  groupedMetrics(range: MetricsRange, groupBy: GroupBy): Promise<MetricGroup[]>;
}

export function createPostgresRollups(pool: pg.Pool): PostgresRollups {
  const scratch = scratchTables(dialect);
  const steps = compactionSteps().map((sql, i) => positional(`chatpulse_rollup_step_${i}`, sql));
  const queries = new Map<RollupKind, { [K in keyof RollupQuerySql]: Positional }>();
  const querySql = (kind: RollupKind) => {
    let found = queries.get(kind);
    if (!found) {
      const sql = rollupQuerySql(dialect, kind);
      const named = (part: keyof RollupQuerySql) => positional(`chatpulse_rollup_${kind}_${part}`, sql[part]);
      found = { sums: named('sums'), visitors: named('visitors'), returning: named('returning'), partialVisitors: named('partialVisitors'), rows: named('rows') };
      queries.set(kind, found);
    }
    return found;
  };

  async function compact(wait: boolean): Promise<void> {
    const client = await pool.connect();
    let locked = false;
    try {
      if (wait) {
        await client.query('SELECT pg_advisory_lock($1, $2)', [...COMPACTION_LOCK]);
        locked = true;
      } else {
        locked = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [...COMPACTION_LOCK])).rows[0]!.ok;
      }
      if (!locked) return;
      await transactionOn(
        client,
        async () => {
          const { rows } = await client.query<{ last: string | null }>('SELECT MAX(id) AS last FROM rollup_log');
          const upTo = rows[0]!.last;
          if (upTo === null) return;
          for (const sql of scratch) await client.query(sql);
          for (const step of steps) await run(client, step, { upTo });
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ',
      );
    } finally {
      if (locked) await client.query('SELECT pg_advisory_unlock($1, $2)', [...COMPACTION_LOCK]).catch(() => {});
      client.release();
    }
  }

  type Row = Record<string, unknown>;
  const firstSeenSql = (kind: RollupKind) => `
    SELECT k.key, (SELECT c.started_at FROM conversations c
                   WHERE c.site = $1 AND c.started_at >= k.day * ${DAY_MS} AND c.started_at < (k.day + 1) * ${DAY_MS}
                     ${kind === 'day' ? '' : `AND ${rowKeyOf(dialect, kind)} = k.key`}
                   ORDER BY c.started_at LIMIT 1) AS first
    FROM unnest($2::text[], $3::bigint[]) AS k(key, day)`;

  async function answer(kind: RollupKind, range: MetricsRange): Promise<Row[]> {
    await compact(true);
    const sql = querySql(kind);
    const bounds = rangeBounds(range);
    // Ranges without a whole day are small: the rows answer them directly.
    if (bounds === null) return (await run<Row>(pool, sql.rows, { ...range })).rows;
    // One snapshot for all parts of the answer. Each part reads a few thousand rows: starting
    // parallel workers cost more than they saved (measured: 69 against 46 ms at 300,000 conversations).
    return inTransaction(
      pool,
      async (client) => {
        await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
        const scope = await client.query<{ id: string }>("SELECT id FROM rollup_scopes WHERE site = $1 AND kind = 'all' AND value = ''", [range.site]);
        const params = { ...bounds, siteScope: scope.rows[0]?.id ?? null };
        const sums = (await run<Row>(client, sql.sums, params)).rows;
        const visitors = (await run<Row>(client, sql.visitors, params)).rows;
        const returning = (await run<Row>(client, sql.returning, params)).rows;
        const partial = (await run<Row>(client, sql.partialVisitors, params)).rows;
        const rows = completeRows(kind, sums, visitors, returning, partial);
        // Each group's first conversation on its first whole day, all groups in one round trip.
        const wanted = rows.filter((row) => row.firstSeenDay !== undefined);
        if (wanted.length > 0) {
          const { rows: found } = await client.query<{ key: string; first: string }>({
            name: `chatpulse_rollup_${kind}_first_seen`,
            text: firstSeenSql(kind),
            values: [range.site, wanted.map((row) => String(row.key)), wanted.map((row) => row.firstSeenDay)],
          });
          const firstByKey = new Map(found.map((f) => [f.key, f.first]));
          for (const row of wanted) row.first_seen = firstByKey.get(String(row.key));
        }
        return rows;
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  return {
    compact,
    metrics: async (range) => toMetricValues((await answer('all', range))[0] ?? {}),
    groupedMetrics: async (range, groupBy) =>
      (await answer(groupBy, range)).map((row) => ({ key: String(row.key), firstSeen: new Date(Number(row.first_seen)).toISOString(), ...toMetricValues(row) })),
  };
}
