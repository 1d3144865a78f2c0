// The requests each forwarder sends, per the targets' published formats:
// - Langfuse: `POST {baseUrl}/api/public/scores`, Basic auth (public key : secret key), a score body
//   `{ id, traceId, name, value, dataType, comment?, environment?, metadata }`. The id is stable per
//   conversation item, so a retry (or a changed vote) updates the same score instead of adding one.
// - OpenTelemetry: OTLP/HTTP JSON `POST …/v1/logs`, an ExportLogsServiceRequest
//   (`resourceLogs[].scopeLogs[].logRecords[]`), trace ids as hex, 64-bit integers as decimal strings,
//   enums as integers.
// - Webhook: JSON `{ id, type, site, createdAt, data }`, signed (signature.ts).
import type { AlertRecord, Forwarder, ForwardEvent, LangfuseConfig, OtlpConfig, WebhookConfig } from './types.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './signature.ts';

export interface WireRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const USER_AGENT = 'ChatPulse-Forwarder/1';

export function buildRequest(f: Forwarder, event: ForwardEvent, nowMs: number): WireRequest {
  switch (f.kind) {
    case 'langfuse':
      return langfuseRequest(f.config, event);
    case 'otlp':
      return otlpRequest(f.config, event, nowMs);
    case 'webhook':
      return webhookRequest(f.config, event, nowMs);
  }
}

// ---- Langfuse --------------------------------------------------------------------------------

export const LANGFUSE_NAMES = { thumbs: 'user-feedback', csat: 'csat', outcome: 'conversation-outcome' } as const;

export function langfuseScore(config: LangfuseConfig, event: ForwardEvent): Record<string, unknown> {
  const names = { ...LANGFUSE_NAMES, ...config.names };
  let score: { name: string; value: number | string; dataType: 'BOOLEAN' | 'NUMERIC' | 'CATEGORICAL'; comment?: string };
  switch (event.type) {
    case 'rating':
      // Boolean scores take a number: 1 (true) or 0 (false).
      score = { name: names.thumbs, value: event.value === 'up' ? 1 : 0, dataType: config.thumbsAs ?? 'BOOLEAN' };
      break;
    case 'csat':
      score = { name: names.csat, value: Number(event.value), dataType: 'NUMERIC', ...(event.comment ? { comment: event.comment } : {}) };
      break;
    case 'outcome':
      score = { name: names.outcome, value: String(event.value), dataType: 'CATEGORICAL', ...(event.resolution ? { comment: `resolution: ${event.resolution}` } : {}) };
      break;
    case 'alert':
      throw new Error('alerts are not forwarded to Langfuse');
  }
  const metadata: Record<string, unknown> = {
    source: 'chatpulse',
    site: event.site,
    conversationId: event.conversationId,
    revision: event.revision,
    release: event.release,
    intent: event.intent,
    page: event.page,
    outcome: event.outcome,
  };
  if (event.message !== undefined) metadata.messageIndex = event.message;
  return {
    id: event.scoreId,
    traceId: event.traceId,
    ...score,
    ...(config.environment ? { environment: config.environment } : {}),
    metadata,
  };
}

function langfuseRequest(config: LangfuseConfig, event: ForwardEvent): WireRequest {
  return {
    url: `${config.baseUrl.replace(/\/+$/, '')}/api/public/scores`,
    headers: {
      Authorization: `Basic ${Buffer.from(`${config.publicKey}:${config.secretKey}`).toString('base64')}`,
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
    },
    body: JSON.stringify(langfuseScore(config, event)),
  };
}

// ---- OpenTelemetry (OTLP/HTTP JSON logs) -----------------------------------------------------

/** The OTLP trace and span id of a trace id in any common form: 32 hex digits, a UUID, or a W3C traceparent. */
export function otlpIds(traceId: string | null): { traceId?: string; spanId?: string } {
  if (!traceId) return {};
  const t = traceId.trim().toLowerCase();
  const parent = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(t);
  const hex = parent ? parent[1]! : /^[0-9a-f]{32}$/.test(t) ? t : /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(t) ? t.replaceAll('-', '') : null;
  if (!hex || /^0+$/.test(hex)) return {};
  const span = parent?.[2];
  return { traceId: hex, ...(span && !/^0+$/.test(span) ? { spanId: span } : {}) };
}

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

function attribute(key: string, value: string | number | boolean | null | undefined): { key: string; value: AnyValue } | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'number') return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
  return { key, value: { stringValue: value } };
}

/** Nanoseconds since the epoch as a decimal string (a 64-bit integer in OTLP JSON). */
export function unixNano(ms: number): string {
  return `${BigInt(Math.round(ms)) * 1_000_000n}`;
}

const SEVERITY = { INFO: 9, WARN: 13 } as const;

