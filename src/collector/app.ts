// The collector's HTTP API (DESIGN.md "Collector HTTP"). Every request is hostile until proven
// otherwise: size-limited, schema-validated, origin-checked per site, rate-limited; bad input
// never gets a 5xx, and a 2xx means the summaries are durably stored.
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { EnvelopeSchema, SummarySchema, fieldIssues, type FieldIssue, type ValidSummary } from '../shared/summary-schema.ts';
import { readBody } from './body.ts';
import { csvLine } from './csv.ts';
import { siteForPage } from './page-site.ts';
import { mountIntentRoutes } from './routes/intents.ts';
import { mountSiteRoutes } from './routes/sites.ts';
import { createSiteCache } from './sites.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createForwarding, type Forwarding } from './integrations/forwarding.ts';
import { mountForwarderRoutes } from './routes/forwarders.ts';
import { createOps, mountOpsRoutes, requestObserver, type Ops } from './ops.ts';
import { OUTCOMES } from '../shared/summary.ts';
import { CONVERSATION_SIGNALS, type CollectorStore, type ConversationQuery, type GroupBy, type MetricValues } from './store/types.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
/** A beacon's body must arrive within this long once its headers have (a trickling client is cut off). */
export const BODY_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;
const GROUP_BYS: readonly GroupBy[] = ['day', 'page', 'release', 'intent'];
const MAX_DATE_MS = 8.64e15;

export interface AppOptions {
  store: CollectorStore;
  adminToken: string;
  /** Folders served as static files; omitted in API-only tests. */
  staticDirs?: { dist: string; demo: string };
  limits?: { perIpPerSecond?: number; perIpBurst?: number; perSitePerSecond?: number; perSiteBurst?: number; bodyTimeoutMs?: number; siteCacheMs?: number };
  /** Logs, Prometheus metrics and the draining flag; default: silent, not draining. */
  ops?: Ops;
  /** Forwarders (Langfuse, OTLP, webhooks) and alerts; default: a service whose worker is not started. */
  forwarding?: Forwarding;
}

