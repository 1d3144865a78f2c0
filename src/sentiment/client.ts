// Scores user messages off the main thread. The worker starts when the first message needs
// scoring; texts are batched. A cross-origin widget (served from the collector) starts the worker
// through a same-origin blob that imports it; if a CSP forbids workers, scoring runs in idle-time
// slices on the main thread instead — never a long task.
import { wrap, type Remote } from 'comlink';
import workerUrl from './worker.ts?worker&url';
import type { SentimentWorkerApi } from './protocol.ts';
import { trustedScriptUrl } from '../widget/trusted.ts';

const WORKER_START_TIMEOUT_MS = 4000;
const BATCH_DELAY_MS = 30;

export type SentimentMode = 'worker' | 'main-thread';

export interface SentimentClient {
  score(text: string): Promise<number>;
  /** How scoring runs, once decided (after the first score). */
  mode(): SentimentMode | null;
}

interface Job {
  text: string;
  resolve(compound: number): void;
  reject(error: unknown): void;
}

export function createSentimentClient(): SentimentClient {
  let queue: Job[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let backend: Promise<(texts: string[]) => Promise<number[]>> | null = null;
  let mode: SentimentMode | null = null;

  function startBackend(): Promise<(texts: string[]) => Promise<number[]>> {
    backend ??= startWorker().then(
      (remote) => {
        mode = 'worker';
        return (texts: string[]) => remote.scoreMany(texts);
      },
      () => {
        mode = 'main-thread';
        return mainThreadScorer();
      },
    );
    return backend;
  }

  async function run(): Promise<void> {
    timer = null;
    const jobs = queue;
    queue = [];
    try {
      const scoreMany = await startBackend();
      const scores = await scoreMany(jobs.map((j) => j.text));
      jobs.forEach((job, i) => job.resolve(scores[i] ?? 0));
    } catch (error) {
      for (const job of jobs) job.reject(error);
    }
  }

  return {
    score(text) {
      return new Promise<number>((resolve, reject) => {
        queue.push({ text, resolve, reject });
        timer ??= setTimeout(() => void run(), BATCH_DELAY_MS);
      });
    },
    mode: () => mode,
  };
}

async function startWorker(): Promise<Remote<SentimentWorkerApi>> {
  const url = new URL(workerUrl, import.meta.url);
  let worker: Worker;
  if (url.origin === location.origin) {
    worker = new Worker(trustedScriptUrl(url.href), { type: 'module' });
  } else {
    // Worker scripts must be same-origin; a same-origin blob may import a CORS-enabled module.
    const trampoline = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
    worker = new Worker(trustedScriptUrl(trampoline), { type: 'module' });
    setTimeout(() => URL.revokeObjectURL(trampoline), 60_000);
  }
  const remote = wrap<SentimentWorkerApi>(worker);
  // A worker that a CSP blocks, or whose script fails to load, reports an error or never answers.
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('sentiment worker did not start')), WORKER_START_TIMEOUT_MS);
    worker.addEventListener('error', (event) => {
      clearTimeout(timeout);
      event.preventDefault();
      reject(new Error('sentiment worker failed'));
    });
    remote.scoreMany(['ok']).then(
      () => {
        clearTimeout(timeout);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timeout);
        reject(error);
      },
    );
  }).catch((error: unknown) => {
    worker.terminate();
    throw error;
  });
  return remote;
}

/** The scorer on the main thread, one message per idle slice while the slice has time left. */
async function mainThreadScorer(): Promise<(texts: string[]) => Promise<number[]>> {
  const { score } = await import('./index.ts');
  const idle: (cb: (deadline: { timeRemaining(): number }) => void) => void =
    typeof requestIdleCallback === 'function' ? (cb) => requestIdleCallback(cb, { timeout: 1000 }) : (cb) => setTimeout(() => cb({ timeRemaining: () => 8 }), 16);
  return (texts) =>
    new Promise((resolve) => {
      const out: number[] = [];
      const slice = (deadline: { timeRemaining(): number }): void => {
        do out.push(score(texts[out.length]!).compound);
        while (out.length < texts.length && deadline.timeRemaining() > 2);
        if (out.length < texts.length) idle(slice);
        else resolve(out);
      };
      idle(slice);
    });
}
