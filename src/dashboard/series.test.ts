import { describe, expect, it } from 'vitest';
import type { MetricGroup } from './api.ts';
import { dailySeries, releaseMarkers } from './series.ts';

const group = (key: string, conversations: number, resolutionRate: number | null, firstSeen = '2026-11-01T00:00:00.000Z') =>
  ({ key, firstSeen, conversations, resolutionRate, escalationRate: 0.1, abandonmentRate: null }) as unknown as MetricGroup;

describe('dailySeries', () => {
  it('has a point for every day of the period, empty days as zero volume and no rates', () => {
    const s = dailySeries([group('2026-11-02', 5, 0.6), group('2026-11-04', 2, null)], new Date('2026-11-01T12:00:00Z'), new Date('2026-11-05T00:00:00Z'));
    expect(s.days.map((d) => new Date(d * 1000).toISOString().slice(0, 10))).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']);
    expect(s.conversations).toEqual([0, 5, 0, 2]);
    expect(s.resolution).toEqual([null, 60, null, null]);
    expect(s.escalation).toEqual([null, 10, null, 10]);
  });
});

describe('releaseMarkers', () => {
  it('marks releases first seen inside the period, not the one already live', () => {
    const groups = [group('v2', 10, 0.5, '2026-11-03T09:00:00.000Z'), group('v1', 30, 0.7, '2026-11-01T00:10:00.000Z'), group('(none)', 1, null, '2026-11-01T00:00:00.000Z')];
    expect(releaseMarkers(groups, new Date('2026-11-01T00:00:00Z'))).toEqual([{ release: 'v2', at: Date.parse('2026-11-03T09:00:00Z') / 1000 }]);
    expect(releaseMarkers([group('v1', 3, 1)], new Date('2026-10-01T00:00:00Z'))).toEqual([]);
  });
});