export function createApp(options: AppOptions): Hono {
  const { store } = options;
  const app = new Hono();
  const ipLimiter = createRateLimiter({ perSecond: options.limits?.perIpPerSecond ?? 20, burst: options.limits?.perIpBurst ?? 60 });
  const siteLimiter = createRateLimiter({ perSecond: options.limits?.perSitePerSecond ?? 500, burst: options.limits?.perSiteBurst ?? 2000 });
  const tokenDigest = digest(options.adminToken);
  const ops = options.ops ?? createOps();
  const forwarding = options.forwarding ?? createForwarding(store);
  const sites = createSiteCache(store, { ttlMs: options.limits?.siteCacheMs ?? 1000 });
  const bodyLimits = { maxBytes: MAX_BODY_BYTES, timeoutMs: options.limits?.bodyTimeoutMs ?? BODY_TIMEOUT_MS };
  app.use('*', requestObserver(ops));

  app.onError((error, c) => {
    console.error('[collector] unexpected error', error);
    return c.json({ error: 'internal' }, 500);
  });

  // Liveness only: a database outage must not get healthy collectors restarted (readiness is /readyz).
  app.get('/healthz', (c) => c.json({ ok: true, store: store.kind }));

  // ---- ingest ---------------------------------------------------------------------------------

  app.options('/v1/collect', (c) => {
    const origin = c.req.header('Origin');
    if (origin) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
    }
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });

  app.post(
    '/v1/collect',
    async (c, next) => {
      // Every answer is readable by the page that sent it — errors included — so the widget can
      // tell "slow down" (429 + Retry-After), "too large" (413) and "refused" (401/403) from a
      // network failure. Reading an answer grants nothing: the site's origins decide what is stored.
      const requester = c.req.header('Origin');
      if (requester) {
        c.header('Access-Control-Allow-Origin', requester);
        c.header('Access-Control-Expose-Headers', 'Retry-After');
        c.header('Vary', 'Origin');
      }
      const wait = ipLimiter.take(clientIp(c));
      if (wait > 0) return tooMany(c, wait);
      await next();
    },
    async (c) => {
      const read = await readBody(c, bodyLimits);
      if (read.kind !== 'ok') {
        // The rest of the body is never read: close the connection rather than drain it.
        c.header('Connection', 'close');
        if (read.kind === 'too_large') return c.json({ error: 'too_large', maxBytes: MAX_BODY_BYTES }, 413);
        if (read.kind === 'timeout') return c.json({ error: 'body_timeout' }, 408);
        return c.json({ error: 'incomplete_body' }, 400);
      }
      let raw: unknown;
      try {
        raw = JSON.parse(read.text);
      } catch {
        return c.json({ error: 'invalid_json' }, 400);
      }
      const envelope = v.safeParse(EnvelopeSchema, raw);
      if (!envelope.success) return c.json({ error: 'invalid_body', issues: fieldIssues(envelope.issues) }, 400);
      const body = envelope.output;

      const page = await siteForPage(c, sites, body.site);
      if (page instanceof Response) return page;
      const { site } = page;
      const wait = siteLimiter.take(site.key);
      if (wait > 0) return tooMany(c, wait);

      const valid: ValidSummary[] = [];
      const rejected: Array<{ index: number; issues: FieldIssue[] }> = [];
      body.summaries.forEach((candidate, index) => {
        const parsed = v.safeParse(SummarySchema, candidate);
        if (!parsed.success) rejected.push({ index, issues: fieldIssues(parsed.issues, `summaries.${index}`) });
        // A summary names the key its page had (maybe one rotated out since) or the site id; it is stored under the id.
        else if (parsed.output.site !== site.key && !site.keys.some((k) => k.key === parsed.output.site)) {
          rejected.push({ index, issues: [{ path: `summaries.${index}.site`, message: 'does not match the request site' }] });
        } else valid.push(parsed.output.site === site.key ? parsed.output : { ...parsed.output, site: site.key });
      });
      if (valid.length === 0 && body.summaries.length > 0) return c.json({ error: 'no_valid_summaries', rejected }, 400);

      try {
        // Drop counts first: if the summaries' write fails the client retries and reports them again.
        if (body.dropped && Object.keys(body.dropped).length > 0) await store.addClientDrops(site.key, body.dropped);
        const result = valid.length > 0 ? await store.upsert(site.key, valid, Date.now()) : { written: 0, stale: 0 };
        // Forwards are stored before the 202 (a retried request re-plans them idempotently).
        await forwarding.enqueue(site.key, valid);
        ops.metrics.summaries(valid.length, rejected.length);
        return c.json({ accepted: valid.length, written: result.written, rejected }, 202);
      } catch (error) {
        console.error('[collector] storage failed', error);
        c.header('Retry-After', '5');
        return c.json({ error: 'storage_unavailable' }, 503);
      }
    },
  );

  // ---- read API (admin) -----------------------------------------------------------------------

  app.use('/v1/metrics', requireAdmin);
  app.use('/v1/delivery', requireAdmin);
  app.use('/v1/conversations', requireAdmin);
  app.use('/v1/export.csv', requireAdmin);
  app.use('/v1/sites', requireAdmin);
  app.use('/v1/sites/*', requireAdmin);
  // /metrics (Prometheus) needs the admin token too: scrape with `authorization: { credentials: ... }`.
  app.use('/metrics', requireAdmin);
  mountOpsRoutes(app, ops, store);
  mountForwarderRoutes(app, { store, forwarding, requireAdmin });

  async function requireAdmin(c: Context, next: () => Promise<void>): Promise<Response | void> {
    const header = c.req.header('Authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token || !timingSafeEqual(digest(token), tokenDigest)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: 'unauthorized' }, 401);
    }
    await next();
  }

  mountSiteRoutes(app, store, sites);
  mountIntentRoutes(app, store, sites, (c) => {
    const wait = ipLimiter.take(clientIp(c));
    return wait > 0 ? tooMany(c, wait) : null;
  });

  /** What browsers of a site dropped on purpose, by reason (all time): losses are never silent. */
  app.get('/v1/delivery', async (c) => {
    const site = c.req.query('site');
    if (!site) return c.json({ error: 'invalid_query', issues: [{ path: 'site', message: 'required' }] }, 400);
    return c.json({ site, dropped: await store.clientDrops(site) });
  });

  app.get('/v1/metrics', async (c) => {
    const range = parseRange(c);
    if ('error' in range) return c.json(range, 400);
    // One grouping, or several at once (`groupBy=intent,day,release`): `groups` holds the first,
    // `groupings` each of them, so a dashboard view costs one request.
    const groupings = (c.req.query('groupBy') ?? '').split(',').filter(Boolean);
    if (groupings.length > 4 || groupings.some((g) => !GROUP_BYS.includes(g as GroupBy))) {
      return c.json({ error: 'invalid_query', issues: [{ path: 'groupBy', message: 'day, page, release or intent (or a comma-separated list of them)' }] }, 400);
    }
    const length = range.to - range.from;
    const [current, previous, ...grouped] = await Promise.all([
      store.metrics(range),
      store.metrics({ site: range.site, from: range.from - length, to: range.from }),
      ...groupings.map((g) => store.groupedMetrics(range, g as GroupBy)),
    ]);
    return c.json({
      site: range.site,
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      ...current,
      previous: previous satisfies MetricValues,
      ...(groupings.length > 0 ? { groupBy: groupings[0] } : {}),
      groups: grouped[0] ?? [],
      ...(groupings.length > 1 ? { groupings: Object.fromEntries(groupings.map((g, i) => [g, grouped[i]])) } : {}),
    });
  });

  app.get('/v1/conversations', async (c) => {
    const query = parseConversationQuery(c, 1000, 100);
    if ('error' in query) return c.json(query, 400);
    return c.json({ site: query.site, conversations: await store.conversations(query) });
  });

  app.get('/v1/export.csv', async (c) => {
    const query = parseConversationQuery(c, 100_000, 10_000);
    if ('error' in query) return c.json(query, 400);
    const rows = await store.conversations(query);
    const header = ['id', 'revision', 'visitor', 'page', 'release', 'intent', 'startedAt', 'endedAt', 'endReason', 'outcome', 'resolution', 'userMessages', 'botMessages', 'thumbsUp', 'thumbsDown', 'csat', 'csatComment', 'handoff', 'sentimentFirst', 'sentimentLast', 'negativeStreak', 'simulated', 'traceIds'];
    let csv = csvLine(header);
    for (const s of rows) {
      csv += csvLine([s.id, s.revision, s.visitor, s.page, s.release, s.intent, s.startedAt, s.endedAt, s.endReason, s.outcome, s.resolution, s.messages.user, s.messages.bot, s.thumbs.up, s.thumbs.down, s.csat?.score ?? null, s.csat?.comment ?? null, s.handoff, s.sentiment?.first ?? null, s.sentiment?.last ?? null, s.negativeStreak ?? 0, s.simulated ?? false, s.traceIds.join(' ')]);
    }
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="chatpulse-${query.site.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv"`);
    return c.body(csv);
  });

  // ---- static: widget, demo, dashboard --------------------------------------------------------

  if (options.staticDirs) {
    const { dist, demo } = options.staticDirs;
    const widgetHeaders = (c: Context, cache: string) => {
      // The widget loads on other sites' pages as module scripts, which are fetched with CORS.
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      c.header('Cache-Control', cache);
    };
    app.get('/chatpulse.js', serveStatic({ root: dist, path: 'chatpulse.js', onFound: (_p, c) => widgetHeaders(c, 'public, max-age=300') }));
    app.get('/esm/*', serveStatic({ root: dist, onFound: (path, c) => widgetHeaders(c, path.includes('/chunks/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300') }));
    app.get('/favicon.ico', (c) => c.redirect('/favicon.svg', 301));
    app.get('/demo', (c) => c.redirect('/demo/', 301));
    app.get('/demo/*', serveStatic({ root: demo, rewriteRequestPath: (p) => p.replace(/^\/demo/, '') }));
    app.get('/*', serveStatic({ root: `${dist}/dashboard` }));
    app.get('/', serveStatic({ root: `${dist}/dashboard`, path: 'index.html' }));
  }

  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  return app;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function tooMany(c: Context, waitMs: number): Response {
  c.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  return c.json({ error: 'rate_limited' }, 429);
}

function clampInt(raw: string | undefined, min: number, max: number, fallback: number): number {
  const n = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** The range plus the conversation list's filters: outcome, intent, release, page, signal, limit. */
function parseConversationQuery(c: Context, maxLimit: number, defaultLimit: number): ConversationQuery | { error: string; issues: FieldIssue[] } {
  const range = parseRange(c);
  if ('error' in range) return range;
  const query: ConversationQuery = { ...range, limit: clampInt(c.req.query('limit'), 1, maxLimit, defaultLimit) };
  const outcome = c.req.query('outcome');
  if (outcome) {
    if (!(OUTCOMES as readonly string[]).includes(outcome)) return { error: 'invalid_query', issues: [{ path: 'outcome', message: OUTCOMES.join(', ') }] };
    query.outcome = outcome;
  }
  const signal = c.req.query('signal');
  if (signal) {
    const known = CONVERSATION_SIGNALS.find((s) => s === signal);
    if (!known) return { error: 'invalid_query', issues: [{ path: 'signal', message: CONVERSATION_SIGNALS.join(', ') }] };
    query.signal = known;
  }
  for (const name of ['intent', 'release', 'page'] as const) {
    const value = c.req.query(name);
    if (value) query[name] = value.slice(0, 2048);
  }
  return query;
}

/** `site`, `from`, `to` (ISO dates or epoch ms); the default period is the last 7 days. */
function parseRange(c: Context): { site: string; from: number; to: number } | { error: string; issues: FieldIssue[] } {
  const site = c.req.query('site');
  if (!site) return { error: 'invalid_query', issues: [{ path: 'site', message: 'required' }] };
  const time = (raw: string | undefined): number | null | undefined => {
    if (raw === undefined || raw === '') return undefined;
    const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
    // Beyond ±8.64e15 ms a Date is invalid and toISOString() would throw (a 500).
    return Number.isFinite(n) && Math.abs(n) <= MAX_DATE_MS ? n : null;
  };
  const to = time(c.req.query('to'));
  const from = time(c.req.query('from'));
  if (to === null) return { error: 'invalid_query', issues: [{ path: 'to', message: 'an ISO date or epoch milliseconds' }] };
  if (from === null) return { error: 'invalid_query', issues: [{ path: 'from', message: 'an ISO date or epoch milliseconds' }] };
  const end = to ?? Date.now() + 60_000;
  const start = from ?? end - 7 * DAY_MS;
  if (start >= end) return { error: 'invalid_query', issues: [{ path: 'from', message: 'must be before to' }] };
  return { site, from: start, to: end };
}
