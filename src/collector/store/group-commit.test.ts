import { describe, expect, it } from 'vitest';
import { GroupCommitTimeoutError, groupCommit, type Settled } from './group-commit.ts';

/** A commit whose groups are recorded and finish when the test says so. */
function controlledCommit() {
  const groups: number[][] = [];
  const finishers: Array<() => void> = [];
  let running = 0;
  let maxRunning = 0;
  const commit = async (group: number[]): Promise<Array<Settled<number>>> => {
    groups.push(group);
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((resolve) => finishers.push(resolve));
    running--;
    return group.map((n) => (n < 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: n * 10 }));
  };
  const finishAll = async () => {
    while (finishers.length > 0) {
      finishers.splice(0).forEach((finish) => finish());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { commit, groups, finishers, finishAll, maxRunning: () => maxRunning };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('groupCommit', () => {
  it('commits the requests of one turn together, and the ones that arrive meanwhile in the next group', async () => {
    const c = controlledCommit();
    const batcher = groupCommit(c.commit, { concurrency: 1, maxWaitMs: 60_000, maxWeight: 100, weight: () => 1 });
    const first = [1, 2, 3].map((n) => batcher.submit(n));
    await turn();
    expect(c.groups).toEqual([[1, 2, 3]]);
    // The first group is still committing: these wait, and go together.
    const later = [4, 5].map((n) => batcher.submit(n));
    await turn();
    const last = batcher.submit(6);
    await turn();
    expect(c.groups).toEqual([[1, 2, 3]]);
    await c.finishAll();
    expect(c.groups).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(await Promise.all([...first, ...later, last])).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('runs at most `concurrency` groups at once and closes a group at `maxWeight`', async () => {
    const c = controlledCommit();
    const batcher = groupCommit(c.commit, { concurrency: 2, maxWaitMs: 60_000, maxWeight: 5, weight: (n) => n });
    const all = [2, 2, 2, 4, 1, 9, 1].map((n) => batcher.submit(n));
    await turn();
    // Two groups start; the rest wait for one of them to finish.
    expect(c.groups).toEqual([[2, 2], [2]]);
    await c.finishAll();
    // A request heavier than the limit still goes (alone).
    expect(c.groups).toEqual([[2, 2], [2], [4, 1], [9], [1]]);
    expect(c.maxRunning()).toBe(2);
    expect(await Promise.all(all)).toEqual([20, 20, 20, 40, 10, 90, 10]);
  });

  it('settles each request with its own result: a failed one does not fail the others', async () => {
    const c = controlledCommit();
    const batcher = groupCommit(c.commit, { concurrency: 1, maxWaitMs: 60_000, maxWeight: 100, weight: () => 1 });
    const results = Promise.allSettled([1, -2, 3].map((n) => batcher.submit(n)));
    await turn();
    await c.finishAll();
    const settled = await results;
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[1]!.status === 'rejected' && String(settled[1]!.reason)).toContain('bad -2');
  });

  it('rejects every request of a group whose commit throws, and keeps serving later ones', async () => {
    let fail = true;
    const batcher = groupCommit<number, number>(
      async (group) => {
        if (fail) throw new Error('connection lost');
        return group.map((n) => ({ ok: true, value: n }));
      },
      { concurrency: 1, maxWaitMs: 60_000, maxWeight: 100, weight: () => 1 },
    );
    const failed = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(failed.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batcher.submit(3)).toBe(3);
  });

  it('drain waits for everything submitted, including requests still queued', async () => {
    const c = controlledCommit();
    const batcher = groupCommit(c.commit, { concurrency: 1, maxWaitMs: 60_000, maxWeight: 1, weight: () => 1 });
    const done: number[] = [];
    for (const n of [1, 2, 3]) void batcher.submit(n).then((v) => done.push(v));
    let drained = false;
    const draining = batcher.drain().then(() => (drained = true));
    await turn();
    expect(drained).toBe(false);
    await c.finishAll();
    await draining;
    expect(done).toEqual([10, 20, 30]);
    await batcher.drain(); // nothing pending: resolves at once
  });

  it('fails a request that no group takes within maxWaitMs (a stalled database), and keeps serving after', async () => {
    const c = controlledCommit();
    const batcher = groupCommit(c.commit, { concurrency: 1, maxWaitMs: 50, maxWeight: 100, weight: () => 1 });
    const stuck = batcher.submit(1);
    await turn();
    // The only group hangs; this one waits in the queue, then gives up.
    const queued = batcher.submit(2).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await queued).toBeInstanceOf(GroupCommitTimeoutError);
    await c.finishAll();
    expect(await stuck).toBe(10);
    // The timed-out request never reached a group.
    expect(c.groups).toEqual([[1]]);
    const next = batcher.submit(3);
    await turn();
    await c.finishAll();
    expect(await next).toBe(30);
    await batcher.drain();
  });
});
