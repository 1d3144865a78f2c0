// The embedded store (default): one SQLite file, WAL with synchronous=FULL so an acknowledged
// write survives a crash of the process or the machine. Conversation upserts are group-committed
// (sqlite-group-commit.ts): durable before acknowledged, without an fsync per request.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ValidSummary } from '../../shared/summary-schema.ts';
import { FLAG_WINDOW_MS, arrivalFlags, conversationsQuery, flagsUpdate, latestPerVisitor, sqliteDialect } from './metrics-sql.ts';
import { ROLLUPS_MIGRATION, createRollups, rebuildRollups } from './sqlite-rollups.ts';
import { groupCommitter, type RowWriter } from './sqlite-group-commit.ts';
import { walSyncCommitter } from './sqlite-wal-sync.ts';
import { SQLITE_INTEGRATIONS_MIGRATION } from '../integrations/schema.ts';
import { createSqliteIntegrationStore } from '../integrations/store-sqlite.ts';
import { SiteConflictError, type CollectorStore, type ConversationQuery, type MetricsRange, type Site, type SiteKey, type SiteWithKeys, type UpsertResult } from './types.ts';

const MIGRATIONS: ReadonlyArray<string | ((db: Database.Database) => void)> = [
  `CREATE TABLE sites (
     key TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     origins TEXT NOT NULL,
     enabled INTEGER NOT NULL DEFAULT 1
   );
   CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE conversations (
     site TEXT NOT NULL,
     id TEXT NOT NULL,
     revision INTEGER NOT NULL,
     visitor TEXT NOT NULL,
     page TEXT NOT NULL,
     release TEXT,
     locale TEXT,
     intent TEXT,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     end_reason TEXT,
     user_messages INTEGER NOT NULL,
     bot_messages INTEGER NOT NULL,
     thumbs_up INTEGER NOT NULL,
     thumbs_down INTEGER NOT NULL,
     csat_score INTEGER,
     csat_shown INTEGER NOT NULL,
     handoff INTEGER NOT NULL,
     outcome TEXT,
     resolution TEXT,
     sentiment_first REAL,
     sentiment_last REAL,
     summary TEXT NOT NULL,
     received_at INTEGER NOT NULL,
     PRIMARY KEY (site, id)
   );
   CREATE INDEX conversations_by_start ON conversations (site, started_at);
   CREATE INDEX conversations_by_visitor ON conversations (site, visitor, started_at);`,
  // Retention deletes by age across all sites.
  `CREATE INDEX conversations_by_age ON conversations (started_at);`,
  `CREATE TABLE client_drops (site TEXT NOT NULL, reason TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (site, reason));`,
  // Site keys (sites/key rotation): a site's id stays `sites.key`; browsers send one of its public
  // keys. Existing sites get their id as their first key, so deployed pages keep working.
  `CREATE TABLE site_keys (key TEXT PRIMARY KEY, site TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER);
   CREATE INDEX site_keys_by_site ON site_keys (site);
   INSERT INTO site_keys (key, site, created_at, expires_at)
     SELECT key, key, CAST(unixepoch('subsec') * 1000 AS INTEGER), NULL FROM sites;`,
  // Integrations: forwarders, their outbox, forward state, alerts (src/collector/integrations/).
  SQLITE_INTEGRATIONS_MIGRATION,
  // Dashboard filters: conversations with a run of negative messages; simulated demo data.
  `ALTER TABLE conversations ADD COLUMN negative_streak INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE conversations ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0;`,
  // First-contact resolution and returning visitors, kept per row on write (see flagsUpdate), and an
  // index holding every column the dashboard aggregates, so its queries never read the summary JSON.
  `ALTER TABLE conversations ADD COLUMN followed_up INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE conversations ADD COLUMN is_returning INTEGER NOT NULL DEFAULT 0;
   ${flagsUpdate(sqliteDialect, '1')};
   CREATE INDEX conversations_metrics ON conversations (site, started_at, end_reason, user_messages, outcome, resolution,
     csat_score, csat_shown, thumbs_up, thumbs_down, sentiment_first, sentiment_last, visitor, followed_up, is_returning,
     simulated, page, release, intent);
   CREATE INDEX conversations_visitors ON conversations (site, visitor, started_at, is_returning);`,
  // Daily rollups for the dashboard (sqlite-rollups.ts); returning visitors now depend on UTC days only.
  (db) => {
    db.exec(`${flagsUpdate(sqliteDialect, '1')}; ${ROLLUPS_MIGRATION}`);
    rebuildRollups(db);
  },
  // Both are prefixes of wider indexes (conversations_metrics, conversations_visitors) that serve
  // the same lookups; every write paid for them.
  'DROP INDEX IF EXISTS conversations_by_start; DROP INDEX IF EXISTS conversations_by_visitor;',
];

