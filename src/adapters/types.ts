import type { Role } from '../types.ts';

/** A message element whose text has stopped changing: it counts now, once. */
export interface SettledMessage {
  element: Element;
  role: Role;
  text: string;
  traceId: string | null;
}

export type ControlKind = 'handoff' | 'end';
/** What revealed the control: a configured selector, a control's label, or the user's own words. */
export type ControlSource = 'selector' | 'label' | 'message';

export interface AdapterEvents {
  message(message: SettledMessage): void;
  control(kind: ControlKind, source: ControlSource): void;
}

/** Finds a chat on the page and reports its messages and controls; one adapter per chat UI family. */
export interface ChatAdapter {
  start(events: AdapterEvents): void;
  /** Reports every message still settling as settled (the page is going away). */
  settleNow(): void;
  /** The same, in slices that yield between them (for flush(): nothing is leaving, so no long task). */
  settleSoon(): Promise<void>;
  stop(): void;
}

export interface AdapterSelectors {
  chat: string | null;
  botMessage: string;
  userMessage: string;
  handoff: string | null;
  end: string | null;
  traceAttribute: string;
  /** A preset's mark of an answer still being generated (inside or on the message): never counted, even when forced. */
  busy?: string;
}
