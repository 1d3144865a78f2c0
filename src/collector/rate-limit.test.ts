import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('createRateLimiter', () => {
  it('allows a burst, then asks to wait, then refills at the rate', () => {
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 });
    const t = 1_000_000;
    expect([limiter.take('a', t), limiter.take('a', t), limiter.take('a', t)]).toEqual([0, 0, 0]);
    // empty bucket: one token takes 1/2 s
    expect(limiter.take('a', t)).toBe(500);
    // 250 ms later half a token has come back: 250 ms more to wait
    expect(limiter.take('a', t + 250)).toBe(250);
    expect(limiter.take('a', t + 500)).toBe(0);
    expect(limiter.take('a', t + 500)).toBeGreaterThan(0);
  });

  it('never refills beyond the burst', () => {
    const limiter = createRateLimiter({ perSecond: 10, burst: 2 });
    const t = 5_000;
    limiter.take('a', t);
    // an hour later: still only 2 tokens
    const later = t + 3_600_000;
    expect([limiter.take('a', later), limiter.take('a', later)]).toEqual([0, 0]);
    expect(limiter.take('a', later)).toBeGreaterThan(0);
  });

  it('keeps separate buckets per key', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(1000);
    expect(limiter.take('b', 0)).toBe(0);
  });

  it('stays bounded: the oldest key is forgotten (and so starts afresh)', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1, maxKeys: 2 });
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('b', 0)).toBe(0);
    expect(limiter.take('c', 0)).toBe(0); // evicts 'a'
    expect(limiter.take('b', 0)).toBeGreaterThan(0); // 'b' is still remembered
    expect(limiter.take('a', 0)).toBe(0); // 'a' was forgotten: a full bucket again
  });
});
