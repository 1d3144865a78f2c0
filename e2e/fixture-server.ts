// Serves e2e/fixtures/ on its own port: host pages on an origin other than the collector's.
// Pages name the collector as http://127.0.0.1:18787; when the tests run on other ports
// (CHATPULSE_E2E_PORT), that origin is rewritten on the way out.
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { Hono } from 'hono';
import { COLLECTOR, FIXTURE_COLLECTOR_PLACEHOLDER, FIXTURE_PORT } from './ports.ts';

const root = join(import.meta.dirname, 'fixtures');
const app = new Hono();
app.get('/healthz', (c) => c.text('ok'));
app.get('/:page{.+\\.html}', async (c, next) => {
  const file = normalize(join(root, c.req.param('page')));
  if (!file.startsWith(root)) return c.notFound();
  const html = await readFile(file, 'utf8').catch(() => null);
  if (html === null) return next();
  return c.html(html.replaceAll(FIXTURE_COLLECTOR_PLACEHOLDER, COLLECTOR));
});
app.get('/*', serveStatic({ root }));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? FIXTURE_PORT), hostname: '127.0.0.1' });
