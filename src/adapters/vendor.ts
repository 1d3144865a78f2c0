// An adapter fed by a chat vendor's documented events instead of the DOM, for chat UIs whose
// messages the page cannot read (a cross-origin iframe) or whose markup is not a public API.
// Vendor messages arrive whole, so they count at once; each is reported once by its id.
import { OWN_HOST_ATTRIBUTE } from './dom.ts';
import type { AdapterEvents, ChatAdapter, ControlKind } from './types.ts';
import type { Role } from '../types.ts';

export interface VendorMessage {
  /** The vendor's message id: updates of the same message are not new messages. */
  key: string;
  role: Role;
  text: string;
}

export interface VendorSink {
  message(message: VendorMessage): void;
  control(kind: ControlKind): void;
}

/** Subscribes to the vendor's events and returns the unsubscribe. */
export type VendorFeed = (sink: VendorSink) => () => void;

/**
 * Core helpers handed in by compose.ts rather than imported: a static import of core modules from
 * this second-level lazy chunk makes the bundler split them out of the script tag's chunk, which
 * costs the initial download more than the code itself.
 */
export interface VendorTools {
  asksForHuman(text: string): boolean;
  warn(message: string, cause?: unknown): void;
}

const MAX_KEYS = 5000;

export function createVendorAdapter(feed: VendorFeed, { asksForHuman, warn }: VendorTools): ChatAdapter {
  let events: AdapterEvents | null = null;
  let unsubscribe: (() => void) | null = null;
  const seen = new Set<string>();
  let box: HTMLElement | null = null;

  /**
   * The conversation model keys messages by element, and keeps a greeting only while its element
   * is on the page: each vendor message gets an empty, hidden element of ChatPulse's own (marked,
   * so no adapter reads it). Thumbs mounted there are never seen; the vendor UI is out of reach.
   */
  function anchor(): Element {
    if (!box || !box.isConnected) {
      box = document.createElement('div');
      box.setAttribute(OWN_HOST_ATTRIBUTE, 'events');
      box.hidden = true;
      document.body.append(box);
    }
    const el = document.createElement('span');
    box.append(el);
    return el;
  }

  const sink: VendorSink = {
    message({ key, role, text }) {
      try {
        const clean = text.replace(/\s+/g, ' ').trim();
        if (!events || !clean || seen.has(key)) return;
        if (seen.size >= MAX_KEYS) seen.clear();
        seen.add(key);
        events.message({ element: anchor(), role, text: clean, traceId: null });
        if (role === 'user' && asksForHuman(clean)) events.control('handoff', 'message');
      } catch (error) {
        warn('could not read a chat event', error);
      }
    },
    control(kind) {
      events?.control(kind, 'selector');
    },
  };

  return {
    start(handlers) {
      events = handlers;
      try {
        unsubscribe = feed(sink);
      } catch (error) {
        warn('could not listen to the chat', error);
      }
    },
    settleNow() {
      // Vendor messages are counted as they arrive: nothing is ever pending.
    },
    async settleSoon() {},
    stop() {
      events = null;
      try {
        unsubscribe?.();
      } catch {
        // The vendor's own failure to unsubscribe is not the host's problem.
      }
      unsubscribe = null;
      box?.remove();
      box = null;
    },
  };
}

/** The first string among a vendor payload's usual text fields (shapes differ between versions). */
export function textOf(value: unknown, paths: ReadonlyArray<ReadonlyArray<string>>): string {
  for (const path of paths) {
    let at: unknown = value;
    for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
    if (typeof at === 'string' && at.trim()) return at;
  }
  return '';
}
