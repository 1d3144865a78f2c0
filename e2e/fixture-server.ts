// Serves e2e/fixtures/ on its own port: host pages on an origin other than the collector's.
// Pages name the collector as http://127.0.0.1:18787; when the tests run on other ports
// (CHATPULSE_E2E_PORT), that origin is rewritten on the way out.
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { mkdirSync } from 'node:fs';
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
// Real chat UI packages for the preset tests (e2e/presets-*.spec.ts), served as a site would
// serve them: the prebuilt bundles from node_modules, and apps built by e2e/build-fixture-apps.ts.
const VENDOR: Record<string, string> = {
  'deep-chat.js': 'node_modules/deep-chat/dist/deepChat.bundle.js',
  'webchat.js': 'node_modules/botframework-webchat/dist/webchat-minimal.js',
};
const repo = join(import.meta.dirname, '..');
app.get('/vendor/:file', async (c) => {
  const path = VENDOR[c.req.param('file')];
  const code = path ? await readFile(join(repo, path), 'utf8').catch(() => null) : null;
  if (code === null) return c.notFound();
  return c.body(code, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
});
const apps = join(repo, '.tmp', 'fixture-apps');
mkdirSync(apps, { recursive: true });
app.get('/apps/:page{.+\\.html}', async (c) => {
  const file = normalize(join(apps, c.req.param('page')));
  if (!file.startsWith(apps)) return c.notFound();
  const html = await readFile(file, 'utf8').catch(() => null);
  return html === null ? c.notFound() : c.html(html.replaceAll(FIXTURE_COLLECTOR_PLACEHOLDER, COLLECTOR));
});
app.get('/apps/*', serveStatic({ root: apps, rewriteRequestPath: (path) => path.replace(/^\/apps/, '') }));
app.get('/*', serveStatic({ root }));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? FIXTURE_PORT), hostname: '127.0.0.1' });
