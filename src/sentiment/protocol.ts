// The contract between the widget and the sentiment worker; the only shape comlink carries.

export interface SentimentWorkerApi {
  /** Compound scores in [-1, 1], one per text, in order. */
  scoreMany(texts: string[]): number[];
}
