// Integration storage in the embedded SQLite database. better-sqlite3 is synchronous and SQLite has
// one writer, so each operation is one synchronous transaction: nothing interleaves with it, and a
// claim is exclusive without row locks.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { ValidSummary } from '../../shared/summary-schema.ts';
import { forwarderParams, fromAlertRow, fromForwarderRow, fromOutboxRow, statsFromRows, type AlertRowData, type ForwarderRowData, type OutboxRowData } from './rows.ts';
import type { AlertRecord, ForwardPlanner, IntegrationStore, NewOutboxRow, OutboxRow } from './types.ts';

export function createSqliteIntegrationStore(db: Database.Database): IntegrationStore {
  const getState = db.prepare('SELECT revision, items FROM forward_state WHERE site = ? AND conversation = ?');
  const putState = db.prepare(
    `INSERT INTO forward_state (site, conversation, revision, items, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (site, conversation) DO UPDATE SET revision = excluded.revision, items = excluded.items, updated_at = excluded.updated_at`,
  );
  const insertRow = db.prepare(
    `INSERT INTO forward_outbox (site, forwarder, item_key, event_key, event, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, forwarder, event_key) DO NOTHING`,
  );
  const supersede = db.prepare(
    `UPDATE forward_outbox SET status = 'superseded'
     WHERE site = ? AND forwarder = ? AND item_key = ? AND status = 'pending' AND event_key <> ?`,
  );
  const claimStatement = db.prepare(
    `UPDATE forward_outbox SET lease_until = @until, lease_token = @token, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM forward_outbox
       WHERE status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
       ORDER BY next_attempt_at, id LIMIT @limit)
     RETURNING *`,
  );

  const insertRows = (rows: readonly NewOutboxRow[], now: number): number => {
    let inserted = 0;
    for (const r of rows) {
      if (insertRow.run(r.site, r.forwarder, r.itemKey, r.eventKey, JSON.stringify(r.event), now, now).changes === 0) continue;
      // A newer value of the same item replaces one not yet delivered (the receiver wants the last).
      supersede.run(r.site, r.forwarder, r.itemKey, r.eventKey);
      inserted += 1;
    }
    return inserted;
  };

  const enqueueTx = db.transaction((site: string, summaries: readonly ValidSummary[], plan: ForwardPlanner): number => {
    let inserted = 0;
    const now = Date.now();
    for (const s of summaries) {
      const row = getState.get(site, s.id) as { revision: number; items: string } | undefined;
      const planned = plan(s, row ? { revision: row.revision, items: JSON.parse(row.items) } : null);
      if (!planned) continue;
      putState.run(site, s.id, planned.state.revision, JSON.stringify(planned.state.items), now);
      inserted += insertRows(planned.rows, now);
    }
    return inserted;
  });

  const openAlertTx = db.transaction((alert: AlertRecord, rows: readonly NewOutboxRow[]): boolean => {
    const now = Date.parse(alert.createdAt);
    const { changes } = db
      .prepare(
        `INSERT INTO alerts (id, site, condition_key, details, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(alert.id, alert.site, alert.conditionKey, JSON.stringify(alert), now, now);
    if (changes === 0) return false;
    insertRows(rows, Date.now());
    return true;
  });

  return {
    async listForwarders(site) {
      const rows = (site
        ? db.prepare('SELECT * FROM forwarders WHERE site = ? ORDER BY id').all(site)
        : db.prepare('SELECT * FROM forwarders ORDER BY site, id').all()) as ForwarderRowData[];
      return rows.map(fromForwarderRow);
    },
    async getForwarder(site, id) {
      const row = db.prepare('SELECT * FROM forwarders WHERE site = ? AND id = ?').get(site, id) as ForwarderRowData | undefined;
      return row ? fromForwarderRow(row) : null;
    },
    async putForwarder(f) {
      const p = forwarderParams(f);
      db.prepare(
        `INSERT INTO forwarders (site, id, kind, config, events, enabled, created_at) VALUES (@site, @id, @kind, @config, @events, @enabled, @created_at)
         ON CONFLICT (site, id) DO UPDATE SET kind = excluded.kind, config = excluded.config, events = excluded.events, enabled = excluded.enabled`,
      ).run({ ...p, enabled: f.enabled ? 1 : 0 });
    },
    async deleteForwarder(site, id) {
      return db.transaction(() => {
        db.prepare('DELETE FROM forward_outbox WHERE site = ? AND forwarder = ?').run(site, id);
        return db.prepare('DELETE FROM forwarders WHERE site = ? AND id = ?').run(site, id).changes > 0;
      })();
    },
    async enqueue(site, summaries, plan) {
      return enqueueTx(site, summaries, plan);
    },
    async claim(now, limit, leaseMs) {
      const rows = claimStatement.all({ now, until: now + leaseMs, token: randomUUID(), limit }) as OutboxRowData[];
      return rows.map(fromOutboxRow).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
    },
    async markDelivered(row: OutboxRow, now) {
      db.prepare(
        `UPDATE forward_outbox SET status = 'delivered', delivered_at = ?, lease_until = NULL, last_error = NULL WHERE id = ? AND lease_token = ?`,
      ).run(now, row.id, row.leaseToken);
    },
    async markRetry(row, nextAttemptAt, error) {
      db.prepare(
        `UPDATE forward_outbox SET next_attempt_at = ?, lease_until = NULL, lease_token = NULL, last_error = ?
         WHERE id = ? AND lease_token = ? AND status = 'pending'`,
      ).run(nextAttemptAt, error.slice(0, 500), row.id, row.leaseToken);
    },
    async markFailed(row, error) {
      db.prepare(
        `UPDATE forward_outbox SET status = 'failed', lease_until = NULL, last_error = ? WHERE id = ? AND lease_token = ? AND status = 'pending'`,
      ).run(error.slice(0, 500), row.id, row.leaseToken);
    },
    async outboxStats(site) {
      const counts = db.prepare('SELECT forwarder, status, COUNT(*) AS count FROM forward_outbox WHERE site = ? GROUP BY forwarder, status').all(site) as Array<{ forwarder: string; status: string; count: number }>;
      const errors = db
        .prepare(
          `SELECT forwarder, last_error FROM forward_outbox o WHERE site = ? AND last_error IS NOT NULL AND status IN ('pending', 'failed')
           AND id = (SELECT MAX(id) FROM forward_outbox i WHERE i.site = o.site AND i.forwarder = o.forwarder AND i.last_error IS NOT NULL AND i.status IN ('pending', 'failed'))`,
        )
        .all(site) as Array<{ forwarder: string; last_error: string | null }>;
      return statsFromRows(counts, errors);
    },
    async outboxRows(site, forwarder, limit = 1000) {
      const rows = db
        .prepare(`SELECT * FROM forward_outbox WHERE site = ? AND (? IS NULL OR forwarder = ?) ORDER BY id DESC LIMIT ?`)
        .all(site, forwarder ?? null, forwarder ?? null, limit) as OutboxRowData[];
      return rows.map(fromOutboxRow);
    },
    async requeueFailed(site, forwarder, now) {
      return db
        .prepare(
          `UPDATE forward_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL, lease_token = NULL
           WHERE site = ? AND forwarder = ? AND status = 'failed'`,
        )
        .run(now, site, forwarder).changes;
    },
    async openAlert(alert, rows) {
      return openAlertTx(alert, rows);
    },
    async touchAlert(site, conditionKey, now) {
      db.prepare('UPDATE alerts SET last_seen_at = ? WHERE site = ? AND condition_key = ? AND resolved_at IS NULL').run(now, site, conditionKey);
    },
    async resolveAlert(site, conditionKey, now) {
      db.prepare('UPDATE alerts SET resolved_at = ? WHERE site = ? AND condition_key = ? AND resolved_at IS NULL').run(now, site, conditionKey);
    },
    async listAlerts(site, options = {}) {
      const rows = db
        .prepare(`SELECT * FROM alerts WHERE site = ? ${options.open ? 'AND resolved_at IS NULL' : ''} ORDER BY created_at DESC, id LIMIT ?`)
        .all(site, options.limit ?? 100) as AlertRowData[];
      return rows.map(fromAlertRow);
    },
    async prune(outboxBefore, stateBefore) {
      return db.transaction(() => {
        const outbox = db.prepare(`DELETE FROM forward_outbox WHERE status IN ('delivered', 'superseded') AND created_at < ?`).run(outboxBefore).changes;
        return outbox + db.prepare('DELETE FROM forward_state WHERE updated_at < ?').run(stateBefore).changes;
      })();
    },
  };
}