function describe(event: ForwardEvent): { body: string; warn: boolean } {
  switch (event.type) {
    case 'rating':
      return { body: `ChatPulse rating: ${event.value === 'up' ? 'helpful' : 'not helpful'} (bot message ${event.message ?? '?'})`, warn: event.value === 'down' };
    case 'csat':
      return { body: `ChatPulse CSAT: ${event.value}/5`, warn: Number(event.value) <= 2 };
    case 'outcome':
      return { body: `ChatPulse conversation outcome: ${event.value}`, warn: event.value === 'abandoned' || event.value === 'unresolved' || event.value === 'escalated' };
    case 'alert':
      return { body: `ChatPulse alert: ${event.alert?.metric ?? event.value} moved for ${event.alert?.dimension ?? ''} ${event.alert?.key ?? ''}`, warn: true };
  }
}

export function otlpLogs(config: OtlpConfig, event: ForwardEvent, nowMs: number): Record<string, unknown> {
  const { body, warn } = describe(event);
  const attributes = [
    attribute('chatpulse.event', event.type),
    attribute('chatpulse.site', event.site),
    attribute('chatpulse.conversation.id', event.conversationId),
    attribute('chatpulse.release', event.release),
    attribute('chatpulse.intent', event.intent),
    attribute('chatpulse.page', event.page),
    attribute('chatpulse.outcome', event.outcome),
    attribute('chatpulse.rating', event.type === 'rating' ? String(event.value) : null),
    attribute('chatpulse.message.index', event.message),
    attribute('chatpulse.csat.score', event.type === 'csat' ? Number(event.value) : null),
    attribute('chatpulse.csat.comment', event.type === 'csat' ? event.comment : null),
    attribute('chatpulse.resolution', event.resolution),
    // The id as the page gave it: it may not be an OTLP trace id (then `traceId` is left out).
    attribute('chatpulse.trace_id', event.traceId),
    attribute('chatpulse.trace_url', event.traceUrl),
    attribute('chatpulse.event.id', event.id),
  ].filter((a) => a !== null);
  const record = {
    timeUnixNano: unixNano(Date.parse(event.occurredAt)),
    observedTimeUnixNano: unixNano(nowMs),
    severityNumber: warn ? SEVERITY.WARN : SEVERITY.INFO,
    severityText: warn ? 'WARN' : 'INFO',
    eventName: `chatpulse.${event.type}`,
    body: { stringValue: body },
    attributes,
    ...otlpIds(event.traceId),
  };
  return {
    resourceLogs: [
      {
        resource: { attributes: [attribute('service.name', config.serviceName ?? 'chatpulse'), attribute('chatpulse.site', event.site)] },
        scopeLogs: [{ scope: { name: 'chatpulse.collector', version: '1' }, logRecords: [record] }],
      },
    ],
  };
}

export function otlpUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1/logs';
  return url.toString();
}

function otlpRequest(config: OtlpConfig, event: ForwardEvent, nowMs: number): WireRequest {
  return {
    url: otlpUrl(config.endpoint),
    headers: { ...config.headers, 'Content-Type': 'application/json', 'User-Agent': USER_AGENT },
    body: JSON.stringify(otlpLogs(config, event, nowMs)),
  };
}

// ---- signed webhook --------------------------------------------------------------------------

export function webhookPayload(event: ForwardEvent): Record<string, unknown> {
  const data: Record<string, unknown> =
    event.type === 'alert' && event.alert
      ? alertData(event.alert)
      : {
          conversationId: event.conversationId,
          revision: event.revision,
          ...(event.message !== undefined ? { message: event.message } : {}),
          ...(event.type === 'rating' ? { rating: event.value } : {}),
          ...(event.type === 'csat' ? { csat: event.value, comment: event.comment ?? null } : {}),
          ...(event.type === 'outcome' ? { resolution: event.resolution ?? null } : {}),
          outcome: event.outcome,
          traceId: event.traceId,
          traceUrl: event.traceUrl ?? null,
          ...(event.traceIds ? { traceIds: event.traceIds } : {}),
          release: event.release,
          intent: event.intent,
          page: event.page,
        };
  return { id: event.id, type: event.type, site: event.site, createdAt: event.occurredAt, data };
}

function alertData(a: AlertRecord): Record<string, unknown> {
  const { site: _site, conditionKey: _key, ...rest } = a;
  return rest;
}

function webhookRequest(config: WebhookConfig, event: ForwardEvent, nowMs: number): WireRequest {
  const body = JSON.stringify(webhookPayload(event));
  // Signed at each attempt, so a retried delivery carries a fresh timestamp.
  const timestamp = Math.floor(nowMs / 1000);
  return {
    url: config.url,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      'X-ChatPulse-Event': event.type,
      'X-ChatPulse-Delivery': event.id,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: sign(config.secret, timestamp, body),
    },
    body,
  };
}
