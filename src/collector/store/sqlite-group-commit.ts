// Group commit for the embedded store. With synchronous=FULL every COMMIT waits for an fsync
// (~0.5–1.5 ms on an ordinary disk): one per request would cap ingest near the disk's sync rate.
// Instead, the rows of all requests read in one event-loop turn share one transaction, and each
// request's promise resolves only after that transaction has committed — durability is unchanged.
// (A writer thread that takes the fsync off the event loop measured slower on 2 cores: the thread
// competes with the HTTP loop for CPU. Worth revisiting on bigger machines.)
import type Database from 'better-sqlite3';

export type Row = Record<string, string | number | null>;

export interface GroupCommitter {
  /** Resolves with the number of rows written, after COMMIT. */
  submit(rows: Row[]): Promise<number>;
  /** Commits what is queued, then stops. */
  close(): Promise<void>;
}

interface Pending {
  rows: Row[];
  resolve(written: number): void;
  reject(error: unknown): void;
}

export function groupCommitter(db: Database.Database, upsert: Database.Statement): GroupCommitter {
  const writeRows = (rows: Row[]): number => rows.reduce((written, row) => written + upsert.run(row).changes, 0);
  const writeOne = db.transaction(writeRows);
  const writeGroup = db.transaction((group: Pending[]) => group.map((p) => writeRows(p.rows)));
  let pending: Pending[] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    const group = pending;
    pending = [];
    if (group.length === 0) return;
    let results: number[] | null = null;
    try {
      results = writeGroup(group);
    } catch {
      // The shared transaction rolled back: commit each request alone, so one failure fails only its own.
    }
    group.forEach((p, i) => {
      if (results) return p.resolve(results[i]!);
      try {
        p.resolve(writeOne(p.rows));
      } catch (error) {
        p.reject(error);
      }
    });
  };

  return {
    submit(rows) {
      return new Promise((resolve, reject) => {
        pending.push({ rows, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // setImmediate runs after this turn's I/O callbacks: requests read in the same turn join the group.
          setImmediate(flush);
        }
      });
    },
    async close() {
      flush();
    },
  };
}
