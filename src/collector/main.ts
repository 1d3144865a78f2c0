// `npm start`: the collector with the embedded store, the dashboard, the demo and the widget.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startCollector } from './server.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const database = process.env.CHATPULSE_DB ?? resolve(projectRoot, '.chatpulse/chatpulse.db');

if (!existsSync(resolve(projectRoot, 'dist/chatpulse.js'))) {
  console.warn('dist/chatpulse.js is missing: run `npm run build` (npm start does it for you).');
}

const collector = await startCollector({ port, host, database, adminToken: process.env.CHATPULSE_ADMIN_TOKEN, projectRoot });
const tokenNote = process.env.CHATPULSE_ADMIN_TOKEN ? '(from CHATPULSE_ADMIN_TOKEN)' : collector.adminTokenGenerated ? '(generated now and stored)' : '(stored)';
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
    collector.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
