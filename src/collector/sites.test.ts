// The site registry: public keys and rotation in both stores, the admin API (/v1/sites…), the
// collect route resolving keys (grace periods, cache invalidation), the CLI, and the migration that
// gives existing sites their id as a key.
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { DAY_MS, createSiteCache, newPublicKey, parseDuration, rotateSiteKey } from './sites.ts';
import { openSqliteStore } from './store/sqlite.ts';
import { SiteConflictError, type CollectorStore } from './store/types.ts';
import { ORIGIN, SITE, TOKEN, collect, envelope, makeApp, stored, summary } from './test-fixtures.ts';
import { PG_URL, describeStores, dropSchema, freshSchemaName, openTestStore } from './test-stores.ts';

const ROOT = resolve(import.meta.dirname, '../..');

async function json(res: Response): Promise<Record<string, any>> {
  return (await res.json()) as Record<string, any>;
}

function adminSend(app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, method: string, path: string, body?: unknown): Promise<Response> {
  return Promise.resolve(
    app.request(path, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

describeStores('site registry', (kind) => {
  describe('store: public keys', () => {
    it('putSite gives a new site its id as its key; createSite uses the given key; ids and keys are unique', async () => {
      const store = await openTestStore(kind);
      await store.putSite({ key: 'legacy', name: 'Legacy', origins: [ORIGIN], enabled: true });
      await store.createSite({ key: 'fresh', name: 'Fresh', origins: [ORIGIN], enabled: true }, 'fresh_k1', 1000);
      expect((await store.siteForKey('legacy', Date.now()))?.key).toBe('legacy');
      expect((await store.siteForKey('fresh_k1', Date.now()))?.key).toBe('fresh');
      expect(await store.siteForKey('fresh', Date.now())).toBeNull(); // an id is not a key unless issued as one
      await expect(store.createSite({ key: 'fresh', name: 'x', origins: [], enabled: true }, 'other_k', 1)).rejects.toBeInstanceOf(SiteConflictError);
      await expect(store.createSite({ key: 'third', name: 'x', origins: [], enabled: true }, 'fresh_k1', 1)).rejects.toBeInstanceOf(SiteConflictError);
      expect(await store.getSite('third')).toBeNull(); // the failed create left nothing behind
      // putSite of an existing site keeps its keys
      await store.putSite({ key: 'fresh', name: 'Renamed', origins: [], enabled: false });
      const listed = await store.listSites();
      expect(listed.map((s) => [s.key, s.name, s.keys.map((k) => k.key)])).toEqual([
        ['fresh', 'Renamed', ['fresh_k1']],
        ['legacy', 'Legacy', ['legacy']],
      ]);
    });

    it('rotation: the new key works at once, old keys until the grace period ends, then never', async () => {
      const store = await openTestStore(kind);
      await store.createSite({ key: 'shop', name: 'Shop', origins: [ORIGIN], enabled: true }, 'k_old', 0);
      const now = 1_000_000;
      const rotated = await rotateSiteKey(store, 'shop', { graceMs: 7 * DAY_MS, key: 'k_new' }, now);
      expect(rotated).toMatchObject({ key: 'k_new', oldKeysExpireAt: now + 7 * DAY_MS });
      expect((await store.siteForKey('k_new', now))?.key).toBe('shop');
      expect((await store.siteForKey('k_old', now + 7 * DAY_MS - 1))?.key).toBe('shop');
      expect(await store.siteForKey('k_old', now + 7 * DAY_MS)).toBeNull();
      expect((await store.siteForKey('k_new', now + 400 * DAY_MS))?.key).toBe('shop');
      // a second rotation never extends an earlier, shorter expiry
      await rotateSiteKey(store, 'shop', { graceMs: 30 * DAY_MS, key: 'k_newer' }, now + DAY_MS);
      const keys = Object.fromEntries((await store.listSites())[0]!.keys.map((k) => [k.key, k.expiresAt]));
      expect(keys).toEqual({ k_old: now + 7 * DAY_MS, k_new: now + 31 * DAY_MS, k_newer: null });
      // revoke one key at once
      expect(await store.expireSiteKey('shop', 'k_new', now + 2 * DAY_MS)).toBe(true);
      expect(await store.siteForKey('k_new', now + 2 * DAY_MS)).toBeNull();
      expect(await store.expireSiteKey('shop', 'nope', now)).toBe(false);
      expect(await rotateSiteKey(store, 'missing', {}, now)).toBeNull();
    });

    it('deleteSite removes the site and its keys, not its conversations', async () => {
      const store = await openTestStore(kind);
      await store.putSite({ key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true });
      await store.upsert(SITE, [summary()], 1);
      expect(await store.deleteSite(SITE)).toBe(true);
      expect(await store.deleteSite(SITE)).toBe(false);
      expect(await store.siteForKey(SITE, Date.now())).toBeNull();
      expect(await store.listSites()).toEqual([]);
      expect(await stored(store)).toHaveLength(1);
      // the id and key can be used again
      await store.putSite({ key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true });
      expect((await store.siteForKey(SITE, Date.now()))?.key).toBe(SITE);
    });
  });

  describe('collect with rotated keys', () => {
    it('accepts the new and the old key during the grace period, stores both under the stable id, and refuses the old key after it', async () => {
      const { app, store } = await makeApp({ kind });
      const rotated = await rotateSiteKey(store, SITE, { graceMs: 60_000 });
      const newKey = rotated!.key;
      // a page already updated: envelope and summaries carry the new key
      const fresh = await collect(app, envelope([summary({ id: 'new-key', site: newKey })], newKey));
      expect(fresh.status).toBe(202);
      // a deployed page still on the old key
      expect((await collect(app, envelope([summary({ id: 'old-key' })], SITE))).status).toBe(202);
      // a summary queued under the old key, sent by a page now on the new key
      expect((await collect(app, envelope([summary({ id: 'queued', site: SITE })], newKey))).status).toBe(202);
      const rows = await stored(store);
      expect(rows.map((s) => s.id).sort()).toEqual(['new-key', 'old-key', 'queued']);
      expect(new Set(rows.map((s) => s.site))).toEqual(new Set([SITE])); // stored under the id
      // revoke the old key through the admin API: the cache is invalidated, so 401 at once
      expect((await adminSend(app, 'POST', `/v1/sites/${SITE}/keys/${SITE}/revoke`)).status).toBe(200);
      const late = await collect(app, envelope([summary({ id: 'late' })], SITE));
      expect(late.status).toBe(401);
      expect((await stored(store)).map((s) => s.id)).not.toContain('late');
    });

    it('another site’s key in a summary is rejected by index', async () => {
      const { app, store } = await makeApp({
        kind,
        sites: [
          { key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true },
          { key: 'other', name: 'Other', origins: [ORIGIN], enabled: true },
        ],
      });
      const res = await collect(app, envelope([summary({ id: 'a' }), summary({ id: 'b', site: 'other' })]));
      expect(await json(res)).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] });
      expect(await stored(store, 'other')).toHaveLength(0);
    });
  });

  describe('admin API /v1/sites', () => {
    it('requires the admin token on every route', async () => {
      const { app } = await makeApp({ kind });
      for (const [method, path] of [
        ['GET', '/v1/sites'],
        ['POST', '/v1/sites'],
        ['GET', `/v1/sites/${SITE}`],
        ['PATCH', `/v1/sites/${SITE}`],
        ['POST', `/v1/sites/${SITE}/rotate`],
        ['POST', `/v1/sites/${SITE}/disable`],
        ['POST', `/v1/sites/${SITE}/keys/${SITE}/revoke`],
      ] as const) {
        const res = await app.request(path, { method, headers: { Authorization: 'Bearer wrong' }, body: method === 'GET' ? null : '{}' });
        expect(res.status, `${method} ${path}`).toBe(401);
      }
    });

    it('creates, lists, edits origins, disables, enables and rotates', async () => {
      const { app, store } = await makeApp({ kind });
      const created = await adminSend(app, 'POST', '/v1/sites', { id: 'blog', name: 'Blog', origins: ['https://blog.example', ' https://*.blog.example '] });
      expect(created.status).toBe(201);
      const site = (await json(created)).site;
      expect(site).toMatchObject({ key: 'blog', name: 'Blog', origins: ['https://blog.example', 'https://*.blog.example'], enabled: true });
      expect(site.keys).toHaveLength(1);
      expect(site.keys[0].key).toMatch(/^blog_[A-Za-z0-9_-]{20}$/);
      const key = site.keys[0].key as string;

      expect((await json(await adminSend(app, 'GET', '/v1/sites'))).sites.map((s: { key: string }) => s.key)).toEqual(['blog', SITE]);
      expect((await adminSend(app, 'POST', '/v1/sites', { id: 'blog', origins: [] })).status).toBe(409);

      // a beacon with the new key from an allowed origin
      const beacon = (id: string, k = key, origin = 'https://blog.example') =>
        collect(app, envelope([summary({ id, site: k })], k), { headers: { Origin: origin } });
      expect((await beacon('b1')).status).toBe(202);

      const patched = await adminSend(app, 'PATCH', '/v1/sites/blog', { origins: ['https://new.blog.example'] });
      expect((await json(patched)).site.origins).toEqual(['https://new.blog.example']);
      expect((await beacon('b2')).status).toBe(403); // takes effect at once (local change invalidates the cache)
      expect((await beacon('b3', key, 'https://new.blog.example')).status).toBe(202);

      expect((await json(await adminSend(app, 'POST', '/v1/sites/blog/disable'))).site.enabled).toBe(false);
      expect((await beacon('b4', key, 'https://new.blog.example')).status).toBe(403);
      expect((await json(await adminSend(app, 'POST', '/v1/sites/blog/enable'))).site.enabled).toBe(true);

      const rotated = await json(await adminSend(app, 'POST', '/v1/sites/blog/rotate', { graceDays: 0 }));
      expect(rotated.key).not.toBe(key);
      expect(rotated.site.keys.map((k: { key: string; state: string }) => [k.key, k.state])).toEqual(
        expect.arrayContaining([
          [rotated.key, 'active'],
          [key, 'expired'],
        ]),
      );
      expect((await beacon('b5', key, 'https://new.blog.example')).status).toBe(401);
      expect((await beacon('b6', rotated.key, 'https://new.blog.example')).status).toBe(202);
      expect((await stored(store, 'blog')).map((s) => s.id).sort()).toEqual(['b1', 'b3', 'b6']);
    });

    it('answers 400 naming the field for bad input, 404 for unknown sites', async () => {
      const { app } = await makeApp({ kind });
      const cases: Array<[string, string, unknown, string]> = [
        ['POST', '/v1/sites', { id: 'bad id!', origins: [] }, 'id'],
        ['POST', '/v1/sites', { id: 'ok', origins: ['https://x.example/path'] }, 'origins.0'],
        ['POST', '/v1/sites', { id: 'ok', origins: ['ftp://x.example'] }, 'origins.0'],
        ['POST', '/v1/sites', { id: 'ok', origins: 'https://x.example' }, 'origins'],
        ['POST', '/v1/sites', { id: 'ok', origins: [], key: 'x'.repeat(65) }, 'key'],
        ['PATCH', `/v1/sites/${SITE}`, { origins: ['https://ok.example', 'nope'] }, 'origins.1'],
        ['PATCH', `/v1/sites/${SITE}`, { enabled: 'yes' }, 'enabled'],
        ['POST', `/v1/sites/${SITE}/rotate`, { graceDays: -1 }, 'graceDays'],
      ];
      for (const [method, path, body, field] of cases) {
        const res = await adminSend(app, method, path, body);
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
        expect((await json(res)).issues.map((i: { path: string }) => i.path)).toContain(field);
      }
      const notJson = await app.request('/v1/sites', { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: '{' });
      expect(notJson.status).toBe(400);
      for (const [method, path] of [
        ['GET', '/v1/sites/nope'],
        ['PATCH', '/v1/sites/nope'],
        ['POST', '/v1/sites/nope/rotate'],
        ['POST', '/v1/sites/nope/disable'],
        ['POST', `/v1/sites/${SITE}/keys/nope/revoke`],
      ] as const) {
        expect((await adminSend(app, method, path, method === 'GET' ? undefined : {})).status, path).toBe(404);
      }
    });
  });
});

