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

let frameRealm: typeof globalThis | null | undefined;

/** A hidden same-origin frame: an untouched realm. It must stay attached to keep working. */
function frame(): typeof globalThis | null {
  if (frameRealm !== undefined) return frameRealm;
  frameRealm = null;
  try {
    const el = document.createElement('iframe');
    el.setAttribute('data-chatpulse', 'realm');
    el.setAttribute('aria-hidden', 'true');
    el.tabIndex = -1;
    el.hidden = true;
    (document.head ?? document.documentElement).append(el);
    frameRealm = (el.contentWindow as typeof globalThis | null) ?? null;
  } catch {
    // Sandboxed pages or a CSP without frames: fall back to what the page has.
  }
  return frameRealm;
}

/** `own` if the host left it native, else the frame realm's copy, else `own` after all. */
function pristine<T>(own: T, fresh: (w: typeof globalThis) => T): T {
  if (isNative(own)) return own;
  try {
    const w = frame();
    const other = w && fresh(w);
    if (isNative(other)) return other as T;
  } catch {
    // No usable frame: the page's version is all there is.
  }
  return own;
}

// Captured at load (a host that patches later is not seen); checked lazily (most pages never
// patch, and the frame needs a document).
const fetchAtLoad = realm.fetch;
const stringifyAtLoad = JSON.stringify;
const parseAtLoad = JSON.parse;
const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;
let json: { stringify: typeof JSON.stringify; parse: typeof JSON.parse } | undefined;

function pristineJson(): NonNullable<typeof json> {
  // A host that replaced JSON before we loaded (old polyfills, Prototype.js) gets the frame's.
  json ??= {
    stringify: pristine(stringifyAtLoad, (w) => w.JSON.stringify),
    parse: pristine(parseAtLoad, (w) => w.JSON.parse),
  };
  return json;
}

export const native = {
  fetch: undefined as typeof fetch | undefined,
  sendBeacon:
    typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : undefined,
};

/** A fetch the host has not wrapped, resolved lazily: the page's own if native, else a fresh realm's. */
export function nativeFetch(): typeof fetch | undefined {
  if (!native.fetch && typeof fetchAtLoad === 'function') {
    const f = pristine(fetchAtLoad, (w) => w.fetch);
    native.fetch = f === fetchAtLoad ? f.bind(realm) : f.bind(frameRealm);
  }
  return native.fetch;
}

export function parse(text: string): unknown {
  return pristineJson().parse(text);
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
    return pristineJson().stringify(value);
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
