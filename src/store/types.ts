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
  /** Size of the JSON text, so batches can be cut to the beacon quota without re-encoding. */
  bytes: number;
}

/** The widget's durable log: events first, the outbox until the collector acknowledges. */
export interface LocalStore {
  readonly kind: 'indexeddb' | 'memory';
  putEvent(conversation: string, event: ConversationEvent): Promise<void>;
  events(conversation: string): Promise<ConversationEvent[]>;
  putConversation(conversation: StoredConversation): Promise<void>;
  conversation(id: string): Promise<StoredConversation | undefined>;
  conversations(): Promise<StoredConversation[]>;
  /** Puts a summary in the outbox, replacing a lower revision of the same conversation. */
  enqueue(entry: OutboxEntry): Promise<void>;
  /** The oldest outbox entries whose JSON adds up to at most `maxBytes` (at least one entry if any). */
  takeBatch(maxBytes: number): Promise<OutboxEntry[]>;
  /** Removes delivered entries, unless a newer revision replaced them meanwhile. */
  ack(delivered: ReadonlyArray<{ id: string; revision: number }>): Promise<void>;
  pending(): Promise<number>;
  /** Forgets conversations (and their events) last updated before `before`. */
  prune(before: number): Promise<void>;
}
