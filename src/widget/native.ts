// Host pages patch globals (fetch wrappers, JSON polyfills, Array.prototype.toJSON from old
// libraries). ChatPulse keeps the originals it found when it loaded and serialises defensively.

const realm = globalThis;

function isNative(fn: unknown): boolean {
  try {
    return typeof fn === 'function' && /\{\s*\[native code\]\s*\}/.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

/** A fetch the host has not wrapped: the page's own if it is native, else a fresh realm's. */
function pristineFetch(): typeof fetch | undefined {
  const own = realm.fetch;
  if (isNative(own)) return own.bind(realm);
  try {
    // A hidden same-origin frame gives an untouched realm; it must stay attached to keep working.
    const frame = document.createElement('iframe');
    frame.setAttribute('data-chatpulse', 'realm');
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.hidden = true;
    (document.head ?? document.documentElement).append(frame);
    const fresh = frame.contentWindow?.fetch;
    if (isNative(fresh)) return fresh!.bind(frame.contentWindow);
    frame.remove();
  } catch {
    // Sandboxed pages or a CSP without frames: fall back to what the page has.
  }
  return typeof own === 'function' ? own.bind(realm) : undefined;
}

const stringifyAtLoad = JSON.stringify;
const parseAtLoad = JSON.parse;
const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;

export const native = {
  fetch: undefined as typeof fetch | undefined,
  sendBeacon:
    typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : undefined,
  parse: parseAtLoad,
};

/** Resolved lazily: the iframe fallback needs a document, and most pages never need it. */
export function nativeFetch(): typeof fetch | undefined {
  native.fetch ??= pristineFetch();
  return native.fetch;
}

/** JSON.stringify as it was at load, with inherited `toJSON` hooks set aside while it runs. */
export function stringify(value: unknown): string {
  const hooks: Array<[object, PropertyDescriptor]> = [];
  for (const proto of [Array.prototype, Object.prototype, String.prototype, Number.prototype]) {
    const hook = Object.getOwnPropertyDescriptor(proto, 'toJSON');
    if (hook?.configurable) {
      hooks.push([proto, hook]);
      delete (proto as { toJSON?: unknown }).toJSON;
    }
  }
  try {
    return stringifyAtLoad(value);
  } finally {
    for (const [proto, hook] of hooks) Object.defineProperty(proto, 'toJSON', hook);
  }
}

/** Length in UTF-8 bytes, which is what beacon and keepalive quotas count. */
export function utf8Bytes(text: string): number {
  if (encoder) return encoder.encode(text).length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? (i++, 4) : 3;
  }
  return bytes;
}
