// The collector's read API as the dashboard sees it: one fetch helper that adds the admin token and
// turns a 401 into an UnauthorizedError, so the app can send the user back to the sign-in form.
import type { GroupBy, MetricValues, Site } from '../collector/store/types.ts';
import type { Outcome, Summary } from '../shared/summary.ts';

export type { GroupBy, MetricValues, Site, Outcome, Summary };

export interface MetricsResponse extends MetricValues {
  site: string;
  from: string;
  to: string;
  previous: MetricValues;
  groupBy?: GroupBy;
  groups: Array<MetricValues & { key: string }>;
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

async function request(path: string, token: string, signal?: AbortSignal): Promise<Response> {
  const response = await fetch(path, {
    headers: { Authorization: `Bearer ${token}` },
    cache: 'no-store',
    ...(signal ? { signal } : {}),
  });
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

export async function fetchMetrics(token: string, range: Range, groupBy: GroupBy, signal?: AbortSignal): Promise<MetricsResponse> {
  const query = rangeQuery(range);
  query.set('groupBy', groupBy);
  return (await (await request(`/v1/metrics?${query}`, token, signal)).json()) as MetricsResponse;
}

export async function fetchConversations(token: string, range: Range, outcome: Outcome | 'all', limit: number, signal?: AbortSignal): Promise<Summary[]> {
  const query = rangeQuery(range);
  query.set('limit', String(limit));
  if (outcome !== 'all') query.set('outcome', outcome);
  const body = (await (await request(`/v1/conversations?${query}`, token, signal)).json()) as ConversationsResponse;
  return body.conversations;
}

export async function fetchExport(token: string, range: Range): Promise<Blob> {
  return (await request(`/v1/export.csv?${rangeQuery(range)}`, token)).blob();
}
