// What every request from a site's pages goes through: the public key resolves to an enabled site,
// and the page's origin is one the site allows. The answer is the site, or the response to send.
import type { Context } from 'hono';
import { originAllowed, requestOrigin } from './origins.ts';
import type { SiteCache } from './sites.ts';
import type { SiteWithKeys } from './store/types.ts';

export async function siteForPage(c: Context, sites: SiteCache, key: string): Promise<{ site: SiteWithKeys; origin: string } | Response> {
  let site: SiteWithKeys | null;
  try {
    site = await sites.forKey(key);
  } catch (error) {
    console.error('[collector] site lookup failed', error);
    c.header('Retry-After', '5');
    return c.json({ error: 'storage_unavailable' }, 503);
  }
  if (!site) return c.json({ error: 'unknown_site' }, 401);
  if (!site.enabled) return c.json({ error: 'site_disabled' }, 403);
  const origin = requestOrigin(c.req.header('Origin'), c.req.header('Referer'));
  if (!origin || !originAllowed(origin, site.origins)) return c.json({ error: 'origin_not_allowed' }, 403);
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Vary', 'Origin');
  return { site, origin };
}
