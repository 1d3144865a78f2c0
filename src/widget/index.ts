// The package entry (`import { init } from 'chatpulse'`) and the engine behind the script tag.
import { createAdapter } from '../adapters/index.ts';
import { createSession, forgetSession } from '../capture/session.ts';
import { createTracker, type Tracker } from '../capture/tracker.ts';
import { openStore, type LocalStore } from '../store/index.ts';
import { createTransport } from '../transport/transport.ts';
import type { Config, FeedbackDetail, PublicApi, Summary } from '../types.ts';
import type { SentimentClient } from '../sentiment/client.ts';
import { pickLocale } from '../ui/locale.ts';
import type { BoundUi, UiModule, UiOptions } from '../ui/types.ts';
import { queryDeep, queryDeepFirst } from '../adapters/dom.ts';
import { selectorsFor } from '../adapters/index.ts';
import { resolveConfig, type ConfigInput } from './config.ts';
import { Emitter } from './emitter.ts';
import { onError, safely, setVerbose, warn } from './log.ts';

export type { Config, FeedbackDetail, PublicApi, Summary } from '../types.ts';
export type { ConfigInput } from './config.ts';

interface ApiEvents extends Record<string, unknown> {
  feedback: FeedbackDetail;
  summary: Summary;
  error: { message: string };
}

const instances = new Map<string, PublicApi>();
let uiModule: Promise<UiModule> | null = null;
let sentimentClient: Promise<SentimentClient> | null = null;

/** The UI chunk, loaded on first use with the page's language, and bound to this site's options. */
function loadUi(config: Config): Promise<BoundUi> {
  const locale = pickLocale([config.locale, document.documentElement.lang, ...(navigator.languages ?? []), navigator.language]);
  uiModule ??= import('../ui/index.tsx').then(async (ui) => {
    await ui.useLocale(locale);
    return ui;
  });
  const options: UiOptions = { theme: config.theme, locale, nonce: config.nonce, csatPlacement: config.csatPlacement };
  return uiModule.then((ui) => ({
    mountThumbs: (message, initial, onVote) => ui.mountThumbs(message, initial, onVote, options),
    showCsat: (callbacks) => ui.showCsat(callbacks, options, config.csatPlacement === 'inline' ? lastMessage(config) : null),
  }));
}

/** Where an inline CSAT prompt goes: after the chat's last message. */
function lastMessage(config: Config): Element | null {
  const selectors = selectorsFor(config);
  if (!selectors) return null;
  const root = selectors.chat ? queryDeepFirst(document, selectors.chat) : document.body;
  if (!root) return null;
  const messages = queryDeep(root, `${selectors.botMessage}, ${selectors.userMessage}`);
  return messages[messages.length - 1] ?? null;
}

/** The scorer (and comlink) load only when the first user message needs scoring. */
function scoreSentiment(text: string): Promise<number> {
  sentimentClient ??= import('../sentiment/client.ts').then((m) => m.createSentimentClient());
  return sentimentClient.then((client) => client.score(text));
}

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
  let tracker: Tracker | null = null;
  let store: LocalStore | null = null;
  let ready: Promise<Tracker | null> = granted ? start() : Promise.resolve(null);

  async function start(): Promise<Tracker | null> {
    if (!config.site) {
      warn('data-site is missing; ChatPulse is off');
      return null;
    }
    const adapter = createAdapter(config);
    if (!adapter) return null;
    // Redaction code loads only for sites that send message text at all.
    const redact = config.captureText ? (await import('../capture/redact.ts')).redact : undefined;
    store = await openStore(config.site);
    const transport = createTransport({
      endpoint: `${config.collector.replace(/\/+$/, '')}/v1/collect`,
      site: config.site,
      store,
    });
    tracker = createTracker({
      config,
      store,
      transport,
      session: createSession(config.site),
      adapter,
      loadUi: () => loadUi(config),
      scoreSentiment,
      ...(redact ? { captureText: (text: string) => redact(text).slice(0, 500) } : {}),
      onSummary: (summary) => emitter.emit('summary', summary),
      onFeedback: (detail) => emitter.emit('feedback', detail),
    });
    await tracker.start();
    return tracker;
  }

  /** Wraps a public method: safe to call at any time, applied once storage is open. */
  function call<A extends unknown[]>(label: string, act: (t: Tracker, ...args: A) => void): (...args: A) => void {
    const guarded = safely(label, act);
    return (...args: A) => {
      if (!granted) return;
      void ready.then((t) => t && guarded(t, ...args)).catch((error: unknown) => warn(`${label} failed`, error));
    };
  }

  const api: PublicApi = {
    endConversation: call('endConversation', (t, reason?: string) => t.endConversation(reason)),
    handoff: call('handoff', (t) => t.handoff()),
    resolve: call('resolve', (t) => t.resolve()),
    csat: call('csat', (t, score: number, comment?: string) => t.csat(score, comment)),
    flush: () =>
      ready.then(async (t) => {
        await t?.flush();
      }),
    on: ((event: keyof ApiEvents, listener: (detail: ApiEvents[keyof ApiEvents]) => void) => emitter.on(event, listener)) as PublicApi['on'],
    consent: safely('consent', (value: boolean) => {
      if (value && !granted) {
        granted = true;
        ready = start();
      } else if (!value && granted) {
        granted = false;
        void ready.then(() => forget()).catch((error: unknown) => warn('could not delete stored data', error));
      }
    }),
  };
  /** Consent withdrawn: stop capturing, remove what ChatPulse shows, delete what it stored. */
  async function forget(): Promise<void> {
    tracker?.stop();
    tracker = null;
    for (const host of queryDeep(document, '[data-chatpulse]')) host.remove();
    store?.close();
    store = null;
    forgetSession(config.site);
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(`chatpulse:${config.site}`);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }

  instances.set(config.site, api);
  return api;
}

/** Do Not Track or Global Privacy Control, which ChatPulse honours unless the site says otherwise. */
function privacySignal(): boolean {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  return nav.globalPrivacyControl === true || nav.doNotTrack === '1';
}
