// App state as signals, and the one loader that fills it. Every refresh fetches metrics and
// conversations for the current selection; an answer that arrives after the selection changed is
// dropped, and a quiet (auto) refresh never blanks what is on screen.
import { computed, effect, signal } from '@preact/signals';
import {
  UnauthorizedError,
  fetchConversations,
  fetchExport,
  fetchIntents,
  fetchMetrics,
  fetchSites,
  saveIntents,
  type ConversationSignal,
  type GroupBy,
  type IntentDefinition,
  type MetricsResponse,
  type Outcome,
  type Range,
  type Site,
  type Summary,
} from './api.ts';
import { downloadBlob } from './download.ts';
import { clearToken, saveToken } from './token.ts';
import { loadIntegrations } from './integrations.ts';

export const REFRESH_MS = 5000;
export const CONVERSATION_LIMIT = 50;

export const PERIODS = [
  { id: '24h', label: 'Last 24 hours', short: '24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', short: '7 days', ms: 7 * 86_400_000 },
  { id: '14d', label: 'Last 14 days', short: '14 days', ms: 14 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', short: '30 days', ms: 30 * 86_400_000 },
] as const;
export type PeriodId = (typeof PERIODS)[number]['id'];

export const GROUPS: ReadonlyArray<{ id: GroupBy; label: string }> = [
  { id: 'page', label: 'Page' },
  { id: 'release', label: 'Release' },
  { id: 'intent', label: 'Intent' },
  { id: 'day', label: 'Day' },
];

export const OUTCOME_FILTERS: ReadonlyArray<{ id: Outcome | 'all'; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'resolved', label: 'Resolved' },
  { id: 'escalated', label: 'Escalated' },
  { id: 'abandoned', label: 'Abandoned' },
  { id: 'unresolved', label: 'Unresolved' },
  { id: 'unknown', label: 'Unknown' },
];

export const SIGNAL_FILTERS: ReadonlyArray<{ id: ConversationSignal | 'all'; label: string }> = [
  { id: 'all', label: 'Any' },
  { id: 'thumbs-down', label: 'Thumbs-down' },
  { id: 'handoff', label: 'Handoff' },
  { id: 'negative-streak', label: 'Negative streak' },
];

const PREFS_KEY = 'chatpulse.dashboard';
interface Prefs {
  site?: string;
  period?: PeriodId;
  groupBy?: GroupBy;
}
function readPrefs(): Prefs {
  try {
    const raw = window.localStorage.getItem(PREFS_KEY);
    return raw ? (JSON.parse(raw) as Prefs) : {};
  } catch {
    return {};
  }
}
const prefs = readPrefs();

export type AuthState = 'checking' | 'signed-out' | 'signed-in';

export const token = signal<string | null>(null);
export const auth = signal<AuthState>('checking');
/** Why the sign-in form is showing, if not simply "no token yet". */
export const authMessage = signal<string | null>(null);

export const sites = signal<Site[]>([]);
export const siteKey = signal<string | null>(null);
export const period = signal<PeriodId>(PERIODS.some((p) => p.id === prefs.period) ? (prefs.period as PeriodId) : '7d');
export const groupBy = signal<GroupBy>(GROUPS.some((g) => g.id === prefs.groupBy) ? (prefs.groupBy as GroupBy) : 'page');
export const outcomeFilter = signal<Outcome | 'all'>('all');
export const signalFilter = signal<ConversationSignal | 'all'>('all');

/** Compare view: this period against the previous one, or one release against another. */
export type CompareMode = 'periods' | 'releases';
export const compareMode = signal<CompareMode>('periods');
export const compareA = signal<string | null>(null);
export const compareB = signal<string | null>(null);

/** The site's intent definitions (for the editor); null until loaded. */
export const intentDefinitions = signal<IntentDefinition[] | null>(null);

export const metrics = signal<MetricsResponse | null>(null);
export const conversations = signal<Summary[] | null>(null);
/** True while an answer for the current selection is pending after the selection changed. */
export const loading = signal(false);
export const updatedAt = signal<Date | null>(null);
export const loadError = signal<string | null>(null);

export const currentPeriod = computed(() => PERIODS.find((p) => p.id === period.value) ?? PERIODS[1]);

effect(() => {
  const next: Prefs = { period: period.value, groupBy: groupBy.value, ...(siteKey.value ? { site: siteKey.value } : {}) };
  try {
    window.localStorage.setItem(PREFS_KEY, JSON.stringify(next));
  } catch {
    // preferences are a nicety
  }
});

