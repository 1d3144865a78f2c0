// The admin site-registry API (/v1/sites…) as the dashboard's Sites panel uses it. Same conventions
// as api.ts: the bearer token on every call, a 401 becomes UnauthorizedError.
import type { SiteView } from '../collector/routes/sites.ts';
import { UnauthorizedError } from './api.ts';

export type { SiteView };

/** A refused change, with the collector's field messages (400) or conflict message (409). */
export class SiteApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'SiteApiError';
  }
}

async function send(token: string, method: string, path: string, body?: unknown): Promise<{ site?: SiteView; sites?: SiteView[]; key?: string }> {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    cache: 'no-store',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) throw new UnauthorizedError();
  const json = (await response.json().catch(() => ({}))) as { error?: string; message?: string; issues?: Array<{ path: string; message: string }>; site?: SiteView; sites?: SiteView[]; key?: string };
  if (!response.ok) {
    const detail = json.issues?.map((i) => `${i.path}: ${i.message}`).join('; ') ?? json.message ?? json.error ?? `HTTP ${response.status}`;
    throw new SiteApiError(detail, response.status);
  }
  return json;
}

export async function listSites(token: string): Promise<SiteView[]> {
  return (await send(token, 'GET', '/v1/sites')).sites ?? [];
}

export async function createSite(token: string, input: { id: string; name?: string; origins: string[] }): Promise<void> {
  await send(token, 'POST', '/v1/sites', input);
}

export async function setOrigins(token: string, id: string, origins: string[]): Promise<void> {
  await send(token, 'PATCH', `/v1/sites/${encodeURIComponent(id)}`, { origins });
}

export async function setEnabled(token: string, id: string, enabled: boolean): Promise<void> {
  await send(token, 'POST', `/v1/sites/${encodeURIComponent(id)}/${enabled ? 'enable' : 'disable'}`);
}

export async function rotateKey(token: string, id: string, graceDays: number): Promise<string> {
  return (await send(token, 'POST', `/v1/sites/${encodeURIComponent(id)}/rotate`, { graceDays })).key ?? '';
}