const FLAGS = arrivalFlags(sqliteDialect, '@site', '(SELECT @visitor AS visitor, @started_at AS started_at) AS n', 'id = @id', 'conversations INDEXED BY conversations_visitors');

/** Full recomputation around a conversation of a visitor that went or moved (see FLAG_WINDOW_MS). */
const NEIGHBOURHOOD_FLAGS_SQL = flagsUpdate(
  sqliteDialect,
  `site = @site AND visitor = @visitor AND started_at > @started_at - ${FLAG_WINDOW_MS} AND started_at < @started_at + ${FLAG_WINDOW_MS}`,
  'conversations INDEXED BY conversations_visitors',
);

/**
 * Stores a row (highest revision wins). For a conversation not stored before, sets its flags and
 * the ones it turns on in its neighbours, in the same transaction. A later revision keeps the
 * visitor and start time the conversation began with, so it changes no flag; one that does not
 * (never sent by the widget) gets both neighbourhoods recomputed.
 */
function rowWriter(db: Database.Database): RowWriter {
  const upsert = db.prepare(UPSERT_SQL);
  const ownFlags = db.prepare(FLAGS.own);
  const followedUp = db.prepare(FLAGS.followedUp);
  const returning = db.prepare(FLAGS.returning);
  const neighbourhood = db.prepare(NEIGHBOURHOOD_FLAGS_SQL);
  const stored = db.prepare('SELECT visitor, started_at FROM conversations WHERE site = ? AND id = ?');
  return (row) => {
    const prior = stored.get(row.site, row.id) as { visitor: string; started_at: number } | undefined;
    const written = upsert.run(row).changes;
    if (written === 0) return 0;
    if (!prior) {
      ownFlags.run({ site: row.site, id: row.id });
      const arrival = { site: row.site, visitor: row.visitor, started_at: row.started_at };
      followedUp.run(arrival);
      returning.run(arrival);
    } else if (prior.visitor !== row.visitor || prior.started_at !== row.started_at) {
      neighbourhood.run({ site: row.site, visitor: prior.visitor, started_at: prior.started_at });
      neighbourhood.run({ site: row.site, visitor: row.visitor, started_at: row.started_at });
    }
    return written;
  };
}

/** Keeps the highest revision per (site, id); run by the group committer. */
const UPSERT_SQL = `
    INSERT INTO conversations (site, id, revision, visitor, page, release, locale, intent, started_at, ended_at,
      end_reason, user_messages, bot_messages, thumbs_up, thumbs_down, csat_score, csat_shown, handoff, outcome,
      resolution, sentiment_first, sentiment_last, negative_streak, simulated, summary, received_at)
    VALUES (@site, @id, @revision, @visitor, @page, @release, @locale, @intent, @started_at, @ended_at,
      @end_reason, @user_messages, @bot_messages, @thumbs_up, @thumbs_down, @csat_score, @csat_shown, @handoff, @outcome,
      @resolution, @sentiment_first, @sentiment_last, @negative_streak, @simulated, @summary, @received_at)
    ON CONFLICT (site, id) DO UPDATE SET
      revision = excluded.revision, visitor = excluded.visitor, page = excluded.page, release = excluded.release,
      locale = excluded.locale, intent = excluded.intent, started_at = excluded.started_at, ended_at = excluded.ended_at,
      end_reason = excluded.end_reason, user_messages = excluded.user_messages, bot_messages = excluded.bot_messages,
      thumbs_up = excluded.thumbs_up, thumbs_down = excluded.thumbs_down, csat_score = excluded.csat_score,
      csat_shown = excluded.csat_shown, handoff = excluded.handoff, outcome = excluded.outcome,
      resolution = excluded.resolution, sentiment_first = excluded.sentiment_first,
      sentiment_last = excluded.sentiment_last, negative_streak = excluded.negative_streak, simulated = excluded.simulated,
      summary = excluded.summary, received_at = excluded.received_at
    WHERE excluded.revision > conversations.revision`;

/** How often the rollup log is folded when no query asks first, and how many entries per slice (a few ms). */
const ROLLUP_COMPACTION_MS = 1000;
const ROLLUP_SLICE = 200;

/** Rows deleted per retention transaction: small enough that writers wait milliseconds, not seconds. */
const RETENTION_BATCH = 5000;

