// The generic adapter: the chat root and its messages from CSS selectors, in light DOM and open
// shadow roots, including chats that appear after load and answers that stream in.
import { asksForHuman } from './handoff-phrases.ts';
import { isOwnHost, messageText, queryDeep, queryDeepFirst, safeMatches, shadowRootsUnder } from './dom.ts';
import type { AdapterEvents, AdapterSelectors, ChatAdapter } from './types.ts';
import type { Role } from '../types.ts';

/** How long a message's text must stay unchanged before it counts (streamed answers keep growing). */
export const SETTLE_MS = 700;
const SETTLE_CHECK_MS = 350;
const RESCAN_MS = 60;

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
  let root: Element | null = null;
  let observer: MutationObserver | null = null;
  let rescanTimer: ReturnType<typeof setTimeout> | null = null;
  let settleTimer: ReturnType<typeof setInterval> | null = null;
  const messageSelector = `${selectors.botMessage}, ${selectors.userMessage}`;

  const roleOf = (el: Element): Role | null =>
    safeMatches(el, selectors.userMessage) ? 'user' : safeMatches(el, selectors.botMessage) ? 'bot' : null;

  function findRoot(): Element | null {
    if (!selectors.chat) return document.body;
    return queryDeepFirst(document, selectors.chat);
  }

  function observe(node: Node): void {
    if (observed.has(node) || !observer) return;
    observed.add(node);
    observer.observe(node, { childList: true, subtree: true });
  }

  function scan(): void {
    rescanTimer = null;
    if (!root || !root.isConnected) {
      root = findRoot();
      if (!root) return;
    }
    observe(root);
    for (const shadow of shadowRootsUnder(root)) observe(shadow);
    for (const el of queryDeep(root, messageSelector)) consider(el);
    if (pending.size > 0) ensureSettleTimer();
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
    for (const entry of pending.values()) {
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
      if (text && (force || (!busy && t - entry.since >= restMs))) settle(entry);
    }
    if (pending.size === 0 && settleTimer !== null) {
      clearInterval(settleTimer);
      settleTimer = null;
    }
  }

  function settle(entry: Pending): void {
    pending.delete(entry.element);
    seen.add(entry.element);
    const traceId = entry.role === 'bot' ? traceIdOf(entry.element, selectors.traceAttribute) : null;
    events?.message({ element: entry.element, role: entry.role, text: entry.text, traceId });
    if (entry.role === 'user' && asksForHuman(entry.text)) events?.control('handoff', 'message');
  }

  function scheduleScan(): void {
    rescanTimer ??= setTimeout(scan, RESCAN_MS);
  }

  function onClick(event: Event): void {
    if (!events) return;
    const path = event.composedPath().filter((n): n is Element => n instanceof Element);
    for (const el of path) {
      if (isOwnHost(el)) return;
      if (selectors.handoff && safeMatches(el, selectors.handoff)) return events.control('handoff', 'selector');
      if (selectors.end && safeMatches(el, selectors.end)) return events.control('end', 'selector');
    }
    const control = path.find((el) => safeMatches(el, CONTROL_SELECTOR));
    const insideChat = root !== null && root !== document.body ? path.includes(root) : true;
    if (control && insideChat) {
      const label = control.getAttribute('aria-label') ?? messageText(control);
      if (asksForHuman(label)) events.control('handoff', 'label');
    }
  }

  return {
    start(handlers) {
      events = handlers;
      observer = new MutationObserver(scheduleScan);
      // Until the chat exists (or after it is replaced), watch the document for it.
      observer.observe(document.documentElement, { childList: true, subtree: true });
      document.addEventListener('click', onClick, true);
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
    stop() {
      observer?.disconnect();
      observer = null;
      document.removeEventListener('click', onClick, true);
      if (rescanTimer) clearTimeout(rescanTimer);
      if (settleTimer) clearInterval(settleTimer);
      rescanTimer = null;
      settleTimer = null;
      events = null;
    },
  };
}

function traceIdOf(el: Element, attribute: string): string | null {
  const holder = el.hasAttribute(attribute) ? el : el.querySelector(`[${CSS.escape(attribute)}]`) ?? el.closest(`[${CSS.escape(attribute)}]`);
  const value = holder?.getAttribute(attribute)?.trim();
  return value ? value.slice(0, 200) : null;
}