describe('site cache', () => {
  it('shares lookups, expires after the TTL, honours key expiry while cached, and does not cache failures', async () => {
    const store = openSqliteStore(':memory:');
    await store.createSite({ key: 'shop', name: 'Shop', origins: [], enabled: true }, 'k1', 0);
    let lookups = 0;
    let failing = false;
    const counting: CollectorStore = {
      ...store,
      siteForKey: async (key, now) => {
        lookups += 1;
        if (failing) throw new Error('down');
        return store.siteForKey(key, now);
      },
    };
    const cache = createSiteCache(counting, { ttlMs: 1000 });
    // k1 is in its grace period, ending at 600
    await store.expireSiteKey('shop', 'k1', 600);
    await Promise.all([cache.forKey('k1', 10), cache.forKey('k1', 10), cache.forKey('k1', 500)]);
    expect(lookups).toBe(1);
    expect(await cache.forKey('unknown', 10)).toBeNull();
    expect(await cache.forKey('unknown', 20)).toBeNull();
    expect(lookups).toBe(2);
    expect(await cache.forKey('k1', 700)).toBeNull(); // cached entry, but the grace period ended meanwhile
    expect(lookups).toBe(2);
    failing = true;
    await expect(cache.forKey('k1', 5000)).rejects.toThrow('down');
    failing = false;
    expect(await cache.forKey('k1', 5001)).toBeNull();
    expect(lookups).toBe(4);
    await store.close();
  });
});

