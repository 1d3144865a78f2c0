// Shadow hosts for everything ChatPulse renders: open (so assistive tech and tests reach them),
// marked so adapters skip them, styled by one constructable stylesheet shared by all hosts.
import css from './styles.css?raw';
import { OWN_HOST_ATTRIBUTE } from '../adapters/dom.ts';
import { directionOf } from './locale.ts';
import type { UiOptions } from './types.ts';

// One sheet per document: a constructed sheet can only be adopted in the document whose window
// made it, and a chat in a same-origin iframe gets its thumbs in the iframe's document.
const sheets = new WeakMap<Document, CSSStyleSheet | null>();

function sheet(doc: Document): CSSStyleSheet | null {
  if (sheets.has(doc)) return sheets.get(doc) ?? null;
  let made: CSSStyleSheet | null = null;
  try {
    const Sheet = (doc.defaultView as (Window & typeof globalThis) | null)?.CSSStyleSheet ?? CSSStyleSheet;
    made = new Sheet();
    made.replaceSync(css);
  } catch {
    made = null;
  }
  sheets.set(doc, made);
  return made;
}

export function createHost(kind: 'thumbs' | 'csat', options: UiOptions, doc: Document = document): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement(kind === 'thumbs' ? 'span' : 'div');
  host.setAttribute(OWN_HOST_ATTRIBUTE, kind);
  host.setAttribute('data-theme', options.theme);
  host.setAttribute('lang', options.locale);
  host.setAttribute('dir', directionOf(options.locale));
  const root = host.attachShadow({ mode: 'open' });
  const adopted = sheet(doc);
  if (adopted) root.adoptedStyleSheets = [adopted];
  else {
    // Older engines: a <style> that carries the page's nonce, so CSP still allows it.
    const style = doc.createElement('style');
    if (options.nonce) style.nonce = options.nonce;
    style.textContent = css;
    root.append(style);
  }
  return { host, root };
}
