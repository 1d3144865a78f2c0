// Runs a test suite once per store: `describeStores(name, (kind) => { ... })` defines
// `name [sqlite]` and `name [postgres]`; `openTestStore(kind)` gives a fresh, empty store (an
// in-memory SQLite database, or a new PostgreSQL schema) so tests never see each other's rows.
// PostgreSQL stores opened inside a test are closed (and their schema dropped) after that test;
// ones opened in beforeAll, after the suite. Used only by *.test.ts files.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, inject } from 'vitest';
import { openPostgresStore } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { CollectorStore } from './store/types.ts';

export type StoreKind = CollectorStore['kind'];

export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

/** The PostgreSQL server of the test run ('' when the PostgreSQL variants are skipped). */
export const PG_URL: string = inject('pgUrl');

interface Opened {
  store: CollectorStore;
  schema: string;
}

let inTest = false;
const perTest: Opened[] = [];
const perSuite: Opened[] = [];

export function describeStores(name: string, suite: (kind: StoreKind) => void): void {
  for (const kind of STORE_KINDS) {
    describe.skipIf(kind === 'postgres' && !PG_URL)(`${name} [${kind}]`, () => {
      beforeEach(() => {
        inTest = true;
      });
      afterEach(async () => {
        inTest = false;
        await closeAll(perTest.splice(0));
      });
      afterAll(async () => {
        await closeAll(perSuite.splice(0));
      });
      suite(kind);
    });
  }
}

export async function openTestStore(kind: StoreKind): Promise<CollectorStore> {
  if (kind === 'sqlite') return openSqliteStore(':memory:');
  if (!PG_URL) throw new Error(inject('pgSkipReason') || 'no PostgreSQL server for tests');
  const schema = freshSchemaName();
  const store = await openPostgresStore({ url: PG_URL, schema, poolSize: 4 });
  (inTest ? perTest : perSuite).push({ store, schema });
  return store;
}

/** A new, empty schema name (`t_<random>`), for tests that hand a URL to another process. */
export function freshSchemaName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** Creates a schema and returns a database URL whose connections use it (pg's `options` parameter). */
export async function createSchemaUrl(schema: string): Promise<string> {
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function closeAll(opened: Opened[]): Promise<void> {
  for (const { store, schema } of opened) {
    // A test may have closed its store already; a second close must not fail the cleanup.
    await store.close().catch(() => {});
    await dropSchema(schema);
  }
}
