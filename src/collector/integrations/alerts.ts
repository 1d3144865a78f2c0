// Alerts: per site, compares each intent, page and release over the recent window (default the
// last 24 h) with its trailing baseline (the 7 days before), using the same metric SQL as the
// dashboard. A group alerts when resolution or CSAT falls, or escalation or abandonment rises, by
// more than the threshold, with enough conversations in both windows that noise does not alert.
// One regression moves several groups (an intent's drop also shows on the pages it is asked on), so
// candidates are ranked by severity and a group whose regressed conversations mostly belong to a
// stronger alert's group is folded into that alert as `related` instead of alerting again.
// An alert stays open (one per condition) until its group is measured back within the threshold;
// opening it records it and enqueues it for the site's webhooks, in one transaction.
import { randomUUID } from 'node:crypto';
import type { ValidSummary } from '../../shared/summary-schema.ts';
import { silentLogger, type Logger } from '../ops.ts';
import type { CollectorStore, MetricValues } from '../store/types.ts';
import type { Forwarding } from './forwarding.ts';
import { accepts, hashId, traceUrl } from './plan.ts';
import type { AlertSettings } from './settings.ts';
import type { AlertDimension, AlertMetric, AlertMetricChange, AlertRecord, ForwardEvent, NewOutboxRow } from './types.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DIMENSIONS: readonly AlertDimension[] = ['intent', 'page', 'release'];
const METRICS: readonly AlertMetric[] = ['resolution', 'escalation', 'abandonment', 'csat'];
/** Conversations read per window to attribute an alert to a release and pick example traces. */
const SAMPLE_LIMIT = 20_000;
const MAX_EXAMPLES = 5;

/** +1: higher is better (a fall alerts); -1: lower is better (a rise alerts). */
const DIRECTION: Record<AlertMetric, 1 | -1> = { resolution: 1, csat: 1, escalation: -1, abandonment: -1 };

function metricValue(m: MetricValues, metric: AlertMetric): { value: number | null; volume: number } {
  switch (metric) {
    case 'resolution':
      return { value: m.resolutionRate, volume: m.ended };
    case 'escalation':
      return { value: m.escalationRate, volume: m.ended };
    case 'abandonment':
      return { value: m.abandonmentRate, volume: m.ended };
    case 'csat':
      return { value: m.csat.score, volume: m.csat.responses };
  }
}

const rated = (s: ValidSummary): boolean => s.endReason !== null && s.messages.user > 0;

/** Whether a conversation counts against a metric (and whether it counts at all). */
function judge(s: ValidSummary, metric: AlertMetric): { counted: boolean; bad: boolean } {
  switch (metric) {
    case 'resolution':
      return { counted: rated(s), bad: rated(s) && s.outcome !== 'resolved' };
    case 'escalation':
      return { counted: rated(s), bad: rated(s) && s.outcome === 'escalated' };
    case 'abandonment':
      return { counted: rated(s), bad: rated(s) && s.outcome === 'abandoned' };
    case 'csat':
      return { counted: s.csat !== null, bad: s.csat !== null && s.csat.score < 4 };
  }
}

function groupKeyOf(s: ValidSummary, dimension: AlertDimension): string {
  if (dimension === 'intent') return s.intent ?? '(none)';
  if (dimension === 'release') return s.release ?? '(none)';
  return s.page;
}

interface Candidate {
  dimension: AlertDimension;
  key: string;
  changes: AlertMetricChange[];
  primary: AlertMetricChange;
  severity: number;
  related: AlertRecord['related'];
}

export interface EvaluateResult {
  /** Alerts opened by this evaluation. */
  opened: AlertRecord[];
  /** Conditions that hold now (opened now or before). */
  holding: string[];
  resolved: string[];
}

