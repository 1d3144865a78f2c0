// Group commit for the embedded store. With synchronous=FULL every COMMIT waits for an fsync
// (~0.5–1.5 ms on an ordinary disk): one per request would cap ingest near the disk's sync rate.
// Instead, the rows of all requests read in one event-loop turn share one transaction, and each
// request's promise resolves only after that transaction has committed — durability is unchanged.
// (A writer thread that takes the fsync off the event loop measured slower on 2 cores: the thread
// competes with the HTTP loop for CPU. Worth revisiting on bigger machines.)
import type Database from 'better-sqlite3';

export type Row = Record<string, string | number | null>;

/** Writes one conversation row inside the open transaction; returns the rows changed (0: a stale revision). */
export type RowWriter = (row: Row) => number;

export interface GroupCommitter {
  /** Resolves with the number of rows written, after COMMIT. */
  submit(rows: Row[]): Promise<number>;
  /** Commits what is queued, then stops. */
  close(): Promise<void>;
}

export interface Pending {
  rows: Row[];
  resolve(written: number): void;
  reject(error: unknown): void;
}

export type GroupResult = { pending: Pending; written: number } | { pending: Pending; error: unknown };

/**
 * Writes a group of requests in one transaction; if that rolls back, commits each request alone,
 * so one failure fails only its own request. Resolves nothing: the caller decides when to ack.
 */
export function groupWriter(db: Database.Database, writeRow: RowWriter): (group: Pending[]) => GroupResult[] {
  const writeRows = (rows: Row[]): number => rows.reduce((written, row) => written + writeRow(row), 0);
  const writeOne = db.transaction(writeRows);
  const writeGroup = db.transaction((group: Pending[]) => group.map((p) => writeRows(p.rows)));
  return (group) => {
    let results: number[] | null = null;
    try {
      results = writeGroup(group);
    } catch {
      // Fall through to one transaction per request.
    }
    return group.map((pending, i): GroupResult => {
      if (results) return { pending, written: results[i]! };
      try {
        return { pending, written: writeOne(pending.rows) };
      } catch (error) {
        return { pending, error };
      }
    });
  };
}

/** Collects the submissions of one event-loop turn and hands them to `flush` together. */
export function turnBatcher(flush: (group: Pending[]) => void): { submit(rows: Row[]): Promise<number>; flushNow(): void } {
  let pending: Pending[] = [];
  let scheduled = false;
  const flushNow = (): void => {
    scheduled = false;
    const group = pending;
    pending = [];
    if (group.length > 0) flush(group);
  };
  return {
    submit(rows) {
      return new Promise((resolve, reject) => {
        pending.push({ rows, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // setImmediate runs after this turn's I/O callbacks: requests read in the same turn join the group.
          setImmediate(flushNow);
        }
      });
    },
    flushNow,
  };
}

export function groupCommitter(db: Database.Database, writeRow: RowWriter): GroupCommitter {
  const write = groupWriter(db, writeRow);
  const batch = turnBatcher((group) => {
    for (const result of write(group)) {
      if ('error' in result) result.pending.reject(result.error);
      else result.pending.resolve(result.written);
    }
  });
  return {
    submit: batch.submit,
    async close() {
      batch.flushNow();
    },
  };
}
