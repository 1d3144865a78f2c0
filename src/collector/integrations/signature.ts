// Webhook signatures, Stripe-style: HMAC-SHA256 over `${timestamp}.${rawBody}` with the shared
// secret, sent as `X-ChatPulse-Signature: sha256=<hex>` beside `X-ChatPulse-Timestamp: <unix seconds>`.
// The timestamp is signed, so a receiver that refuses old timestamps also refuses replays.
// `verifySignature` is the code the README gives receivers (it needs nothing but node:crypto).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-ChatPulse-Signature';
export const TIMESTAMP_HEADER = 'X-ChatPulse-Timestamp';

export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * True if `signature` (the X-ChatPulse-Signature header) signs `rawBody` with `timestamp` (the
 * X-ChatPulse-Timestamp header) under `secret`, and the timestamp is within `toleranceSeconds` of now.
 */
export function verifySignature(secret: string, rawBody: string, timestamp: string | undefined, signature: string | undefined, toleranceSeconds = 300, nowMs = Date.now()): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex'));
  const given = Buffer.from(signature.replace(/^sha256=/, ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
