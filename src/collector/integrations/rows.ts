// Row <-> object mapping shared by the SQLite and PostgreSQL integration stores.
import type { AlertRecord, Forwarder, ForwardEventType, OutboxRow, OutboxStats } from './types.ts';

export interface ForwarderRowData {
  site: string;
  id: string;
  kind: string;
  config: string;
  events: string | null;
  enabled: number | boolean;
  created_at: number | string;
}

export function fromForwarderRow(row: ForwarderRowData): Forwarder {
  const events = row.events ? (JSON.parse(row.events) as ForwardEventType[]) : undefined;
  return {
    site: row.site,
    id: row.id,
    kind: row.kind,
    config: JSON.parse(row.config),
    enabled: row.enabled === true || row.enabled === 1,
    ...(events ? { events } : {}),
    createdAt: Number(row.created_at),
  } as Forwarder;
}

export function forwarderParams(f: Forwarder): { site: string; id: string; kind: string; config: string; events: string | null; created_at: number } {
  return { site: f.site, id: f.id, kind: f.kind, config: JSON.stringify(f.config), events: f.events ? JSON.stringify(f.events) : null, created_at: f.createdAt };
}

export interface OutboxRowData {
  id: number | string;
  site: string;
  forwarder: string;
  item_key: string;
  event_key: string;
  event: string;
  status: string;
  attempts: number | string;
  next_attempt_at: number | string;
  lease_token: string | null;
  last_error: string | null;
  created_at: number | string;
  delivered_at: number | string | null;
}

export function fromOutboxRow(row: OutboxRowData): OutboxRow {
  return {
    id: Number(row.id),
    site: row.site,
    forwarder: row.forwarder,
    itemKey: row.item_key,
    eventKey: row.event_key,
    event: JSON.parse(row.event),
    status: row.status as OutboxRow['status'],
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    leaseToken: row.lease_token,
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
  };
}

export function statsFromRows(rows: Array<{ forwarder: string; status: string; count: number | string }>, errors: Array<{ forwarder: string; last_error: string | null }>): Record<string, OutboxStats> {
  const out: Record<string, OutboxStats> = {};
  const get = (f: string): OutboxStats => (out[f] ??= { pending: 0, delivered: 0, failed: 0, superseded: 0, lastError: null });
  for (const r of rows) {
    const s = get(r.forwarder);
    if (r.status === 'pending' || r.status === 'delivered' || r.status === 'failed' || r.status === 'superseded') s[r.status] = Number(r.count);
  }
  for (const e of errors) get(e.forwarder).lastError = e.last_error;
  return out;
}

export interface AlertRowData {
  id: string;
  details: string;
  created_at: number | string;
  last_seen_at: number | string;
  resolved_at: number | string | null;
}

export function fromAlertRow(row: AlertRowData): AlertRecord {
  const details = JSON.parse(row.details) as AlertRecord;
  return {
    ...details,
    id: row.id,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    lastSeenAt: new Date(Number(row.last_seen_at)).toISOString(),
    resolvedAt: row.resolved_at === null ? null : new Date(Number(row.resolved_at)).toISOString(),
  };
}