describe('helpers', () => {
  it('parseDuration reads days, hours, minutes, seconds and rejects the rest', () => {
    expect(parseDuration('7d')).toBe(7 * DAY_MS);
    expect(parseDuration('36h')).toBe(36 * 3_600_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('2')).toBe(2 * DAY_MS);
    for (const bad of ['', '-1d', '7w', 'soon', '400d']) expect(parseDuration(bad), bad).toBeNull();
  });

  it('newPublicKey is unique, sendable as a site key, and prefixed with the id', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newPublicKey('a-very-long-site-id-that-goes-on-and-on-and-on-forever')));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
  });
});

describe('migration of an existing embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatpulse-sites-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every existing site its id as a public key, so deployed pages keep working', async () => {
    const path = join(dir, 'old.db');
    // The schema as it was before site keys (user_version 3).
    const db = new Database(path);
    db.exec(`CREATE TABLE sites (key TEXT PRIMARY KEY, name TEXT NOT NULL, origins TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1);
             CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE conversations (site TEXT NOT NULL, id TEXT NOT NULL, revision INTEGER NOT NULL, visitor TEXT NOT NULL, page TEXT NOT NULL,
               release TEXT, locale TEXT, intent TEXT, started_at INTEGER NOT NULL, ended_at INTEGER, end_reason TEXT, user_messages INTEGER NOT NULL,
               bot_messages INTEGER NOT NULL, thumbs_up INTEGER NOT NULL, thumbs_down INTEGER NOT NULL, csat_score INTEGER, csat_shown INTEGER NOT NULL,
               handoff INTEGER NOT NULL, outcome TEXT, resolution TEXT, sentiment_first REAL, sentiment_last REAL, summary TEXT NOT NULL,
               received_at INTEGER NOT NULL, PRIMARY KEY (site, id));
             CREATE TABLE client_drops (site TEXT NOT NULL, reason TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (site, reason));
             INSERT INTO sites VALUES ('demo', 'Demo', '["http://localhost:*"]', 1), ('shop', 'Shop', '["https://shop.example"]', 0);
             PRAGMA user_version = 3;`);
    db.close();
    const store = openSqliteStore(path);
    try {
      expect((await store.siteForKey('demo', Date.now()))?.key).toBe('demo');
      expect(await store.siteForKey('shop', Date.now())).toMatchObject({ key: 'shop', enabled: false, keys: [{ key: 'shop', expiresAt: null }] });
    } finally {
      await store.close();
    }
  });
});