export function openSqliteStore(path: string): CollectorStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  // On a file, conversation upserts go through a second connection whose WAL fsync runs off the
  // event loop (sqlite-wal-sync.ts); acknowledgements still wait for it. Everything else stays on
  // `db` (synchronous=FULL), which also runs the checkpoints.
  const writer = path === ':memory:' ? null : new Database(path);
  writer?.pragma('synchronous = OFF');
  writer?.pragma('wal_autocheckpoint = 0');
  writer?.pragma('busy_timeout = 5000');
  const committer = writer ? walSyncCommitter(writer, rowWriter(writer), path) : groupCommitter(db, rowWriter(db));


  const deleteOld = db.prepare(
    `DELETE FROM conversations WHERE rowid IN (
       SELECT rowid FROM conversations WHERE started_at < @cutoff AND (@site IS NULL OR site = @site) LIMIT ${RETENTION_BATCH})
     RETURNING site, visitor, started_at`,
  );
  const refreshNeighbourhood = db.prepare(NEIGHBOURHOOD_FLAGS_SQL);
  // The conversations that remain have their flags recomputed from what remains, so a day's
  // conversations keep one returning flag and a new one agrees with them.
  const retentionBatch = db.transaction((cutoff: number, site: string | null): number => {
    const gone = deleteOld.all({ cutoff, site }) as Array<{ site: string; visitor: string; started_at: number }>;
    for (const latest of latestPerVisitor(gone)) refreshNeighbourhood.run(latest);
    return gone.length;
  });

  const rollups = createRollups(db);
  // The log is also folded in the background, in slices that leave the event loop to requests
  // between them, so that a query finds little left to fold.
  let closed = false;
  let compacting = false;
  const compactSlice = () => {
    let more = false;
    try {
      more = !closed && rollups.compact(ROLLUP_SLICE);
    } catch {
      // Busy or failing now: the next query or tick folds the log.
    }
    if (more) setImmediate(compactSlice);
    else compacting = false;
  };
  const compaction = setInterval(() => {
    if (compacting) return;
    compacting = true;
    compactSlice();
  }, ROLLUP_COMPACTION_MS);
  compaction.unref();
  // Prepared once: getSite runs on every collect request, and preparing costs more than the query.
  const getSiteStatement = db.prepare('SELECT * FROM sites WHERE key = ?');
  const getSettingStatement = db.prepare('SELECT value FROM settings WHERE name = ?');
  const siteForKeyStatement = db.prepare('SELECT site FROM site_keys WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)');
  const siteKeysStatement = db.prepare('SELECT key, created_at, expires_at FROM site_keys WHERE site = ? ORDER BY created_at DESC, key');
  const insertKeyStatement = db.prepare('INSERT INTO site_keys (key, site, created_at, expires_at) VALUES (?, ?, ?, NULL)');
  const keyExists = (key: string): boolean => db.prepare('SELECT 1 FROM site_keys WHERE key = ?').get(key) !== undefined;
  const siteKeys = (site: string): SiteKey[] => (siteKeysStatement.all(site) as KeyRow[]).map(fromKeyRow);
  const upsertSite = db.prepare(
    `INSERT INTO sites (key, name, origins, enabled) VALUES (@key, @name, @origins, @enabled)
     ON CONFLICT (key) DO UPDATE SET name = excluded.name, origins = excluded.origins, enabled = excluded.enabled`,
  );
  const siteParams = (site: Site) => ({ key: site.key, name: site.name, origins: JSON.stringify(site.origins), enabled: site.enabled ? 1 : 0 });

  return {
    kind: 'sqlite',
    integrations: createSqliteIntegrationStore(db),
    async upsert(site, summaries, receivedAt): Promise<UpsertResult> {
      const written = await committer.submit(summaries.map((s) => toRow(site, s, receivedAt)));
      return { written, stale: summaries.length - written };
    },
    async metrics(range: MetricsRange) {
      return rollups.metrics(range);
    },
    async groupedMetrics(range, groupBy) {
      return rollups.groupedMetrics(range, groupBy);
    },
    async conversations(query: ConversationQuery) {
      const { text, values } = conversationsQuery(sqliteDialect, query);
      const rows = db.prepare(text).all(...values) as Array<{ summary: string }>;
      return rows.map((row) => JSON.parse(row.summary) as ValidSummary);
    },
    async getSite(key) {
      const row = getSiteStatement.get(key) as SiteRow | undefined;
      return row ? fromSiteRow(row) : null;
    },
    async putSite(site: Site) {
      db.transaction(() => {
        upsertSite.run(siteParams(site));
        const hasKeys = db.prepare('SELECT 1 FROM site_keys WHERE site = ?').get(site.key) !== undefined;
        if (!hasKeys && !keyExists(site.key)) insertKeyStatement.run(site.key, site.key, Date.now());
      })();
    },
    async createSite(site, publicKey, now) {
      db.transaction(() => {
        if (db.prepare('SELECT 1 FROM sites WHERE key = ?').get(site.key) !== undefined) throw new SiteConflictError('site', site.key);
        if (keyExists(publicKey)) throw new SiteConflictError('key', publicKey);
        upsertSite.run(siteParams(site));
        insertKeyStatement.run(publicKey, site.key, now);
      })();
    },
    async listSites() {
      return (db.prepare('SELECT * FROM sites ORDER BY key').all() as SiteRow[]).map((row) => ({ ...fromSiteRow(row), keys: siteKeys(row.key) }));
    },
    async siteForKey(publicKey, now): Promise<SiteWithKeys | null> {
      const match = siteForKeyStatement.get(publicKey, now) as { site: string } | undefined;
      const row = match ? (getSiteStatement.get(match.site) as SiteRow | undefined) : undefined;
      return row ? { ...fromSiteRow(row), keys: siteKeys(row.key) } : null;
    },
    async addSiteKey(site, publicKey, now, expireOthersAt) {
      return db.transaction(() => {
        if (getSiteStatement.get(site) === undefined) return false;
        if (keyExists(publicKey)) throw new SiteConflictError('key', publicKey);
        if (expireOthersAt !== undefined) {
          db.prepare('UPDATE site_keys SET expires_at = ? WHERE site = ? AND (expires_at IS NULL OR expires_at > ?)').run(expireOthersAt, site, expireOthersAt);
        }
        insertKeyStatement.run(publicKey, site, now);
        return true;
      })();
    },
    async expireSiteKey(site, publicKey, at) {
      return db.prepare('UPDATE site_keys SET expires_at = ? WHERE site = ? AND key = ?').run(at, site, publicKey).changes > 0;
    },
    async deleteSite(site) {
      return db.transaction(() => {
        db.prepare('DELETE FROM site_keys WHERE site = ?').run(site);
        return db.prepare('DELETE FROM sites WHERE key = ?').run(site).changes > 0;
      })();
    },
    async getSetting(name) {
      const row = getSettingStatement.get(name) as { value: string } | undefined;
      return row?.value ?? null;
    },
    async setSetting(name, value) {
      db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
    },
    async addClientDrops(site, counts) {
      const add = db.prepare('INSERT INTO client_drops (site, reason, count) VALUES (?, ?, ?) ON CONFLICT (site, reason) DO UPDATE SET count = count + excluded.count');
      db.transaction(() => {
        for (const [reason, count] of Object.entries(counts)) add.run(site, reason, count);
      })();
    },
    async clientDrops(site) {
      const rows = db.prepare('SELECT reason, count FROM client_drops WHERE site = ?').all(site) as Array<{ reason: string; count: number }>;
      return Object.fromEntries(rows.map((r) => [r.reason, r.count]));
    },
    async deleteBefore(cutoff, site) {
      let total = 0;
      for (;;) {
        const changes = retentionBatch(cutoff, site ?? null);
        total += changes;
        if (changes < RETENTION_BATCH) return total;
        // Let queued requests (and their group commit) run between batches.
        await new Promise((resume) => setImmediate(resume));
      }
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      // Upserts already queued belong to requests still waiting for their answer: commit them first.
      await committer.close();
      clearInterval(compaction);
      closed = true;
      rollups.compact();
      writer?.close();
      db.close();
    },
  };
}

