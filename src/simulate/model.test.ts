import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { SummarySchema } from '../shared/summary-schema.ts';
import { simulate } from './model.ts';

const END = Date.UTC(2026, 10, 20, 12);
const options = { conversations: 2000, days: 14, site: 'demo', end: END, seed: 7 };

describe('simulate', () => {
  const summaries = simulate(options);

  it('gives valid, ended, simulated summaries spread over the period', () => {
    expect(summaries).toHaveLength(2000);
    for (const s of summaries) {
      expect(v.safeParse(SummarySchema, s).success).toBe(true);
      expect(s.simulated).toBe(true);
      expect(s.endReason).not.toBeNull();
      const at = Date.parse(s.startedAt);
      expect(at).toBeGreaterThanOrEqual(END - 14 * 86_400_000);
      expect(at).toBeLessThan(END);
    }
    expect(new Set(summaries.map((s) => s.startedAt.slice(0, 10))).size).toBeGreaterThanOrEqual(14);
    expect(new Set(summaries.map((s) => s.outcome))).toEqual(new Set(['resolved', 'escalated', 'abandoned', 'unresolved', 'unknown']));
  });

  it('is the same history for the same seed', () => {
    expect(simulate({ ...options, conversations: 50 })).toEqual(simulate({ ...options, conversations: 50 }));
    expect(simulate({ ...options, conversations: 50, seed: 8 })).not.toEqual(simulate({ ...options, conversations: 50 }));
  });

  it('the newer release regresses deploy questions and leaves billing alone', () => {
    const rate = (intent: string, release: string) => {
      const group = summaries.filter((s) => s.intent === intent && s.release === release);
      return group.filter((s) => s.outcome === 'resolved').length / group.length;
    };
    expect(rate('deploy', 'v1.4.2') - rate('deploy', 'v1.5.0')).toBeGreaterThan(0.15);
    expect(Math.abs(rate('billing', 'v1.4.2') - rate('billing', 'v1.5.0'))).toBeLessThan(0.12);
  });

  it('labels most conversations with an intent through the real matcher, in several languages', () => {
    const labelled = summaries.filter((s) => s.intent !== null).length / summaries.length;
    expect(labelled).toBeGreaterThan(0.75);
    expect(new Set(summaries.map((s) => s.intent))).toEqual(new Set(['billing', 'password', 'deploy', 'pricing', 'outage', null]));
  });
});
