// The collector's storage interface: the routes know only this; SQLite and PostgreSQL implement it.
import type { ValidSummary } from '../../shared/summary-schema.ts';
import type { IntegrationStore } from '../integrations/types.ts';

export interface Site {
  /**
   * The site's stable id: conversations, metrics and rate limits are keyed by it, and it never
   * changes. Browsers send a public key (`data-site`), which resolves to this id (see SiteKey).
   */
  key: string;
  name: string;
  /** Origin patterns, e.g. `https://shop.example`, `https://*.example.com`, `http://localhost:*`. */
  origins: string[];
  enabled: boolean;
}

/**
 * A public key (`data-site` value) of a site. A site has one or more; rotation adds a new key and
 * gives the old ones an expiry (a grace period) so pages already deployed keep working until then.
 */
export interface SiteKey {
  key: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms after which the key is refused (401); null = no expiry. */
  expiresAt: number | null;
}

export interface SiteWithKeys extends Site {
  /** Newest first; includes expired keys until they are removed. */
  keys: SiteKey[];
}

/** A site id or public key that already exists (creating a site or adding a key). */
export class SiteConflictError extends Error {
  constructor(readonly what: 'site' | 'key', readonly value: string) {
    super(`${what} already exists: ${value}`);
    this.name = 'SiteConflictError';
  }
}

export type GroupBy = 'day' | 'page' | 'release' | 'intent';

export interface MetricValues {
  conversations: number;
  /** Ended conversations with at least one user message: the denominator of the rates. */
  ended: number;
  resolutionRate: number | null;
  explicitResolutionRate: number | null;
  inferredResolutionRate: number | null;
  escalationRate: number | null;
  abandonmentRate: number | null;
  unresolvedRate: number | null;
  csat: { score: number | null; mean: number | null; responses: number; responseRate: number | null };
  thumbsRatio: number | null;
  /** Votes behind thumbsRatio. */
  thumbs: { up: number; down: number };
  sentimentShift: number | null;
  firstContactResolution: number | null;
  returningVisitors: number | null;
  visitors: number;
  /** Conversations made by `npm run simulate`, not by real visitors. */
  simulated: number;
}

/** A group of grouped metrics: its key and when its first conversation in the range started. */
export type MetricGroup = MetricValues & { key: string; firstSeen: string };

/** Conversations with a signal worth reading: a thumbs-down, a handoff, a run of negative messages. */
export type ConversationSignal = 'thumbs-down' | 'handoff' | 'negative-streak';
export const CONVERSATION_SIGNALS: readonly ConversationSignal[] = ['thumbs-down', 'handoff', 'negative-streak'];

export interface MetricsRange {
  site: string;
  from: number;
  to: number;
}

export interface ConversationQuery extends MetricsRange {
  limit: number;
  outcome?: string;
  intent?: string;
  release?: string;
  page?: string;
  signal?: ConversationSignal;
}

export interface UpsertResult {
  /** Summaries written (new, or a higher revision than stored). */
  written: number;
  /** Summaries ignored because the stored revision is the same or higher. */
  stale: number;
}

export interface CollectorStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Forwarders, their outbox and alerts (src/collector/integrations/). */
  readonly integrations: IntegrationStore;
  /** Keeps the highest revision per (site, id); resolves only once the write is durable. */
  upsert(site: string, summaries: readonly ValidSummary[], receivedAt: number): Promise<UpsertResult>;
  metrics(range: MetricsRange): Promise<MetricValues>;
  groupedMetrics(range: MetricsRange, groupBy: GroupBy): Promise<MetricGroup[]>;
  conversations(query: ConversationQuery): Promise<ValidSummary[]>;
  /** By stable id. */
  getSite(key: string): Promise<Site | null>;
  /**
   * Creates or updates a site by id. A site created this way (no keys yet) gets its id as its
   * public key, which is how sites created before keys existed keep working.
   */
  putSite(site: Site): Promise<void>;
  /** Creates a site with `publicKey` as its first key; SiteConflictError if the id or key exists. */
  createSite(site: Site, publicKey: string, now: number): Promise<void>;
  listSites(): Promise<SiteWithKeys[]>;
  /** The site a public key belongs to, if the key exists and has not expired at `now`. */
  siteForKey(publicKey: string, now: number): Promise<SiteWithKeys | null>;
  /**
   * Adds a public key to a site (SiteConflictError if taken). With `expireOthersAt`, every other
   * key of the site that would outlive that time expires then instead (rotation with a grace period).
   * Resolves false if the site does not exist.
   */
  addSiteKey(site: string, publicKey: string, now: number, expireOthersAt?: number): Promise<boolean>;
  /** Sets a key's expiry (`at` = now revokes it). Resolves false if the site has no such key. */
  expireSiteKey(site: string, publicKey: string, at: number): Promise<boolean>;
  /** Deletes a site and its keys; its conversations stay until retention (or deleteBefore) removes them. */
  deleteSite(site: string): Promise<boolean>;
  getSetting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;
  /**
   * Retention: deletes conversations started before `cutoff` (epoch ms), of one site or of all,
   * in small batches so writers are not blocked for long. Resolves with the number deleted.
   */
  deleteBefore(cutoff: number, site?: string): Promise<number>;
  /** Adds what browsers report they dropped on purpose (see the widget's delivery guarantees). */
  addClientDrops(site: string, counts: Readonly<Record<string, number>>): Promise<void>;
  clientDrops(site: string): Promise<Record<string, number>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
