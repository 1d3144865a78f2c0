/**
 * Fits the 3-class label model in ../decision.ts and writes ../decision-weights.ts.
 *
 *   npx tsx src/sentiment/tools/train-decision.ts [--sweep] [--write]
 *     [--sources=vt,se,tse,ge]   which sources to fit on (default: all that are present)
 *     [--shipped]                also score the weights in decision-weights.ts on the dev parts
 *     [--lambda=L] [--lambda-dense=L] [--vt-weight=W] [--tse-weight=W] [--iterations=N]
 *     [--no-balance]             one setting instead of the shipped one (ignored with --sweep)
 *
 * Data (none of it ships; only the fitted weights do), see ../README.md:
 * - VADER tweet ground truth (MIT), from $CHATPULSE_SENTIMENT_DATA or ../shared/data/sentiment.
 * - Outside the repo, in $CHATPULSE_TUNING_DATA (default /work/.sentiment-data), each directory
 *   with a README recording source, commit and licence:
 *   - semeval/: SemEval 2013–2016 Task 4A tweets (train, dev and test files), `label<TAB>text`;
 *   - tse/: Kaggle "Tweet Sentiment Extraction" training tweets, `label<TAB>text`;
 *   - goemotions/: a slice of GoEmotions dev (Reddit comments), `emotion ids<TAB>text`.
 *
 * TweetEval validation is read for one purpose only: training rows whose text also appears there
 * are dropped, so that it stays a held-out check (TweetEval's splits were drawn from the same
 * SemEval tweets). Its test split is not read anywhere.
 *
 * Each source is split 80/20 by a hash of the text; the model is fitted on the 80% parts and
 * chosen on the 20% parts. Node-only tool; the scorer does not import it.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FEATURE_COUNT, FEATURE_NAMES, HASH_BITS, LEVEL_OFFSET, LEVELS, decodeLevels, features, fnv1a, forEachBucket, labelFor,
} from '../decision.ts';
import { DENSE_NEGATIVE, DENSE_POSITIVE, HASHED_SCALE, HASHED_WEIGHTS } from '../decision-weights.ts';
import { analyse } from '../scorer.ts';

type Label = 0 | 1 | 2; // negative, neutral, positive
type Source = 'vt' | 'se' | 'tse' | 'ge';
interface Example {
  label: Label;
  source: Source;
  dev: boolean;
  x: Float64Array;
  buckets: Int32Array;
}

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const sharedDir = process.env.CHATPULSE_SENTIMENT_DATA ?? resolve(repoRoot, '../shared/data/sentiment');
const tuningDir = process.env.CHATPULSE_TUNING_DATA ?? '/work/.sentiment-data';
const args = process.argv.slice(2);
const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BUCKETS = 1 << HASH_BITS;
const enabled = new Set((arg('sources') ?? 'vt,se,tse,ge').split(','));

/** A stable, data-independent 80/20 split. */
const isDev = (text: string): boolean => (fnv1a(text) >>> 0) % 10 >= 8;

/** Text identity across corpora: TweetEval masks mentions as @user and drops links. */
const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/@\w+/g, '@user')
    .replace(/https?:\S+/g, '')
    .replace(/[^a-z0-9@]+/g, '');

/** SemEval files keep some tweets CSV-quoted ("…""…""…") and some characters as \\uXXXX escapes. */
const unescape = (text: string) => {
  const t = text.trim();
  const unquoted = t.length > 1 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
  return unquoted.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
};

const GE_POSITIVE = new Set([0, 1, 4, 5, 8, 13, 15, 17, 18, 20, 21, 23]);
const GE_NEGATIVE = new Set([2, 3, 9, 10, 11, 12, 14, 16, 19, 24, 25]);
const NAMED: Record<string, Label> = { negative: 0, neutral: 1, positive: 2 };

