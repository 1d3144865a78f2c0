// The collector's storage interface: the routes know only this; SQLite and PostgreSQL implement it.
import type { ValidSummary } from '../../shared/summary-schema.ts';

export interface Site {
  key: string;
  name: string;
  /** Origin patterns, e.g. `https://shop.example`, `https://*.example.com`, `http://localhost:*`. */
  origins: string[];
  enabled: boolean;
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
  sentimentShift: number | null;
  firstContactResolution: number | null;
  returningVisitors: number | null;
  visitors: number;
}

export interface MetricsRange {
  site: string;
  from: number;
  to: number;
}

export interface ConversationQuery extends MetricsRange {
  limit: number;
  outcome?: string;
}

export interface UpsertResult {
  /** Summaries written (new, or a higher revision than stored). */
  written: number;
  /** Summaries ignored because the stored revision is the same or higher. */
  stale: number;
}

export interface CollectorStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Keeps the highest revision per (site, id); resolves only once the write is durable. */
  upsert(site: string, summaries: readonly ValidSummary[], receivedAt: number): Promise<UpsertResult>;
  metrics(range: MetricsRange): Promise<MetricValues>;
  groupedMetrics(range: MetricsRange, groupBy: GroupBy): Promise<Array<MetricValues & { key: string }>>;
  conversations(query: ConversationQuery): Promise<ValidSummary[]>;
  getSite(key: string): Promise<Site | null>;
  putSite(site: Site): Promise<void>;
  listSites(): Promise<Site[]>;
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
