// The headline tiles: which field, how to format it, which direction is good, and the one-line
// definition shown under the value (DESIGN.md "Metric definitions").
import type { MetricValues } from './api.ts';
import { formatCount, formatMean, formatPercent, formatSigned, type Direction, type MetricKind } from './format.ts';

export interface TileDef {
  /** The `MetricValues` field; also the tile's `data-metric` hook. */
  metric: string;
  label: string;
  description: string;
  kind: MetricKind;
  direction: Direction;
  value(m: MetricValues): number | null;
  /** A secondary line under the value (the split, the mean, the base), if any. */
  detail?(m: MetricValues): string | null;
}

export function formatValue(kind: MetricKind, value: number | null): string {
  return kind === 'percent' ? formatPercent(value) : kind === 'signed' ? formatSigned(value) : formatCount(value);
}

const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

export const TILES: readonly TileDef[] = [
  {
    metric: 'conversations',
    label: 'Conversations',
    description: 'Conversations started in the period.',
    kind: 'count',
    direction: 'neutral',
    value: (m) => m.conversations,
    detail: (m) => `${formatCount(m.ended)} ended · ${plural(m.visitors, 'visitor', 'visitors')}`,
  },
  {
    metric: 'resolutionRate',
    label: 'Resolution rate',
    description: 'Share of ended conversations in which the user got what they came for.',
    kind: 'percent',
    direction: 'higher',
    value: (m) => m.resolutionRate,
    detail: (m) => (m.resolutionRate === null ? null : `Explicit ${formatPercent(m.explicitResolutionRate)} · Inferred ${formatPercent(m.inferredResolutionRate)}`),
  },
  {
    metric: 'escalationRate',
    label: 'Escalation rate',
    description: 'Share of ended conversations handed off to a human.',
    kind: 'percent',
    direction: 'lower',
    value: (m) => m.escalationRate,
  },
  {
    metric: 'abandonmentRate',
    label: 'Abandonment rate',
    description: 'Share of ended conversations the user gave up on: left unanswered or after a bad answer.',
    kind: 'percent',
    direction: 'lower',
    value: (m) => m.abandonmentRate,
  },
  {
    metric: 'csat',
    label: 'CSAT',
    description: 'Share of satisfaction answers that are 4 or 5 out of 5.',
    kind: 'percent',
    direction: 'higher',
    value: (m) => m.csat.score,
    detail: (m) =>
      m.csat.responses === 0
        ? 'No answers yet'
        : `Mean ${formatMean(m.csat.mean)} / 5 · ${formatPercent(m.csat.responseRate, 0)} response rate (${plural(m.csat.responses, 'answer', 'answers')})`,
  },
  {
    metric: 'thumbsRatio',
    label: 'Thumbs ratio',
    description: 'Share of thumbs-up (“helpful”) among all thumbs votes on bot answers.',
    kind: 'percent',
    direction: 'higher',
    value: (m) => m.thumbsRatio,
  },
  {
    metric: 'sentimentShift',
    label: 'Sentiment shift',
    description: "Average change in the user's mood from first to last message (−2 to +2).",
    kind: 'signed',
    direction: 'higher',
    value: (m) => m.sentimentShift,
    detail: (m) => (m.sentimentShift === null ? null : m.sentimentShift > 0.05 ? 'Users end happier than they start' : m.sentimentShift < -0.05 ? 'Users end less happy than they start' : 'Mood roughly unchanged'),
  },
  {
    metric: 'firstContactResolution',
    label: 'First-contact resolution',
    description: 'Resolved conversations whose visitor did not come back within 24 hours.',
    kind: 'percent',
    direction: 'higher',
    value: (m) => m.firstContactResolution,
  },
  {
    metric: 'returningVisitors',
    label: 'Returning visitors',
    description: 'Share of visitors who chatted on two or more days within a week.',
    kind: 'percent',
    direction: 'neutral',
    value: (m) => m.returningVisitors,
    detail: (m) => (m.visitors > 0 ? `of ${plural(m.visitors, 'visitor', 'visitors')}` : null),
  },
];
