// Per-site integration settings (trace link template, alert rules), kept in the store's `settings`
// table under `integrations:<site>`, and the schemas the admin API validates them with.
import * as v from 'valibot';
import type { CollectorStore } from '../store/types.ts';
import type { AlertMetric } from './types.ts';

export interface AlertSettings {
  enabled: boolean;
  /** The window compared (the last N hours) … */
  windowHours: number;
  /** … with the N days before it. */
  baselineDays: number;
  /** Ended conversations (CSAT: answers) needed in both windows before a group can alert. */
  minVolume: number;
  /** How far a rate may move the wrong way (a fraction: 0.1 = 10 points) before it alerts. */
  thresholds: Record<AlertMetric, number>;
}

export interface IntegrationSettings {
  /** e.g. `https://cloud.langfuse.com/project/P/traces/{traceId}`; null = trace ids are not links. */
  traceUrlTemplate: string | null;
  alerts: AlertSettings;
}

export const DEFAULT_ALERTS: AlertSettings = {
  enabled: true,
  windowHours: 24,
  baselineDays: 7,
  minVolume: 20,
  thresholds: { resolution: 0.1, escalation: 0.1, abandonment: 0.1, csat: 0.1 },
};

export const DEFAULT_SETTINGS: IntegrationSettings = { traceUrlTemplate: null, alerts: DEFAULT_ALERTS };

const settingName = (site: string): string => `integrations:${site}`;

export async function readSettings(store: CollectorStore, site: string): Promise<IntegrationSettings> {
  const raw = await store.getSetting(settingName(site));
  if (!raw) return DEFAULT_SETTINGS;
  try {
    const stored = JSON.parse(raw) as Partial<IntegrationSettings>;
    return {
      traceUrlTemplate: stored.traceUrlTemplate ?? null,
      alerts: { ...DEFAULT_ALERTS, ...stored.alerts, thresholds: { ...DEFAULT_ALERTS.thresholds, ...stored.alerts?.thresholds } },
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export async function writeSettings(store: CollectorStore, site: string, settings: IntegrationSettings): Promise<void> {
  await store.setSetting(settingName(site), JSON.stringify(settings));
}

const httpUrl = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.check((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'an http(s) URL'),
);

export const TraceTemplateSchema = v.pipe(
  httpUrl,
  v.check((text) => text.includes('{traceId}'), 'must contain {traceId}'),
);

const fraction = v.pipe(v.number(), v.minValue(0.01), v.maxValue(1));

export const SettingsPatchSchema = v.strictObject({
  traceUrlTemplate: v.optional(v.nullable(TraceTemplateSchema)),
  alerts: v.optional(
    v.strictObject({
      enabled: v.optional(v.boolean()),
      windowHours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24 * 7))),
      baselineDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(90))),
      minVolume: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
      thresholds: v.optional(
        v.strictObject({ resolution: v.optional(fraction), escalation: v.optional(fraction), abandonment: v.optional(fraction), csat: v.optional(fraction) }),
      ),
    }),
  ),
});

export function applyPatch(current: IntegrationSettings, patch: v.InferOutput<typeof SettingsPatchSchema>): IntegrationSettings {
  const thresholds = { ...current.alerts.thresholds };
  for (const [metric, value] of Object.entries(patch.alerts?.thresholds ?? {})) if (value !== undefined) thresholds[metric as AlertMetric] = value;
  const alerts = { ...current.alerts };
  for (const key of ['enabled', 'windowHours', 'baselineDays', 'minVolume'] as const) {
    const value = patch.alerts?.[key];
    if (value !== undefined) (alerts as Record<string, unknown>)[key] = value;
  }
  return {
    traceUrlTemplate: patch.traceUrlTemplate === undefined ? current.traceUrlTemplate : patch.traceUrlTemplate,
    alerts: { ...alerts, thresholds },
  };
}

const secret = v.pipe(v.string(), v.minLength(1), v.maxLength(500));
const eventsSchema = v.optional(v.pipe(v.array(v.picklist(['rating', 'csat', 'outcome', 'alert'])), v.minLength(1), v.maxLength(4)));

/** PUT /v1/forwarders/:id body. Secrets may be left out to keep the stored ones. */
export const ForwarderInputSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('langfuse'),
    enabled: v.optional(v.boolean()),
    events: eventsSchema,
    config: v.strictObject({
      baseUrl: httpUrl,
      publicKey: secret,
      secretKey: v.optional(secret),
      thumbsAs: v.optional(v.picklist(['BOOLEAN', 'NUMERIC'])),
      environment: v.optional(v.pipe(v.string(), v.regex(/^(?!langfuse)[a-z0-9_-]{1,40}$/, 'lowercase letters, digits, - and _, not starting with "langfuse"'))),
      names: v.optional(
        v.strictObject({
          thumbs: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
          csat: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
          outcome: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
        }),
      ),
    }),
  }),
  v.strictObject({
    kind: v.literal('otlp'),
    enabled: v.optional(v.boolean()),
    events: eventsSchema,
    config: v.strictObject({
      endpoint: httpUrl,
      headers: v.optional(v.pipe(v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,100}$/)), v.pipe(v.string(), v.maxLength(2000))), v.check((h) => Object.keys(h).length <= 20, 'at most 20 headers'))),
      serviceName: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
    }),
  }),
  v.strictObject({
    kind: v.literal('webhook'),
    enabled: v.optional(v.boolean()),
    events: eventsSchema,
    config: v.strictObject({ url: httpUrl, secret: v.optional(v.pipe(v.string(), v.minLength(16), v.maxLength(500))) }),
  }),
]);

export const FORWARDER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
