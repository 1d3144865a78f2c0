// Admin API for the site registry (the dashboard's Sites panel uses it; the CLI calls the same
// functions in ../sites.ts directly). app.ts guards /v1/sites and /v1/sites/* with the admin token
// before mounting these routes. The token travels in the Authorization header, which browsers never
// attach on their own, so these state-changing routes need no CSRF token.
//
//   GET    /v1/sites                     → { sites: SiteView[] }
//   POST   /v1/sites                     { id, name?, origins, enabled?, key? } → 201 { site }
//   GET    /v1/sites/:id                 → { site }
//   PATCH  /v1/sites/:id                 { name?, origins?, enabled? } → { site }
//   POST   /v1/sites/:id/enable|disable  → { site }
//   POST   /v1/sites/:id/rotate          { graceDays? } → { site, key, oldKeysExpireAt }
//   POST   /v1/sites/:id/keys/:key/revoke → { site }
// Errors: 400 { error: 'invalid_body', issues }, 404 { error: 'not_found' }, 409 { error: 'conflict' }.
import type { Context, Hono } from 'hono';
import * as v from 'valibot';
import { fieldIssues } from '../../shared/summary-schema.ts';
import { readBody } from '../body.ts';
import {
  DAY_MS,
  SiteConflictError,
  SiteInputError,
  addSite,
  findSite,
  keyState,
  rotateSiteKey,
  updateSite,
  type KeyState,
  type SiteCache,
} from '../sites.ts';
import type { CollectorStore, Site, SiteWithKeys } from '../store/types.ts';

/** What the API answers for a site: the stable id stays `key` (as before keys existed). */
export interface SiteView extends Site {
  keys: Array<{ key: string; createdAt: string; expiresAt: string | null; state: KeyState }>;
}

const MAX_ADMIN_BODY = 64 * 1024;

const CreateSchema = v.object({
  id: v.string(),
  name: v.optional(v.string()),
  origins: v.pipe(v.array(v.string()), v.maxLength(100)),
  enabled: v.optional(v.boolean()),
  key: v.optional(v.string()),
});
const PatchSchema = v.object({
  name: v.optional(v.string()),
  origins: v.optional(v.pipe(v.array(v.string()), v.maxLength(100))),
  enabled: v.optional(v.boolean()),
});
const RotateSchema = v.object({
  graceDays: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(365))),
});

export function toSiteView(site: SiteWithKeys, now = Date.now()): SiteView {
  return {
    key: site.key,
    name: site.name,
    origins: site.origins,
    enabled: site.enabled,
    keys: site.keys.map((k) => ({
      key: k.key,
      createdAt: new Date(k.createdAt).toISOString(),
      expiresAt: k.expiresAt === null ? null : new Date(k.expiresAt).toISOString(),
      state: keyState(k, now),
    })),
  };
}

export function mountSiteRoutes(app: Hono, store: CollectorStore, cache: SiteCache): void {
  /** Parses and validates a JSON body, or answers the 4xx itself. */
  async function jsonBody<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S> | Response> {
    const read = await readBody(c, { maxBytes: MAX_ADMIN_BODY, timeoutMs: 10_000 });
    if (read.kind === 'too_large') return c.json({ error: 'too_large', maxBytes: MAX_ADMIN_BODY }, 413);
    if (read.kind !== 'ok') return c.json({ error: 'incomplete_body' }, 400);
    let raw: unknown;
    try {
      raw = read.text === '' ? {} : JSON.parse(read.text);
    } catch {
      return c.json({ error: 'invalid_json' }, 400);
    }
    const parsed = v.safeParse(schema, raw);
    return parsed.success ? parsed.output : c.json({ error: 'invalid_body', issues: fieldIssues(parsed.issues) }, 400);
  }

  /** Runs a registry change, maps its errors to 400/409, and drops this collector's cached keys. */
  async function change(c: Context, work: () => Promise<SiteWithKeys | null>, status: 200 | 201 = 200): Promise<Response> {
    try {
      const site = await work();
      cache.invalidate();
      return site ? c.json({ site: toSiteView(site) }, status) : c.json({ error: 'not_found' }, 404);
    } catch (error) {
      if (error instanceof SiteInputError) return c.json({ error: 'invalid_body', issues: error.issues }, 400);
      if (error instanceof SiteConflictError) return c.json({ error: 'conflict', what: error.what, message: error.message }, 409);
      throw error;
    }
  }

  app.get('/v1/sites', async (c) => {
    const now = Date.now();
    return c.json({ sites: (await store.listSites()).map((s) => toSiteView(s, now)) });
  });

  app.post('/v1/sites', async (c) => {
    const body = await jsonBody(c, CreateSchema);
    if (body instanceof Response) return body;
    return change(c, () => addSite(store, body), 201);
  });

  app.get('/v1/sites/:id', async (c) => {
    const site = await findSite(store, c.req.param('id'));
    return site ? c.json({ site: toSiteView(site) }) : c.json({ error: 'not_found' }, 404);
  });

  app.patch('/v1/sites/:id', async (c) => {
    const body = await jsonBody(c, PatchSchema);
    if (body instanceof Response) return body;
    return change(c, () => updateSite(store, c.req.param('id'), body));
  });

  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(`/v1/sites/:id/${action}`, (c) => change(c, () => updateSite(store, c.req.param('id'), { enabled })));
  }

  app.post('/v1/sites/:id/rotate', async (c) => {
    const body = await jsonBody(c, RotateSchema);
    if (body instanceof Response) return body;
    try {
      const rotated = await rotateSiteKey(store, c.req.param('id'), body.graceDays !== undefined ? { graceMs: body.graceDays * DAY_MS } : {});
      cache.invalidate();
      if (!rotated) return c.json({ error: 'not_found' }, 404);
      return c.json({ site: toSiteView(rotated.site), key: rotated.key, oldKeysExpireAt: new Date(rotated.oldKeysExpireAt).toISOString() });
    } catch (error) {
      if (error instanceof SiteInputError) return c.json({ error: 'invalid_body', issues: error.issues }, 400);
      throw error;
    }
  });

  app.post('/v1/sites/:id/keys/:key/revoke', (c) =>
    change(c, async () => {
      const id = c.req.param('id');
      return (await store.expireSiteKey(id, c.req.param('key'), Date.now())) ? findSite(store, id) : null;
    }),
  );
}
