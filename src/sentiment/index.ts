/**
 * ChatPulse sentiment: `score(text)` for one chat message. Pure TypeScript with no DOM or
 * Node APIs, so it runs unchanged in the Web Worker, in Node and in tests.
 */
export { score } from './scorer.ts';
export type { SentimentLabel, SentimentScore } from './types.ts';