export async function evaluateAlerts(store: CollectorStore, forwarding: Forwarding, site: string, now = Date.now()): Promise<EvaluateResult> {
  const result: EvaluateResult = { opened: [], holding: [], resolved: [] };
  const settings = await forwarding.settings(site);
  const rules = settings.alerts;
  if (!rules.enabled) return result;
  const windowMs = rules.windowHours * HOUR_MS;
  const current = { site, from: now - windowMs, to: now };
  const baseline = { site, from: now - windowMs - rules.baselineDays * DAY_MS, to: now - windowMs };

  const candidates: Candidate[] = [];
  const judged = new Set<string>();
  for (const dimension of DIMENSIONS) {
    const [now_, before] = await Promise.all([store.groupedMetrics(current, dimension), store.groupedMetrics(baseline, dimension)]);
    const base = new Map(before.map((g) => [g.key, g]));
    for (const group of now_) {
      if (group.key === '(none)') continue;
      const past = base.get(group.key);
      if (!past) continue;
      const changes: AlertMetricChange[] = [];
      let enough = false;
      for (const metric of METRICS) {
        const c = metricValue(group, metric);
        const b = metricValue(past, metric);
        if (c.value === null || b.value === null || c.volume < rules.minVolume || b.volume < rules.minVolume) continue;
        enough = true;
        const change = c.value - b.value;
        if (change * DIRECTION[metric] <= -rules.thresholds[metric]) {
          changes.push({ metric, current: c.value, baseline: b.value, change, threshold: rules.thresholds[metric], currentVolume: c.volume, baselineVolume: b.volume });
        }
      }
      if (enough) judged.add(`${dimension}:${group.key}`);
      if (changes.length === 0) continue;
      const primary = changes.reduce((a, b) => (Math.abs(b.change) / b.threshold > Math.abs(a.change) / a.threshold ? b : a));
      candidates.push({ dimension, key: group.key, changes, primary, severity: Math.abs(primary.change) / primary.threshold, related: [] });
    }
  }

  const open = await store.integrations.listAlerts(site, { open: true, limit: 1000 });
  const openKeys = new Set(open.map((a) => a.conditionKey));
  const leaders: Candidate[] = [];
  let recent: ValidSummary[] = [];
  let earlier: ValidSummary[] = [];
  if (candidates.length > 0) {
    [recent, earlier] = await Promise.all([
      store.conversations({ ...current, limit: SAMPLE_LIMIT }),
      store.conversations({ ...baseline, limit: SAMPLE_LIMIT }),
    ]);
    candidates.sort((a, b) => b.severity - a.severity || DIMENSIONS.indexOf(a.dimension) - DIMENSIONS.indexOf(b.dimension) || (a.key < b.key ? -1 : 1));
    for (const c of candidates) {
      const bad = recent.filter((s) => groupKeyOf(s, c.dimension) === c.key && c.changes.some((m) => judge(s, m.metric).bad));
      const leader = leaders.find((l) => bad.length > 0 && bad.filter((s) => groupKeyOf(s, l.dimension) === l.key).length / bad.length > 0.5);
      if (leader) leader.related.push({ dimension: c.dimension, key: c.key, metric: c.primary.metric, change: c.primary.change });
      else leaders.push(c);
    }
  }

  const holding = new Set(candidates.map((c) => `${c.dimension}:${c.key}`));
  for (const c of leaders) {
    const conditionKey = `${c.dimension}:${c.key}`;
    result.holding.push(conditionKey);
    if (openKeys.has(conditionKey)) {
      await store.integrations.touchAlert(site, conditionKey, now);
      continue;
    }
    const alert = describeAlert(site, c, recent, earlier, settings.traceUrlTemplate, { current, baseline }, now);
    const rows = await alertRows(forwarding, alert);
    if (await store.integrations.openAlert(alert, rows)) {
      result.opened.push(alert);
      if (rows.length > 0) forwarding.wake();
    }
  }
  // A condition folded into a stronger alert still holds; one measured back within bounds is over.
  for (const a of open) {
    if (holding.has(a.conditionKey) || !judged.has(a.conditionKey)) continue;
    await store.integrations.resolveAlert(site, a.conditionKey, now);
    result.resolved.push(a.conditionKey);
  }
  return result;
}

