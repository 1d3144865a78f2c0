// Real collector processes: two collectors against one PostgreSQL (scale-out), `kill -9` under
// load then restart (every acknowledged summary is stored), and SIGTERM with a request in flight
// (it finishes, the process exits 0). Loads are bounded in count and time.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../shared/summary.ts';
import { summary } from './test-fixtures.ts';
import { DEMO_KEY, DEMO_ORIGIN, postSummaries, shuffled, startCollectorProcess, stop, storedRevisions, type CollectorProcess } from './test-processes.ts';
import { PG_URL, STORE_KINDS, createSchemaUrl, dropSchema, freshSchemaName, type StoreKind } from './test-stores.ts';

const demo = (overrides: Parameters<typeof summary>[0]): Summary => summary({ site: DEMO_KEY, ...overrides });

/** A database for collector processes: a SQLite file in a temp dir, or a fresh PostgreSQL schema. */
async function withDatabase(kind: StoreKind, body: (database: string) => Promise<void>): Promise<void> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'chatpulse-proc-'));
    try {
      await body(join(dir, 'collector.db'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const schema = freshSchemaName();
  try {
    await body(await createSchemaUrl(schema));
  } finally {
    await dropSchema(schema);
  }
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

describe.skipIf(!PG_URL)('scale-out: two collectors, one PostgreSQL', () => {
  it('stores each conversation once at its highest revision, whichever collector got which beacon', { timeout: 90_000 }, async () => {
    await withDatabase('postgres', async (database) => {
      // Started together: their migrations race for the advisory lock.
      const [a, b] = await Promise.all([startCollectorProcess(database), startCollectorProcess(database)]);
      try {
        const conversations = 120;
        const revisions = 4;
        // Every (conversation, revision) twice: a retried beacon delivered to both collectors.
        const beacons: Summary[] = [];
        for (let c = 0; c < conversations; c++) {
          for (let r = 1; r <= revisions; r++) {
            const s = demo({ id: `conv-${c}`, visitor: `visitor-${c % 37}`, revision: r, page: `https://shop.example/rev-${r}` });
            beacons.push(s, s);
          }
        }
        const order = shuffled(beacons, 20240501);
        // Requests of 1–4 summaries (a batch may hold one conversation twice), alternating collectors.
        const requests: Summary[][] = [];
        for (let i = 0; i < order.length; ) {
          const size = 1 + (i % 4);
          requests.push(order.slice(i, i + size));
          i += size;
        }
        const statuses = await pool(
          requests.map((batch, i) => async () => (await postSummaries((i % 2 === 0 ? a : b).url, batch)).status),
          16,
        );
        expect(statuses.filter((s) => s !== 202)).toEqual([]);

        for (const collector of [a, b]) {
          const stored = await storedRevisions(collector.url);
          expect(stored.size).toBe(conversations);
          expect([...stored.values()].every((r) => r === revisions)).toBe(true);
        }
        // The stored summary is the highest revision's (not a mix of revisions).
        const res = await fetch(`${a.url}/v1/conversations?site=${DEMO_KEY}&from=0&to=8640000000000000&limit=1000`, {
          headers: { Authorization: 'Bearer process-test-admin-token-0123456789' },
        });
        const body = (await res.json()) as { conversations: Summary[] };
        expect(new Set(body.conversations.map((s) => s.page))).toEqual(new Set([`https://shop.example/rev-${revisions}`]));
      } finally {
        await Promise.all([stop(a, 'SIGTERM'), stop(b, 'SIGTERM')]);
      }
    });
  });
});

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && !PG_URL)(`crash and shutdown [${kind}]`, () => {
    it('kill -9 under load, restart: every summary that got a 2xx is stored', { timeout: 90_000 }, async () => {
      await withDatabase(kind, async (database) => {
        const first = await startCollectorProcess(database);
        const acked = new Set<string>();
        let sent = 0;
        let killed = false;
        const maxSummaries = 900; // bounded; /v1/conversations answers up to 1000
        const deadline = Date.now() + 15_000;
        const worker = async (w: number): Promise<void> => {
          for (let n = 0; !killed && sent < maxSummaries && Date.now() < deadline; n++) {
            const batch = Array.from({ length: 1 + (n % 3) }, (_, i) => demo({ id: `k${w}-${n}-${i}` }));
            sent += batch.length;
            try {
              const res = await postSummaries(first.url, batch);
              if (res.status >= 200 && res.status < 300) for (const s of batch) acked.add(s.id);
            } catch {
              // Connection reset by the kill: not acknowledged, so the client would retry.
            }
          }
        };
        const load = Promise.all(Array.from({ length: 12 }, (_, w) => worker(w)));
        // Kill mid-stream: once some writes are acknowledged, while requests are still in flight.
        while (acked.size < 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        killed = true;
        const exit = await stop(first, 'SIGKILL');
        await load;
        expect(exit.signal).toBe('SIGKILL');
        expect(acked.size).toBeGreaterThanOrEqual(150);

        const second = await startCollectorProcess(database);
        try {
          const stored = await storedRevisions(second.url);
          const missing = [...acked].filter((id) => !stored.has(id));
          expect(missing).toEqual([]);
        } finally {
          await stop(second, 'SIGTERM');
        }
      });
    });

    it('SIGTERM: a request in flight finishes and is stored, the process exits 0', { timeout: 60_000 }, async () => {
      await withDatabase(kind, async (database) => {
        const first: CollectorProcess = await startCollectorProcess(database);
        const port = Number(new URL(first.url).port);
        const body = JSON.stringify({ v: 1, site: DEMO_KEY, sentAt: new Date().toISOString(), summaries: [demo({ id: 'in-flight' })] });
        // Half the body now, SIGTERM, the rest later: the request is in flight across the signal.
        const answer = new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/collect', headers: { 'Content-Type': 'text/plain', Origin: DEMO_ORIGIN, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.write(body.slice(0, 100));
          setTimeout(() => {
            first.child.kill('SIGTERM');
            setTimeout(() => req.end(body.slice(100)), 300);
          }, 200);
        });
        expect(await answer).toBe(202);
        const exit = await first.exited;
        expect(exit.code).toBe(0);
        expect(first.output()).toMatch(/"msg":"shutting down"[\s\S]*"msg":"stopped"/);

        const second = await startCollectorProcess(database);
        try {
          expect((await storedRevisions(second.url)).get('in-flight')).toBe(1);
        } finally {
          await stop(second, 'SIGTERM');
        }
      });
    });
  });
}
