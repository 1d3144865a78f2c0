// Test helpers for the collector: a valid Summary builder, a collect envelope, an app over an
// in-memory SQLite (or a fresh PostgreSQL) store with one site, and request shorthands. Used only by *.test.ts files.
import type { Hono } from 'hono';
import type { ValidSummary } from '../shared/summary-schema.ts';
import type { Summary } from '../shared/summary.ts';
import { createApp, type AppOptions } from './app.ts';
import type { CollectorStore, Site } from './store/types.ts';
import { openTestStore, type StoreKind } from './test-stores.ts';

export const SITE = 'shop';
export const ORIGIN = 'https://shop.example';
export const TOKEN = 'test-admin-token-0123456789';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object | null ? T[K] | DeepPartial<NonNullable<T[K]>> : T[K] };

let counter = 0;

/** A valid, ended, explicitly resolved summary; `overrides` replace top-level fields (nested objects are merged). */
export function summary(overrides: DeepPartial<Summary> = {}): Summary {
  counter += 1;
  const base: Summary = {
    id: `c${counter}`,
    revision: 1,
    site: SITE,
    visitor: `v${counter}`,
    page: 'https://shop.example/help',
    release: 'r1',
    locale: 'en',
    intent: null,
    startedAt: '2024-03-10T10:00:00.000Z',
    endedAt: '2024-03-10T10:05:00.000Z',
    endReason: 'end',
    messages: { user: 2, bot: 2 },
    thumbs: { up: 0, down: 0 },
    ratings: [],
    csat: null,
    csatShown: false,
    handoff: false,
    outcome: 'resolved',
    resolution: 'explicit',
    sentiment: null,
    traceIds: [],
  };
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? { ...current, ...value }
        : value;
  }
  return out as unknown as Summary;
}

/** Compile-time check that the runtime schema's output and the Summary type stay in step. */
export const schemaMatchesType: (s: ValidSummary) => Summary = (s) => s;
export const typeMatchesSchema: (s: Summary) => ValidSummary = (s) => s;

export function envelope(summaries: unknown[], site = SITE): Record<string, unknown> {
  return { v: 1, site, sentAt: '2024-03-10T10:06:00.000Z', summaries };
}

export interface TestApp {
  app: Hono;
  store: CollectorStore;
}

/** An app over `store`, or over a fresh store of `kind` (default: in-memory SQLite). */
export async function makeApp(options: Partial<Omit<AppOptions, 'store'>> & { store?: CollectorStore; kind?: StoreKind; sites?: Site[] } = {}): Promise<TestApp> {
  const store = options.store ?? (await openTestStore(options.kind ?? 'sqlite'));
  const sites = options.sites ?? [{ key: SITE, name: 'Shop', origins: [ORIGIN, 'https://*.shop.example'], enabled: true }];
  for (const site of sites) await store.putSite(site);
  const app = createApp({ store, adminToken: options.adminToken ?? TOKEN, ...(options.limits ? { limits: options.limits } : {}) });
  return { app, store };
}

/** POSTs a body to /v1/collect as text/plain (what sendBeacon sends) from ORIGIN unless told. */
export function collect(app: Hono, body: unknown, init: { headers?: Record<string, string>; raw?: boolean } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ORIGIN, ...init.headers };
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
  return Promise.resolve(
    app.request('/v1/collect', { method: 'POST', headers, body: init.raw ? (body as string) : JSON.stringify(body) }),
  );
}

export function admin(app: Hono, path: string, token = TOKEN): Promise<Response> {
  return Promise.resolve(app.request(path, { headers: { Authorization: `Bearer ${token}` } }));
}

/** Every stored summary of a site (wide range, newest first). */
export async function stored(store: CollectorStore, site = SITE): Promise<ValidSummary[]> {
  return store.conversations({ site, from: 0, to: 8.64e15, limit: 100_000 });
}
