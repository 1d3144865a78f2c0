/**
 * Sentiment benchmark: ChatPulse's scorer against the three npm peers, same inputs, same run.
 *
 *   npx tsx scripts/bench-sentiment.ts
 *
 * Data: ../shared/data/sentiment relative to the repo root, or $CHATPULSE_SENTIMENT_DATA.
 * TweetEval val is never fitted on: the label model's trainer reads its text only to drop
 * training rows that also appear there (see src/sentiment/README.md for how often it was scored).
 * Out of domain, also held out: the UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015:
 * 1,000 Amazon product reviews, 1,000 Yelp reviews, 1,000 IMDb reviews, positive or negative),
 * which the `sentiment` dev dependency ships as its test fixtures; two classes, so a neutral
 * answer counts as a miss.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { score } from '../src/sentiment/index.ts';

type Label = 0 | 1 | 2; // 0 negative, 1 neutral, 2 positive (TweetEval's encoding)

interface Scorer {
  name: string;
  /** A continuous score (for Pearson r) and the library's documented 3-class mapping. */
  run(text: string): { value: number; label: Label };
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.CHATPULSE_SENTIMENT_DATA ?? resolve(repoRoot, '../shared/data/sentiment');

function lines(file: string): string[] {
  return readFileSync(resolve(dataDir, file), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
}

function loadTweetEval(): { texts: string[]; labels: Label[] } {
  const texts = lines('tweeteval_val_text.txt');
  const labels = lines('tweeteval_val_labels.txt').map((l) => Number(l.trim()) as Label);
  if (texts.length !== labels.length) throw new Error('TweetEval text/label count mismatch');
  return { texts, labels };
}

/** One of the UCI review sets (0 negative, 1 positive), or null when the fixture is missing. */
function loadReviews(name: 'amazon' | 'yelp' | 'imdb'): { texts: string[]; labels: Label[] } | null {
  const require = createRequire(import.meta.url);
  try {
    const file = resolve(dirname(require.resolve('sentiment/package.json')), 'test/fixtures', `${name}.json`);
    const rows = JSON.parse(readFileSync(file, 'utf8')) as Array<{ text: string; class: number }>;
    return { texts: rows.map((r) => r.text), labels: rows.map((r) => (r.class === 1 ? 2 : 0)) };
  } catch {
    return null;
  }
}

function loadVaderTweets(): { texts: string[]; ratings: number[]; labels: Label[] } {
  const texts: string[] = [];
  const ratings: number[] = [];
  const labels: Label[] = [];
  for (const line of lines('vader_tweets_ground_truth.tsv')) {
    const [, mean, ...rest] = line.split('\t');
    const r = Number(mean) / 4;
    texts.push(rest.join('\t'));
    ratings.push(r);
    labels.push(r >= 0.05 ? 2 : r <= -0.05 ? 0 : 1);
  }
  return { texts, ratings, labels };
}

const signLabel = (x: number, t = 0): Label => (x > t ? 2 : x < -t ? 0 : 1);

function makeScorers(): Scorer[] {
  const require = createRequire(import.meta.url);
  const vader = require('vader-sentiment') as {
    SentimentIntensityAnalyzer: { polarity_scores(t: string): { compound: number } };
  };
  const Afinn = require('sentiment') as new () => { analyze(t: string): { score: number } };
  const wink = require('wink-sentiment') as (t: string) => { normalizedScore: number };
  const afinn = new Afinn();
  const labelOf = { negative: 0, neutral: 1, positive: 2 } as const;
  return [
    {
      name: 'ChatPulse',
      run: (t) => {
        const s = score(t);
        return { value: s.compound, label: labelOf[s.label] };
      },
    },
    {
      // VADER's documented convention: compound >= 0.05 positive, <= -0.05 negative.
      name: 'vader-sentiment',
      run: (t) => {
        const c = vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
        return { value: c, label: c >= 0.05 ? 2 : c <= -0.05 ? 0 : 1 };
      },
    },
    {
      name: 'sentiment (AFINN)',
      run: (t) => {
        const s = afinn.analyze(t).score;
        return { value: s, label: signLabel(s) };
      },
    },
    {
      name: 'wink-sentiment',
      run: (t) => {
        const s = wink(t).normalizedScore;
        return { value: s, label: signLabel(s) };
      },
    },
  ];
}

/**
 * Mean recall over the gold classes present: TweetEval's metric on its three classes; on a
 * two-class set (the reviews) a neutral answer is simply a miss.
 */
function macroRecall(gold: Label[], pred: Label[]): number {
  const hit = [0, 0, 0];
  const n = [0, 0, 0];
  gold.forEach((g, i) => {
    n[g]! += 1;
    if (pred[i] === g) hit[g]! += 1;
  });
  const present = [0, 1, 2].filter((k) => n[k]! > 0);
  return present.reduce((sum, k) => sum + hit[k]! / n[k]!, 0) / present.length;
}

function accuracy(gold: Label[], pred: Label[]): number {
  let ok = 0;
  gold.forEach((g, i) => {
    if (pred[i] === g) ok += 1;
  });
  return ok / gold.length;
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

const THROUGHPUT_ROUNDS = 7;

/** Messages per second on one thread over at least `minMs`. */
function throughput(scorer: Scorer, texts: string[], minMs = 300): number {
  let sink = 0;
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const t of texts) sink += scorer.run(t).value;
    count += texts.length;
    elapsed = performance.now() - start;
  }
  if (Number.isNaN(sink)) console.error('unexpected NaN score');
  return (count / elapsed) * 1000;
}

