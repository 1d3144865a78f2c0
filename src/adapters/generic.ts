// The generic adapter: the chat root and its messages from CSS selectors, in light DOM and open
// shadow roots, including chats that appear after load and answers that stream in.
import { asksForHuman } from './handoff-phrases.ts';
import { isOwnHost, messageText, OWN_HOST_ATTRIBUTE, queryDeep, safeMatches, shadowRootsUnder } from './dom.ts';
import type { AdapterEvents, AdapterSelectors, ChatAdapter } from './types.ts';
import type { Role } from '../types.ts';

/** How long a message's text must stay unchanged before it counts (streamed answers keep growing). */
export const SETTLE_MS = 700;
const SETTLE_CHECK_MS = 350;
const RESCAN_MS = 60;
const SETTLE_SLICE = 20;

interface Pending {
  element: Element;
  role: Role;
  text: string;
  since: number;
}

const CONTROL_SELECTOR = 'button, a, [role="button"], input[type="button"], input[type="submit"]';

export function createGenericAdapter(selectors: AdapterSelectors, now: () => number = Date.now): ChatAdapter {
  const seen = new WeakSet<Element>();
  const pending = new Map<Element, Pending>();
  const observed = new WeakSet<Node>();
  let events: AdapterEvents | null = null;
  // Every chat on the page that matches data-chat (several chats on one page all count).
  let roots: Element[] = [];
  const scannedRoots = new WeakSet<Element>();
  // Messages counted, by role, position and text: a virtualised list or a re-render that shows
  // the same message in a new element is not a new message (see settle).
  const counted = new Map<string, Element[]>();
  let observer: MutationObserver | null = null;
  let rescanTimer: ReturnType<typeof setTimeout> | null = null;
  let settleTimer: ReturnType<typeof setInterval> | null = null;
  // Nodes added since the last scan: only these are searched, so a long transcript is not walked
  // again for every new message. A full scan happens at start and when the chat root changes.
  let added: Element[] = [];
  const messageSelector = `${selectors.botMessage}, ${selectors.userMessage}`;

  /** An answer the preset knows is still being generated: it waits, even for a forced settle. */
  const generating = (el: Element): boolean => {
    if (!selectors.busy) return false;
    try {
      return el.matches(selectors.busy) || el.querySelector(selectors.busy) !== null;
    } catch {
      return false;
    }
  };

  const roleOf = (el: Element): Role | null =>
    safeMatches(el, selectors.userMessage) ? 'user' : safeMatches(el, selectors.botMessage) ? 'bot' : null;

  // Same-origin iframes whose documents are watched: a chat may live in one (the script tag is on
  // the parent page). Cross-origin frames have no readable document and are skipped.
  const watchedFrames = new WeakSet<Document>();

  function documents(): Document[] {
    const docs: Document[] = [document];
    for (const frame of safeQueryAll(document, 'iframe')) {
      let doc: Document | null = null;
      try {
        doc = (frame as HTMLIFrameElement).contentDocument;
      } catch {
        doc = null;
      }
      if (!doc?.documentElement) continue;
      docs.push(doc);
      if (!watchedFrames.has(doc) && observer) {
        watchedFrames.add(doc);
        observer.observe(doc.documentElement, { childList: true, subtree: true });
        doc.addEventListener('click', onClick, true);
        frameDocs.push(doc);
      }
    }
    return docs;
  }
  const frameDocs: Document[] = [];

  let deepSearchAt = 0;
  function findRoots(): Element[] {
    const docs = documents();
    if (!selectors.chat) return docs.flatMap((d) => (d.body ? [d.body] : []));
    const chat = selectors.chat;
    const light = docs.flatMap((d) => safeQueryAll(d, chat));
    if (light.length > 0) return light;
    // Searching every shadow root walks the whole page: at most once a second while waiting.
    if (now() - deepSearchAt < 1000) return roots.filter((r) => r.isConnected);
    deepSearchAt = now();
    return docs.flatMap((d) => queryDeep(d, chat));
  }

  /** Whether an added node is (or holds) a chat root we do not watch yet, or a frame that may. */
  function bringsRoot(node: Element): boolean {
    if (node.nodeName === 'IFRAME') return true;
    if (!selectors.chat) return false;
    return safeMatches(node, selectors.chat) || safeQueryAll(node, selectors.chat).length > 0;
  }

  /** A frame (re)loaded: its document is new, so the roots are looked for again. */
  function onLoad(event: Event): void {
    if ((event.target as Node | null)?.nodeName !== 'IFRAME') return;
    roots = [];
    scheduleScan();
  }

  function observe(node: Node): void {
    if (observed.has(node) || !observer) return;
    observed.add(node);
    observer.observe(node, { childList: true, subtree: true });
  }

  // A custom element found before its definition loads gets its shadow root (and messages) later,
  // where no observer looks: each is scanned again once it is defined.
  const upgrading = new WeakSet<Element>();
  function awaitUpgrades(node: Element): void {
    for (const el of queryDeep(node, ':not(:defined)', true)) {
      const registry = el.ownerDocument.defaultView?.customElements;
      if (upgrading.has(el) || !registry) continue;
      upgrading.add(el);
      registry.whenDefined(el.localName).then(() => {
        added.push(el);
        scheduleScan();
      }, () => undefined);
    }
  }

  function scan(): void {
    rescanTimer = null;
    const nodes = added;
    added = [];
    // A chat root replaced (SPA navigation), removed, or a new chat added: look for roots again.
    if (roots.length === 0 || roots.some((r) => !r.isConnected) || nodes.some(bringsRoot)) roots = findRoots();
    for (const root of roots) {
      if (scannedRoots.has(root)) continue;
      scannedRoots.add(root);
      observe(root);
      awaitUpgrades(root);
      for (const shadow of shadowRootsUnder(root)) observe(shadow);
      for (const el of queryDeep(root, messageSelector)) consider(el);
    }
    for (const node of nodes) {
      if (!node.isConnected || !roots.some((root) => within(root, node))) continue;
      awaitUpgrades(node);
      for (const shadow of shadowRootsUnder(node)) observe(shadow);
      for (const el of queryDeep(node, messageSelector, true)) consider(el);
    }
    if (pending.size > 0) ensureSettleTimer();
  }

  function onMutations(records: MutationRecord[]): void {
    for (const record of records) {
      for (const node of record.addedNodes) if (isElement(node) && !isOwnHost(node)) added.push(node);
    }
    if (added.length > 0 || roots.length === 0 || roots.some((r) => !r.isConnected)) scheduleScan();
  }

  function consider(el: Element): void {
    if (seen.has(el) || pending.has(el)) return;
    const role = roleOf(el);
    if (!role) return;
    pending.set(el, { element: el, role, text: messageText(el), since: now() });
  }

  function ensureSettleTimer(): void {
    settleTimer ??= setInterval(checkSettled, SETTLE_CHECK_MS);
  }

  function checkSettled(force = false): void {
    const t = now();
    let settled = 0;
    for (const entry of pending.values()) {
      // A long transcript settles in slices, so counting it never becomes a long task.
      if (!force && settled >= SETTLE_SLICE) {
        setTimeout(checkSettled, 0);
        break;
      }
      if (!entry.element.isConnected) {
        pending.delete(entry.element);
        continue;
      }
      const text = messageText(entry.element);
      if (text !== entry.text) {
        entry.text = text;
        entry.since = t;
        continue;
      }
      const busy = entry.element.getAttribute('aria-busy') === 'true';
      // User messages appear whole; bot answers may stream, so they must rest first.
      const restMs = entry.role === 'user' ? 0 : SETTLE_MS;
      if (text && !generating(entry.element) && (force || (!busy && t - entry.since >= restMs))) {
        settle(entry);
        settled++;
      }
    }
    if (pending.size === 0 && settleTimer !== null) {
      clearInterval(settleTimer);
      settleTimer = null;
    }
  }

  function settle(entry: Pending): void {
    pending.delete(entry.element);
    seen.add(entry.element);
    const key = `${entry.role}|${positionOf(entry.element)}|${entry.text}`;
    const same = counted.get(key) ?? [];
    const gone = same.find((el) => !el.isConnected);
    if (gone) {
      // The same message in a new element while the old one left the page (a virtualised list
      // scrolled, a re-render, the chat root replaced): counted once, and what ChatPulse put on
      // the old element moves to the new one, so its thumbs and vote stay with the message.
      same[same.indexOf(gone)] = entry.element;
      carryOver(gone, entry.element);
      return;
    }
    // The same text still on the page is a new message that happens to repeat ("yes", "thanks").
    same.push(entry.element);
    counted.set(key, same);
    const traceId = entry.role === 'bot' ? traceIdOf(entry.element, selectors.traceAttribute) : null;
    events?.message({ element: entry.element, role: entry.role, text: entry.text, traceId });
    if (entry.role === 'user' && asksForHuman(entry.text)) events?.control('handoff', 'message');
  }

  function scheduleScan(): void {
    rescanTimer ??= setTimeout(scan, RESCAN_MS);
  }

  function onClick(event: Event): void {
    if (!events) return;
    const path = event.composedPath().filter((n): n is Element => isElement(n as Node));
    for (const el of path) {
      if (isOwnHost(el)) return;
      if (selectors.handoff && safeMatches(el, selectors.handoff)) return events.control('handoff', 'selector');
      if (selectors.end && safeMatches(el, selectors.end)) return events.control('end', 'selector');
    }
    const control = path.find((el) => safeMatches(el, CONTROL_SELECTOR));
    const insideChat = !selectors.chat || roots.some((root) => path.includes(root));
    if (control && insideChat) {
      const label = control.getAttribute('aria-label') ?? messageText(control);
      if (asksForHuman(label)) events.control('handoff', 'label');
    }
  }

  return {
    start(handlers) {
      events = handlers;
      observer = new MutationObserver(onMutations);
      // Until the chat exists (or after it is replaced), watch the document for it.
      observer.observe(document.documentElement, { childList: true, subtree: true });
      document.addEventListener('click', onClick, true);
      document.addEventListener('load', onLoad, true);
      scan();
    },
    settleNow() {
      // Messages added since the last scan count too: the page may be going away right now.
      if (rescanTimer !== null) {
        clearTimeout(rescanTimer);
        scan();
      }
      checkSettled(true);
    },
    async settleSoon() {
      if (rescanTimer !== null) {
        clearTimeout(rescanTimer);
        scan();
      }
      // Everything pending counts, SETTLE_SLICE at a time with a yield in between; an answer still
      // being generated stays pending and counts when it is done.
      const rest = [...pending.values()].filter((entry) => !generating(entry.element));
      while (rest.length > 0) {
        for (const entry of rest.splice(0, SETTLE_SLICE)) {
          if (!pending.has(entry.element)) continue;
          if (!entry.element.isConnected) pending.delete(entry.element);
          else if (messageText(entry.element)) settle(entry);
          else pending.delete(entry.element);
        }
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
    stop() {
      observer?.disconnect();
      observer = null;
      document.removeEventListener('click', onClick, true);
      document.removeEventListener('load', onLoad, true);
      for (const doc of frameDocs.splice(0)) doc.removeEventListener('click', onClick, true);
      if (rescanTimer) clearTimeout(rescanTimer);
      if (settleTimer) clearInterval(settleTimer);
      rescanTimer = null;
      settleTimer = null;
      events = null;
    },
  };
}

/** Node type checks, not instanceof: nodes of a same-origin iframe come from another realm. */
function isElement(node: Node): node is Element {
  return node.nodeType === 1;
}

/** A virtualised list's own index of the item, where it exposes one: part of a message's identity. */
function positionOf(el: Element): string {
  const item = el.closest('[data-index], [data-item-index], [aria-posinset]');
  return item?.getAttribute('data-index') ?? item?.getAttribute('data-item-index') ?? item?.getAttribute('aria-posinset') ?? '';
}

/** The property marks.ts keeps on elements; read by key here so the core does not import it (its module then stays in the lazy chunks). */
const MARKS = Symbol.for('chatpulse.marks');

/** Moves ChatPulse's thumbs and marks from a message's old element to its new one. */
function carryOver(from: Element, to: Element): void {
  const thumbs = from.querySelector(`:scope > [${OWN_HOST_ATTRIBUTE}="thumbs"]`);
  if (thumbs) to.append(thumbs);
  const marks = (from as unknown as Record<symbol, unknown>)[MARKS];
  if (marks) (to as unknown as Record<symbol, unknown>)[MARKS] = marks;
}

function safeQueryAll(scope: ParentNode, selector: string): Element[] {
  try {
    return Array.from(scope.querySelectorAll(selector));
  } catch {
    return [];
  }
}

/** Whether `node` is inside `root`, counting shadow trees hosted under it. */
function within(root: Element, node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode ?? (n.nodeType === 11 && 'host' in n ? (n as ShadowRoot).host : null)) {
    if (n === root) return true;
  }
  return false;
}

function traceIdOf(el: Element, attribute: string): string | null {
  const holder = el.hasAttribute(attribute) ? el : el.querySelector(`[${CSS.escape(attribute)}]`) ?? el.closest(`[${CSS.escape(attribute)}]`);
  const value = holder?.getAttribute(attribute)?.trim();
  return value ? value.slice(0, 200) : null;
}
