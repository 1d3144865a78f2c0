// The time series behind the trend chart: one point per UTC day of the period (days without
// conversations included, as zero volume and no rates), and the releases that started in it.
import type { MetricGroup } from './api.ts';

export interface DailySeries {
  /** Day starts, epoch seconds (uPlot's x values). */
  days: number[];
  conversations: number[];
  resolution: Array<number | null>;
  escalation: Array<number | null>;
  abandonment: Array<number | null>;
}

export interface ReleaseMarker {
  release: string;
  /** Epoch seconds of the first conversation on this release. */
  at: number;
}

const DAY_S = 86_400;

export function dailySeries(groups: readonly MetricGroup[], from: Date, to: Date): DailySeries {
  const byDay = new Map(groups.map((g) => [g.key, g]));
  const out: DailySeries = { days: [], conversations: [], resolution: [], escalation: [], abandonment: [] };
  const first = Math.floor(from.getTime() / 1000 / DAY_S) * DAY_S;
  const last = Math.floor((to.getTime() - 1) / 1000 / DAY_S) * DAY_S;
  for (let day = first; day <= last; day += DAY_S) {
    const g = byDay.get(new Date(day * 1000).toISOString().slice(0, 10));
    out.days.push(day);
    out.conversations.push(g?.conversations ?? 0);
    out.resolution.push(percent(g?.resolutionRate));
    out.escalation.push(percent(g?.escalationRate));
    out.abandonment.push(percent(g?.abandonmentRate));
  }
  return out;
}

const percent = (rate: number | null | undefined): number | null => (rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10);

/**
 * Releases whose first conversation falls inside the period, oldest first. The release already
 * live when the period began is not a change within it, so it gets no marker.
 */
export function releaseMarkers(groups: readonly MetricGroup[], from: Date): ReleaseMarker[] {
  const firstSeen = groups.filter((g) => g.key !== '(none)').map((g) => ({ release: g.key, at: Date.parse(g.firstSeen) / 1000 }));
  firstSeen.sort((a, b) => a.at - b.at);
  const start = from.getTime() / 1000;
  // The earliest release in the period was presumably live before it started.
  return firstSeen.slice(1).filter((m) => m.at > start);
}
