// The engine, a lazy chunk: storage, delivery, the conversation model and the loaders of the UI
// and the sentiment worker. The script-tag core loads it on the first sign of a conversation.
import { queryDeep, queryDeepFirst } from '../adapters/dom.ts';
import { selectorsFor } from '../adapters/index.ts';
import type { AdapterSelectors, ChatAdapter } from '../adapters/types.ts';
import { createSession, forgetSession } from '../capture/session.ts';
import { createTracker, type Tracker } from '../capture/tracker.ts';
import type { SentimentClient } from '../sentiment/client.ts';
import { openStore, type LocalStore } from '../store/index.ts';
import { createTransport } from '../transport/transport.ts';
import type { Config, FeedbackDetail, Summary } from '../types.ts';
import { pickLocale } from '../ui/locale.ts';
import type { BoundUi, UiModule, UiOptions } from '../ui/types.ts';

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
  const anchors = config.csatPlacement === 'inline' ? messageSelectors(config).catch(() => null) : Promise.resolve(null);
  return Promise.all([uiModule, anchors]).then(([ui, selectors]) => ({
    mountThumbs: (message, initial, onVote) => ui.mountThumbs(message, initial, onVote, options),
    showCsat: (callbacks) => ui.showCsat(callbacks, options, selectors ? lastMessage(selectors) : null),
  }));
}

/** The selectors that find the chat's messages: the site's, with its preset's filling the gaps. */
async function messageSelectors(config: Config): Promise<AdapterSelectors | null> {
  if (config.preset === 'generic') return selectorsFor(config);
  return (await import('../adapters/compose.ts')).presetSelectors(config);
}

/** Where an inline CSAT prompt goes: after the chat's last message. */
function lastMessage(selectors: AdapterSelectors): Element | null {
  const root = selectors.chat ? queryDeepFirst(document, selectors.chat) : document.body;
  if (!root) return null;
  const messages = queryDeep(root, `${selectors.botMessage}, ${selectors.userMessage}`);
  return messages[messages.length - 1] ?? null;
}

/** The site's intents load with the first user message; labelling happens on the device. */
function intentLabeller(config: Config): (messages: readonly string[]) => Promise<string | null> {
  let labeller: Promise<(messages: readonly string[]) => Promise<string | null>> | null = null;
  return (messages) => {
    labeller ??= import('../intents/labeller.ts').then((m) => m.createIntentLabeller(config.collector, config.site));
    return labeller.then((label) => label(messages));
  };
}

/** The scorer (and comlink) load only when the first user message needs scoring. */
function scoreSentiment(text: string): Promise<number> {
  sentimentClient ??= import('../sentiment/client.ts').then((m) => m.createSentimentClient());
  return sentimentClient.then((client) => client.score(text));
}

export interface Engine {
  tracker: Tracker;
  /** Consent withdrawn: stop, remove what ChatPulse shows, delete what it stored. */
  forget(): Promise<void>;
}

export interface EngineOptions {
  config: Config;
  adapter: ChatAdapter;
  onSummary(summary: Summary): void;
  onFeedback(detail: FeedbackDetail): void;
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const { config, adapter } = options;
  // Redaction code loads only for sites that send message text at all.
  const redact = config.captureText ? (await import('../capture/redact.ts')).redact : undefined;
  let store: LocalStore | null = await openStore(config.site);
  const transport = createTransport({
    endpoint: `${config.collector.replace(/\/+$/, '')}/v1/collect`,
    site: config.site,
    store,
  });
  const tracker = createTracker({
    config,
    store,
    transport,
    session: createSession(config.site),
    adapter,
    loadUi: () => loadUi(config),
    scoreSentiment,
    labelIntent: intentLabeller(config),
    ...(redact ? { captureText: (text: string) => redact(text).slice(0, 500) } : {}),
    onSummary: options.onSummary,
    onFeedback: options.onFeedback,
  });
  await tracker.start();
  return {
    tracker,
    async forget() {
      tracker.stop();
      for (const host of queryDeep(document, '[data-chatpulse]')) host.remove();
      store?.close();
      store = null;
      await deleteStored(config.site);
    },
  };
}

/** Deletes this site's database and identifiers (also used before the engine was ever loaded). */
export async function deleteStored(site: string): Promise<void> {
  forgetSession(site);
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(`chatpulse:${site}`);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
