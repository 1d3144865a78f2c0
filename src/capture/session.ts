// Identity that outlives one page: the anonymous visitor (first-party, per site) and the tab's
// current conversation (so a reload in the same tab continues it).

export interface Session {
  visitor: string;
  conversation(): string | null;
  setConversation(id: string): void;
}

export function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  // randomUUID needs a secure context; plain-http intranet pages still get 128 random bits.
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function storage(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    const s = globalThis[kind];
    const probe = '__chatpulse__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    // Blocked storage (privacy modes, sandboxed iframes): fall back to this page's memory.
    return null;
  }
}

/** The anonymous visitor id is replaced this often, so it never becomes a long-lived identifier. */
export const VISITOR_ROTATION_DAYS = 30;

export function createSession(site: string, now = Date.now()): Session {
  const local = storage('localStorage');
  const tab = storage('sessionStorage');
  const visitorKey = `chatpulse:${site}:visitor`;
  const conversationKey = `chatpulse:${site}:conversation`;
  // Stored as "<id>.<issued at, epoch ms>"; metrics look back at most 7 days, so rotation is invisible to them.
  const [storedId, issued] = (local?.getItem(visitorKey) ?? '').split('.');
  let visitor = storedId ?? '';
  const fresh = Number(issued) > now - VISITOR_ROTATION_DAYS * 86_400_000 && Number(issued) <= now;
  if (!fresh || !/^[A-Za-z0-9-]{16,64}$/.test(visitor)) {
    visitor = randomId();
    local?.setItem(visitorKey, `${visitor}.${now}`);
  }
  let current = tab?.getItem(conversationKey) ?? null;
  return {
    visitor,
    conversation: () => current,
    setConversation(id) {
      current = id;
      tab?.setItem(conversationKey, id);
    },
  };
}

/** Forgets this site's visitor and conversation pointer (consent withdrawn). */
export function forgetSession(site: string): void {
  storage('localStorage')?.removeItem(`chatpulse:${site}:visitor`);
  storage('sessionStorage')?.removeItem(`chatpulse:${site}:conversation`);
}
