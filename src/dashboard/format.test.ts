import { describe, expect, it } from 'vitest';
import { DASH, delta, formatCount, formatDayKey, formatPercent, formatSigned, pagePath } from './format.ts';

describe('dashboard formatting', () => {
  it('shows a dash for missing values', () => {
    expect(formatPercent(null)).toBe(DASH);
    expect(formatSigned(null)).toBe(DASH);
    expect(formatCount(undefined)).toBe(DASH);
  });

  it('formats percentages and signed shifts', () => {
    expect(formatPercent(0.6)).toBe('60%');
    expect(formatPercent(0.0667)).toBe('6.7%');
    expect(formatPercent(0.4849, 0)).toBe('48%');
    expect(formatSigned(0.25)).toBe('+0.25');
    expect(formatSigned(-0.1)).toBe('−0.10');
    expect(formatSigned(0.001)).toBe('0.00');
    expect(formatCount(12345)).toBe('12,345');
  });

  it('judges changes by the direction that is good for the metric', () => {
    expect(delta(0.6, 0.5, 'percent', 'higher')).toMatchObject({ trend: 'up', tone: 'good', text: '10 pts' });
    expect(delta(0.2, 0.1, 'percent', 'lower')).toMatchObject({ trend: 'up', tone: 'bad', text: '10 pts' });
    expect(delta(0.1, 0.2, 'percent', 'lower')).toMatchObject({ trend: 'down', tone: 'good' });
    expect(delta(0.51, 0.5, 'percent', 'higher')).toMatchObject({ text: '1 pt' });
    expect(delta(12, 10, 'count', 'neutral')).toMatchObject({ trend: 'up', tone: 'neutral', text: '2 (+20%)' });
    expect(delta(0.3, 0.1, 'signed', 'higher')).toMatchObject({ trend: 'up', tone: 'good', text: '0.20' });
    expect(delta(0.5, 0.5, 'percent', 'higher')).toMatchObject({ trend: 'flat', tone: 'neutral' });
    expect(delta(0.5, null, 'percent', 'higher')).toMatchObject({ trend: 'none' });
    expect(delta(null, 0.5, 'percent', 'higher')).toMatchObject({ trend: 'none' });
  });

  it('shortens pages to their path and formats day keys', () => {
    expect(pagePath('https://shop.example/help/returns?x=1')).toBe('/help/returns?x=1');
    expect(pagePath('/pricing')).toBe('/pricing');
    expect(pagePath('')).toBe(DASH);
    expect(formatDayKey('2025-01-27')).toMatch(/Jan/);
    expect(formatDayKey('(none)')).toBe('(none)');
  });
});
