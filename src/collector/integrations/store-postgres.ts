// Integration storage in PostgreSQL, shared by several collectors: forward state is locked per
// conversation (SELECT … FOR UPDATE) while its forwards are planned, and delivery workers claim
// outbox rows with FOR UPDATE SKIP LOCKED plus a lease, so two collectors never take the same row.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { inTransaction } from '../store/pg-transaction.ts';
import { forwarderParams, fromAlertRow, fromForwarderRow, fromOutboxRow, statsFromRows, type AlertRowData, type ForwarderRowData, type OutboxRowData } from './rows.ts';
import type { IntegrationStore, NewOutboxRow } from './types.ts';

const INSERT_ROW = `
  INSERT INTO forward_outbox (site, forwarder, item_key, event_key, event, next_attempt_at, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (site, forwarder, event_key) DO NOTHING`;
const SUPERSEDE = `
  UPDATE forward_outbox SET status = 'superseded'
  WHERE site = $1 AND forwarder = $2 AND item_key = $3 AND status = 'pending' AND event_key <> $4`;

export function createPostgresIntegrationStore(pool: pg.Pool): IntegrationStore {
  const transaction = <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, fn);

  async function insertRows(client: pg.PoolClient, rows: readonly NewOutboxRow[], now: number): Promise<number> {
    let inserted = 0;
    for (const r of rows) {
      const result = await client.query(INSERT_ROW, [r.site, r.forwarder, r.itemKey, r.eventKey, JSON.stringify(r.event), now]);
      if ((result.rowCount ?? 0) === 0) continue;
      await client.query(SUPERSEDE, [r.site, r.forwarder, r.itemKey, r.eventKey]);
      inserted += 1;
    }
    return inserted;
  }

  return {
    async listForwarders(site) {
      const { rows } = site
        ? await pool.query<ForwarderRowData>('SELECT * FROM forwarders WHERE site = $1 ORDER BY id COLLATE "C"', [site])
        : await pool.query<ForwarderRowData>('SELECT * FROM forwarders ORDER BY site COLLATE "C", id COLLATE "C"');
      return rows.map(fromForwarderRow);
    },
    async getForwarder(site, id) {
      const { rows } = await pool.query<ForwarderRowData>('SELECT * FROM forwarders WHERE site = $1 AND id = $2', [site, id]);
      return rows[0] ? fromForwarderRow(rows[0]) : null;
    },
    async putForwarder(f) {
      const p = forwarderParams(f);
      await pool.query(
        `INSERT INTO forwarders (site, id, kind, config, events, enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (site, id) DO UPDATE SET kind = excluded.kind, config = excluded.config, events = excluded.events, enabled = excluded.enabled`,
        [p.site, p.id, p.kind, p.config, p.events, f.enabled, p.created_at],
      );
    },
    async deleteForwarder(site, id) {
      return transaction(async (client) => {
        await client.query('DELETE FROM forward_outbox WHERE site = $1 AND forwarder = $2', [site, id]);
        const result = await client.query('DELETE FROM forwarders WHERE site = $1 AND id = $2', [site, id]);
        return (result.rowCount ?? 0) > 0;
      });
    },
    async enqueue(site, summaries, plan) {
      // Lock conversations in one order (by id; a stable sort keeps one conversation's revisions in
      // arrival order), so two collectors handling overlapping batches cannot deadlock.
      const ordered = [...summaries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return transaction(async (client) => {
        let inserted = 0;
        const now = Date.now();
        for (const s of ordered) {
          await client.query(`INSERT INTO forward_state (site, conversation, revision, items) VALUES ($1, $2, 0, '{}') ON CONFLICT DO NOTHING`, [site, s.id]);
          const { rows } = await client.query<{ revision: string; items: string }>(
            'SELECT revision, items FROM forward_state WHERE site = $1 AND conversation = $2 FOR UPDATE',
            [site, s.id],
          );
          const row = rows[0];
          const previous = row && Number(row.revision) > 0 ? { revision: Number(row.revision), items: JSON.parse(row.items) } : null;
          const planned = plan(s, previous);
          if (!planned) continue;
          await client.query('UPDATE forward_state SET revision = $3, items = $4, updated_at = $5 WHERE site = $1 AND conversation = $2', [
            site,
            s.id,
            planned.state.revision,
            JSON.stringify(planned.state.items),
            now,
          ]);
          inserted += await insertRows(client, planned.rows, now);
        }
        return inserted;
      });
    },
    async claim(now, limit, leaseMs) {
      const { rows } = await pool.query<OutboxRowData>(
        `UPDATE forward_outbox o SET lease_until = $2, lease_token = $3, attempts = o.attempts + 1
         FROM (SELECT id FROM forward_outbox
               WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
               ORDER BY next_attempt_at, id LIMIT $4
               FOR UPDATE SKIP LOCKED) due
         WHERE o.id = due.id
         RETURNING o.*`,
        [now, now + leaseMs, randomUUID(), limit],
      );
      return rows.map(fromOutboxRow).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
    },
    async markDelivered(row, now) {
      await pool.query(
        `UPDATE forward_outbox SET status = 'delivered', delivered_at = $1, lease_until = NULL, last_error = NULL WHERE id = $2 AND lease_token = $3`,
        [now, row.id, row.leaseToken],
      );
    },
    async markRetry(row, nextAttemptAt, error) {
      await pool.query(
        `UPDATE forward_outbox SET next_attempt_at = $1, lease_until = NULL, lease_token = NULL, last_error = $2
         WHERE id = $3 AND lease_token = $4 AND status = 'pending'`,
        [nextAttemptAt, error.slice(0, 500), row.id, row.leaseToken],
      );
    },
    async markFailed(row, error) {
      await pool.query(
        `UPDATE forward_outbox SET status = 'failed', lease_until = NULL, last_error = $1 WHERE id = $2 AND lease_token = $3 AND status = 'pending'`,
        [error.slice(0, 500), row.id, row.leaseToken],
      );
    },
    async outboxStats(site) {
      const counts = await pool.query<{ forwarder: string; status: string; count: string }>(
        'SELECT forwarder, status, COUNT(*) AS count FROM forward_outbox WHERE site = $1 GROUP BY forwarder, status',
        [site],
      );
      const errors = await pool.query<{ forwarder: string; last_error: string | null }>(
        `SELECT DISTINCT ON (forwarder) forwarder, last_error FROM forward_outbox
         WHERE site = $1 AND last_error IS NOT NULL AND status IN ('pending', 'failed') ORDER BY forwarder, id DESC`,
        [site],
      );
      return statsFromRows(counts.rows, errors.rows);
    },
    async outboxRows(site, forwarder, limit = 1000) {
      const { rows } = await pool.query<OutboxRowData>(
        'SELECT * FROM forward_outbox WHERE site = $1 AND ($2::text IS NULL OR forwarder = $2) ORDER BY id DESC LIMIT $3',
        [site, forwarder ?? null, limit],
      );
      return rows.map(fromOutboxRow);
    },
    async requeueFailed(site, forwarder, now) {
      const result = await pool.query(
        `UPDATE forward_outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, lease_until = NULL, lease_token = NULL
         WHERE site = $2 AND forwarder = $3 AND status = 'failed'`,
        [now, site, forwarder],
      );
      return result.rowCount ?? 0;
    },
    async openAlert(alert, rows) {
      return transaction(async (client) => {
        const at = Date.parse(alert.createdAt);
        const result = await client.query(
          `INSERT INTO alerts (id, site, condition_key, details, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING`,
          [alert.id, alert.site, alert.conditionKey, JSON.stringify(alert), at],
        );
        if ((result.rowCount ?? 0) === 0) return false;
        await insertRows(client, rows, Date.now());
        return true;
      });
    },
    async touchAlert(site, conditionKey, now) {
      await pool.query('UPDATE alerts SET last_seen_at = $1 WHERE site = $2 AND condition_key = $3 AND resolved_at IS NULL', [now, site, conditionKey]);
    },
    async resolveAlert(site, conditionKey, now) {
      await pool.query('UPDATE alerts SET resolved_at = $1 WHERE site = $2 AND condition_key = $3 AND resolved_at IS NULL', [now, site, conditionKey]);
    },
    async listAlerts(site, options = {}) {
      const { rows } = await pool.query<AlertRowData>(
        `SELECT * FROM alerts WHERE site = $1 AND ($2::boolean IS NOT TRUE OR resolved_at IS NULL) ORDER BY created_at DESC, id LIMIT $3`,
        [site, options.open ?? false, options.limit ?? 100],
      );
      return rows.map(fromAlertRow);
    },
    async prune(outboxBefore, stateBefore) {
      const outbox = await pool.query(`DELETE FROM forward_outbox WHERE status IN ('delivered', 'superseded') AND created_at < $1`, [outboxBefore]);
      const state = await pool.query('DELETE FROM forward_state WHERE updated_at < $1', [stateBefore]);
      return (outbox.rowCount ?? 0) + (state.rowCount ?? 0);
    },
  };
}
