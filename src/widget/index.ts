// The package entry (`import { init } from 'chatpulse'`) and the core behind the script tag. The
// core is small on purpose: it reads the configuration, watches the page for a chat, and loads the
// engine (storage, delivery, the conversation model — a lazy chunk) at the first sign of a
// conversation, or at once when this tab has one to continue or an earlier page left data behind.
import { buffered, type BufferedAdapter } from '../adapters/buffered.ts';
import { createAdapter } from '../adapters/index.ts';
import type { FeedbackDetail, PublicApi, Summary } from '../types.ts';
import { resolveConfig, type ConfigInput } from './config.ts';
import { Emitter } from './emitter.ts';
import type { Engine } from './engine.ts';
import { onError, safely, setVerbose, warn } from './log.ts';

export type { Config, FeedbackDetail, PublicApi, Summary } from '../types.ts';
export type { ConfigInput } from './config.ts';

interface ApiEvents extends Record<string, unknown> {
  feedback: FeedbackDetail;
  summary: Summary;
  error: { message: string };
}

const instances = new Map<string, PublicApi>();

/**
 * Starts ChatPulse for one site and returns its API. Calling it again for the same site returns
 * the running instance. Never throws: a broken setup logs one warning and does nothing.
 */
export function init(input: ConfigInput): PublicApi {
  const existing = instances.get(input?.site);
  if (existing) return existing;
  const config = resolveConfig(input);
  setVerbose(config.debug);
  const emitter = new Emitter<ApiEvents>();
  onError((error) => emitter.emit('error', error));
  let granted = config.consent === 'granted' && !(config.privacySignals === 'respect' && privacySignal());
  let adapter: BufferedAdapter | null = null;
  let engine: Promise<Engine | null> | null = null;

  function watch(): void {
    if (!config.site) {
      warn('data-site is missing; ChatPulse is off');
      return;
    }
    const found = createAdapter(config);
    if (!found) return;
    adapter = buffered(found);
    adapter.watch(() => void load());
    if (hasConversationInTab(config.site)) void load();
    else
      whenIdle(() => {
        void hasStoredData(config.site).then((stored) => {
          if (stored) void load();
        });
      });
  }

  function load(): Promise<Engine | null> {
    engine ??= (async () => {
      if (!adapter || !granted) return null;
      const { startEngine } = await import('./engine.ts');
      return startEngine({
        config,
        adapter,
        onSummary: (summary) => emitter.emit('summary', summary),
        onFeedback: (detail) => emitter.emit('feedback', detail),
      });
    })().catch((error: unknown) => {
      warn('could not start', error);
      return null;
    });
    return engine;
  }

  /** Wraps a public method: safe to call at any time, applied once the engine runs. */
  function call<A extends unknown[]>(label: string, act: (e: Engine, ...args: A) => void): (...args: A) => void {
    const guarded = safely(label, act);
    return (...args: A) => {
      if (!granted) return;
      void load()
        .then((e) => e && guarded(e, ...args))
        .catch((error: unknown) => warn(`${label} failed`, error));
    };
  }

  const api: PublicApi = {
    endConversation: call('endConversation', (e, reason?: string) => e.tracker.endConversation(reason)),
    handoff: call('handoff', (e) => e.tracker.handoff()),
    resolve: call('resolve', (e) => e.tracker.resolve()),
    trace: call('trace', (e, message: Element, traceId: string) => e.tracker.trace(message, traceId)),
    csat: call('csat', (e, score: number, comment?: string) => e.tracker.csat(score, comment)),
    flush: () =>
      granted
        ? load().then(async (e) => {
            await e?.tracker.flush();
          })
        : Promise.resolve(),
    on: ((event: keyof ApiEvents, listener: (detail: ApiEvents[keyof ApiEvents]) => void) => emitter.on(event, listener)) as PublicApi['on'],
    consent: safely('consent', (value: boolean) => {
      if (value && !granted) {
        granted = true;
        engine = null;
        watch();
      } else if (!value && granted) {
        granted = false;
        void forget().catch((error: unknown) => warn('could not delete stored data', error));
      }
    }),
  };

  /** Consent withdrawn: stop watching, and delete everything ChatPulse stored for this site. */
  async function forget(): Promise<void> {
    const running = engine ? await engine : null;
    adapter?.stop();
    adapter = null;
    engine = null;
    if (running) await running.forget();
    else await (await import('./engine.ts')).deleteStored(config.site);
  }

  if (granted) watch();
  instances.set(config.site, api);
  return api;
}

/** Do Not Track or Global Privacy Control, which ChatPulse honours unless the site says otherwise. */
function privacySignal(): boolean {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  return nav.globalPrivacyControl === true || nav.doNotTrack === '1';
}

function hasConversationInTab(site: string): boolean {
  try {
    return sessionStorage.getItem(`chatpulse:${site}:conversation`) !== null;
  } catch {
    return false;
  }
}

/** Whether an earlier page left a database (queued summaries, conversations to recover). */
async function hasStoredData(site: string): Promise<boolean> {
  try {
    if (typeof indexedDB?.databases !== 'function') return true;
    return (await indexedDB.databases()).some((db) => db.name === `chatpulse:${site}`);
  } catch {
    return false;
  }
}

function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 3000 });
  else setTimeout(task, 1000);
}