interface SiteRow {
  key: string;
  name: string;
  origins: string;
  enabled: number;
}

interface KeyRow {
  key: string;
  created_at: number;
  expires_at: number | null;
}

function fromKeyRow(row: KeyRow): SiteKey {
  return { key: row.key, createdAt: row.created_at, expiresAt: row.expires_at };
}

function fromSiteRow(row: SiteRow): Site {
  return { key: row.key, name: row.name, origins: JSON.parse(row.origins) as string[], enabled: row.enabled === 1 };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      const migration = MIGRATIONS[i]!;
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}

/** Column values for one summary; booleans as 0/1, times as epoch milliseconds. */
export function toRow(site: string, s: ValidSummary, receivedAt: number): Record<string, string | number | null> {
  return {
    site,
    id: s.id,
    revision: s.revision,
    visitor: s.visitor,
    page: s.page,
    release: s.release,
    locale: s.locale,
    intent: s.intent ?? null,
    started_at: Date.parse(s.startedAt),
    ended_at: s.endedAt === null ? null : Date.parse(s.endedAt),
    end_reason: s.endReason,
    user_messages: s.messages.user,
    bot_messages: s.messages.bot,
    thumbs_up: s.thumbs.up,
    thumbs_down: s.thumbs.down,
    csat_score: s.csat?.score ?? null,
    csat_shown: s.csatShown ? 1 : 0,
    handoff: s.handoff ? 1 : 0,
    outcome: s.outcome,
    resolution: s.resolution,
    sentiment_first: s.sentiment?.first ?? null,
    sentiment_last: s.sentiment?.last ?? null,
    negative_streak: s.negativeStreak ?? 0,
    simulated: s.simulated ? 1 : 0,
    summary: JSON.stringify(s),
    received_at: receivedAt,
  };
}
