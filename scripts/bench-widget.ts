// npm run bench:widget — what ChatPulse costs the host page's main thread, measured in Chromium
// against the same page without it, in the same run: a 1,000-message transcript, then 200 more
// messages streamed in word by word. Prints scripting, layout and style time for both, the
// ratio, ChatPulse's work per new message, and long frames attributable to ChatPulse.
import { serve } from '@hono/node-server';
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Hono } from 'hono';
import { startCollector } from '../src/collector/server.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const projectRoot = resolve(import.meta.dirname, '..');

const collector = await startCollector({ port: 0, host: '127.0.0.1', database: ':memory:', adminToken: 'bench', projectRoot });
const collectorOrigin = collector.url.replace('localhost', '127.0.0.1');

const page = (withWidget: boolean): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
${withWidget ? `<script async src="${collectorOrigin}/chatpulse.js" data-site="demo" data-chat="#chat" data-bot-message=".bot" data-user-message=".user" data-idle-timeout="3600"></script>` : ''}
<script type="module" src="/bench-host.js"></script></head><body><main id="chat"></main></body></html>`;

// The host page's own chat: plain DOM, as a chat UI would render it.
const hostScript = `
const chat = document.getElementById('chat');
function add(role, text) {
  const el = document.createElement('div');
  el.className = role;
  const p = document.createElement('p');
  p.textContent = text;
  el.append(p);
  chat.append(el);
  return p;
}
window.fillTranscript = async () => {
  for (let i = 0; i < 1000; i++) {
    add(i % 2 ? 'bot' : 'user', (i % 2 ? 'Here is what I found about item ' : 'Question about item ') + i);
    if (i % 50 === 49) await new Promise((r) => requestAnimationFrame(r));
  }
};
window.streamMore = async () => {
  for (let i = 0; i < 200; i++) {
    if (i % 2 === 0) { add('user', 'Follow-up question number ' + i); await new Promise((r) => setTimeout(r, 5)); continue; }
    const p = add('bot', '');
    const node = p.appendChild(document.createTextNode(''));
    const words = ('This is a streamed answer number ' + i + ' with several words arriving one by one').split(' ');
    for (const w of words) { node.data += (node.data ? ' ' : '') + w; await new Promise((r) => setTimeout(r, 4)); }
  }
};`;

const app = new Hono();
app.get('/with.html', (c) => c.html(page(true)));
app.get('/without.html', (c) => c.html(page(false)));
app.get('/bench-host.js', (c) => c.body(hostScript, 200, { 'Content-Type': 'text/javascript' }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((r) => server.once('listening', r));
const address = server.address();
const hostOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const browser = await chromium.launch({
  ...(executablePath ? { executablePath } : {}),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

interface Sample {
  script: number;
  layout: number;
  style: number;
  /** From page load on, including counting the 1,000-message transcript. */
  longFramesFromWidget: number;
  longFramesDuringStream: number;
  widgetScriptMs: number;
}

async function metricsReader(p: Page): Promise<() => Promise<Record<string, number>>> {
  // One session, enabled once: enabling again would restart the counters.
  const session = await p.context().newCDPSession(p);
  await session.send('Performance.enable', { timeDomain: 'threadTicks' });
  return async () => {
    const { metrics: list } = await session.send('Performance.getMetrics');
    return Object.fromEntries(list.map((m) => [m.name, m.value]));
  };
}

async function run(withWidget: boolean): Promise<Sample> {
  const context = await browser.newContext();
  const p = await context.newPage();
  await p.addInitScript((origin) => {
    const w = window as unknown as { widgetFrames: number; widgetScriptMs: number };
    w.widgetFrames = 0;
    w.widgetScriptMs = 0;
    new PerformanceObserver((list) => {
      for (const frame of list.getEntries() as unknown as Array<{ duration: number; scripts: Array<{ sourceURL: string; duration: number }> }>) {
        const ours = frame.scripts.filter((s) => s.sourceURL.startsWith(origin)).reduce((sum, s) => sum + s.duration, 0);
        w.widgetScriptMs += ours;
        if (ours > 50) w.widgetFrames++;
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  }, collectorOrigin);
  const metrics = await metricsReader(p);
  await p.goto(`${hostOrigin}/${withWidget ? 'with' : 'without'}.html`);
  if (withWidget) await p.waitForFunction(() => !('q' in ((window as unknown as { ChatPulse?: object }).ChatPulse ?? { q: 1 })));
  await p.evaluate(() => (window as unknown as { fillTranscript(): Promise<void> }).fillTranscript());
  await p.waitForTimeout(1500); // The transcript settles (ChatPulse counts it) before measuring.
  const before = await metrics();
  const framesBefore = await p.evaluate(() => (window as unknown as { widgetFrames: number }).widgetFrames);
  await p.evaluate(() => (window as unknown as { streamMore(): Promise<void> }).streamMore());
  await p.waitForTimeout(1500); // The last answers settle and are counted.
  const after = await metrics();
  const loaf = await p.evaluate(() => {
    const w = window as unknown as { widgetFrames: number; widgetScriptMs: number };
    return { frames: w.widgetFrames, ms: w.widgetScriptMs };
  });
  await context.close();
  const delta = (name: string): number => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
  return { script: delta('ScriptDuration'), layout: delta('LayoutDuration'), style: delta('RecalcStyleDuration'), longFramesFromWidget: loaf.frames, longFramesDuringStream: loaf.frames - framesBefore, widgetScriptMs: loaf.ms };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const withoutRuns: Sample[] = [];
const withRuns: Sample[] = [];
for (let i = 0; i < ROUNDS; i++) {
  withoutRuns.push(await run(false));
  withRuns.push(await run(true));
}
const row = (name: string, runs: Sample[]) =>
  `${name.padEnd(18)} ${median(runs.map((r) => r.script)).toFixed(1).padStart(9)} ${median(runs.map((r) => r.layout)).toFixed(1).padStart(9)} ${median(runs.map((r) => r.style)).toFixed(1).padStart(9)}`;
const extra = median(withRuns.map((r) => r.script)) - median(withoutRuns.map((r) => r.script));
console.log(`\nMain-thread work while 200 messages stream into a 1,000-message chat (median of ${ROUNDS} rounds, ms)\n`);
console.log(`${'page'.padEnd(18)} ${'scripting'.padStart(9)} ${'layout'.padStart(9)} ${'style'.padStart(9)}`);
console.log(row('without ChatPulse', withoutRuns));
console.log(row('with ChatPulse', withRuns));
console.log(`\nscripting ratio (with / without): ${(median(withRuns.map((r) => r.script)) / Math.max(1, median(withoutRuns.map((r) => r.script)))).toFixed(2)}`);
console.log(`ChatPulse scripting per new message: ${(extra / 200).toFixed(3)} ms (difference of medians; target < 1 ms)`);
console.log(`long frames (> 50 ms of ChatPulse script), per round: ${withRuns.map((r) => r.longFramesFromWidget).join(', ')} from load; ${withRuns.map((r) => r.longFramesDuringStream).join(', ')} while streaming (target 0)`);

await browser.close();
server.close();
await collector.close();
