// Serves e2e/fixtures/ on its own port: host pages on an origin other than the collector's.
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

const app = new Hono();
app.get('/healthz', (c) => c.text('ok'));
app.get('/*', serveStatic({ root: `${import.meta.dirname}/fixtures` }));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 18788), hostname: '127.0.0.1' });