/**
 * Throughput of every scorer, measured in turns over several rounds: this machine's speed drifts
 * within seconds, so each scorer's figure is its median round and the ratio to AFINN is the
 * median of the per-round ratios, each taken from runs seconds apart rather than minutes.
 */
function throughputRounds(
  scorers: Scorer[],
  texts: string[],
  rounds: number,
): { perScorer: number[]; ratio: (i: number, j: number) => number } {
  for (const s of scorers) throughput(s, texts, 100); // warm-up (JIT)
  const samples = scorers.map(() => [] as number[]);
  // The order flips every round, so no scorer always runs right after the same neighbour.
  for (let r = 0; r < rounds; r++) {
    const order = scorers.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) samples[i]!.push(throughput(scorers[i]!, texts));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    perScorer: samples.map(median),
    ratio: (i, j) => median(samples[i]!.map((x, r) => x / samples[j]![r]!)),
  };
}

function main(): void {
  const te = loadTweetEval();
  const vt = loadVaderTweets();
  const reviews = (['amazon', 'yelp', 'imdb'] as const).flatMap((name) => {
    const set = loadReviews(name);
    return set ? [{ name, ...set }] : [];
  });
  const scorers = makeScorers();
  const avgLen = vt.texts.reduce((s, t) => s + t.length, 0) / vt.texts.length;

  const rows = scorers.map((s) => {
    const teRes = te.texts.map((t) => s.run(t).label);
    const vtRes = vt.texts.map((t) => s.run(t));
    return {
      name: s.name,
      teMacroRecall: macroRecall(te.labels, teRes),
      vtAccuracy: accuracy(
        vt.labels,
        vtRes.map((r) => r.label),
      ),
      vtPearson: pearson(
        vt.ratings,
        vtRes.map((r) => r.value),
      ),
      reviews: reviews.map((set) => macroRecall(set.labels, set.texts.map((t) => s.run(t).label))),
    };
  });
  const speed = throughputRounds(scorers, vt.texts, THROUGHPUT_ROUNDS);

  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (x: number, d = 3) => x.toFixed(d).padStart(8);
  console.log(`data: ${dataDir}`);
  console.log(
    `TweetEval val n=${te.texts.length} (not fitted on) · VADER tweets n=${vt.texts.length} · throughput on VADER tweets (avg ${avgLen.toFixed(0)} chars), one thread\n`,
  );
  const reviewHeads: Record<string, string> = { amazon: 'Amz mR', yelp: 'Yelp mR', imdb: 'IMDb mR' };
  console.log(
    `${pad('scorer', 20)}${'TE mR'.padStart(8)}${'VT acc'.padStart(8)}${'VT r'.padStart(8)}${reviews.map((set) => reviewHeads[set.name]!.padStart(9)).join('')}${'msgs/s'.padStart(11)}`,
  );
  rows.forEach((r, i) => {
    console.log(
      `${pad(r.name, 20)}${num(r.teMacroRecall)}${num(r.vtAccuracy)}${num(r.vtPearson)}${r.reviews.map((x) => ` ${num(x)}`).join('')}${Math.round(speed.perScorer[i]!).toLocaleString('en-US').padStart(11)}`,
    );
  });
  if (reviews.length > 0) {
    console.log(`\nreviews (UCI, held out, 2 classes; neutral = miss): ${reviews.map((set) => `${set.name} n=${set.texts.length}`).join(', ')}`);
  }
  const afinn = rows.findIndex((r) => r.name.startsWith('sentiment'));
  console.log(
    `\nthroughput ratio ChatPulse / sentiment (AFINN), median of ${THROUGHPUT_ROUNDS} interleaved rounds: ${speed.ratio(0, afinn).toFixed(2)} (target >= 0.5)`,
  );
  console.log(
    'targets: TE macro-recall >= 0.64, VT accuracy >= 0.90, VT r >= 0.87',
  );
}

main();
