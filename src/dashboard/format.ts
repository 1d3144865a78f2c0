// Pure formatting helpers (no DOM): numbers, percentages, deltas against the previous period,
// dates and page paths. Unit-tested in format.test.ts.

export const DASH = '—';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : integer.format(value);
}

/** A fraction in [0, 1] as a percentage: "52.4%" (`digits` decimals at most). */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const factor = 10 ** digits;
  const rounded = Math.round(value * 100 * factor) / factor;
  return `${rounded.toFixed(digits).replace(/\.0+$/, '')}%`;
}

/** Sentiment shift in [-2, 2] with an explicit sign: "+0.25", "−0.10", "0.00". */
export function formatSigned(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const rounded = Number(value.toFixed(digits));
  if (rounded === 0) return (0).toFixed(digits);
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(digits)}`;
}

export function formatMean(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : value.toFixed(1);
}

export type MetricKind = 'count' | 'percent' | 'signed';
/** Which way is good: `higher` (resolution), `lower` (escalation), `neutral` (volume). */
export type Direction = 'higher' | 'lower' | 'neutral';
export type Tone = 'good' | 'bad' | 'neutral';

export interface Delta {
  /** "up", "down", "flat", or "none" when either period has no data. */
  trend: 'up' | 'down' | 'flat' | 'none';
  tone: Tone;
  /** The visible change without the arrow: "4.2 pts", "12", "0.15". */
  text: string;
  /** A sentence for screen readers: "up 4.2 points, better". */
  spoken: string;
}

export function delta(current: number | null | undefined, previous: number | null | undefined, kind: MetricKind, direction: Direction): Delta {
  if (current === null || current === undefined || previous === null || previous === undefined || !Number.isFinite(current) || !Number.isFinite(previous)) {
    return { trend: 'none', tone: 'neutral', text: 'no earlier data', spoken: 'no data for the previous period' };
  }
  let change: number;
  let text: string;
  let unit: string;
  if (kind === 'percent') {
    change = Math.round((current - previous) * 1000) / 10; // percentage points, one decimal
    const size = Math.abs(change);
    text = `${oneDecimal.format(size)} ${size === 1 ? 'pt' : 'pts'}`;
    unit = `${oneDecimal.format(size)} percentage ${size === 1 ? 'point' : 'points'}`;
  } else if (kind === 'signed') {
    change = Math.round((current - previous) * 100) / 100;
    text = Math.abs(change).toFixed(2);
    unit = text;
  } else {
    change = Math.round(current - previous);
    text = integer.format(Math.abs(change));
    if (previous > 0 && change !== 0) text += ` (${change > 0 ? '+' : '−'}${integer.format(Math.abs((change / previous) * 100))}%)`;
    unit = integer.format(Math.abs(change));
  }
  if (change === 0) return { trend: 'flat', tone: 'neutral', text: 'no change', spoken: 'no change' };
  const trend = change > 0 ? 'up' : 'down';
  const tone: Tone = direction === 'neutral' ? 'neutral' : (direction === 'higher') === change > 0 ? 'good' : 'bad';
  const verdict = tone === 'good' ? ', better' : tone === 'bad' ? ', worse' : '';
  return { trend, tone, text, spoken: `${trend} ${unit}${verdict}` };
}

/** The path (and query) of a page URL; the URL itself if it does not parse. */
export function pagePath(page: string): string {
  if (!page) return DASH;
  try {
    const url = new URL(page, 'http://x.invalid');
    return `${url.pathname}${url.search}` || '/';
  } catch {
    return page;
  }
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const utcDay = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "14:03" today, "Jan 27, 14:03" otherwise. */
export function formatWhen(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateTime.format(date);
}

export function formatFull(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : fullDateTime.format(date);
}

export function formatClock(date: Date): string {
  return clock.format(date);
}

/** A `day` group key ("2025-01-27", UTC) as "Mon, Jan 27". */
export function formatDayKey(key: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!match) return key;
  return utcDay.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}
