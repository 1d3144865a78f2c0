// Records read back from IndexedDB are checked before use: the host page shares our origin and
// can write into our database, and an older build may have left other shapes behind.
import type { ConversationEvent } from '../types.ts';
import type { OutboxEntry, StoredConversation } from './types.ts';

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown, max = 2048): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

export function isOutboxEntry(v: unknown): v is OutboxEntry {
  if (!isObject(v) || !isString(v.id, 64) || !isCount(v.revision) || !isCount(v.bytes) || !isObject(v.summary)) return false;
  const s = v.summary;
  return s.id === v.id && s.revision === v.revision && isString(s.site, 64) && isString(s.startedAt, 40) && isObject(s.messages);
}

export function isStoredConversation(v: unknown): v is StoredConversation {
  return isObject(v) && isString(v.id, 64) && isString(v.site, 64) && isString(v.visitor, 64) && isTime(v.startedAt) && isCount(v.revision) && isTime(v.updatedAt) && typeof v.ended === 'boolean';
}

export function isConversationEvent(v: unknown): v is ConversationEvent {
  if (!isObject(v) || !isTime(v.at)) return false;
  switch (v.type) {
    case 'message':
      return (v.role === 'user' || v.role === 'bot') && isCount(v.index) && typeof v.fingerprint === 'string' && (v.text === undefined || (typeof v.text === 'string' && v.text.length <= 500));
    case 'vote':
      return isCount(v.message) && (v.value === 'up' || v.value === 'down' || v.value === null);
    case 'csat-shown':
    case 'resolve':
      return true;
    case 'csat':
      return isCount(v.score) && v.score >= 1 && v.score <= 5;
    case 'handoff':
      return v.source === 'control' || v.source === 'api' || v.source === 'message';
    case 'end':
      return v.reason === 'idle' || v.reason === 'end' || v.reason === 'handoff' || v.reason === 'api';
    case 'trace':
      return isCount(v.message) && typeof v.traceId === 'string' && v.traceId.length > 0 && v.traceId.length <= 200;
    case 'intent':
      return typeof v.name === 'string' && v.name.length > 0 && v.name.length <= 60;
    case 'sentiment':
      return isCount(v.message) && typeof v.compound === 'number' && v.compound >= -1 && v.compound <= 1;
    default:
      return false;
  }
}
