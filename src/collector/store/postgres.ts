// The PostgreSQL store, for running several stateless collectors against one database. Same
// interface and metric SQL as the embedded store; a write is acknowledged only after its COMMIT,
// which requests arriving together share (group-commit.ts).
import pg from 'pg';
import type { ValidSummary } from '../../shared/summary-schema.ts';
import { FLAG_WINDOW_MS, arrivalFlags, conversationsQuery, flagsUpdate, latestPerVisitor, postgresDialect } from './metrics-sql.ts';
import { POSTGRES_ROLLUPS_MIGRATION, createPostgresRollups } from './postgres-rollups.ts';
import { groupCommit, type Settled } from './group-commit.ts';
import { inTransaction } from './pg-transaction.ts';
import { toRow } from './sqlite.ts';
import { POSTGRES_INTEGRATIONS_MIGRATION } from '../integrations/schema.ts';
import { createPostgresIntegrationStore } from '../integrations/store-postgres.ts';
import { SiteConflictError, type CollectorStore, type ConversationQuery, type GroupBy, type MetricsRange, type Site, type SiteKey, type SiteWithKeys, type UpsertResult } from './types.ts';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Schema for the tables (created if missing); default: the server's search_path (`public`). */
  schema?: string;
  /** Connections per collector process. */
  poolSize?: number;
  /** Called for errors of idle connections (which would otherwise crash the process). */
  onError?: (error: Error) => void;
  /** How long a write may wait for its transaction, and how long that transaction's statements may run (default 10 s). */
  writeTimeoutMs?: number;
}

