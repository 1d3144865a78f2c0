// Intents: the site owner edits them (admin), every page of the site fetches them (public, per
// site origin) so the widget can label conversations on the device.
//
//   GET /v1/sites/:id/intents   (admin)  → { intents }
//   PUT /v1/sites/:id/intents   (admin)  { intents } → { intents } | 400 { error, issues }
//   GET /v1/intents?site=KEY    (pages)  → { intents }, readable by the site's own origins only
import type { Context, Hono } from 'hono';
import { readBody } from '../body.ts';
import { getIntents, putIntents } from '../intents.ts';
import { siteForPage } from '../page-site.ts';
import type { SiteCache } from '../sites.ts';
import type { CollectorStore } from '../store/types.ts';

const MAX_INTENTS_BODY = 256 * 1024;

export function mountIntentRoutes(app: Hono, store: CollectorStore, sites: SiteCache, limit: (c: Context) => Response | null): void {
  app.get('/v1/sites/:id/intents', async (c) => {
    if (!(await store.getSite(c.req.param('id')))) return c.json({ error: 'not_found' }, 404);
    return c.json({ intents: await getIntents(store, c.req.param('id')) });
  });

  app.put('/v1/sites/:id/intents', async (c) => {
    const site = c.req.param('id');
    if (!(await store.getSite(site))) return c.json({ error: 'not_found' }, 404);
    const read = await readBody(c, { maxBytes: MAX_INTENTS_BODY, timeoutMs: 10_000 });
    if (read.kind === 'too_large') return c.json({ error: 'too_large', maxBytes: MAX_INTENTS_BODY }, 413);
    if (read.kind !== 'ok') return c.json({ error: 'incomplete_body' }, 400);
    let raw: unknown;
    try {
      raw = JSON.parse(read.text);
    } catch {
      return c.json({ error: 'invalid_json' }, 400);
    }
    const input = typeof raw === 'object' && raw !== null && 'intents' in raw ? raw.intents : undefined;
    const saved = await putIntents(store, site, input);
    return saved.ok ? c.json({ intents: saved.intents }) : c.json({ error: 'invalid_body', issues: saved.issues }, 400);
  });

  app.get('/v1/intents', async (c) => {
    const limited = limit(c);
    if (limited) return limited;
    const key = c.req.query('site');
    if (!key) return c.json({ error: 'invalid_query', issues: [{ path: 'site', message: 'required' }] }, 400);
    const page = await siteForPage(c, sites, key);
    if (page instanceof Response) return page;
    // Pages of a site load this on every conversation; a few minutes' staleness is fine.
    c.header('Cache-Control', 'private, max-age=300');
    return c.json({ intents: await getIntents(store, page.site.key) });
  });
}
