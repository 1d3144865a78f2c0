// Shadow hosts for everything ChatPulse renders: open (so assistive tech and tests reach them),
// marked so adapters skip them, styled by one constructable stylesheet shared by all hosts.
import css from './styles.css?raw';
import { OWN_HOST_ATTRIBUTE } from '../adapters/dom.ts';
import { directionOf } from './locale.ts';
import type { UiOptions } from './types.ts';

let shared: CSSStyleSheet | null = null;

function sheet(): CSSStyleSheet | null {
  if (shared) return shared;
  try {
    shared = new CSSStyleSheet();
    shared.replaceSync(css);
  } catch {
    shared = null;
  }
  return shared;
}

export function createHost(kind: 'thumbs' | 'csat', options: UiOptions): { host: HTMLElement; root: ShadowRoot } {
  const host = document.createElement(kind === 'thumbs' ? 'span' : 'div');
  host.setAttribute(OWN_HOST_ATTRIBUTE, kind);
  host.setAttribute('data-theme', options.theme);
  host.setAttribute('lang', options.locale);
  host.setAttribute('dir', directionOf(options.locale));
  const root = host.attachShadow({ mode: 'open' });
  const adopted = sheet();
  if (adopted) root.adoptedStyleSheets = [adopted];
  else {
    // Older engines: a <style> that carries the page's nonce, so CSP still allows it.
    const style = document.createElement('style');
    if (options.nonce) style.nonce = options.nonce;
    style.textContent = css;
    root.append(style);
  }
  return { host, root };
}
