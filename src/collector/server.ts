// Starts a collector: opens the store, makes sure the demo site and an admin token exist, listens.
import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createApp } from './app.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { CollectorStore } from './store/types.ts';

export const DEMO_SITE = { key: 'demo', name: 'Demo', origins: ['http://localhost:*', 'http://127.0.0.1:*'], enabled: true };

export interface CollectorOptions {
  port: number;
  host: string;
  /** A file path for the embedded database, or `:memory:`. */
  database: string;
  adminToken?: string;
  projectRoot: string;
}

export interface RunningCollector {
  url: string;
  adminToken: string;
  adminTokenGenerated: boolean;
  store: CollectorStore;
  close(): Promise<void>;
}

export async function openStore(database: string): Promise<CollectorStore> {
  if (/^postgres(ql)?:\/\//.test(database)) {
    throw new Error('PostgreSQL URLs are not supported by this build yet; use a file path for the embedded store');
  }
  return openSqliteStore(database);
}

export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const store = await openStore(options.database);
  if (!(await store.getSite(DEMO_SITE.key))) await store.putSite(DEMO_SITE);

  let adminToken = options.adminToken ?? (await store.getSetting('admin_token'));
  let adminTokenGenerated = false;
  if (!adminToken) {
    adminToken = randomBytes(24).toString('base64url');
    adminTokenGenerated = true;
    await store.setSetting('admin_token', adminToken);
  }

  const app = createApp({
    store,
    adminToken,
    staticDirs: { dist: resolve(options.projectRoot, 'dist'), demo: resolve(options.projectRoot, 'demo') },
  });
  const server = await new Promise<ServerType>((ready) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => ready(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '127.0.0.1' ? 'localhost' : options.host;

  return {
    url: `http://${shownHost}:${port}`,
    adminToken,
    adminTokenGenerated,
    store,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      await store.close();
    },
  };
}
