// Types of the observability integrations: forwarders (Langfuse, OpenTelemetry, signed webhook),
// the durable outbox they deliver from, per-site integration settings (trace links, alerts) and
// recorded alerts. Storage is behind `IntegrationStore`, implemented for SQLite and PostgreSQL.
import type { ValidSummary } from '../../shared/summary-schema.ts';

export type ForwarderKind = 'langfuse' | 'otlp' | 'webhook';
export type ForwardEventType = 'rating' | 'csat' | 'outcome' | 'alert';
export const FORWARD_EVENT_TYPES: readonly ForwardEventType[] = ['rating', 'csat', 'outcome', 'alert'];

export interface LangfuseConfig {
  /** e.g. `https://cloud.langfuse.com`, `https://us.cloud.langfuse.com` or a self-hosted origin. */
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  /** Thumbs as a BOOLEAN score (default) or a NUMERIC one; both send 1 for up and 0 for down. */
  thumbsAs?: 'BOOLEAN' | 'NUMERIC';
  /** Langfuse `environment` of the scores (lowercase letters, digits, - and _). */
  environment?: string;
  /** Score names; defaults: `user-feedback`, `csat`, `conversation-outcome`. */
  names?: { thumbs?: string; csat?: string; outcome?: string };
}

export interface OtlpConfig {
  /** OTLP/HTTP logs endpoint; a URL without a path gets `/v1/logs` (e.g. `http://otel-collector:4318`). */
  endpoint: string;
  /** Extra request headers (e.g. an API key header of the backend). */
  headers?: Record<string, string>;
  /** `service.name` resource attribute; default `chatpulse`. */
  serviceName?: string;
}

export interface WebhookConfig {
  url: string;
  /** Shared secret of the HMAC-SHA256 signature (at least 16 characters). */
  secret: string;
}

interface ForwarderBase {
  site: string;
  id: string;
  enabled: boolean;
  /** Which events this forwarder receives; default: ratings, CSAT and outcomes (plus alerts for webhooks). */
  events?: ForwardEventType[];
  createdAt: number;
}

export type Forwarder =
  | (ForwarderBase & { kind: 'langfuse'; config: LangfuseConfig })
  | (ForwarderBase & { kind: 'otlp'; config: OtlpConfig })
  | (ForwarderBase & { kind: 'webhook'; config: WebhookConfig });

/** One thing to forward, as stored in the outbox (the same for every kind of forwarder). */
export interface ForwardEvent {
  /** Deterministic idempotency key of this forward (also the webhook delivery id). */
  id: string;
  type: ForwardEventType;
  site: string;
  /** When it happened (ISO): the conversation's end for outcomes and CSAT, arrival for ratings. */
  occurredAt: string;
  conversationId: string | null;
  revision: number | null;
  /** Rating: index of the rated bot message. */
  message?: number;
  /** Rating `up`/`down`; CSAT 1–5; outcome name; alert: the primary metric. */
  value: string | number;
  comment?: string | null;
  /** The trace the event belongs to: the rated answer's, or the conversation's last answer's. */
  traceId: string | null;
  traceUrl?: string | null;
  traceIds?: string[];
  release: string | null;
  intent: string | null;
  page: string | null;
  outcome: string | null;
  resolution?: string | null;
  /** Stable per conversation item (a changed vote updates the same Langfuse score). */
  scoreId: string;
  alert?: AlertRecord;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed' | 'superseded';

export interface OutboxRow {
  id: number;
  site: string;
  forwarder: string;
  itemKey: string;
  eventKey: string;
  event: ForwardEvent;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseToken: string | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

export interface NewOutboxRow {
  site: string;
  forwarder: string;
  itemKey: string;
  eventKey: string;
  event: ForwardEvent;
}

/** What the collector last enqueued per conversation item (ratings by message, CSAT, outcome). */
export interface ForwardState {
  revision: number;
  items: Record<string, { v: string; n: number }>;
}

export type AlertMetric = 'resolution' | 'escalation' | 'abandonment' | 'csat';
export type AlertDimension = 'intent' | 'page' | 'release';

export interface AlertMetricChange {
  metric: AlertMetric;
  current: number;
  baseline: number;
  /** current - baseline (a fraction: -0.2 is 20 points down). */
  change: number;
  threshold: number;
  currentVolume: number;
  baselineVolume: number;
}

export interface AlertRecord {
  id: string;
  site: string;
  /** `dimension:key`: one open alert per condition. */
  conditionKey: string;
  dimension: AlertDimension;
  key: string;
  /** The metric that moved most (relative to its threshold). */
  metric: AlertMetric;
  metrics: AlertMetricChange[];
  /** The release the regressed conversations ran (the one that changed), and the baseline's main release. */
  release: string | null;
  previousRelease: string | null;
  releases: Array<{ release: string; conversations: number; value: number | null }>;
  exampleTraceIds: string[];
  exampleTraceUrls?: string[];
  /** Other groups that moved with this one (their regressed conversations are mostly this group's). */
  related: Array<{ dimension: AlertDimension; key: string; metric: AlertMetric; change: number }>;
  window: { from: string; to: string };
  baselineWindow: { from: string; to: string };
  createdAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

export interface OutboxStats {
  pending: number;
  delivered: number;
  failed: number;
  superseded: number;
  lastError: string | null;
}

export interface IntegrationStore {
  listForwarders(site?: string): Promise<Forwarder[]>;
  getForwarder(site: string, id: string): Promise<Forwarder | null>;
  putForwarder(forwarder: Forwarder): Promise<void>;
  /** Deletes the forwarder and its outbox. */
  deleteForwarder(site: string, id: string): Promise<boolean>;
  /**
   * In one transaction: for each summary above the revision last seen for its conversation, plans
   * the forwards (`plan`) against the recorded state, records the new state and inserts the outbox
   * rows (idempotent on `eventKey`; a newer value supersedes a pending older one of the same item).
   */
  enqueue(site: string, summaries: readonly ValidSummary[], plan: ForwardPlanner): Promise<number>;
  /** Claims up to `limit` due rows for `leaseMs` (SKIP LOCKED in PostgreSQL); each claim counts as an attempt. */
  claim(now: number, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  markDelivered(row: OutboxRow, now: number): Promise<void>;
  markRetry(row: OutboxRow, nextAttemptAt: number, error: string): Promise<void>;
  markFailed(row: OutboxRow, error: string, now: number): Promise<void>;
  outboxStats(site: string): Promise<Record<string, OutboxStats>>;
  /** Rows of a site (newest first), for diagnostics and tests. */
  outboxRows(site: string, forwarder?: string, limit?: number): Promise<OutboxRow[]>;
  /** Failed rows of a forwarder back to pending, due now. */
  requeueFailed(site: string, forwarder: string, now: number): Promise<number>;
  /** Records an alert unless one is open for the same condition; with its outbox rows, in one transaction. */
  openAlert(alert: AlertRecord, rows: NewOutboxRow[]): Promise<boolean>;
  touchAlert(site: string, conditionKey: string, now: number): Promise<void>;
  resolveAlert(site: string, conditionKey: string, now: number): Promise<void>;
  listAlerts(site: string, options?: { open?: boolean; limit?: number }): Promise<AlertRecord[]>;
  /** Deletes delivered and superseded outbox rows created before `outboxBefore`, and forward state untouched since `stateBefore`. */
  prune(outboxBefore: number, stateBefore: number): Promise<number>;
}

/** Pure planning step run inside the store's transaction: what to enqueue for one summary. */
export type ForwardPlanner = (summary: ValidSummary, previous: ForwardState | null) => { state: ForwardState; rows: NewOutboxRow[] } | null;
