// Size budgets (gzip) for what a host page downloads, checked in `npm test`: the script-tag
// payload (loader + engine + its static imports) and each lazy chunk on top of it.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGETS = {
  // What every page with the tag downloads: the loader and the core that watches for a chat.
  'script tag (initial)': 8_000,
  'engine (lazy, first conversation)': 12_000,
  'ui chunk (lazy)': 15_000,
  'sentiment client (lazy)': 3_000,
  'intent labeller (lazy)': 2_000,
  'sentiment worker (lazy)': 40_000,
  // The scorer with its learned label model (its weights file is about 3.7 KB gzip).
  'sentiment entry': 38_000,
  'locale strings (lazy)': 1_000,
  'redaction (lazy, capture-text only)': 1_500,
  // data-preset modules: selectors and, for event-driven presets, the vendor's events.
  'preset (lazy)': 1_500,
  'vendor events (lazy, event presets)': 1_500,
};

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const importsOf = (file, dynamic) => {
  const code = readFileSync(file, 'utf8');
  const pattern = dynamic
    ? /(?:import\(|new URL\()\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g : /(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
  return [...code.matchAll(pattern)].map((m) => join(dirname(file), m[1]));
};
const closure = (entries, exclude = new Set()) => {
  const seen = new Set();
  const stack = [...entries];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file) || exclude.has(file)) continue;
    seen.add(file);
    stack.push(...importsOf(file, false));
  }
  return seen;
};
const total = (files) => [...files].reduce((sum, f) => sum + gz(f), 0);

const initial = closure(['dist/esm/core.js']);
initial.add('dist/chatpulse.js');
const rows = [['script tag (initial)', total(initial), [...initial]]];
const LAZY_NAMES = {
  engine: 'engine (lazy, first conversation)',
  ui: 'ui chunk (lazy)',
  client: 'sentiment client (lazy)',
  labeller: 'intent labeller (lazy)',
  worker: 'sentiment worker (lazy)',
  redact: 'redaction (lazy, capture-text only)',
};
for (const preset of ['deepchat', 'botframework', 'assistantui', 'botpress', 'chatwoot']) LAZY_NAMES[preset] = 'preset (lazy)';
LAZY_NAMES.vendor = 'vendor events (lazy, event presets)';
LAZY_NAMES.compose = 'preset (lazy)';
for (const locale of ['es', 'fr', 'de', 'pt', 'it', 'nl', 'ja', 'zh', 'ko', 'ar', 'hi']) LAZY_NAMES[locale] = 'locale strings (lazy)';
// Each lazy chunk counts what it adds on top of what loaded before it (the engine on top of the
// core, the UI on top of both). The main-thread sentiment fallback imports the package's sentiment
// entry, reported on its own below.
const queue = [...initial].flatMap((f) => importsOf(f, true)).map((chunk) => [chunk, initial]);
const done = new Set(['dist/esm/sentiment.js']);
while (queue.length > 0) {
  const [chunk, before] = queue.shift();
  if (done.has(chunk)) continue;
  done.add(chunk);
  const files = closure([chunk], before);
  const base = relative(dirname(chunk), chunk).split('-')[0];
  rows.push([LAZY_NAMES[base] ?? `lazy ${relative('dist', chunk)}`, total(files), [...files]]);
  const loaded = new Set([...before, ...files]);
  for (const f of files) for (const inner of importsOf(f, true)) queue.push([inner, loaded]);
}
rows.push(['sentiment entry', total(closure(['dist/esm/sentiment.js'])), ['dist/esm/sentiment.js']]);

let failed = false;
for (const [name, bytes, files] of rows) {
  const budget = BUDGETS[name];
  const over = budget !== undefined && bytes > budget;
  failed ||= over || budget === undefined;
  const verdict = budget === undefined ? 'NO BUDGET' : over ? 'OVER BUDGET' : 'ok';
  console.log(`${name.padEnd(24)} ${(bytes / 1000).toFixed(1).padStart(6)} KB gzip  budget ${budget ? (budget / 1000).toFixed(1) : '-'} KB  ${verdict}  (${files.length} files)`);
}
if (failed) {
  console.error('size check failed: a bundle is over its budget or has none');
  process.exit(1);
}
