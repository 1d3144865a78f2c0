// Group commit for a store whose commits are slow round trips (PostgreSQL): the requests that arrive
// while earlier groups are committing wait and go together in the next transaction, so under load
// one COMMIT (and its fsync) serves many requests, and when idle a request goes alone at once.
// Each request's promise settles with its own result, only after the transaction that holds it.

/** One request's outcome inside a group. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitOptions<T> {
  /** Groups committing at once (connections it may hold). */
  concurrency: number;
  /**
   * How long a request may wait for a group to take it. When the database stalls, every group
   * hangs: later requests fail after this (GroupCommitTimeoutError, a 503 for the client) instead
   * of queueing without end.
   */
  maxWaitMs: number;
  /** A group closes once its items weigh this much (e.g. summaries); one item alone may weigh more. */
  maxWeight: number;
  weight(item: T): number;
}

export interface GroupCommit<T, R> {
  submit(item: T): Promise<R>;
  /** Resolves when everything submitted so far has settled. */
  drain(): Promise<void>;
}

export class GroupCommitTimeoutError extends Error {
  constructor(waitedMs: number) {
    super(`no transaction took the write within ${waitedMs} ms`);
    this.name = 'GroupCommitTimeoutError';
  }
}

/**
 * `commit` writes a group and settles each of its items (in order); it should isolate failures
 * (retry items alone) so one bad item does not fail the others. A throw fails the whole group.
 */
export function groupCommit<T, R>(commit: (group: T[]) => Promise<Array<Settled<R>>>, options: GroupCommitOptions<T>): GroupCommit<T, R> {
  type Waiting = { item: T; resolve(value: R): void; reject(error: unknown): void; timer: NodeJS.Timeout };
  let queue: Waiting[] = [];
  let running = 0;
  let scheduled = false;
  let idle: Array<() => void> = [];

  const settleIdle = (): void => {
    if (running > 0 || queue.length > 0) return;
    const waiters = idle;
    idle = [];
    for (const wake of waiters) wake();
  };

  const takeGroup = (): Waiting[] => {
    let weight = 0;
    let n = 0;
    while (n < queue.length) {
      const next = options.weight(queue[n]!.item);
      if (n > 0 && weight + next > options.maxWeight) break;
      weight += next;
      n++;
    }
    const group = queue.slice(0, n);
    queue = queue.slice(n);
    for (const w of group) clearTimeout(w.timer);
    return group;
  };

  const pump = (): void => {
    scheduled = false;
    while (running < options.concurrency && queue.length > 0) {
      const group = takeGroup();
      running++;
      commit(group.map((w) => w.item))
        .then(
          (results) => group.forEach((w, i) => settle(w, results[i] ?? { ok: false, error: new Error('no result for a grouped write') })),
          (error: unknown) => group.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          running--;
          pump();
          settleIdle();
        });
    }
  };

  const settle = (w: Waiting, result: Settled<R>): void => {
    // A promise's resolve and reject never throw, so every request of a group settles.
    if (result.ok) w.resolve(result.value);
    else w.reject(result.error);
  };

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        const waiting: Waiting = {
          item,
          resolve,
          reject,
          timer: setTimeout(() => {
            queue = queue.filter((w) => w !== waiting);
            reject(new GroupCommitTimeoutError(options.maxWaitMs));
            settleIdle();
          }, options.maxWaitMs),
        };
        waiting.timer.unref();
        queue.push(waiting);
        if (!scheduled) {
          scheduled = true;
          // After this turn's I/O callbacks: requests read in the same turn start in one group.
          setImmediate(pump);
        }
      });
    },
    drain() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
