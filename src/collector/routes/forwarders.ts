// Admin API of the observability integrations (all routes need the admin token):
//   GET  /v1/integrations?site=             trace link template, alert rules, forwarders (secrets redacted)
//   PUT  /v1/integrations?site=             { traceUrlTemplate?, alerts? } (a partial update)
//   GET  /v1/forwarders?site=               forwarders with their outbox counts
//   GET  /v1/forwarders/:id?site=
//   PUT  /v1/forwarders/:id?site=           { kind, enabled?, events?, config } (secrets may be left out to keep them)
//   DELETE /v1/forwarders/:id?site=         removes it and its outbox
//   POST /v1/forwarders/:id/retry?site=     failed forwards back to pending
//   GET  /v1/forwarders/:id/outbox?site=&limit=   recent outbox rows (diagnostics)
//   GET  /v1/alerts?site=&status=open|all&limit=
//   POST /v1/alerts/evaluate?site=          evaluate the alert rules now
import type { Context, Hono, MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { fieldIssues } from '../../shared/summary-schema.ts';
import { evaluateAlerts } from '../integrations/alerts.ts';
import type { Forwarding } from '../integrations/forwarding.ts';
import { FORWARDER_ID, ForwarderInputSchema, SettingsPatchSchema, applyPatch, writeSettings } from '../integrations/settings.ts';
import type { Forwarder, OutboxStats } from '../integrations/types.ts';
import type { CollectorStore } from '../store/types.ts';

export interface ForwarderRouteDeps {
  store: CollectorStore;
  forwarding: Forwarding;
  requireAdmin: MiddlewareHandler;
}

const EMPTY_STATS: OutboxStats = { pending: 0, delivered: 0, failed: 0, superseded: 0, lastError: null };

export function mountForwarderRoutes(app: Hono, { store, forwarding, requireAdmin }: ForwarderRouteDeps): void {
  for (const path of ['/v1/integrations', '/v1/forwarders', '/v1/forwarders/*', '/v1/alerts', '/v1/alerts/*']) app.use(path, requireAdmin);

  /** The `site` query parameter of an existing site, or the error response. */
  const siteOf = async (c: Context): Promise<string | Response> => {
    const site = c.req.query('site');
    if (!site) return c.json({ error: 'invalid_query', issues: [{ path: 'site', message: 'required' }] }, 400);
    if (!(await store.getSite(site))) return c.json({ error: 'unknown_site' }, 404);
    return site;
  };
  const body = async (c: Context): Promise<unknown> => {
    try {
      return await c.req.json();
    } catch {
      return undefined;
    }
  };
  const listed = async (site: string) => {
    const [forwarders, stats] = await Promise.all([store.integrations.listForwarders(site), store.integrations.outboxStats(site)]);
    return forwarders.map((f) => ({ ...redact(f), outbox: stats[f.id] ?? EMPTY_STATS }));
  };

  app.get('/v1/integrations', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    forwarding.invalidate(site);
    const settings = await forwarding.settings(site);
    return c.json({ site, ...settings, forwarders: await listed(site) });
  });

  app.put('/v1/integrations', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    const parsed = v.safeParse(SettingsPatchSchema, await body(c));
    if (!parsed.success) return c.json({ error: 'invalid_body', issues: fieldIssues(parsed.issues) }, 400);
    forwarding.invalidate(site);
    const next = applyPatch(await forwarding.settings(site), parsed.output);
    await writeSettings(store, site, next);
    forwarding.invalidate(site);
    return c.json({ site, ...next });
  });

  app.get('/v1/forwarders', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    return c.json({ site, forwarders: await listed(site) });
  });

  app.get('/v1/forwarders/:id', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    const f = await store.integrations.getForwarder(site, c.req.param('id'));
    if (!f) return c.json({ error: 'not_found' }, 404);
    const stats = await store.integrations.outboxStats(site);
    return c.json({ ...redact(f), outbox: stats[f.id] ?? EMPTY_STATS });
  });

  app.put('/v1/forwarders/:id', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    const id = c.req.param('id');
    if (!FORWARDER_ID.test(id)) return c.json({ error: 'invalid_id', message: 'letters, digits, _ . - (at most 64)' }, 400);
    const parsed = v.safeParse(ForwarderInputSchema, await body(c));
    if (!parsed.success) return c.json({ error: 'invalid_body', issues: fieldIssues(parsed.issues) }, 400);
    const input = parsed.output;
    const existing = await store.integrations.getForwarder(site, id);
    const same = existing && existing.kind === input.kind ? existing : null;
    const base = { site, id, enabled: input.enabled ?? true, ...(input.events ? { events: input.events } : {}), createdAt: existing?.createdAt ?? Date.now() };
    let forwarder: Forwarder;
    if (input.kind === 'langfuse') {
      const secretKey = input.config.secretKey ?? (same?.kind === 'langfuse' ? same.config.secretKey : undefined);
      if (!secretKey) return c.json({ error: 'invalid_body', issues: [{ path: 'config.secretKey', message: 'required' }] }, 400);
      forwarder = { ...base, kind: 'langfuse', config: { ...input.config, secretKey } };
    } else if (input.kind === 'webhook') {
      const secret = input.config.secret ?? (same?.kind === 'webhook' ? same.config.secret : undefined);
      if (!secret) return c.json({ error: 'invalid_body', issues: [{ path: 'config.secret', message: 'required (at least 16 characters)' }] }, 400);
      forwarder = { ...base, kind: 'webhook', config: { ...input.config, secret } };
    } else {
      forwarder = { ...base, kind: 'otlp', config: input.config };
    }
    await store.integrations.putForwarder(forwarder);
    forwarding.invalidate(site);
    return c.json(redact(forwarder), existing ? 200 : 201);
  });

  app.delete('/v1/forwarders/:id', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    const deleted = await store.integrations.deleteForwarder(site, c.req.param('id'));
    forwarding.invalidate(site);
    return deleted ? c.body(null, 204) : c.json({ error: 'not_found' }, 404);
  });

  app.post('/v1/forwarders/:id/retry', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    const requeued = await store.integrations.requeueFailed(site, c.req.param('id'), Date.now());
    if (requeued > 0) forwarding.wake();
    return c.json({ requeued });
  });

  app.get('/v1/forwarders/:id/outbox', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    const limit = Math.min(1000, Math.max(1, Number(c.req.query('limit')) || 100));
    const rows = await store.integrations.outboxRows(site, c.req.param('id'), limit);
    return c.json({ site, forwarder: c.req.param('id'), rows: rows.map(({ leaseToken: _token, ...row }) => row) });
  });

  app.get('/v1/alerts', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    const limit = Math.min(1000, Math.max(1, Number(c.req.query('limit')) || 50));
    const alerts = await store.integrations.listAlerts(site, { open: c.req.query('status') === 'open', limit });
    return c.json({ site, alerts });
  });

  app.post('/v1/alerts/evaluate', async (c) => {
    const site = await siteOf(c);
    if (typeof site !== 'string') return site;
    return c.json({ site, ...(await evaluateAlerts(store, forwarding, site)) });
  });
}

/** Secrets never leave through the API: the last four characters show which one is set. */
function redact(f: Forwarder): Record<string, unknown> {
  const hide = (secret: string) => `…${secret.slice(-4)}`;
  const config =
    f.kind === 'langfuse'
      ? { ...f.config, secretKey: hide(f.config.secretKey) }
      : f.kind === 'webhook'
        ? { ...f.config, secret: hide(f.config.secret) }
        : { ...f.config, ...(f.config.headers ? { headers: Object.fromEntries(Object.keys(f.config.headers).map((k) => [k, hide(f.config.headers![k]!)])) } : {}) };
  return { id: f.id, site: f.site, kind: f.kind, enabled: f.enabled, events: f.events ?? null, createdAt: new Date(f.createdAt).toISOString(), config };
}
