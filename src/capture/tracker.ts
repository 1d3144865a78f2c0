// The conversation model: turns settled messages, votes, CSAT answers, handoffs and ends into
// stored events, and decides when a summary goes out. One tracker per page.
import type { ChatAdapter, ControlKind, ControlSource, SettledMessage } from '../adapters/types.ts';
import type { LocalStore, OutboxEntry, StoredConversation } from '../store/types.ts';
import { summarize } from '../summarize/summarize.ts';
import type { Transport } from '../transport/transport.ts';
import type { Config, ConversationEvent, EndReason, FeedbackDetail, Role, Summary, Vote } from '../types.ts';
import type { BoundUi, ThumbsHandle } from '../ui/types.ts';
import { debug, warn } from '../widget/log.ts';
import { stringify, utf8Bytes } from '../widget/native.ts';
import { LABEL_MESSAGES } from '../intents/limits.ts';
import { fingerprint } from './fingerprint.ts';
import { randomId, type Session } from './session.ts';

export interface TrackerDeps {
  config: Config;
  store: LocalStore;
  transport: Transport;
  session: Session;
  adapter: ChatAdapter;
  loadUi: () => Promise<BoundUi>;
  /** With data-capture-text="on": the redacted text of a user message to keep; absent, none is. */
  captureText?: (text: string) => string;
  /** The site's intent for a conversation's first user messages (labelled on the device), or null. */
  labelIntent?: (firstUserMessages: readonly string[]) => Promise<string | null>;
  /** Sentiment of a user message in [-1, 1]; absent until the scorer is available. */
  scoreSentiment?: (text: string) => Promise<number>;
  onSummary: (summary: Summary) => void;
  onFeedback: (detail: FeedbackDetail) => void;
  now?: () => number;
}

interface Live {
  meta: StoredConversation;
  events: ConversationEvent[];
  counts: Record<Role, number>;
  occurrences: Map<string, number>;
  /** Stored messages a reloaded page has not shown again yet, in order. */
  resume: Array<{ role: Role; index: number; fingerprint: string }>;
  votes: Map<number, Vote>;
  csatShown: boolean;
  csatScore: number | null;
  /** Set once an intent is recorded; until then, the first user messages seen on this page. */
  labelled: boolean;
  intentTexts: string[];
  releaseLock?: () => void;
  /** The last summary built on this page, and the highest revision the collector acknowledged. */
  lastEntry?: OutboxEntry;
  ackedRevision: number;
}

interface MessageRef {
  conversation: Live | null;
  role: Role;
  index: number;
  element: Element;
  text: string;
  traceId: string | null;
  at: number;
  thumbs?: ThumbsHandle;
}

/** After a reload, messages shown again within this time may be ones counted before it. */
const RESUME_WINDOW_MS = 15_000;

/** Conversations idle longer than this are forgotten on the device (their summaries were sent). */
const KEEP_ON_DEVICE_MS = 7 * 24 * 3600_000;

export interface Tracker {
  start(): Promise<void>;
  endConversation(reason?: string): void;
  handoff(): void;
  resolve(): void;
  /** Sets the LLM trace id of a bot message element (before or after it has been counted). */
  trace(element: Element, traceId: string): void;
  csat(score: number, comment?: string): void;
  flush(): Promise<void>;
  stop(): void;
}

