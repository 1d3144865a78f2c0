// The sentiment Web Worker: the scorer behind comlink, off the host page's main thread.
import { expose } from 'comlink';
import type { SentimentWorkerApi } from './protocol.ts';
import { score } from './scorer.ts';

const api: SentimentWorkerApi = {
  scoreMany: (texts) => texts.map((text) => score(text).compound),
};

expose(api);