function load(): { examples: Example[]; droppedAsHeldOut: number } {
  const heldOut = new Set(
    readFileSync(resolve(sharedDir, 'tweeteval_val_text.txt'), 'utf8').split('\n').map(normalise),
  );
  const seen = new Set<string>();
  const examples: Example[] = [];
  let droppedAsHeldOut = 0;
  const add = (raw: string, label: Label, source: Source) => {
    if (!enabled.has(source)) return;
    const text = raw.trim();
    const key = normalise(text);
    if (key.length === 0 || seen.has(key)) return;
    seen.add(key);
    if (source !== 'vt' && heldOut.has(key)) {
      droppedAsHeldOut++;
      return;
    }
    const a = analyse(text);
    const x = new Float64Array(FEATURE_COUNT);
    features(a, text, x);
    const buckets: number[] = [];
    forEachBucket(a, (b) => buckets.push(b));
    examples.push({ label, source, dev: isDev(text), x, buckets: Int32Array.from(buckets) });
  };
  for (const line of readFileSync(resolve(sharedDir, 'vader_tweets_ground_truth.tsv'), 'utf8').split(/\r?\n/)) {
    if (!line) continue;
    const [, mean, ...rest] = line.split('\t');
    const r = Number(mean) / 4;
    add(rest.join('\t'), r >= 0.05 ? 2 : r <= -0.05 ? 0 : 1, 'vt');
  }
  const labelled = (dir: string, source: Source, decode: (t: string) => string) => {
    const path = resolve(tuningDir, dir);
    if (!existsSync(path)) return;
    for (const file of readdirSync(path).filter((f) => f.endsWith('.tsv')).sort()) {
      for (const line of readFileSync(resolve(path, file), 'utf8').split('\n')) {
        const tab = line.indexOf('\t');
        const label = NAMED[line.slice(0, tab)];
        if (tab < 0 || label === undefined) continue;
        add(decode(line.slice(tab + 1)), label, source);
      }
    }
  };
  labelled('semeval', 'se', unescape);
  labelled('tse', 'tse', (t) => t.replace(/`/g, "'"));
  const ge = resolve(tuningDir, 'goemotions/dev_part.txt');
  if (existsSync(ge)) {
    for (const line of readFileSync(ge, 'utf8').split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      const ids = line.slice(0, tab).split(',').map(Number);
      const p = ids.some((i) => GE_POSITIVE.has(i));
      const n = ids.some((i) => GE_NEGATIVE.has(i));
      if (p && n) continue; // mixed: neither class
      // Ambiguous emotions alone (curiosity, confusion, surprise, realization) carry no polarity.
      add(line.slice(tab + 1), p ? 2 : n ? 0 : 1, 'ge');
    }
  }
  return { examples, droppedAsHeldOut };
}

interface Model {
  dense: Float64Array; // [negative..., positive...], FEATURE_COUNT each
  hashed: Float64Array; // [bucket*2] negative, [bucket*2+1] positive
}

function logitsOf(m: Model, e: Example): [number, number] {
  let neg = 0;
  let pos = 0;
  for (let k = 0; k < FEATURE_COUNT; k++) {
    neg += m.dense[k]! * e.x[k]!;
    pos += m.dense[FEATURE_COUNT + k]! * e.x[k]!;
  }
  for (const b of e.buckets) {
    neg += m.hashed[2 * b]!;
    pos += m.hashed[2 * b + 1]!;
  }
  return [neg, pos];
}

const COMPOUND = FEATURE_NAMES.indexOf('compound');

/** The label the scorer would give (decision.ts `labelFor`), as a class index. */
function predict(m: Model, e: Example): Label {
  const [neg, pos] = logitsOf(m, e);
  return NAMED[labelFor(e.x[COMPOUND]!, neg, pos)]!;
}

interface FitOptions {
  lambdaDense: number;
  lambdaHashed: number;
  sourceWeight: Record<Source, number>;
  balanceClasses: boolean;
  iterations: number;
}

/** Multinomial logistic regression (neutral = reference), full-batch Adam, L2 penalty. */
function fit(train: Example[], o: FitOptions): Model {
  const m: Model = { dense: new Float64Array(2 * FEATURE_COUNT), hashed: new Float64Array(2 * BUCKETS) };
  // Each source is weighted by the metric it is judged on: the tweet and Reddit sources by
  // macro-recall, so their classes are balanced within the source; the VADER tweets by accuracy,
  // so their classes keep their natural shares (balancing would count each of its 297 near-zero
  // ratings almost five times). Then the sources are weighted against each other.
  const totals = new Map<Source, number[]>();
  for (const e of train) {
    const t = totals.get(e.source) ?? [0, 0, 0];
    t[e.label]! += 1;
    totals.set(e.source, t);
  }
  const raw = train.map((e) => {
    const t = totals.get(e.source)!;
    const n = t[0]! + t[1]! + t[2]!;
    const balance = o.balanceClasses && e.source !== 'vt' ? n / (3 * t[e.label]!) : 1;
    return o.sourceWeight[e.source] * balance;
  });
  const all = raw.reduce((x, y) => x + y, 0);
  const weights = raw.map((w) => w / all);
  const params = [m.dense, m.hashed];
  const moments = params.map((p) => ({ m: new Float64Array(p.length), v: new Float64Array(p.length) }));
  const grads = params.map((p) => new Float64Array(p.length));
  const rate = 0.05;
  for (let t = 1; t <= o.iterations; t++) {
    grads[0]!.fill(0);
    grads[1]!.fill(0);
    train.forEach((e, i) => {
      const [neg, pos] = logitsOf(m, e);
      const top = Math.max(0, neg, pos);
      const zn = Math.exp(neg - top);
      const zp = Math.exp(pos - top);
      const z0 = Math.exp(-top);
      const sum = zn + zp + z0;
      const w = weights[i]!;
      const gn = w * (zn / sum - (e.label === 0 ? 1 : 0));
      const gp = w * (zp / sum - (e.label === 2 ? 1 : 0));
      for (let k = 0; k < FEATURE_COUNT; k++) {
        grads[0]![k]! += gn * e.x[k]!;
        grads[0]![FEATURE_COUNT + k]! += gp * e.x[k]!;
      }
      for (const b of e.buckets) {
        grads[1]![2 * b]! += gn;
        grads[1]![2 * b + 1]! += gp;
      }
    });
    for (let k = 0; k < 2 * FEATURE_COUNT; k++) if (k % FEATURE_COUNT !== 0) grads[0]![k]! += o.lambdaDense * m.dense[k]!;
    for (let k = 0; k < 2 * BUCKETS; k++) grads[1]![k]! += o.lambdaHashed * m.hashed[k]!;
    params.forEach((p, j) => {
      const g = grads[j]!;
      const { m: m1, v } = moments[j]!;
      for (let k = 0; k < p.length; k++) {
        m1[k] = 0.9 * m1[k]! + 0.1 * g[k]!;
        v[k] = 0.999 * v[k]! + 0.001 * g[k]! * g[k]!;
        const mh = m1[k]! / (1 - 0.9 ** t);
        const vh = v[k]! / (1 - 0.999 ** t);
        p[k]! -= (rate * mh) / (Math.sqrt(vh) + 1e-8);
      }
    });
  }
  return m;
}

/** The shipped form: dense weights rounded to 4 decimals, hashed weights as 4-bit levels times a scale. */
function quantise(m: Model): { model: Model; scale: number; encoded: string } {
  let max = 0;
  for (const w of m.hashed) max = Math.max(max, Math.abs(w));
  const top = LEVELS.length - 1 - LEVEL_OFFSET;
  // Scored with the scale as written to decision-weights.ts, so what is reported is what ships.
  const scale = Number((max / top || 1).toPrecision(6));
  const levels = Int8Array.from(m.hashed, (w) => Math.max(-LEVEL_OFFSET, Math.min(top, Math.round(w / scale))));
  return {
    model: { dense: Float64Array.from(m.dense, (w) => Number(w.toFixed(4))), hashed: Float64Array.from(levels, (q) => q * scale) },
    scale,
    encoded: Array.from(levels, (q) => LEVELS[q + LEVEL_OFFSET]).join(''),
  };
}

function report(m: Model, set: Example[]) {
  const confusion = [0, 1, 2].map(() => [0, 0, 0]); // [gold][predicted]
  for (const e of set) confusion[e.label]![predict(m, e)]! += 1;
  const rec = confusion.map((row, i) => {
    const n = row[0]! + row[1]! + row[2]!;
    return n ? row[i]! / n : 0;
  });
  const ok = confusion[0]![0]! + confusion[1]![1]! + confusion[2]![2]!;
  return { acc: ok / set.length, mr: (rec[0]! + rec[1]! + rec[2]!) / 3, rec, confusion };
}

const { examples, droppedAsHeldOut } = load();
const train = examples.filter((e) => !e.dev);
const dev = examples.filter((e) => e.dev);
const sources: Source[] = ['vt', 'se', 'tse', 'ge'];
console.log(
  sources.map((s) => `${s}: train ${train.filter((e) => e.source === s).length}, dev ${dev.filter((e) => e.source === s).length}`).join(' · '),
  `· dropped as TweetEval-val duplicates: ${droppedAsHeldOut}`,
);

const fmt = (r: ReturnType<typeof report>) =>
  `acc ${r.acc.toFixed(3)} mR ${r.mr.toFixed(3)} (${r.rec.map((x) => x.toFixed(2)).join('/')}) gold×predicted ${JSON.stringify(r.confusion)}`;
const vtAll = examples.filter((e) => e.source === 'vt');
/**
 * What the choice maximises: macro-recall on the dev part of each source other than the VADER
 * tweets, averaged with equal weight per source, so that the many SemEval rows do not decide
 * alone and chat-like text (TSE, GoEmotions) counts as much as news-like tweets.
 */
const choiceSources = (['se', 'tse', 'ge'] as const).filter((s) => dev.some((e) => e.source === s));
const choiceScore = (m: Model) =>
  choiceSources.reduce((sum, s) => sum + report(m, dev.filter((e) => e.source === s)).mr, 0) / choiceSources.length;
function evaluate(m: Model): string {
  const parts = sources.map((s) => `${s} ${fmt(report(m, dev.filter((e) => e.source === s)))}`);
  parts.push(`VT whole file acc ${report(m, vtAll).acc.toFixed(3)} · mean dev mR (${choiceSources.join(', ')}) ${choiceScore(m).toFixed(3)}`);
  return parts.join('\n    ');
}

/**
 * The shipped settings are the rule's choice over --sweep: the best mean dev macro-recall
 * (`choiceScore`) among the settings that keep the whole VADER tweets file at >= 0.90 3-class
 * accuracy (issue #3's floor). Without --sweep the given (or default) settings are fitted.
 */
const base: FitOptions = {
  lambdaDense: Number(arg('lambda-dense') ?? 1e-4),
  lambdaHashed: Number(arg('lambda') ?? 3e-4),
  sourceWeight: { vt: Number(arg('vt-weight') ?? 3), se: 1, tse: Number(arg('tse-weight') ?? 1), ge: 1 },
  balanceClasses: !args.includes('--no-balance'),
  iterations: Number(arg('iterations') ?? 300),
};
const variants: FitOptions[] = args.includes('--sweep')
  ? [3e-4, 1e-3, 3e-3].flatMap((lambdaHashed) =>
      [2, 3, 4].map((vt) => ({ ...base, lambdaHashed, sourceWeight: { ...base.sourceWeight, vt } })),
    )
  : [base];
if (args.includes('--shipped')) {
  // The weights in decision-weights.ts, scored on today's dev parts (to compare a refit with).
  const shipped: Model = {
    dense: Float64Array.from([...DENSE_NEGATIVE, ...DENSE_POSITIVE]),
    hashed: Float64Array.from(decodeLevels(HASHED_WEIGHTS), (q) => q * HASHED_SCALE),
  };
  console.log(`shipped decision-weights.ts:\n    ${evaluate(shipped)}`);
}
let chosen: ReturnType<typeof quantise> | undefined;
let chosenScore = -1;
for (const o of variants) {
  const q = quantise(fit(train, o));
  console.log(`lambda ${o.lambdaHashed} vt weight ${o.sourceWeight.vt} tse weight ${o.sourceWeight.tse} balance ${o.balanceClasses}:\n    ${evaluate(q.model)}`);
  const vtAccuracy = report(q.model, vtAll).acc;
  const score = choiceScore(q.model);
  if (variants.length === 1 || (vtAccuracy >= 0.9 && score > chosenScore)) {
    chosen = q;
    chosenScore = score;
  }
}
if (variants.length > 1) console.log(chosen ? `chosen: mean dev mR ${chosenScore.toFixed(3)}` : 'no setting keeps VADER tweets >= 0.90');
if (chosen && args.includes('--write')) {
  const dense = [...chosen.model.dense];
  const rows = (offset: number) => FEATURE_NAMES.map((n, i) => `  ${dense[offset + i]}, // ${n}`).join('\n');
  writeFileSync(
    resolve(here, '../decision-weights.ts'),
    `// GENERATED by src/sentiment/tools/train-decision.ts (see ../README.md). Do not edit by hand.\n` +
      `// Multinomial logistic weights against the neutral class, in FEATURE_NAMES order.\n` +
      `export const DENSE_NEGATIVE: readonly number[] = [\n${rows(0)}\n];\n` +
      `export const DENSE_POSITIVE: readonly number[] = [\n${rows(FEATURE_COUNT)}\n];\n` +
      `/** Hashed word and word-pair weights: 4-bit levels (see LEVELS), (negative, positive) per bucket. */\n` +
      `export const HASHED_SCALE = ${chosen.scale};\n` +
      `export const HASHED_WEIGHTS =\n  '${chosen.encoded}';\n`,
  );
  console.log('wrote decision-weights.ts');
}