function currentRange(): Range | null {
  const site = siteKey.value;
  if (!site) return null;
  const to = new Date();
  return { site, from: new Date(to.getTime() - currentPeriod.value.ms), to };
}

function describe(error: unknown): string {
  if (error instanceof TypeError) return 'Cannot reach the collector';
  if (error instanceof Error && error.message.startsWith('HTTP ')) return `The collector answered ${error.message.slice(5)}`;
  return 'Something went wrong';
}

/** The token was refused: forget it and show the sign-in form. */
function rejected(message: string): void {
  clearToken();
  token.value = null;
  auth.value = 'signed-out';
  authMessage.value = message;
  metrics.value = null;
  conversations.value = null;
  updatedAt.value = null;
}

/** Checks a token against /v1/sites; on success keeps it and picks a site. Returns an error text or null. */
export async function signIn(candidate: string, remember = true): Promise<string | null> {
  try {
    const list = await fetchSites(candidate);
    if (remember) saveToken(candidate);
    token.value = candidate;
    sites.value = list;
    const preferred = [prefs.site, siteKey.value, 'demo'].find((key) => key && list.some((s) => s.key === key));
    siteKey.value = preferred ?? list[0]?.key ?? null;
    authMessage.value = null;
    auth.value = 'signed-in';
    return null;
  } catch (error) {
    if (error instanceof UnauthorizedError) return 'That token was not accepted. Check it and try again.';
    return `${describe(error)}. Try again in a moment.`;
  }
}

export function signOut(): void {
  rejected('');
  authMessage.value = null;
  sites.value = [];
}

let generation = 0;
let inFlight = false;

/**
 * Fetches metrics and conversations. `quiet` refreshes (the 5-second timer) skip if one is running
 * and keep the screen as it is; a selection change supersedes whatever is in flight.
 */
export async function refresh(quiet = false): Promise<void> {
  const key = token.value;
  const range = currentRange();
  if (!key || !range || auth.value !== 'signed-in') return;
  if (quiet && inFlight) return;
  const mine = ++generation;
  inFlight = true;
  if (!quiet) loading.value = true;
  try {
    // The selected breakdown first, then what the chart, the compare view and the intent table need.
    const [m, c] = await Promise.all([
      fetchMetrics(key, range, [groupBy.value, 'day', 'release', 'intent']),
      fetchConversations(key, range, { outcome: outcomeFilter.value, signal: signalFilter.value }, CONVERSATION_LIMIT),
    ]);
    if (mine !== generation) return;
    metrics.value = m;
    conversations.value = c;
    void loadIntegrations(key, range.site);
    updatedAt.value = new Date();
    loadError.value = null;
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof UnauthorizedError) rejected('The admin token was not accepted any more. Sign in again.');
    else loadError.value = describe(error);
  } finally {
    if (mine === generation) {
      inFlight = false;
      loading.value = false;
    }
  }
}

/** Loads the current site's intent definitions for the editor. */
export async function loadIntentDefinitions(): Promise<void> {
  const key = token.value;
  const site = siteKey.value;
  if (!key || !site) return;
  try {
    const list = await fetchIntents(key, site);
    if (site === siteKey.value) intentDefinitions.value = list;
  } catch (error) {
    if (error instanceof UnauthorizedError) rejected('The admin token was not accepted any more. Sign in again.');
  }
}

/** Saves the site's intents; resolves to an error text, or null once saved. */
export async function storeIntentDefinitions(list: IntentDefinition[]): Promise<string | null> {
  const key = token.value;
  const site = siteKey.value;
  if (!key || !site) return 'Choose a site first';
  try {
    intentDefinitions.value = await saveIntents(key, site, list);
    return null;
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      rejected('The admin token was not accepted any more. Sign in again.');
      return null;
    }
    return error instanceof Error && error.name === 'InvalidInputError' ? `Not saved: ${error.message}` : `Not saved: ${describe(error)}`;
  }
}

/** Downloads the CSV export of the current site and period through a Blob URL. */
export async function exportCsv(): Promise<string | null> {
  const key = token.value;
  const range = currentRange();
  if (!key || !range) return 'Choose a site first';
  try {
    const blob = await fetchExport(key, range);
    downloadBlob(blob, `chatpulse-${range.site}-${period.value}-${range.to.toISOString().slice(0, 10)}.csv`);
    return null;
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      rejected('The admin token was not accepted any more. Sign in again.');
      return null;
    }
    return `Export failed: ${describe(error)}`;
  }
}
