// What the core asks of the lazily loaded UI chunk; the core imports only these types.
import type { Vote } from '../types.ts';

export interface UiOptions {
  theme: 'auto' | 'light' | 'dark';
  /** A supported locale code (see ui/strings.ts); also decides the text direction. */
  locale: string;
  nonce: string | null;
  /** Where the CSAT prompt goes: a card in the corner, or inline after the chat's last message. */
  csatPlacement: 'corner' | 'inline';
}

export interface ThumbsHandle {
  set(value: Vote | null): void;
  remove(): void;
}

export interface CsatCallbacks {
  onShown(): void;
  onScore(score: number): void;
  onComment(comment: string): void;
  onClose(): void;
}

export interface CsatHandle {
  close(): void;
}

/** The UI as the capture stage sees it: options already applied. */
export interface BoundUi {
  mountThumbs(message: Element, initial: Vote | null, onVote: (value: Vote | null) => void): ThumbsHandle;
  showCsat(callbacks: CsatCallbacks): CsatHandle;
}

export interface UiModule {
  useLocale(locale: string): Promise<void>;
  mountThumbs(message: Element, initial: Vote | null, onVote: (value: Vote | null) => void, options: UiOptions): ThumbsHandle;
  showCsat(callbacks: CsatCallbacks, options: UiOptions, inlineAfter: Element | null): CsatHandle;
}
