import type { ConversationEvent, ConversationMeta, Summary } from '../types.ts';

/** A conversation as kept on the device: its meta plus bookkeeping for revisions. */
export interface StoredConversation extends ConversationMeta {
  /** Highest revision given out; the next is above both this and the clock (see nextRevision). */
  revision: number;
  ended: boolean;
  updatedAt: number;
  /** Events were added since the last summary went into the outbox. */
  dirty: boolean;
}

export interface OutboxEntry {
  id: string;
  revision: number;
  summary: Summary;
  /** UTF-8 size of the summary's JSON, so batches fit the beacon quota without re-encoding. */
  bytes: number;
}

/** Why something was given up on purpose; counted on the device and reported to the collector. */
export type DropReason = 'rejected' | 'too-large' | 'corrupt' | 'storage';

export type DropCounts = Partial<Record<DropReason, number>>;

/** The widget's durable log: events first, the outbox until the collector acknowledges. */
export interface LocalStore {
  readonly kind: 'indexeddb' | 'memory';
  /** Appends events and saves conversations in one transaction (one write per burst, not per event). */
  putEvents(events: ReadonlyArray<readonly [conversation: string, event: ConversationEvent]>, conversations: readonly StoredConversation[]): Promise<void>;
  events(conversation: string): Promise<ConversationEvent[]>;
  putConversation(conversation: StoredConversation): Promise<void>;
  conversation(id: string): Promise<StoredConversation | undefined>;
  conversations(): Promise<StoredConversation[]>;
  /** Puts a summary in the outbox, replacing a lower revision of the same conversation. */
  enqueue(entry: OutboxEntry): Promise<void>;
  /** The oldest outbox entries whose JSON adds up to at most `maxBytes` (at least one entry if any). */
  takeBatch(maxBytes: number): Promise<OutboxEntry[]>;
  /** Removes delivered (or given-up) entries, unless a newer revision replaced them meanwhile. */
  ack(delivered: ReadonlyArray<{ id: string; revision: number }>): Promise<void>;
  pending(): Promise<number>;
  /** Adds to the drop counters that the next request reports. */
  countDropped(reason: DropReason, count: number): Promise<void>;
  dropped(): Promise<DropCounts>;
  /** Subtracts counts the collector has acknowledged. */
  settleDropped(reported: DropCounts): Promise<void>;
  /** Forgets conversations (and their events) last updated before `before`. */
  prune(before: number): Promise<void>;
  close(): void;
}
