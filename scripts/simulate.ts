// `npm run simulate -- --conversations 500 --days 14`: sends a realistic, seeded history of
// simulated conversations to a running collector (default: the one `npm start` runs), through the
// public collect API like browsers do. Every summary is marked `simulated`, and the dashboard says so.
// Options: --collector URL (default http://127.0.0.1:8787), --site KEY (default demo),
// --origin URL (an origin the site allows; default http://localhost:8787), --seed N.
import { parseArgs } from 'node:util';
import { simulate } from '../src/simulate/model.ts';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '500' },
    days: { type: 'string', default: '14' },
    collector: { type: 'string', default: process.env.CHATPULSE_URL ?? 'http://127.0.0.1:8787' },
    site: { type: 'string', default: 'demo' },
    origin: { type: 'string', default: 'http://localhost:8787' },
    seed: { type: 'string', default: '7' },
  },
});
const conversations = Number(values.conversations);
const days = Number(values.days);
if (!Number.isInteger(conversations) || conversations < 1 || conversations > 1_000_000) throw new Error('--conversations must be a whole number from 1 to 1,000,000');
if (!Number.isFinite(days) || days <= 0 || days > 365) throw new Error('--days must be a number of days from 1 to 365');

const summaries = simulate({ conversations, days, site: values.site, end: Date.now(), seed: Number(values.seed) });
const endpoint = `${values.collector.replace(/\/+$/, '')}/v1/collect`;
const BATCH = 100;
let sent = 0;
for (let i = 0; i < summaries.length; i += BATCH) {
  const body = JSON.stringify({ v: 1, site: values.site, sentAt: new Date().toISOString(), summaries: summaries.slice(i, i + BATCH) });
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: values.origin }, body }).catch((error: unknown) => {
      throw new Error(`cannot reach the collector at ${endpoint} (is \`npm start\` running?): ${error instanceof Error ? error.message : String(error)}`);
    });
    if (res.status === 202) break;
    if ((res.status === 429 || res.status === 503) && attempt < 20) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('Retry-After') ?? 1) * 1000));
      continue;
    }
    throw new Error(`the collector answered ${res.status}: ${await res.text()}`);
  }
  sent += Math.min(BATCH, summaries.length - i);
}
const outcomes = new Map<string, number>();
for (const s of summaries) outcomes.set(s.outcome ?? 'open', (outcomes.get(s.outcome ?? 'open') ?? 0) + 1);
console.log(`sent ${sent} simulated conversations over ${days} days to ${endpoint} (site ${values.site})`);
console.log(`outcomes: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
