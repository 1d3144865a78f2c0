// Types the widget's stages share (adapters → capture → store → summarize → transport).
import type { EndReason, Summary, Vote } from './shared/summary.ts';

export type { EndReason, Summary, Vote } from './shared/summary.ts';

export type Role = 'user' | 'bot';

/** Configuration from `data-*` attributes or `init(config)`; every field but `site` has a default. */
export interface Config {
  site: string;
  collector: string;
  preset: string;
  chat: string | null;
  botMessage: string | null;
  userMessage: string | null;
  handoff: string | null;
  end: string | null;
  thumbs: boolean;
  /** `own`: ChatPulse draws thumbs; `host` (`data-thumbs="host"`): clicks on the chat's own vote buttons are recorded. */
  thumbsMode: 'own' | 'host';
  /** Selectors of the host's up and down vote buttons inside a bot message (with `host`). */
  thumbsUp: string | null;
  thumbsDown: string | null;
  csat: boolean;
  idleTimeoutSeconds: number;
  release: string | null;
  traceAttribute: string;
  locale: string | null;
  theme: 'auto' | 'light' | 'dark';
  /** `corner` (a card in the corner of the page) or `inline` (after the chat's last message). */
  csatPlacement: 'corner' | 'inline';
  captureText: boolean;
  /** `required`: nothing is captured until `ChatPulse.consent(true)`. */
  consent: 'granted' | 'required';
  /** `respect` (default): Do Not Track / Global Privacy Control turn ChatPulse off; `ignore` does not. */
  privacySignals: 'respect' | 'ignore';
  debug: boolean;
  /** CSP nonce of the script tag, reused for anything ChatPulse must load. */
  nonce: string | null;
}

/** Everything that happens in a conversation, in the order it happened; the summary is derived from these. */
export type ConversationEvent =
  | { type: 'message'; at: number; role: Role; index: number; fingerprint: string; traceId: string | null; text?: string }
  | { type: 'vote'; at: number; message: number; value: Vote | null }
  | { type: 'csat-shown'; at: number }
  | { type: 'csat'; at: number; score: number; comment: string | null }
  | { type: 'handoff'; at: number; source: 'control' | 'api' | 'message' }
  | { type: 'resolve'; at: number }
  | { type: 'end'; at: number; reason: Exclude<EndReason, 'exit'> }
  | { type: 'sentiment'; at: number; message: number; compound: number }
  | { type: 'trace'; at: number; message: number; traceId: string }
  | { type: 'intent'; at: number; name: string };

/** What is known about a conversation apart from its events. */
export interface ConversationMeta extends Pick<Summary, 'id' | 'site' | 'visitor' | 'page' | 'release' | 'locale' | 'intent'> {
  /** Epoch milliseconds (the summary carries it as an ISO string). */
  startedAt: number;
}

export interface FeedbackDetail {
  conversation: string;
  kind: 'vote' | 'csat';
  message?: number;
  value?: Vote | null;
  score?: number;
  traceId?: string | null;
}

export interface PublicApi {
  endConversation(reason?: string): void;
  handoff(): void;
  resolve(): void;
  /** Sets the LLM trace id of a bot message element, for chats that don't put it in the DOM. */
  trace(message: Element, traceId: string): void;
  csat(score: number, comment?: string): void;
  flush(): Promise<void>;
  on(event: 'feedback', listener: (detail: FeedbackDetail) => void): () => void;
  on(event: 'summary', listener: (summary: Summary) => void): () => void;
  on(event: 'error', listener: (error: { message: string }) => void): () => void;
  consent(granted: boolean): void;
}
