// The conversation summary: the one record the widget sends and the collector stores.
// Shared by browser and Node code; DESIGN.md fixes its fields.

export type EndReason = 'idle' | 'end' | 'handoff' | 'exit' | 'api';
export type Outcome = 'resolved' | 'escalated' | 'abandoned' | 'unresolved' | 'unknown';
export type Resolution = 'explicit' | 'inferred';
export type Vote = 'up' | 'down';

export interface Rating {
  /** Index of the rated bot message within the conversation (0-based). */
  message: number;
  value: Vote;
  traceId: string | null;
}

export interface SentimentSummary {
  first: number;
  last: number;
  min: number;
  mean: number;
}

export interface Summary {
  id: string;
  revision: number;
  site: string;
  visitor: string;
  page: string;
  release: string | null;
  locale: string | null;
  intent: string | null;
  startedAt: string;
  endedAt: string | null;
  endReason: EndReason | null;
  messages: { user: number; bot: number };
  thumbs: { up: number; down: number };
  ratings: Rating[];
  csat: { score: number; comment: string | null } | null;
  csatShown: boolean;
  handoff: boolean;
  outcome: Outcome | null;
  resolution: Resolution | null;
  sentiment: SentimentSummary | null;
  traceIds: string[];
  /** Only with data-capture-text="on": the first and last user message, redacted on the device. */
  text?: { firstUser: string | null; lastUser: string | null } | null;
}

export interface CollectBody {
  v: 1;
  site: string;
  sentAt: string;
  summaries: Summary[];
}

export const END_REASONS: readonly EndReason[] = ['idle', 'end', 'handoff', 'exit', 'api'];
export const OUTCOMES: readonly Outcome[] = ['resolved', 'escalated', 'abandoned', 'unresolved', 'unknown'];
