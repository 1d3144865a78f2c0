import { describe, expect, it } from 'vitest';
import type { MetricValues } from './api.ts';
import { compareMetrics, normalCdf, twoProportionP } from './compare.ts';

function metrics(ended: number, resolved: number, overrides: Partial<MetricValues> = {}): MetricValues {
  return {
    conversations: ended,
    ended,
    resolutionRate: ended ? resolved / ended : null,
    explicitResolutionRate: null,
    inferredResolutionRate: null,
    escalationRate: ended ? 0.1 : null,
    abandonmentRate: ended ? 0.2 : null,
    unresolvedRate: null,
    csat: { score: null, mean: null, responses: 0, responseRate: null },
    thumbsRatio: null,
    thumbs: { up: 0, down: 0 },
    sentimentShift: null,
    firstContactResolution: null,
    returningVisitors: null,
    visitors: ended,
    simulated: 0,
    ...overrides,
  };
}

describe('statistics', () => {
  it('normal CDF matches tables', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1.6449)).toBeCloseTo(0.05, 3);
  });

  it('two-proportion p-values match a worked example', () => {
    // 60/100 vs 45/100: z = 2.1232, two-sided p = 0.0337.
    expect(twoProportionP(0.6, 100, 0.45, 100)).toBeCloseTo(0.0337, 3);
    expect(twoProportionP(0.5, 100, 0.5, 100)).toBeCloseTo(1, 6);
    expect(twoProportionP(0.5, 0, 0.5, 10)).toBeNull();
  });
});

describe('compareMetrics', () => {
  it('the same drop is noise at small volume and a regression at large volume', () => {
    const small = compareMetrics(metrics(20, 14), metrics(20, 11)).find((r) => r.metric === 'resolutionRate')!;
    expect(small.difference).toBeCloseTo(-0.15, 6);
    expect(small.verdict).toBe('within noise');
    const large = compareMetrics(metrics(2000, 1400), metrics(2000, 1100)).find((r) => r.metric === 'resolutionRate')!;
    expect(large.verdict).toBe('worse');
    expect(large.p).toBeLessThan(0.001);
  });

  it('lower is better for escalation', () => {
    const r = compareMetrics(metrics(1000, 500, { escalationRate: 0.2 }), metrics(1000, 500, { escalationRate: 0.1 })).find((x) => x.metric === 'escalationRate')!;
    expect(r.verdict).toBe('better');
  });

  it('gives no verdict without data or below ten observations', () => {
    const rows = compareMetrics(metrics(0, 0), metrics(5, 5));
    expect(rows.find((r) => r.metric === 'resolutionRate')!.verdict).toBe('not enough data');
    expect(rows.find((r) => r.metric === 'csat')!).toMatchObject({ a: null, b: null, difference: null, verdict: 'not enough data' });
  });

  it('thumbs use the votes as observations', () => {
    const r = compareMetrics(metrics(50, 25, { thumbsRatio: 0.8, thumbs: { up: 400, down: 100 } }), metrics(50, 25, { thumbsRatio: 0.7, thumbs: { up: 350, down: 150 } })).find((x) => x.metric === 'thumbsRatio')!;
    expect(r).toMatchObject({ nA: 500, nB: 500, verdict: 'worse' });
  });
});
