// `npm start`: the collector with the embedded store (or PostgreSQL), the dashboard, the demo and
// the widget. Structured JSON log lines and the human-readable banner both go to stdout; SIGTERM
// (or SIGINT) drains in-flight requests, closes the store and exits 0.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { batchedLines, createJsonLogger } from './ops.ts';
import { startCollector, type CollectorOptions } from './server.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const env = process.env;
const logLines = batchedLines((chunk) => process.stdout.write(chunk));
process.on('exit', logLines.flush);
const logger = createJsonLogger(logLines.write);

/** `N` or `N/BURST` (per second, and the bucket size; burst defaults to 3×N). */
function rateLimit(name: string): { perSecond: number; burst: number } | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const match = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(raw.trim());
  if (!match) throw new Error(`${name} must look like 20 or 20/60 (per second / burst), got ${raw}`);
  const perSecond = Number(match[1]);
  return { perSecond, burst: match[2] ? Number(match[2]) : Math.ceil(perSecond * 3) };
}

function positiveNumber(name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return n;
}

const perIp = rateLimit('CHATPULSE_RATE_LIMIT_IP');
const perSite = rateLimit('CHATPULSE_RATE_LIMIT_SITE');
const limits: CollectorOptions['limits'] = {
  ...(perIp ? { perIpPerSecond: perIp.perSecond, perIpBurst: perIp.burst } : {}),
  ...(perSite ? { perSitePerSecond: perSite.perSecond, perSiteBurst: perSite.burst } : {}),
};
const retentionDays = positiveNumber('CHATPULSE_RETENTION_DAYS');
const pgPoolSize = positiveNumber('CHATPULSE_PG_POOL_SIZE');

if (!existsSync(resolve(projectRoot, 'dist/chatpulse.js'))) {
  console.warn('dist/chatpulse.js is missing: run `npm run build` (npm start does it for you).');
}

const collector = await startCollector({
  port: Number(env.PORT ?? 8787),
  host: env.HOST ?? '127.0.0.1',
  database: env.CHATPULSE_DB ?? resolve(projectRoot, '.chatpulse/chatpulse.db'),
  adminToken: env.CHATPULSE_ADMIN_TOKEN,
  projectRoot,
  limits,
  logger,
  ...(retentionDays ? { retentionDays } : {}),
  ...(pgPoolSize ? { pgPoolSize } : {}),
  ...(env.CHATPULSE_INTENTS ? { intentsFile: resolve(env.CHATPULSE_INTENTS) } : {}),
});
const tokenNote = env.CHATPULSE_ADMIN_TOKEN ? '(from CHATPULSE_ADMIN_TOKEN)' : collector.adminTokenGenerated ? '(generated now and stored)' : '(stored)';
console.log(`
ChatPulse collector is running (${collector.store.kind} store)

  Dashboard   ${collector.url}/#token=${collector.adminToken}
  Demo chat   ${collector.url}/demo/
  Widget      ${collector.url}/chatpulse.js
  Admin token ${collector.adminToken} ${tokenNote}
`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    logger.info('signal', { signal });
    collector.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  });
}
