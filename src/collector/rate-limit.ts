// Token buckets per key (client IP, site): cheap, in memory, bounded in size.

export interface RateLimiter {
  /** Milliseconds to wait before retrying, or 0 when the request may proceed. */
  take(key: string, now?: number): number;
}

export function createRateLimiter(options: { perSecond: number; burst: number; maxKeys?: number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = options.maxKeys ?? 100_000;
  return {
    take(key, now = Date.now()) {
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
        bucket = { tokens: options.burst, at: now };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond);
      bucket.at = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - bucket.tokens) / options.perSecond) * 1000);
    },
  };
}
