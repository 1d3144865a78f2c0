// What the core asks of the lazily loaded UI chunk; the core imports only these types.
import type { Vote } from '../types.ts';

export interface UiOptions {
  theme: 'auto' | 'light' | 'dark';
  locale: string | null;
  nonce: string | null;
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

export interface UiModule {
  mountThumbs(message: Element, initial: Vote | null, onVote: (value: Vote | null) => void, options: UiOptions): ThumbsHandle;
  showCsat(callbacks: CsatCallbacks, options: UiOptions): CsatHandle;
}
