// Vitest globalSetup: a PostgreSQL server for the PostgreSQL variants of the collector tests.
// 1. CHATPULSE_TEST_PG_URL (CI starts a real server and sets it) — used as is; unreachable is an error.
// 2. Else, if PostgreSQL binaries are installed, a throwaway cluster in a temp dir on a free loopback
//    port, stopped and deleted after the run (initdb and postgres refuse root: run as `postgres`).
// 3. Else (or with CHATPULSE_TEST_PG_URL=off) the PostgreSQL variants are skipped, with one line saying why.
// Tests read the URL with `inject('pgUrl')` ('' = skip; `pgSkipReason` says why).
import type { TestProject } from 'vitest/node';
import { findPostgresBin, startThrowawayCluster, waitForServer } from './pg-throwaway.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgSkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.CHATPULSE_TEST_PG_URL;
  if (given === 'off') return skip('PostgreSQL tests skipped: CHATPULSE_TEST_PG_URL=off');
  if (given) {
    await waitForServer(given, 10_000);
    project.provide('pgUrl', given);
    project.provide('pgSkipReason', '');
    return undefined;
  }
  const bin = findPostgresBin();
  if (!bin) return skip('PostgreSQL tests skipped: CHATPULSE_TEST_PG_URL is unset and no /usr/lib/postgresql/*/bin/initdb is installed');
  // Tests crash collectors, not PostgreSQL: a cluster without fsync is enough and much faster.
  const cluster = await startThrowawayCluster(bin, { durable: false });
  console.log(`[chatpulse] PostgreSQL tests use a throwaway cluster at ${cluster.url} (${bin})`);
  project.provide('pgUrl', cluster.url);
  project.provide('pgSkipReason', '');
  return cluster.stop;

  function skip(reason: string): undefined {
    console.log(`[chatpulse] ${reason}`);
    project.provide('pgUrl', '');
    project.provide('pgSkipReason', reason);
    return undefined;
  }
}