describe('CLI: chatpulse sites', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatpulse-cli-'));
  const schemas: string[] = [];
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const schema of schemas) await dropSchema(schema);
  });

  async function cli(db: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { CHATPULSE_DB: db }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  const databases: Array<[string, () => string]> = [
    ['an embedded database file', () => join(dir, 'cli.db')],
    ...(PG_URL
      ? [
          [
            'a postgres:// URL',
            () => {
              const schema = freshSchemaName();
              schemas.push(schema);
              const url = new URL(PG_URL);
              url.searchParams.set('schema', schema);
              return url.toString();
            },
          ] as [string, () => string],
        ]
      : []),
  ];

  it.each(databases)('add, list, origins, disable, enable, rotate-key, revoke-key, remove on %s', async (_name, database) => {
    const db = database();
    const added = await cli(db, 'sites', 'add', 'shop', '--origin', 'https://shop.example', '--origin', 'https://*.shop.example', '--name', 'Shop');
    expect(added.code, added.err).toBe(0);
    const key = /key\s+(\S+)\s+active/.exec(added.out)![1]!;
    expect(added.out).toContain(`data-site="${key}"`);

    expect((await cli(db, 'sites', 'add', 'shop', '--origin', 'https://x.example')).code).toBe(1);
    expect((await cli(db, 'sites', 'add', 'blog')).code).toBe(2); // --origin is required
    const badOrigin = await cli(db, 'sites', 'add', 'blog', '--origin', 'https://blog.example/');
    expect(badOrigin.code).toBe(1);
    expect(badOrigin.err).toContain('origins.0');

    const origins = await cli(db, 'sites', 'origins', 'shop', '--add', 'http://localhost:*', '--remove', 'https://*.shop.example');
    expect(origins.out.split('\n')).toEqual(['https://shop.example', 'http://localhost:*']);
    expect((await cli(db, 'sites', 'disable', 'shop')).out).toContain('disabled');

    const rotated = await cli(db, 'sites', 'rotate-key', 'shop', '--grace', '36h');
    expect(rotated.code, rotated.err).toBe(0);
    const newKey = /new key: (\S+)/.exec(rotated.out)![1]!;
    expect(rotated.out).toMatch(new RegExp(`${key}\\s+valid until`));
    expect((await cli(db, 'sites', 'rotate-key', 'shop', '--grace', 'soon')).code).toBe(2);

    const list = JSON.parse((await cli(db, 'sites', 'list', '--json')).out) as Array<{ key: string; enabled: boolean; origins: string[]; keys: Array<{ key: string; expiresAt: number | null }> }>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ key: 'shop', enabled: false, origins: ['https://shop.example', 'http://localhost:*'] });
    const expiry = list[0]!.keys.find((k) => k.key === key)!.expiresAt!;
    expect(expiry - Date.now()).toBeGreaterThan(35 * 3_600_000);
    expect(expiry - Date.now()).toBeLessThanOrEqual(36 * 3_600_000);
    expect(list[0]!.keys.find((k) => k.key === newKey)!.expiresAt).toBeNull();

    expect((await cli(db, 'sites', 'enable', 'shop')).code).toBe(0);
    expect((await cli(db, 'sites', 'revoke-key', 'shop', key)).code).toBe(0);
    expect((await cli(db, 'sites', 'revoke-key', 'shop', 'nope')).code).toBe(1);
    expect((await cli(db, 'sites', 'enable', 'nope')).code).toBe(1);
    expect((await cli(db, 'sites', 'frobnicate')).code).toBe(2);
    expect((await cli(db, 'sites', 'remove', 'shop', '--purge')).out).toContain('removed, 0 conversations deleted');
    expect((await cli(db, 'sites', 'list')).out).toContain('No sites');
  });

  it('npx chatpulse runs the bin (tsx loader, CHATPULSE_DB)', async () => {
    const db = join(dir, 'bin.db');
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [join(ROOT, 'bin/chatpulse.mjs'), 'sites', 'add', 'docs', '--origin', 'https://docs.example', '--key', 'docs-key'], {
      cwd: ROOT,
      env: { ...process.env, CHATPULSE_DB: db },
    });
    expect(stdout).toContain('docs-key');
    const help = await run(process.execPath, [join(ROOT, 'bin/chatpulse.mjs'), '--help'], { cwd: ROOT });
    expect(help.stdout).toContain('rotate-key');
  }, 30_000);
});
