export type SentimentLabel = 'negative' | 'neutral' | 'positive';

/** VADER-style result: `compound` in [-1, 1]; the three proportions sum to ~1 (0 for empty text). */
export interface SentimentScore {
  compound: number;
  positive: number;
  negative: number;
  neutral: number;
  label: SentimentLabel;
}
