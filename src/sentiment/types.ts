export type SentimentLabel = 'negative' | 'neutral' | 'positive';

/** VADER-style result: `compound` in [-1, 1]; the three proportions sum to ~1 (0 for empty text). */
export interface SentimentScore {
  compound: number;
  positive: number;
  negative: number;
  neutral: number;
  /**
   * The learned 3-class answer (src/sentiment/decision.ts). Never contradicts a non-zero
   * `compound`; with compound 0 it may still be polar when the message's words say so.
   */
  label: SentimentLabel;
}
