// The site registry's rules, shared by the CLI (`npx chatpulse sites …`) and the admin API
// (routes/sites.ts): validation, public key generation, rotation with a grace period, and the
// short-lived cache the collect route resolves keys through.
//
// Model: a site has a stable id (`Site.key`; storage, metrics and rate limits use it, it never
// changes) and one or more public keys (the `data-site` value in pages). Rotation adds a new key
// and gives the others an expiry, so pages already deployed keep working during the grace period.
import { randomBytes } from 'node:crypto';
import type { FieldIssue } from '../shared/summary-schema.ts';
import { originPatternProblem } from './origins.ts';
import { SiteConflictError, type CollectorStore, type Site, type SiteKey, type SiteWithKeys } from './store/types.ts';

export const DAY_MS = 86_400_000;
export const DEFAULT_KEY_GRACE_MS = 7 * DAY_MS;
/** Same alphabet and length as `site` in the collect schema: a key must be sendable as `site`. */
const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_ORIGINS = 100;
const MAX_NAME = 200;
/** A grace period longer than this is almost certainly a typo (ms instead of days). */
const MAX_GRACE_MS = 365 * DAY_MS;

/** Bad input to a registry operation; `issues` name the field, as 400 answers do. */
export class SiteInputError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'SiteInputError';
  }
}

export { SiteConflictError };

/**
 * A new public key: the site id (shortened) for humans reading page source, then 120 random bits
 * so keys cannot be guessed from the id and a rotated-out key is not re-derivable.
 */
export function newPublicKey(siteId: string): string {
  return `${siteId.slice(0, 24)}_${randomBytes(15).toString('base64url')}`;
}

export type KeyState = 'active' | 'expiring' | 'expired';

export function keyState(key: SiteKey, now: number): KeyState {
  if (key.expiresAt === null) return 'active';
  return key.expiresAt > now ? 'expiring' : 'expired';
}

/** `7d`, `36h`, `90m`, `30s`, `0` (or a bare number of days) → milliseconds; null if unreadable. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(d|h|m|s)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = { d: DAY_MS, h: 3_600_000, m: 60_000, s: 1000 }[(m[2] ?? 'd').toLowerCase() as 'd' | 'h' | 'm' | 's'];
  const ms = Number(m[1]) * unit;
  return Number.isFinite(ms) && ms <= MAX_GRACE_MS ? Math.round(ms) : null;
}

export interface NewSite {
  id: string;
  name?: string | undefined;
  origins: readonly string[];
  enabled?: boolean | undefined;
  /** The first public key; default: a generated one. */
  key?: string | undefined;
}

export interface SitePatch {
  name?: string | undefined;
  origins?: readonly string[] | undefined;
  enabled?: boolean | undefined;
}

function idIssues(path: string, value: string): FieldIssue[] {
  return ID_PATTERN.test(value) ? [] : [{ path, message: '1–64 letters, digits, _ . : - only' }];
}

function originIssues(origins: readonly string[]): FieldIssue[] {
  if (origins.length > MAX_ORIGINS) return [{ path: 'origins', message: `at most ${MAX_ORIGINS}` }];
  return origins.flatMap((origin, i) => {
    const problem = typeof origin === 'string' ? originPatternProblem(origin.trim()) : 'must be a string';
    return problem ? [{ path: `origins.${i}`, message: `${JSON.stringify(origin)}: ${problem}` }] : [];
  });
}

function nameIssues(name: string | undefined): FieldIssue[] {
  return name !== undefined && (name.length > MAX_NAME || /[\u0000-\u001f]/.test(name)) ? [{ path: 'name', message: `at most ${MAX_NAME} printable characters` }] : [];
}

/** Trimmed, de-duplicated, in the order given. */
function cleanOrigins(origins: readonly string[]): string[] {
  return [...new Set(origins.map((o) => o.trim()))];
}

export async function findSite(store: CollectorStore, id: string): Promise<SiteWithKeys | null> {
  return (await store.listSites()).find((s) => s.key === id) ?? null;
}

