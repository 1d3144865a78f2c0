// Group commit whose fsync does not block the event loop, for the embedded store on a file.
//
// With synchronous=FULL, SQLite fsyncs the WAL inside COMMIT: 4–20 ms on this kind of disk during
// which the event loop reads, parses and answers nothing (profiled: ~30% of the ingest wall time).
// Here the conversation writer uses its own connection with synchronous=OFF, so COMMIT only write()s
// the WAL frames; the committer then fdatasync()s the WAL file on libuv's thread pool and resolves
// the requests of that group only when the sync has completed. An acknowledgement still means the
// rows are on disk — the same guarantee as FULL, without holding the loop hostage:
//   - a sync is always started after the COMMIT it covers, so it flushes that COMMIT's frames
//     (and the WAL header) — fdatasync covers every write made to the file before it began;
//   - this connection never checkpoints (wal_autocheckpoint=0): checkpoints run on a connection
//     with synchronous=FULL in a worker thread (their fsyncs would block the loop too), so the WAL
//     is synced before its frames are copied and the database file before the WAL can be reused;
//   - if a sync fails, the group's requests fail (503, the client retries).
import type Database from 'better-sqlite3';
import { closeSync, fdatasync, fstatSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { groupWriter, turnBatcher, type GroupCommitter, type Pending, type RowWriter } from './sqlite-group-commit.ts';

/** Checkpoint once the WAL is this large (SQLite's own default is ~4 MB, 1000 pages). */
const CHECKPOINT_BYTES = 8 * 1024 * 1024;

// Plain CommonJS, evaluated in the worker (no TypeScript loader there).
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  parentPort.postMessage('done');
});`;

/** A worker thread that checkpoints the database on request, one checkpoint at a time. */
function startCheckpointer(path: string): { request(): void; close(): Promise<void> } {
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { path, module: createRequire(import.meta.url).resolve('better-sqlite3') } });
  worker.unref();
  let busy = false;
  worker.on('message', () => (busy = false));
  worker.on('error', () => (busy = true)); // a dead checkpointer: the WAL grows, nothing is lost
  return {
    request() {
      if (busy) return;
      busy = true;
      worker.postMessage('checkpoint');
    },
    async close() {
      // Referenced while closing: an unreferenced worker would let the process exit mid-shutdown.
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}

export function walSyncCommitter(writer: Database.Database, writeRow: RowWriter, path: string): GroupCommitter {
  const walPath = `${path}-wal`;
  const checkpointer = startCheckpointer(path);
  const write = groupWriter(writer, writeRow);
  let walFd: number | null = null;
  let syncing = 0;
  let closed = false;
  let idle: (() => void) | null = null;

  const wal = (): number => (walFd ??= openSync(walPath, 'r+'));

  /** Acknowledges `done` (request, rows written) once the WAL is on disk. */
  const syncThen = (done: Array<[Pending, number]>, failed: Array<[Pending, unknown]>): void => {
    for (const [p, error] of failed) p.reject(error);
    if (done.length === 0) return;
    syncing += 1;
    fdatasync(wal(), (error) => {
      syncing -= 1;
      for (const [p, written] of done) {
        if (error) p.reject(error);
        else p.resolve(written);
      }
      if (syncing === 0) {
        maybeCheckpoint();
        idle?.();
      }
    });
  };

  const maybeCheckpoint = (): void => {
    if (walFd === null || closed) return;
    try {
      if (fstatSync(walFd).size >= CHECKPOINT_BYTES) checkpointer.request();
    } catch {
      // A failed checkpoint loses nothing (the WAL keeps the rows); the next one retries.
    }
  };

  const batch = turnBatcher((group) => {
    const done: Array<[Pending, number]> = [];
    const failed: Array<[Pending, unknown]> = [];
    for (const result of write(group)) {
      if ('error' in result) failed.push([result.pending, result.error]);
      else done.push([result.pending, result.written]);
    }
    try {
      syncThen(done, failed);
    } catch (error) {
      // The WAL file could not be opened: nothing is acknowledged.
      for (const [p] of done) p.reject(error);
    }
  });

  return {
    submit: batch.submit,
    async close() {
      batch.flushNow();
      if (syncing > 0) await new Promise<void>((resolve) => (idle = resolve));
      closed = true;
      await checkpointer.close();
      if (walFd !== null) closeSync(walFd);
      walFd = null;
    },
  };
}