/** Versioned migrations; each runs once, in order, recorded in schema_migrations. Never edit one that has shipped. */
const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE sites (
        key text PRIMARY KEY,
        name text NOT NULL,
        origins text NOT NULL,
        enabled boolean NOT NULL DEFAULT true
      );
      CREATE TABLE settings (name text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE conversations (
        site text NOT NULL,
        id text NOT NULL,
        revision bigint NOT NULL,
        visitor text NOT NULL,
        page text NOT NULL,
        release text,
        locale text,
        intent text,
        started_at bigint NOT NULL,
        ended_at bigint,
        end_reason text,
        user_messages integer NOT NULL,
        bot_messages integer NOT NULL,
        thumbs_up integer NOT NULL,
        thumbs_down integer NOT NULL,
        csat_score integer,
        csat_shown boolean NOT NULL,
        handoff boolean NOT NULL,
        outcome text,
        resolution text,
        sentiment_first double precision,
        sentiment_last double precision,
        summary text NOT NULL,
        received_at bigint NOT NULL,
        PRIMARY KEY (site, id)
      );
      CREATE INDEX conversations_by_start ON conversations (site, started_at);
      CREATE INDEX conversations_by_visitor ON conversations (site, visitor, started_at);`,
  },
  { version: 2, name: 'retention index', sql: 'CREATE INDEX conversations_by_age ON conversations (started_at);' },
  {
    version: 3,
    name: 'client drops',
    sql: `CREATE TABLE client_drops (site text NOT NULL, reason text NOT NULL, count bigint NOT NULL, PRIMARY KEY (site, reason));`,
  },
  {
    // A site's id stays `sites.key`; browsers send one of its public keys. Existing sites get their
    // id as their first key, so deployed pages keep working.
    version: 4,
    name: 'site keys',
    sql: `
      CREATE TABLE site_keys (key text PRIMARY KEY, site text NOT NULL, created_at bigint NOT NULL, expires_at bigint);
      CREATE INDEX site_keys_by_site ON site_keys (site);
      INSERT INTO site_keys (key, site, created_at, expires_at)
        SELECT key, key, (extract(epoch from now()) * 1000)::bigint, NULL FROM sites;`,
  },
  // Integrations: forwarders, their outbox, forward state, alerts (src/collector/integrations/).
  POSTGRES_INTEGRATIONS_MIGRATION,
  {
    // Dashboard filters: conversations with a run of negative messages; simulated demo data.
    version: 6,
    name: 'negative streak, simulated',
    sql: `ALTER TABLE conversations ADD COLUMN negative_streak integer NOT NULL DEFAULT 0;
          ALTER TABLE conversations ADD COLUMN simulated boolean NOT NULL DEFAULT false;`,
  },
  {
    // First-contact resolution and returning visitors kept per row on write (see flagsUpdate), and an
    // index holding every column the dashboard aggregates, so its queries never read the summary JSON.
    version: 7,
    name: 'visitor flags, metrics index',
    sql: `ALTER TABLE conversations ADD COLUMN followed_up boolean NOT NULL DEFAULT false;
          ALTER TABLE conversations ADD COLUMN is_returning boolean NOT NULL DEFAULT false;
          ${flagsUpdate(postgresDialect, 'true')};
          CREATE INDEX conversations_metrics ON conversations (site, started_at) INCLUDE (end_reason, user_messages, outcome,
            resolution, csat_score, csat_shown, thumbs_up, thumbs_down, sentiment_first, sentiment_last, visitor, followed_up,
            is_returning, simulated, page, release, intent);
          CREATE INDEX conversations_visitors ON conversations (site, visitor, started_at) INCLUDE (is_returning);`,
  },
  {
    // Returning visitors count UTC days now (two days at most 7 apart), like the embedded store's rollups.
    version: 8,
    name: 'returning visitors by UTC day',
    sql: `${flagsUpdate(postgresDialect, 'true')};`,
  },
  // Daily rollups the dashboard's queries read (postgres-rollups.ts), built from the rows once.
  { version: 9, name: 'daily rollups', sql: POSTGRES_ROLLUPS_MIGRATION },
  {
    // Both are prefixes of wider indexes (conversations_metrics, conversations_visitors) that serve
    // the same lookups; every write paid for them.
    version: 10,
    name: 'drop redundant indexes',
    sql: 'DROP INDEX IF EXISTS conversations_by_start; DROP INDEX IF EXISTS conversations_by_visitor;',
  },
];

// The arrivals of a group: visitors $2 and starts $3 (one per new conversation); in `own`, their ids are $2.
const FLAGS = arrivalFlags(postgresDialect, '$1', 'unnest($2::text[], $3::bigint[]) AS n(visitor, started_at)', 'id = ANY($2::text[])');

// Full recomputation around conversations of site $1 (visitors $2, starts $3) that went or moved.
const NEIGHBOURHOOD_FLAGS_SQL = flagsUpdate(
  postgresDialect,
  `site = $1 AND visitor = ANY($2::text[]) AND EXISTS (
     SELECT 1 FROM unnest($2::text[], $3::bigint[]) AS w(visitor, started_at)
     WHERE w.visitor = conversations.visitor
       AND conversations.started_at > w.started_at - ${FLAG_WINDOW_MS} AND conversations.started_at < w.started_at + ${FLAG_WINDOW_MS})`,
);

/** First key of the two-key advisory lock that serialises migrations ("CP" + 1). */
const MIGRATION_LOCK_CLASS = 0x4350_0001;
/**
 * First key of the per-visitor write locks ("CP" + 2). A write touches rows of its batch's visitors
 * only (their conversations, and the flags of their neighbouring ones); taking those visitors' locks
 * first, in one order, keeps two collectors writing the same visitors from deadlocking. The
 * subquery fixes the order the locks are taken in (PostgreSQL's advice for advisory locks).
 */
const VISITOR_LOCKS_SQL = `SELECT count(pg_advisory_xact_lock(${0x4350_0002}, h)) FROM (
  SELECT DISTINCT hashtext(s || chr(31) || v) AS h FROM unnest($1::text[], $2::text[]) AS x(s, v) ORDER BY h) ordered`;
const RETENTION_BATCH = 5000;
/** How often a collector tries to fold the rollup log when no query asks first. */
const ROLLUP_COMPACTION_MS = 1000;

// Column order shared by the upsert's unnest arrays and its INSERT list.
const COLUMNS = [
  ['site', 'text'],
  ['id', 'text'],
  ['revision', 'bigint'],
  ['visitor', 'text'],
  ['page', 'text'],
  ['release', 'text'],
  ['locale', 'text'],
  ['intent', 'text'],
  ['started_at', 'bigint'],
  ['ended_at', 'bigint'],
  ['end_reason', 'text'],
  ['user_messages', 'integer'],
  ['bot_messages', 'integer'],
  ['thumbs_up', 'integer'],
  ['thumbs_down', 'integer'],
  ['csat_score', 'integer'],
  ['csat_shown', 'boolean'],
  ['handoff', 'boolean'],
  ['outcome', 'text'],
  ['resolution', 'text'],
  ['sentiment_first', 'double precision'],
  ['sentiment_last', 'double precision'],
  ['negative_streak', 'integer'],
  ['simulated', 'boolean'],
  ['summary', 'text'],
  ['received_at', 'bigint'],
] as const;

type Cell = string | number | boolean | null;

// One statement for many conversations: arrays in, one row each out. The WHERE keeps the highest
// revision even when two collectors write the same conversation at once (the row lock orders them).
// `prior` reads the rows as they were before (every part of the statement sees one snapshot), so a
// revision that moves a conversation to another visitor or start is noticed.
const UPSERT_SQL = `
  WITH input AS (
    SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS u(${COLUMNS.map(([name]) => name).join(', ')})),
  prior AS (SELECT c.site, c.id, c.visitor, c.started_at FROM conversations c JOIN input USING (site, id)),
  written AS (
    INSERT INTO conversations (${COLUMNS.map(([name]) => name).join(', ')})
    SELECT * FROM input
    ON CONFLICT (site, id) DO UPDATE SET
      ${COLUMNS.slice(2).map(([name]) => `${name} = excluded.${name}`).join(', ')}
    WHERE excluded.revision > conversations.revision
    RETURNING site, id, visitor, started_at, (xmax = 0) AS inserted)
  SELECT written.*, prior.visitor AS prior_visitor, prior.started_at AS prior_started_at
  FROM written LEFT JOIN prior USING (site, id)`;

/**
 * Summaries written per transaction at most (a group of requests closes before it exceeds this).
 * A transaction holds one advisory lock per visitor: 4 groups of 200 keep a collector under 800 of
 * PostgreSQL's shared lock slots (64 × max_connections by default).
 */
const GROUP_SUMMARIES = 200;
/** How long a write may wait for a group, and how long a group's statements may run (a stalled database gets 503s, not a queue). */
const WRITE_TIMEOUT_MS = 10_000;

/** One collect request's summaries, as the store's upsert received them. */
interface UpsertRequest {
  site: string;
  summaries: readonly ValidSummary[];
  receivedAt: number;
}

interface WrittenRow {
  site: string;
  id: string;
  visitor: string;
  /** bigint, which node-postgres returns as a string. */
  started_at: string;
  inserted: boolean;
  prior_visitor: string | null;
  prior_started_at: string | null;
}

/** PostgreSQL text cannot hold NUL; the summary JSON keeps the original (JSON escapes it), columns get U+FFFD. */
const pgText = (value: string | null): string | null => (value === null ? null : value.replaceAll('\u0000', '\uFFFD'));

/** A conversation's key as the table stores it (site, id through pgText). */
const conversationKey = (site: string, id: string): string => `${pgText(site)}\u001f${pgText(id)}`;

export async function openPostgresStore(options: PostgresStoreOptions): Promise<CollectorStore> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) => (options.onError ?? (() => {}))(error));

  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const rollups = createPostgresRollups(pool);
  // The log is also folded in the background (by whichever collector gets there first), so that a
  // query finds little left to fold.
  let compacting: Promise<void> | null = null;
  const compaction = setInterval(() => {
    compacting ??= rollups
      .compact(false)
      .catch((error: unknown) => (options.onError ?? (() => {}))(error instanceof Error ? error : new Error(String(error))))
      .finally(() => (compacting = null));
  }, ROLLUP_COMPACTION_MS);
  compaction.unref();

  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = [], name?: string): Promise<pg.QueryResult<R>> =>
    pool.query<R>(name ? { name, text, values } : { text, values });

  const upsertStatement = (entries: ReadonlyArray<{ request: UpsertRequest; summary: ValidSummary }>): { name: string; text: string; values: unknown[] } => {
    const columns = COLUMNS.map((): Cell[] => []);
    for (const { request, summary } of entries) {
      const row = toRow(request.site, summary, request.receivedAt);
      COLUMNS.forEach(([name, type], i) => {
        const value = row[name] ?? null;
        columns[i]!.push(type === 'boolean' ? value === 1 : type === 'text' && name !== 'summary' ? pgText(value as string | null) : value);
      });
    }
    return { name: 'chatpulse_upsert', text: UPSERT_SQL, values: columns };
  };

  /**
   * Writes the summaries of several requests in the open transaction and returns each request's
   * counts, as if the requests had been written one after another in order.
   */
  const writeRequests = async (client: pg.PoolClient, requests: readonly UpsertRequest[]): Promise<UpsertResult[]> => {
    const entries = requests.flatMap((request, r) => request.summaries.map((summary) => ({ request, r, summary })));
    await client.query({
      name: 'chatpulse_visitor_locks',
      text: VISITOR_LOCKS_SQL,
      values: [entries.map((e) => pgText(e.request.site)), entries.map((e) => pgText(e.summary.visitor))],
    });
    // ON CONFLICT cannot touch a row twice in one statement: a conversation that appears again (a
    // later revision in the same group) goes in the next round, which runs after the first.
    const rounds: Array<typeof entries> = [];
    const seen = new Map<string, number>();
    for (const entry of entries) {
      const key = conversationKey(entry.request.site, entry.summary.id);
      const round = seen.get(key) ?? 0;
      seen.set(key, round + 1);
      (rounds[round] ??= []).push(entry);
    }
    const written = requests.map(() => 0);
    const fresh = new Map<string, WrittenRow[]>();
    const moved = new Map<string, Array<{ visitor: string; startedAt: number }>>();
    for (const round of rounds) {
      const { rows } = await client.query<WrittenRow>(upsertStatement(round));
      const byKey = new Map(round.map((e) => [conversationKey(e.request.site, e.summary.id), e.r]));
      for (const row of rows) {
        // RETURNING gives the stored text, already through pgText (which leaves it unchanged).
        const r = byKey.get(conversationKey(row.site, row.id));
        if (r !== undefined) written[r]! += 1;
        if (row.inserted) {
          const rowsOfSite = fresh.get(row.site) ?? [];
          rowsOfSite.push(row);
          fresh.set(row.site, rowsOfSite);
        } else if (row.prior_visitor !== null && (row.prior_visitor !== row.visitor || row.prior_started_at !== row.started_at)) {
          const places = moved.get(row.site) ?? [];
          places.push({ visitor: row.prior_visitor, startedAt: Number(row.prior_started_at) }, { visitor: row.visitor, startedAt: Number(row.started_at) });
          moved.set(row.site, places);
        }
      }
    }
    for (const [site, rows] of fresh) {
      // Own flags read every conversation of the group, so they run after all of them are in.
      await client.query({ name: 'chatpulse_own_flags', text: FLAGS.own, values: [site, rows.map((r) => r.id)] });
      const arrivals = [site, rows.map((r) => r.visitor), rows.map((r) => Number(r.started_at))];
      await client.query({ name: 'chatpulse_followed_up', text: FLAGS.followedUp, values: arrivals });
      await client.query({ name: 'chatpulse_returning', text: FLAGS.returning, values: arrivals });
    }
    // A revision that changed its visitor or start (the widget never sends one): both places recomputed.
    for (const [site, places] of moved) {
      await client.query({ name: 'chatpulse_neighbourhood_flags', text: NEIGHBOURHOOD_FLAGS_SQL, values: [site, places.map((p) => p.visitor), places.map((p) => p.startedAt)] });
    }
    return requests.map((request, r) => ({ written: written[r]!, stale: request.summaries.length - written[r]! }));
  };

  // Under load, the requests that arrive while earlier groups commit share the next transaction.
  // A group that fails on its data (a constraint, a conflict, a deadlock) is retried one request
  // at a time, in order, so a bad request fails only itself; a group that fails because the
  // database is unreachable or too slow fails at once (503: the clients retry later).
  const writeTimeoutMs = Math.max(1, Math.round(options.writeTimeoutMs ?? WRITE_TIMEOUT_MS));
  const writeGroup = (group: readonly UpsertRequest[]): Promise<UpsertResult[]> =>
    inTransaction(pool, (client) => writeRequests(client, group), `BEGIN; SET LOCAL statement_timeout = ${writeTimeoutMs}`);
  const upserts = groupCommit<UpsertRequest, UpsertResult>(
    async (group) => {
      try {
        return (await writeGroup(group)).map((value) => ({ ok: true, value }));
      } catch (error) {
        if (group.length === 1 || !isDataError(error)) return group.map(() => ({ ok: false, error }));
      }
      const results: Array<Settled<UpsertResult>> = [];
      for (const request of group) {
        try {
          results.push({ ok: true, value: (await writeGroup([request]))[0]! });
        } catch (error) {
          results.push({ ok: false, error });
        }
      }
      return results;
    },
    {
      concurrency: Math.max(1, Math.min(4, (options.poolSize ?? 10) - 2)),
      maxWaitMs: writeTimeoutMs,
      maxWeight: GROUP_SUMMARIES,
      weight: (request) => request.summaries.length,
    },
  );

  const siteKeys = async (db: Queryable, site: string): Promise<SiteKey[]> => {
    const { rows } = await db.query<KeyRow>('SELECT key, created_at, expires_at FROM site_keys WHERE site = $1 ORDER BY created_at DESC, key COLLATE "C"', [pgText(site)]);
    return rows.map(fromKeyRow);
  };
  const transaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, work);
  const SITE_UPSERT = `INSERT INTO sites (key, name, origins, enabled) VALUES ($1, $2, $3, $4)
    ON CONFLICT (key) DO UPDATE SET name = excluded.name, origins = excluded.origins, enabled = excluded.enabled`;
  const siteValues = (site: Site): unknown[] => [pgText(site.key), pgText(site.name), JSON.stringify(site.origins), site.enabled];

  return {
    kind: 'postgres',
    integrations: createPostgresIntegrationStore(pool),
    async upsert(site, summaries, receivedAt): Promise<UpsertResult> {
      if (summaries.length === 0) return { written: 0, stale: 0 };
      return upserts.submit({ site, summaries, receivedAt });
    },
    async metrics(range: MetricsRange) {
      return rollups.metrics(range);
    },
    async groupedMetrics(range: MetricsRange, groupBy: GroupBy) {
      return rollups.groupedMetrics(range, groupBy);
    },
    async conversations(q: ConversationQuery) {
      const { text, values } = conversationsQuery(postgresDialect, q);
      const { rows } = await query<{ summary: string }>(text, values.map((value) => (typeof value === 'string' ? pgText(value) : value)));
      return rows.map((row) => JSON.parse(row.summary) as ValidSummary);
    },
    async getSite(key) {
      const { rows } = await query<SiteRow>('SELECT key, name, origins, enabled FROM sites WHERE key = $1', [key], 'chatpulse_get_site');
      return rows[0] ? fromSiteRow(rows[0]) : null;
    },
    async putSite(site: Site) {
      await transaction(async (client) => {
        await client.query(SITE_UPSERT, siteValues(site));
        // The first key of a site created without one is its id (unless another site holds that key).
        await client.query(
          `INSERT INTO site_keys (key, site, created_at, expires_at)
           SELECT $1, $1, $2, NULL WHERE NOT EXISTS (SELECT 1 FROM site_keys WHERE site = $1)
           ON CONFLICT (key) DO NOTHING`,
          [pgText(site.key), Date.now()],
        );
      });
    },
    async createSite(site, publicKey, now) {
      await transaction(async (client) => {
        const created = await client.query(`INSERT INTO sites (key, name, origins, enabled) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`, siteValues(site));
        if (created.rowCount === 0) throw new SiteConflictError('site', site.key);
        const keyed = await client.query('INSERT INTO site_keys (key, site, created_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [pgText(publicKey), pgText(site.key), now]);
        if (keyed.rowCount === 0) throw new SiteConflictError('key', publicKey);
      });
    },
    async listSites(): Promise<SiteWithKeys[]> {
      const { rows } = await query<SiteRow>('SELECT key, name, origins, enabled FROM sites ORDER BY key COLLATE "C"');
      const { rows: keyRows } = await query<KeyRow & { site: string }>('SELECT site, key, created_at, expires_at FROM site_keys ORDER BY created_at DESC, key COLLATE "C"');
      return rows.map((row) => ({ ...fromSiteRow(row), keys: keyRows.filter((k) => k.site === row.key).map(fromKeyRow) }));
    },
    async siteForKey(publicKey, now) {
      const { rows } = await query<SiteRow>(
        `SELECT s.key, s.name, s.origins, s.enabled FROM site_keys k JOIN sites s ON s.key = k.site
         WHERE k.key = $1 AND (k.expires_at IS NULL OR k.expires_at > $2)`,
        [pgText(publicKey), now],
        'chatpulse_site_for_key',
      );
      return rows[0] ? { ...fromSiteRow(rows[0]), keys: await siteKeys(pool, rows[0].key) } : null;
    },
    async addSiteKey(site, publicKey, now, expireOthersAt) {
      return transaction(async (client) => {
        // Row lock on the site: two rotations at once apply one after the other.
        const exists = await client.query('SELECT 1 FROM sites WHERE key = $1 FOR UPDATE', [pgText(site)]);
        if (exists.rowCount === 0) return false;
        if (expireOthersAt !== undefined) {
          await client.query('UPDATE site_keys SET expires_at = $1 WHERE site = $2 AND (expires_at IS NULL OR expires_at > $1)', [expireOthersAt, pgText(site)]);
        }
        const keyed = await client.query('INSERT INTO site_keys (key, site, created_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [pgText(publicKey), pgText(site), now]);
        if (keyed.rowCount === 0) throw new SiteConflictError('key', publicKey);
        return true;
      });
    },
    async expireSiteKey(site, publicKey, at) {
      const result = await query('UPDATE site_keys SET expires_at = $1 WHERE site = $2 AND key = $3', [at, pgText(site), pgText(publicKey)]);
      return (result.rowCount ?? 0) > 0;
    },
    async deleteSite(site) {
      return transaction(async (client) => {
        await client.query('DELETE FROM site_keys WHERE site = $1', [pgText(site)]);
        return ((await client.query('DELETE FROM sites WHERE key = $1', [pgText(site)])).rowCount ?? 0) > 0;
      });
    },
    async getSetting(name) {
      const { rows } = await query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [pgText(name)]);
      return rows[0]?.value ?? null;
    },
    async setSetting(name, value) {
      await query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [pgText(name), pgText(value)]);
    },
    async addClientDrops(site, counts) {
      for (const [reason, count] of Object.entries(counts)) {
        await query(
          'INSERT INTO client_drops (site, reason, count) VALUES ($1, $2, $3) ON CONFLICT (site, reason) DO UPDATE SET count = client_drops.count + excluded.count',
          [pgText(site), pgText(reason), count],
        );
      }
    },
    async clientDrops(site) {
      const { rows } = await query<{ reason: string; count: string }>('SELECT reason, count FROM client_drops WHERE site = $1', [pgText(site)]);
      return Object.fromEntries(rows.map((r) => [r.reason, Number(r.count)]));
    },
    async deleteBefore(cutoff, site) {
      let total = 0;
      for (;;) {
        // Bounded batches: each is a short transaction, so concurrent upserts never wait long.
        const result = await query<{ site: string; visitor: string; started_at: string }>(
          `DELETE FROM conversations WHERE ctid = ANY (ARRAY(
             SELECT ctid FROM conversations WHERE started_at < $1 AND ($2::text IS NULL OR site = $2) LIMIT ${RETENTION_BATCH}))
           RETURNING site, visitor, started_at`,
          [cutoff, site ?? null],
        );
        const deleted = result.rowCount ?? 0;
        total += deleted;
        // The conversations that remain get their flags recomputed from what remains, under the
        // visitors' write locks (after the delete has committed, so no row lock is held meanwhile).
        const latest = latestPerVisitor(result.rows);
        if (latest.length > 0) {
          await transaction(async (client) => {
            await client.query({ name: 'chatpulse_visitor_locks', text: VISITOR_LOCKS_SQL, values: [latest.map((r) => r.site), latest.map((r) => r.visitor)] });
            for (const siteOf of new Set(latest.map((r) => r.site))) {
              const rows = latest.filter((r) => r.site === siteOf);
              await client.query({ name: 'chatpulse_neighbourhood_flags', text: NEIGHBOURHOOD_FLAGS_SQL, values: [siteOf, rows.map((r) => r.visitor), rows.map((r) => Number(r.started_at))] });
            }
          });
        }
        if (deleted < RETENTION_BATCH) return total;
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      // Upserts already submitted belong to requests still waiting for their answer: commit them first.
      await upserts.drain();
      clearInterval(compaction);
      await compacting;
      await pool.end();
    },
  };
}

interface SiteRow {
  key: string;
  name: string;
  origins: string;
  enabled: boolean;
}

interface KeyRow {
  key: string;
  /** bigint columns arrive as strings from pg. */
  created_at: string | number;
  expires_at: string | number | null;
}

type Queryable = Pick<pg.Pool, 'query'>;

function fromKeyRow(row: KeyRow): SiteKey {
  return { key: row.key, createdAt: Number(row.created_at), expiresAt: row.expires_at === null ? null : Number(row.expires_at) };
}

function fromSiteRow(row: SiteRow): Site {
  return { key: row.key, name: row.name, origins: JSON.parse(row.origins) as string[], enabled: row.enabled };
}

/**
 * Applies missing migrations in one transaction under an advisory lock, so collectors starting at
 * the same time queue here instead of racing to create the same tables; the lock ends with COMMIT.
 */
async function migrate(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_CLASS}, hashtext($1))`, [schema ?? '']);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Whether a failed write failed on its data, so retrying its requests one by one can isolate the
 * bad one: SQLSTATE classes 22 (data exception), 23 (integrity constraint) and 40 (serialization
 * failure, deadlock). Anything else (connection lost, server shutting down, statement timeout, no
 * code at all) fails every request of the group at once.
 */
function isDataError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  return /^(22|23|40)/.test(code);
}