export async function addSite(store: CollectorStore, input: NewSite, now = Date.now()): Promise<SiteWithKeys> {
  const issues = [...idIssues('id', input.id), ...(input.key !== undefined ? idIssues('key', input.key) : []), ...nameIssues(input.name), ...originIssues(input.origins)];
  if (issues.length > 0) throw new SiteInputError(issues);
  const site: Site = { key: input.id, name: input.name ?? input.id, origins: cleanOrigins(input.origins), enabled: input.enabled ?? true };
  await store.createSite(site, input.key ?? newPublicKey(input.id), now);
  return (await findSite(store, input.id))!;
}

/** Resolves null if there is no such site. */
export async function updateSite(store: CollectorStore, id: string, patch: SitePatch): Promise<SiteWithKeys | null> {
  const issues = [...nameIssues(patch.name), ...(patch.origins ? originIssues(patch.origins) : [])];
  if (issues.length > 0) throw new SiteInputError(issues);
  const current = await store.getSite(id);
  if (!current) return null;
  await store.putSite({
    key: id,
    name: patch.name ?? current.name,
    origins: patch.origins ? cleanOrigins(patch.origins) : current.origins,
    enabled: patch.enabled ?? current.enabled,
  });
  return findSite(store, id);
}

/**
 * Issues a new public key; every other key still valid expires `graceMs` from now (0 revokes them
 * at once, e.g. after a leak). Resolves null if there is no such site.
 */
export async function rotateSiteKey(
  store: CollectorStore,
  id: string,
  options: { graceMs?: number; key?: string } = {},
  now = Date.now(),
): Promise<{ site: SiteWithKeys; key: string; oldKeysExpireAt: number } | null> {
  const graceMs = options.graceMs ?? DEFAULT_KEY_GRACE_MS;
  const issues = [
    ...(options.key !== undefined ? idIssues('key', options.key) : []),
    ...(!Number.isFinite(graceMs) || graceMs < 0 || graceMs > MAX_GRACE_MS ? [{ path: 'graceMs', message: `0 to ${MAX_GRACE_MS} (365 days)` }] : []),
  ];
  if (issues.length > 0) throw new SiteInputError(issues);
  const key = options.key ?? newPublicKey(id);
  const oldKeysExpireAt = now + graceMs;
  if (!(await store.addSiteKey(id, key, now, oldKeysExpireAt))) return null;
  return { site: (await findSite(store, id))!, key, oldKeysExpireAt };
}

export interface SiteCache {
  /** The site a public key belongs to while the key is valid; cached for up to `ttlMs`. */
  forKey(publicKey: string, now?: number): Promise<SiteWithKeys | null>;
  /** Forget everything: called after this process changes the registry. */
  invalidate(): void;
}

/**
 * Resolving the key on every beacon was a database round trip per request (a query on SQLite, a
 * network hop on PostgreSQL). Entries live at most `ttlMs` (1 s by default), so a change made by
 * the CLI or another collector applies within a second; this process's own changes invalidate at
 * once. Lookups of the same key in flight share one query; unknown keys are cached too (a flood of
 * one bad key costs one query per second), and the map is bounded (a flood of random keys evicts
 * the oldest entries instead of growing memory).
 */
export function createSiteCache(store: CollectorStore, options: { ttlMs?: number; maxEntries?: number } = {}): SiteCache {
  const ttlMs = options.ttlMs ?? 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { at: number; site: Promise<SiteWithKeys | null> }>();
  return {
    async forKey(publicKey, now = Date.now()) {
      let entry = entries.get(publicKey);
      if (!entry || now - entry.at >= ttlMs || now < entry.at) {
        if (entry) entries.delete(publicKey);
        else if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        const lookup = store.siteForKey(publicKey, now);
        entry = { at: now, site: lookup };
        entries.set(publicKey, entry);
        // A failed lookup (storage down) must not be cached: the next request tries again.
        lookup.catch(() => {
          if (entries.get(publicKey)?.site === lookup) entries.delete(publicKey);
        });
      }
      const site = await entry.site;
      // The key may expire while cached (end of a grace period): check against now.
      const key = site?.keys.find((k) => k.key === publicKey);
      return site && key && keyState(key, now) !== 'expired' ? site : null;
    },
    invalidate() {
      entries.clear();
    },
  };
}
