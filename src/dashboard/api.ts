// The collector's read API as the dashboard sees it: one fetch helper that adds the admin token and
// turns a 401 into an UnauthorizedError, so the app can send the user back to the sign-in form.
import type { ConversationSignal, GroupBy, MetricGroup, MetricValues, Site } from '../collector/store/types.ts';
import type { IntentDefinition } from '../intents/match.ts';
import type { Outcome, Summary } from '../shared/summary.ts';

export type { ConversationSignal, GroupBy, IntentDefinition, MetricGroup, MetricValues, Site, Outcome, Summary };

export interface MetricsResponse extends MetricValues {
  site: string;
  from: string;
  to: string;
  previous: MetricValues;
  groupBy?: GroupBy;
  groups: MetricGroup[];
  /** With several groupings requested: each grouping's groups. */
  groupings?: Partial<Record<GroupBy, MetricGroup[]>>;
}

export interface ConversationFilters {
  outcome: Outcome | 'all';
  signal: ConversationSignal | 'all';
}

export interface ConversationsResponse {
  site: string;
  conversations: Summary[];
}

export class UnauthorizedError extends Error {
  constructor() {
    super('unauthorized');
    this.name = 'UnauthorizedError';
  }
}

export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
  }
}

export interface Range {
  site: string;
  from: Date;
  to: Date;
}

async function request(path: string, token: string, signal?: AbortSignal, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(path, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    cache: 'no-store',
    ...(signal ? { signal } : {}),
  });
  if (response.status === 400 && init.method === 'PUT') throw new InvalidInputError(((await response.json()) as { issues?: Array<{ path: string; message: string }> }).issues ?? []);
  if (response.status === 401) throw new UnauthorizedError();
  if (!response.ok) throw new HttpError(response.status);
  return response;
}

function rangeQuery(range: Range): URLSearchParams {
  return new URLSearchParams({ site: range.site, from: range.from.toISOString(), to: range.to.toISOString() });
}

export async function fetchSites(token: string, signal?: AbortSignal): Promise<Site[]> {
  const body = (await (await request('/v1/sites', token, signal)).json()) as { sites: Site[] };
  return body.sites;
}

/** The collector refused what was sent, with its field errors. */
export class InvalidInputError extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; ') || 'invalid input');
    this.name = 'InvalidInputError';
  }
}

export async function fetchMetrics(token: string, range: Range, groupBy: GroupBy | readonly GroupBy[], signal?: AbortSignal): Promise<MetricsResponse> {
  const query = rangeQuery(range);
  query.set('groupBy', typeof groupBy === 'string' ? groupBy : [...new Set(groupBy)].join(','));
  return (await (await request(`/v1/metrics?${query}`, token, signal)).json()) as MetricsResponse;
}

export async function fetchConversations(token: string, range: Range, filters: ConversationFilters, limit: number, signal?: AbortSignal): Promise<Summary[]> {
  const query = rangeQuery(range);
  query.set('limit', String(limit));
  if (filters.outcome !== 'all') query.set('outcome', filters.outcome);
  if (filters.signal !== 'all') query.set('signal', filters.signal);
  const body = (await (await request(`/v1/conversations?${query}`, token, signal)).json()) as ConversationsResponse;
  return body.conversations;
}

export async function fetchExport(token: string, range: Range): Promise<Blob> {
  return (await request(`/v1/export.csv?${rangeQuery(range)}`, token)).blob();
}

export async function fetchIntents(token: string, site: string): Promise<IntentDefinition[]> {
  return ((await (await request(`/v1/sites/${encodeURIComponent(site)}/intents`, token)).json()) as { intents: IntentDefinition[] }).intents;
}

export async function saveIntents(token: string, site: string, intents: IntentDefinition[]): Promise<IntentDefinition[]> {
  const init = { method: 'PUT', body: JSON.stringify({ intents }) };
  return ((await (await request(`/v1/sites/${encodeURIComponent(site)}/intents`, token, undefined, init)).json()) as { intents: IntentDefinition[] }).intents;
}
