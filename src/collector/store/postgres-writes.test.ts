// PostgreSQL's group commit when the database stalls: writes fail (the collector answers 503 and
// the browser retries) within the write timeout instead of queueing without end, and writing
// resumes once the database does.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { ValidSummary } from '../../shared/summary-schema.ts';
import { summary } from '../test-fixtures.ts';
import { PG_URL, dropSchema, freshSchemaName } from '../test-stores.ts';
import { openPostgresStore } from './postgres.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!PG_URL)('PostgreSQL writes [postgres]', () => {
  it('fail within the write timeout while the table is locked, running and queued alike, then resume', async () => {
    const schema = freshSchemaName();
    const store = await openPostgresStore({ url: PG_URL, schema, poolSize: 4, writeTimeoutMs: 300 });
    const blocker = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await blocker.connect();
    cleanups.push(async () => {
      await blocker.end().catch(() => {});
      await store.close();
      await dropSchema(schema);
    });

    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE conversations IN ACCESS EXCLUSIVE MODE');
    // Two groups run at once with a pool of 4: the first two writes (in turns of their own) hang on
    // the lock, the later ones wait in the queue.
    const write = (i: number) => store.upsert('shop', [summary({ id: `stalled-${i}` }) as ValidSummary], 1);
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const writes = [write(0)];
    await turn();
    writes.push(write(1));
    await turn();
    writes.push(...Array.from({ length: 6 }, (_, i) => write(i + 2)));
    for (const w of writes) void w.catch(() => {});
    const settled = await Promise.allSettled(writes);
    expect(settled.map((s) => s.status)).toEqual(Array.from({ length: 8 }, () => 'rejected'));
    await blocker.query('ROLLBACK');

    expect(await store.upsert('shop', [summary({ id: 'after' }) as ValidSummary], 1)).toEqual({ written: 1, stale: 0 });
    expect((await store.conversations({ site: 'shop', from: 0, to: 8.64e15, limit: 20 })).map((s) => s.id)).toEqual(['after']);
  });
});
