// The embedded store (default): one SQLite file, WAL with synchronous=FULL so an acknowledged
// write survives a crash of the process or the machine. Conversation upserts are group-committed
// (sqlite-group-commit.ts): durable before acknowledged, without an fsync per request.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ValidSummary } from '../../shared/summary-schema.ts';
import { groupedMetricsQuery, metricsQuery, sqliteDialect, toMetricValues } from './metrics-sql.ts';
import { groupCommitter } from './sqlite-group-commit.ts';
import type { CollectorStore, ConversationQuery, GroupBy, MetricsRange, Site, UpsertResult } from './types.ts';

const MIGRATIONS: readonly string[] = [
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
];

/** Keeps the highest revision per (site, id); run by the group committer. */
const UPSERT_SQL = `
    INSERT INTO conversations (site, id, revision, visitor, page, release, locale, intent, started_at, ended_at,
      end_reason, user_messages, bot_messages, thumbs_up, thumbs_down, csat_score, csat_shown, handoff, outcome,
      resolution, sentiment_first, sentiment_last, summary, received_at)
    VALUES (@site, @id, @revision, @visitor, @page, @release, @locale, @intent, @started_at, @ended_at,
      @end_reason, @user_messages, @bot_messages, @thumbs_up, @thumbs_down, @csat_score, @csat_shown, @handoff, @outcome,
      @resolution, @sentiment_first, @sentiment_last, @summary, @received_at)
    ON CONFLICT (site, id) DO UPDATE SET
      revision = excluded.revision, visitor = excluded.visitor, page = excluded.page, release = excluded.release,
      locale = excluded.locale, intent = excluded.intent, started_at = excluded.started_at, ended_at = excluded.ended_at,
      end_reason = excluded.end_reason, user_messages = excluded.user_messages, bot_messages = excluded.bot_messages,
      thumbs_up = excluded.thumbs_up, thumbs_down = excluded.thumbs_down, csat_score = excluded.csat_score,
      csat_shown = excluded.csat_shown, handoff = excluded.handoff, outcome = excluded.outcome,
      resolution = excluded.resolution, sentiment_first = excluded.sentiment_first,
      sentiment_last = excluded.sentiment_last, summary = excluded.summary, received_at = excluded.received_at
    WHERE excluded.revision > conversations.revision`;

/** Rows deleted per retention transaction: small enough that writers wait milliseconds, not seconds. */
const RETENTION_BATCH = 5000;

export function openSqliteStore(path: string): CollectorStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const committer = groupCommitter(db, db.prepare(UPSERT_SQL));


  const deleteOld = db.prepare(
    `DELETE FROM conversations WHERE rowid IN (
       SELECT rowid FROM conversations WHERE started_at < @cutoff AND (@site IS NULL OR site = @site) LIMIT ${RETENTION_BATCH})`,
  );

  const metricsStatement = db.prepare(metricsQuery(sqliteDialect));
  // Prepared once: getSite runs on every collect request, and preparing costs more than the query.
  const getSiteStatement = db.prepare('SELECT * FROM sites WHERE key = ?');
  const getSettingStatement = db.prepare('SELECT value FROM settings WHERE name = ?');
  const groupedStatements = new Map<GroupBy, Database.Statement>();

  return {
    kind: 'sqlite',
    async upsert(site, summaries, receivedAt): Promise<UpsertResult> {
      const written = await committer.submit(summaries.map((s) => toRow(site, s, receivedAt)));
      return { written, stale: summaries.length - written };
    },
    async metrics(range: MetricsRange) {
      return toMetricValues(metricsStatement.get(range) as Record<string, unknown>);
    },
    async groupedMetrics(range, groupBy) {
      let statement = groupedStatements.get(groupBy);
      if (!statement) {
        statement = db.prepare(groupedMetricsQuery(sqliteDialect, groupBy));
        groupedStatements.set(groupBy, statement);
      }
      return (statement.all(range) as Array<Record<string, unknown>>).map((row) => ({ key: String(row.key), ...toMetricValues(row) }));
    },
    async conversations(query: ConversationQuery) {
      const rows = db
        .prepare(
          `SELECT summary FROM conversations WHERE site = @site AND started_at >= @from AND started_at < @to
           ${query.outcome ? 'AND outcome = @outcome' : ''} ORDER BY started_at DESC LIMIT @limit`,
        )
        .all({ site: query.site, from: query.from, to: query.to, limit: query.limit, outcome: query.outcome ?? null }) as Array<{ summary: string }>;
      return rows.map((row) => JSON.parse(row.summary) as ValidSummary);
    },
    async getSite(key) {
      const row = getSiteStatement.get(key) as SiteRow | undefined;
      return row ? fromSiteRow(row) : null;
    },
    async putSite(site: Site) {
      db.prepare(
        `INSERT INTO sites (key, name, origins, enabled) VALUES (@key, @name, @origins, @enabled)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, origins = excluded.origins, enabled = excluded.enabled`,
      ).run({ key: site.key, name: site.name, origins: JSON.stringify(site.origins), enabled: site.enabled ? 1 : 0 });
    },
    async listSites() {
      return (db.prepare('SELECT * FROM sites ORDER BY key').all() as SiteRow[]).map(fromSiteRow);
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
        const { changes } = deleteOld.run({ cutoff, site: site ?? null });
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

function fromSiteRow(row: SiteRow): Site {
  return { key: row.key, name: row.name, origins: JSON.parse(row.origins) as string[], enabled: row.enabled === 1 };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
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
    summary: JSON.stringify(s),
    received_at: receivedAt,
  };
}
