// Two sets of metrics side by side (two periods, or two releases): the difference per rate and
// whether it is beyond noise for the volumes involved — a two-proportion z-test at 95%, the same
// question an A/B test asks. Pure, unit-tested in compare.test.ts.
import type { MetricValues } from './api.ts';

export interface ComparedRate {
  metric: string;
  label: string;
  /** Which way is better. */
  direction: 'higher' | 'lower';
  a: number | null;
  b: number | null;
  /** Observations behind each rate (its denominator). */
  nA: number;
  nB: number;
  /** b − a, as a fraction. */
  difference: number | null;
  /** Two-sided p-value of the difference; null when either side has no data. */
  p: number | null;
  verdict: 'better' | 'worse' | 'within noise' | 'not enough data';
}

interface RateDef {
  metric: string;
  label: string;
  direction: 'higher' | 'lower';
  rate(m: MetricValues): number | null;
  n(m: MetricValues): number;
}

export const COMPARED_RATES: readonly RateDef[] = [
  { metric: 'resolutionRate', label: 'Resolution', direction: 'higher', rate: (m) => m.resolutionRate, n: (m) => m.ended },
  { metric: 'escalationRate', label: 'Escalation', direction: 'lower', rate: (m) => m.escalationRate, n: (m) => m.ended },
  { metric: 'abandonmentRate', label: 'Abandonment', direction: 'lower', rate: (m) => m.abandonmentRate, n: (m) => m.ended },
  { metric: 'csat', label: 'CSAT (4–5)', direction: 'higher', rate: (m) => m.csat.score, n: (m) => m.csat.responses },
  { metric: 'thumbsRatio', label: 'Thumbs up', direction: 'higher', rate: (m) => m.thumbsRatio, n: (m) => m.thumbs.up + m.thumbs.down },
  { metric: 'firstContactResolution', label: 'First-contact resolution', direction: 'higher', rate: (m) => m.firstContactResolution, n: (m) => m.ended },
];

/** The standard normal CDF (Abramowitz–Stegun 7.1.26 via erf), accurate to ~1e-7. */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Two-sided p-value that two observed proportions differ (pooled two-proportion z-test). */
export function twoProportionP(pA: number, nA: number, pB: number, nB: number): number | null {
  if (nA < 1 || nB < 1) return null;
  const pooled = (pA * nA + pB * nB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (se === 0) return pA === pB ? 1 : 0;
  return 2 * (1 - normalCdf(Math.abs(pB - pA) / se));
}

/** Fewer observations than this on either side and no verdict is given (the test's approximation fails). */
export const MIN_OBSERVATIONS = 10;

export function compareMetrics(a: MetricValues, b: MetricValues, alpha = 0.05): ComparedRate[] {
  return COMPARED_RATES.map((def) => {
    const ra = def.rate(a);
    const rb = def.rate(b);
    const nA = def.n(a);
    const nB = def.n(b);
    const base = { metric: def.metric, label: def.label, direction: def.direction, a: ra, b: rb, nA, nB };
    if (ra === null || rb === null || nA < MIN_OBSERVATIONS || nB < MIN_OBSERVATIONS) {
      return { ...base, difference: ra === null || rb === null ? null : rb - ra, p: null, verdict: 'not enough data' as const };
    }
    const p = twoProportionP(ra, nA, rb, nB);
    const difference = rb - ra;
    const beyond = p !== null && p < alpha;
    const improved = def.direction === 'higher' ? difference > 0 : difference < 0;
    return { ...base, difference, p, verdict: beyond ? (improved ? ('better' as const) : ('worse' as const)) : ('within noise' as const) };
  });
}
