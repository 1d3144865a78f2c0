// What a summary revision means for the forwarders: one item per rated message, one for CSAT and
// one for the outcome (once the conversation has ended). An item is forwarded when its value is new
// or changed since the revision last seen, so re-sent or stale revisions forward nothing twice.
// Each forward has a deterministic idempotency key: conversation + item + value (+ how many times
// that item changed, so a vote changed back and forth still reaches the receiver each time).
import { createHash } from 'node:crypto';
import type { ValidSummary } from '../../shared/summary-schema.ts';
import type { Forwarder, ForwardEvent, ForwardEventType, ForwardPlanner, NewOutboxRow } from './types.ts';

export const DEFAULT_EVENTS: Record<Forwarder['kind'], readonly ForwardEventType[]> = {
  langfuse: ['rating', 'csat', 'outcome'],
  otlp: ['rating', 'csat', 'outcome'],
  webhook: ['rating', 'csat', 'outcome', 'alert'],
};

export function hashId(...parts: Array<string | number>): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** `{traceId}` in the template replaced by the (URL-encoded) trace id; null without a template or id. */
export function traceUrl(template: string | null | undefined, traceId: string | null | undefined): string | null {
  if (!template || !traceId) return null;
  return template.replaceAll('{traceId}', encodeURIComponent(traceId));
}

/** Whether a forwarder takes an event: enabled, subscribed to its type, and (Langfuse) it has a trace to score. */
export function accepts(f: Forwarder, event: ForwardEvent): boolean {
  if (!f.enabled) return false;
  if (!(f.events ?? DEFAULT_EVENTS[f.kind]).includes(event.type)) return false;
  if (f.kind === 'langfuse') return event.type !== 'alert' && event.traceId !== null;
  return true;
}

interface Item {
  key: string;
  value: string;
  event: Omit<ForwardEvent, 'id' | 'scoreId' | 'site'>;
}

function items(s: ValidSummary, receivedAt: number, template: string | null): Item[] {
  const common = {
    conversationId: s.id,
    revision: s.revision,
    release: s.release,
    intent: s.intent ?? null,
    page: s.page,
    outcome: s.outcome,
  };
  const lastTrace = s.traceIds.length > 0 ? s.traceIds[s.traceIds.length - 1]! : null;
  const arrived = new Date(receivedAt).toISOString();
  const out: Item[] = [];
  // The last rating of a message is its current vote.
  const votes = new Map<number, ValidSummary['ratings'][number]>();
  for (const r of s.ratings) votes.set(r.message, r);
  for (const r of votes.values()) {
    out.push({
      key: `rating:${r.message}`,
      value: r.value,
      event: { ...common, type: 'rating', occurredAt: arrived, message: r.message, value: r.value, traceId: r.traceId, traceUrl: traceUrl(template, r.traceId) },
    });
  }
  if (s.csat) {
    const comment = s.csat.comment ?? null;
    out.push({
      key: 'csat',
      value: `${s.csat.score}:${comment === null ? '' : hashId(comment).slice(0, 12)}`,
      event: { ...common, type: 'csat', occurredAt: s.endedAt ?? arrived, value: s.csat.score, comment, traceId: lastTrace, traceUrl: traceUrl(template, lastTrace), traceIds: s.traceIds },
    });
  }
  if (s.endReason !== null && s.outcome !== null) {
    out.push({
      key: 'outcome',
      value: s.outcome,
      event: { ...common, type: 'outcome', occurredAt: s.endedAt ?? arrived, value: s.outcome, resolution: s.resolution, traceId: lastTrace, traceUrl: traceUrl(template, lastTrace), traceIds: s.traceIds },
    });
  }
  return out;
}

/** The planner the store runs per summary inside its transaction. */
export function planner(site: string, targets: readonly Forwarder[], template: string | null, receivedAt: number): ForwardPlanner {
  return (s, previous) => {
    if (previous && s.revision <= previous.revision) return null;
    const state = { revision: s.revision, items: { ...(previous?.items ?? {}) } };
    const rows: NewOutboxRow[] = [];
    for (const item of items(s, receivedAt, template)) {
      const before = state.items[item.key];
      if (before && before.v === item.value) continue;
      const n = (before?.n ?? 0) + 1;
      state.items[item.key] = { v: item.value, n };
      const eventKey = `${s.id}:${item.key}:${item.value}:${n}`;
      const event: ForwardEvent = { ...item.event, id: hashId(site, eventKey), site, scoreId: hashId(site, s.id, item.key) };
      for (const f of targets) {
        if (accepts(f, event)) rows.push({ site, forwarder: f.id, itemKey: `${s.id}:${item.key}`, eventKey, event });
      }
    }
    return { state, rows };
  };
}
