// Integration state of the dashboard: the site's trace link template (trace ids become links into
// the team's LLM observability tool) and its open alerts. Loaded beside each refresh; a failure
// here never disturbs the rest of the dashboard.
import { signal } from '@preact/signals';
import type { AlertRecord } from '../collector/integrations/types.ts';

export type { AlertRecord };

export const traceTemplate = signal<string | null>(null);
export const openAlerts = signal<AlertRecord[]>([]);

/** The link of a trace id, or null without a template (only http(s) templates are accepted). */
export function traceHref(template: string | null, traceId: string): string | null {
  if (!template || !/^https?:\/\//i.test(template)) return null;
  return template.replaceAll('{traceId}', encodeURIComponent(traceId));
}

let loadedFor: string | null = null;

export async function loadIntegrations(token: string, site: string): Promise<void> {
  const get = async <T,>(path: string): Promise<T | null> => {
    try {
      const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
      return response.ok ? ((await response.json()) as T) : null;
    } catch {
      return null;
    }
  };
  const query = `site=${encodeURIComponent(site)}`;
  const [settings, alerts] = await Promise.all([
    get<{ traceUrlTemplate: string | null }>(`/v1/integrations?${query}`),
    get<{ alerts: AlertRecord[] }>(`/v1/alerts?${query}&status=open&limit=20`),
  ]);
  if (loadedFor !== site) {
    // Another site's values must not linger while this one's are missing.
    traceTemplate.value = null;
    openAlerts.value = [];
    loadedFor = site;
  }
  if (settings) traceTemplate.value = settings.traceUrlTemplate;
  if (alerts) openAlerts.value = alerts.alerts;
}