function describeAlert(
  site: string,
  c: Candidate,
  recent: ValidSummary[],
  earlier: ValidSummary[],
  template: string | null,
  windows: { current: { from: number; to: number }; baseline: { from: number; to: number } },
  now: number,
): AlertRecord {
  const metric = c.primary.metric;
  const inGroup = recent.filter((s) => groupKeyOf(s, c.dimension) === c.key);
  const byRelease = new Map<string, { conversations: number; counted: number; bad: number }>();
  for (const s of inGroup) {
    const key = s.release ?? '(none)';
    const entry = byRelease.get(key) ?? { conversations: 0, counted: 0, bad: 0 };
    const j = judge(s, metric);
    entry.conversations += 1;
    if (j.counted) entry.counted += 1;
    if (j.bad) entry.bad += 1;
    byRelease.set(key, entry);
  }
  // The metric's value per release (resolution and CSAT are the share of good ones).
  const valueOf = (e: { counted: number; bad: number }): number | null =>
    e.counted === 0 ? null : DIRECTION[metric] === 1 ? (e.counted - e.bad) / e.counted : e.bad / e.counted;
  const releases = [...byRelease.entries()]
    .map(([release, e]) => ({ release, conversations: e.conversations, value: valueOf(e), bad: e.bad, counted: e.counted }))
    .sort((a, b) => b.conversations - a.conversations || (a.release < b.release ? -1 : 1));

  let release: string | null;
  let previousRelease: string | null = null;
  if (c.dimension === 'release') {
    release = c.key;
  } else {
    // The release the group did worst on, among those with a fair share of its conversations.
    const floor = Math.max(3, 0.1 * inGroup.length);
    const worst = releases
      .filter((r) => r.value !== null && r.counted >= floor)
      .sort((a, b) => (a.value! - b.value!) * DIRECTION[metric] || b.bad - a.bad)[0];
    release = worst ? worst.release : (releases[0]?.release ?? null);
    const before = new Map<string, number>();
    for (const s of earlier) if (groupKeyOf(s, c.dimension) === c.key) before.set(s.release ?? '(none)', (before.get(s.release ?? '(none)') ?? 0) + 1);
    previousRelease = [...before.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
  }
  if (release === '(none)') release = null;
  if (previousRelease === '(none)') previousRelease = null;

  // Example traces: regressed conversations of that release first, rated-down answers first.
  const bad = inGroup
    .filter((s) => c.changes.some((m) => judge(s, m.metric).bad))
    .sort((a, b) => Number((b.release ?? null) === release) - Number((a.release ?? null) === release) || (a.startedAt < b.startedAt ? 1 : -1));
  const examples: string[] = [];
  for (const s of bad) {
    const down = s.ratings.filter((r) => r.value === 'down' && r.traceId).map((r) => r.traceId!);
    for (const id of [...down, s.traceIds[s.traceIds.length - 1]]) {
      if (id && !examples.includes(id) && examples.length < MAX_EXAMPLES) examples.push(id);
    }
    if (examples.length >= MAX_EXAMPLES) break;
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: randomUUID(),
    site,
    conditionKey: `${c.dimension}:${c.key}`,
    dimension: c.dimension,
    key: c.key,
    metric,
    metrics: c.changes,
    release,
    previousRelease,
    releases: releases.slice(0, 10).map(({ release: r, conversations, value }) => ({ release: r, conversations, value })),
    exampleTraceIds: examples,
    ...(template ? { exampleTraceUrls: examples.map((id) => traceUrl(template, id)!) } : {}),
    related: c.related,
    window: { from: iso(windows.current.from), to: iso(windows.current.to) },
    baselineWindow: { from: iso(windows.baseline.from), to: iso(windows.baseline.to) },
    createdAt: iso(now),
    lastSeenAt: iso(now),
    resolvedAt: null,
  };
}

async function alertRows(forwarding: Forwarding, alert: AlertRecord): Promise<NewOutboxRow[]> {
  const event: ForwardEvent = {
    id: hashId(alert.site, 'alert', alert.id),
    type: 'alert',
    site: alert.site,
    occurredAt: alert.createdAt,
    conversationId: null,
    revision: null,
    value: alert.metric,
    traceId: alert.exampleTraceIds[0] ?? null,
    release: alert.release,
    intent: alert.dimension === 'intent' ? alert.key : null,
    page: alert.dimension === 'page' ? alert.key : null,
    outcome: null,
    scoreId: alert.id,
    alert,
  };
  const forwarders = await forwarding.forwarders(alert.site);
  return forwarders
    .filter((f) => accepts(f, event))
    .map((f) => ({ site: alert.site, forwarder: f.id, itemKey: `alert:${alert.id}`, eventKey: `alert:${alert.id}`, event }));
}

/** Evaluates every site now and every `everyMs` (default 5 minutes); returns a stop function. */
export function scheduleAlerts(store: CollectorStore, forwarding: Forwarding, options: { everyMs?: number; logger?: Logger } = {}): () => void {
  const logger = options.logger ?? silentLogger;
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      for (const site of await store.listSites()) {
        const r = await evaluateAlerts(store, forwarding, site.key);
        if (r.opened.length > 0 || r.resolved.length > 0) logger.info('alerts', { site: site.key, opened: r.opened.map((a) => a.conditionKey).join(' '), resolved: r.resolved.join(' ') });
      }
    } catch (error) {
      logger.error('alert evaluation failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), 5000);
  const timer = setInterval(() => void run(), options.everyMs ?? 5 * 60_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

export type { AlertSettings };