export function createTracker(deps: TrackerDeps): Tracker {
  const { config, store, transport, session, adapter } = deps;
  const now = deps.now ?? Date.now;
  const refs = new WeakMap<Element, MessageRef>();
  let preStart: MessageRef[] = [];
  let current: Live | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  let writes: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let startedAt = 0;
  const tracesSetByApi = new WeakMap<Element, string>();
  const idleMs = config.idleTimeoutSeconds * 1000;

  // ---- persistence -------------------------------------------------------------------------

  function persist(task: () => Promise<unknown>): Promise<unknown> {
    // One queue keeps IndexedDB writes in event order; a failed write is reported, not thrown.
    writes = writes.then(task).catch((error: unknown) => warn('could not store an event', error));
    return writes;
  }

  // Events recorded in a burst (a transcript settling, scores arriving) are saved together, in a
  // task of their own and in slices, so storing them never lengthens the task that captured them.
  let unsaved: Array<readonly [string, ConversationEvent]> = [];
  const unsavedConversations = new Set<Live>();
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  const SAVE_SLICE = 50;

  function record(c: Live, event: ConversationEvent): void {
    c.events.push(event);
    c.meta.updatedAt = event.at;
    c.meta.dirty = true;
    unsaved.push([c.meta.id, event]);
    unsavedConversations.add(c);
    saveTimer ??= setTimeout(() => {
      saveTimer = null;
      void persist(saveUnsaved);
    }, 0);
  }

  /** Writes what is recorded but not stored; anything that writes a summary calls it first. */
  async function saveUnsaved(): Promise<void> {
    while (unsaved.length > 0) {
      const events = unsaved.splice(0, SAVE_SLICE);
      const conversations = unsaved.length === 0 ? [...unsavedConversations].map((c) => ({ ...c.meta })) : [];
      if (unsaved.length === 0) unsavedConversations.clear();
      await store.putEvents(events, conversations);
    }
  }

  function nextRevision(c: Live): number {
    // The clock orders revisions across tabs; +1 keeps them rising when the clock steps back.
    c.meta.revision = Math.max(c.meta.revision + 1, now());
    return c.meta.revision;
  }

  function entryFor(c: Live, exitAt?: number): OutboxEntry {
    const summary = summarize(c.meta, c.events, { revision: nextRevision(c), ...(exitAt === undefined ? {} : { exitAt }) });
    c.meta.dirty = false;
    debug('summary', summary.id, summary.revision, summary.outcome);
    deps.onSummary(summary);
    c.lastEntry = { id: summary.id, revision: summary.revision, summary, bytes: utf8Bytes(stringify(summary)) };
    return c.lastEntry;
  }

  /**
   * Summarises now, puts the summary in the outbox and sends it at once, without waiting for
   * storage: a page that is closing may not live to see the write finish.
   */
  function deliver(c: Live, options: { exitAt?: number; pageGone?: boolean } = {}): void {
    const entry = entryFor(c, options.exitAt);
    const meta = { ...c.meta };
    // Outbox first: if the page dies between the two writes, the conversation is still marked
    // dirty and is summarised again next load; the other order would lose this summary.
    const stored = persist(async () => {
      await saveUnsaved(); // A summary is never stored ahead of the events it was built from.
      await store.enqueue(entry);
      await store.putConversation(meta);
    });
    if (options.pageGone) transport.beacon([entry]);
    else transport.send([entry], stored);
  }

  // ---- conversations -----------------------------------------------------------------------

  function live(meta: StoredConversation, events: ConversationEvent[]): Live {
    const c: Live = { meta, events, counts: { user: 0, bot: 0 }, occurrences: new Map(), resume: [], votes: new Map(), csatShown: false, csatScore: null, labelled: false, intentTexts: [], ackedRevision: 0 };
    for (const e of events) {
      if (e.type === 'message') {
        c.counts[e.role] = Math.max(c.counts[e.role], e.index + 1);
        c.resume.push({ role: e.role, index: e.index, fingerprint: e.fingerprint });
        const base = e.fingerprint.slice(0, e.fingerprint.lastIndexOf('.'));
        c.occurrences.set(base, (c.occurrences.get(base) ?? 0) + 1);
      } else if (e.type === 'vote') {
        if (e.value) c.votes.set(e.message, e.value);
        else c.votes.delete(e.message);
      } else if (e.type === 'csat-shown') c.csatShown = true;
      else if (e.type === 'csat') c.csatScore = e.score;
      else if (e.type === 'intent') c.labelled = true;
    }
    return c;
  }

  function begin(at: number): Live {
    const page = `${location.origin}${location.pathname}`;
    const meta: StoredConversation = {
      id: randomId(),
      site: config.site,
      visitor: session.visitor,
      page: page.slice(0, 2048),
      release: config.release,
      locale: config.locale ?? (document.documentElement.lang || navigator.language || null),
      intent: null,
      startedAt: at,
      revision: 0,
      ended: false,
      updatedAt: at,
      dirty: true,
    };
    const c = live(meta, []);
    current = c;
    session.setConversation(meta.id);
    holdLock(c);
    // Messages shown before the user spoke (a greeting) belong to the conversation they open.
    const earlier = preStart.filter((ref) => ref.element.isConnected);
    preStart = [];
    for (const ref of earlier) addMessage(c, ref);
    return c;
  }

  function holdLock(c: Live): void {
    const locks = navigator.locks;
    if (!locks?.request) return;
    // Held while this tab owns the conversation, so another tab never recovers it as abandoned.
    locks
      .request(`chatpulse:${config.site}:${c.meta.id}`, () => new Promise<void>((release) => (c.releaseLock = release)))
      .catch(() => undefined);
  }

  function addMessage(c: Live, ref: MessageRef): void {
    const index = c.counts[ref.role]++;
    const base = fingerprint(ref.role, ref.text, 0).replace(/\.0$/, '');
    const occurrence = c.occurrences.get(base) ?? 0;
    c.occurrences.set(base, occurrence + 1);
    ref.conversation = c;
    ref.index = index;
    const text = ref.role === 'user' && deps.captureText ? { text: deps.captureText(ref.text) } : {};
    record(c, { type: 'message', at: ref.at, role: ref.role, index, fingerprint: `${base}.${occurrence}`, traceId: ref.traceId, ...text });
    if (ref.role === 'user') {
      scoreSentiment(c, index, ref.text);
      labelIntent(c, index, ref.text);
    }
  }

  function labelIntent(c: Live, index: number, text: string): void {
    if (!deps.labelIntent || c.labelled || index >= LABEL_MESSAGES) return;
    c.intentTexts.push(text);
    deps
      .labelIntent([...c.intentTexts])
      .then((name) => {
        if (stopped || c.labelled || !name) return;
        c.labelled = true;
        c.intentTexts = [];
        record(c, { type: 'intent', at: now(), name });
      })
      .catch((error: unknown) => warn('intent labelling failed', error));
  }

  function scoreSentiment(c: Live, index: number, text: string): void {
    if (!deps.scoreSentiment) return;
    deps
      .scoreSentiment(text)
      .then((compound) => {
        if (!stopped && Number.isFinite(compound)) record(c, { type: 'sentiment', at: now(), message: index, compound });
      })
      .catch((error: unknown) => warn('sentiment scoring failed', error));
  }

  function onMessage(message: SettledMessage): void {
    if (refs.has(message.element)) return;
    const at = now();
    const traceId = tracesSetByApi.get(message.element) ?? message.traceId;
    const ref: MessageRef = { conversation: null, role: message.role, index: -1, element: message.element, text: message.text, traceId, at };
    refs.set(message.element, ref);

    const c = current;
    if (c && c.resume.length > 0 && at - startedAt < RESUME_WINDOW_MS) {
      // A page restored after a reload shows messages we already counted, in whatever order they
      // settle; each maps back to its stored index once.
      const base = fingerprint(ref.role, ref.text, 0).replace(/\.0$/, '');
      const match = c.resume.findIndex((r) => r.role === ref.role && r.fingerprint.startsWith(`${base}.`));
      if (match >= 0) {
        const [known] = c.resume.splice(match, 1);
        ref.conversation = c;
        ref.index = known!.index;
        mountThumbs(ref);
        return;
      }
    }

    if (c && !c.meta.ended) addMessage(c, ref);
    else if (ref.role === 'user') addMessage(begin(at), ref);
    else preStart.push(ref);
    mountThumbs(ref);
    if (current && !current.meta.ended) armIdle();
  }

  function onControl(kind: ControlKind, source: ControlSource): void {
    if (kind === 'handoff') handoffFrom(source === 'message' ? 'message' : 'control');
    else end('end');
  }

  function handoffFrom(source: 'control' | 'api' | 'message'): void {
    // What the user sees when they act is what the conversation was: count answers still settling.
    // Not when the act is a message asking for a human: answers settling then came after it, and
    // counting them would depend on how fast the page settled the request.
    const settle = source !== 'message';
    if (settle) adapter.settleNow();
    const at = now();
    const c = current && !current.meta.ended ? current : begin(at);
    if (c.events.some((e) => e.type === 'handoff')) return;
    record(c, { type: 'handoff', at, source });
    end('handoff', at, settle);
  }

  function end(reason: Exclude<EndReason, 'exit'>, at = now(), settle = reason !== 'idle'): void {
    if (settle) adapter.settleNow();
    const c = current;
    if (!c || c.meta.ended) return;
    disarmIdle();
    record(c, { type: 'end', at, reason });
    c.meta.ended = true;
    c.releaseLock?.();
    const userCanSee = document.visibilityState === 'visible';
    if (reason !== 'idle' || userCanSee) offerCsat(c);
    deliver(c);
  }

  function offerCsat(c: Live): void {
    if (!config.csat || c.csatShown || c.counts.user === 0) return;
    c.csatShown = true;
    record(c, { type: 'csat-shown', at: now() });
    let score: number | null = null;
    deps
      .loadUi()
      .then((ui) =>
        ui.showCsat(
          {
            onShown: () => undefined,
            onScore: (value) => {
              score = value;
              answerCsat(c, value, null);
            },
            onComment: (comment) => {
              if (score !== null) answerCsat(c, score, comment);
            },
            onClose: () => undefined,
          },
        ),
      )
      .catch((error: unknown) => warn('could not show the CSAT prompt', error));
  }

  function answerCsat(c: Live, score: number, comment: string | null): void {
    const clean = Math.round(score);
    if (!(clean >= 1 && clean <= 5)) return;
    c.csatScore = clean;
    const text = comment?.trim().slice(0, 2000) || null;
    record(c, { type: 'csat', at: now(), score: clean, comment: text });
    deps.onFeedback({ conversation: c.meta.id, kind: 'csat', score: clean });
    deliver(c);
  }

  function vote(ref: MessageRef, value: Vote | null): void {
    const c = ref.conversation ?? begin(now());
    if (ref.conversation === null) addMessage(c, ref);
    if (value) c.votes.set(ref.index, value);
    else c.votes.delete(ref.index);
    record(c, { type: 'vote', at: now(), message: ref.index, value });
    deps.onFeedback({ conversation: c.meta.id, kind: 'vote', message: ref.index, value, traceId: ref.traceId });
    if (c.meta.ended) deliver(c);
    else armIdle();
  }

  function mountThumbs(ref: MessageRef): void {
    if (!config.thumbs || ref.role !== 'bot') return;
    const initial = ref.conversation?.votes.get(ref.index) ?? null;
    deps
      .loadUi()
      .then((ui) => {
        if (!stopped && ref.element.isConnected) ref.thumbs = ui.mountThumbs(ref.element, initial, (value) => vote(ref, value));
      })
      .catch((error: unknown) => warn('could not show feedback buttons', error));
  }

  // ---- idle and page lifecycle -------------------------------------------------------------

  function armIdle(): void {
    disarmIdle();
    const c = current;
    if (!c || c.meta.ended) return;
    const due = c.meta.updatedAt + idleMs;
    idleTimer = setTimeout(() => end('idle', due), Math.max(0, due - now()));
  }

  function disarmIdle(): void {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
  }

  function leaving(pageGone: boolean): void {
    // The page may be going away: what settles now counts, and the summary goes out as an exit.
    adapter.settleNow();
    const c = current;
    if (!c) return;
    if (c.meta.dirty) deliver(c, { ...(c.meta.ended ? {} : { exitAt: now() }), pageGone });
    // Sent on `hidden` but not acknowledged yet (the tab is closing under it): beacon it again.
    else if (pageGone && c.lastEntry && c.lastEntry.revision > c.ackedRevision) transport.beacon([c.lastEntry]);
  }

  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') leaving(false);
    else if (current && !current.meta.ended) {
      // Back on the page: the exit we reported may have been a tab switch, so reopen.
      current.meta.dirty = true;
      if (now() - current.meta.updatedAt >= idleMs) end('idle', current.meta.updatedAt + idleMs);
      else armIdle();
    }
  };
  const onPageHide = (event: PageTransitionEvent): void => {
    leaving(true);
    if (event.persisted) {
      // Going into the back/forward cache: hold nothing that would keep the page out of it.
      disarmIdle();
      transport.suspend();
      current?.releaseLock?.();
    }
  };
  const onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    if (current && !current.meta.ended) holdLock(current);
    onVisibility();
    void transport.flush().catch(() => undefined);
  };
  const onOnline = (): void => void transport.flush(true).catch(() => undefined);

  // ---- start -------------------------------------------------------------------------------

  async function resumeTab(): Promise<void> {
    const id = session.conversation();
    if (!id) return;
    const meta = await store.conversation(id);
    if (!meta || meta.site !== config.site) return;
    const c = live(meta, await store.events(id));
    current = c;
    if (!meta.ended) {
      holdLock(c);
      if (now() - meta.updatedAt >= idleMs) end('idle', meta.updatedAt + idleMs);
      else armIdle();
    }
  }

  async function recoverOtherTabs(): Promise<void> {
    const all = await store.conversations();
    await store.prune(now() - KEEP_ON_DEVICE_MS);
    for (const meta of all) {
      if (!meta.dirty || meta.id === current?.meta.id || meta.site !== config.site) continue;
      if (!(await unowned(meta))) continue;
      const c = live(meta, await store.events(meta.id));
      const entry = entryFor(c, meta.ended ? undefined : meta.updatedAt);
      await store.enqueue(entry); // Outbox first (see deliver).
      await store.putConversation(c.meta);
    }
  }

  async function unowned(meta: StoredConversation): Promise<boolean> {
    const locks = navigator.locks;
    const quiet = now() - meta.updatedAt > idleMs;
    if (!locks?.request) return quiet;
    // A broken navigator.locks must not stop recovery: fall back to the idle rule.
    return locks.request(`chatpulse:${config.site}:${meta.id}`, { ifAvailable: true }, (lock) => lock !== null).catch(() => quiet);
  }

  return {
    async start() {
      startedAt = now();
      transport.onAck((acked) => {
        for (const a of acked) if (current && a.id === current.meta.id) current.ackedRevision = Math.max(current.ackedRevision, a.revision);
      });
      await resumeTab();
      await recoverOtherTabs().catch((error: unknown) => warn('could not recover earlier conversations', error));
      adapter.start({ message: onMessage, control: onControl });
      document.addEventListener('visibilitychange', onVisibility);
      addEventListener('pagehide', onPageHide);
      addEventListener('pageshow', onPageShow);
      addEventListener('online', onOnline);
      void transport.flush().catch(() => undefined);
    },
    endConversation(reason) {
      const known: ReadonlyArray<string> = ['idle', 'end', 'handoff', 'api'];
      const r = reason && known.includes(reason) ? (reason as Exclude<EndReason, 'exit'>) : 'api';
      if (r === 'handoff') handoffFrom('api');
      else end(r);
    },
    handoff() {
      handoffFrom('api');
    },
    trace(element, traceId) {
      const id = String(traceId).trim().slice(0, 200);
      if (!(element instanceof Element) || !id) return;
      tracesSetByApi.set(element, id);
      const ref = refs.get(element);
      if (!ref || ref.role !== 'bot') return;
      ref.traceId = id;
      if (ref.conversation) {
        record(ref.conversation, { type: 'trace', at: now(), message: ref.index, traceId: id });
        if (ref.conversation.meta.ended) deliver(ref.conversation);
      }
    },
    resolve() {
      const c = current;
      if (!c) return;
      record(c, { type: 'resolve', at: now() });
      if (c.meta.ended) deliver(c);
    },
    csat(score, comment) {
      const c = current;
      if (c) answerCsat(c, score, comment ?? null);
    },
    async flush() {
      await adapter.settleSoon();
      const c = current;
      if (c && c.meta.dirty) {
        const entry = entryFor(c);
        const meta = { ...c.meta };
        await persist(async () => {
          await saveUnsaved();
          await store.enqueue(entry); // Outbox first (see deliver).
          await store.putConversation(meta);
        });
      }
      await writes;
      await transport.flush(true);
    },
    stop() {
      stopped = true;
      disarmIdle();
      adapter.stop();
      document.removeEventListener('visibilitychange', onVisibility);
      removeEventListener('pagehide', onPageHide);
      removeEventListener('pageshow', onPageShow);
      removeEventListener('online', onOnline);
      current?.releaseLock?.();
    },
  };
}
