// The lazily loaded UI chunk: Preact components rendered into ChatPulse's own shadow hosts.
import { signal } from '@preact/signals';
import { render } from 'preact';
import type { Vote } from '../types.ts';
import { marksOf } from '../adapters/marks.ts';
import { Csat, deepActiveElement } from './Csat.tsx';
import { bindHostThumbs } from './host-thumbs.ts';
import { createHost } from './shadow.ts';
import { strings } from './strings.ts';

export { useLocale } from './strings.ts';
import { Thumbs } from './Thumbs.tsx';
import type { CsatHandle, ThumbsHandle, UiModule } from './types.ts';

// Mounting is time-sliced: a chat that shows a long transcript at once gets its buttons over a
// few frames instead of in one long task.
const mounts: Array<() => void> = [];
let mounting = false;

function runMounts(): void {
  const start = performance.now();
  while (mounts.length > 0 && performance.now() - start < 8) mounts.shift()!();
  if (mounts.length > 0) setTimeout(runMounts, 0);
  else mounting = false;
}

export const mountThumbs: UiModule['mountThumbs'] = (message, initial, onVote, options) => {
  const host = marksOf(message)?.hostThumbs;
  if (host) return bindHostThumbs(message, host, onVote);
  const vote = signal<Vote | null>(initial);
  const announcement = signal('');
  let mounted: { host: HTMLElement; root: ShadowRoot } | null = null;
  let cancelled = false;
  mounts.push(() => {
    if (cancelled || !message.isConnected) return;
    message.querySelector(':scope > [data-chatpulse="thumbs"]')?.remove();
    mounted = createHost('thumbs', options, message.ownerDocument);
    render(<Thumbs vote={vote} announcement={announcement} strings={strings()} onVote={onVote} />, mounted.root);
    message.append(mounted.host);
  });
  if (!mounting) {
    mounting = true;
    setTimeout(runMounts, 0);
  }
  const handle: ThumbsHandle = {
    set(value) {
      vote.value = value;
    },
    remove() {
      cancelled = true;
      if (mounted) {
        render(null, mounted.root);
        mounted.host.remove();
      }
    },
  };
  return handle;
};

let openCsat: CsatHandle | null = null;

export const showCsat: UiModule['showCsat'] = (callbacks, options, inlineAfter) => {
  openCsat?.close();
  const { host, root } = createHost('csat', options);
  const active = deepActiveElement();
  const previousFocus = active instanceof HTMLElement ? active : null;
  const handle: CsatHandle = {
    close() {
      if (!host.isConnected) return;
      const hadFocus = host.matches(':focus-within');
      render(null, root);
      host.remove();
      if (openCsat === handle) openCsat = null;
      // Give focus back where it was, but only if the prompt held it.
      if (hadFocus && previousFocus?.isConnected) previousFocus.focus({ preventScroll: true });
      callbacks.onClose();
    },
  };
  if (inlineAfter?.isConnected) {
    host.setAttribute('data-placement', 'inline');
    inlineAfter.after(host);
  } else document.body.append(host);
  render(<Csat strings={strings()} onScore={callbacks.onScore} onComment={callbacks.onComment} onClose={() => handle.close()} />, root);
  callbacks.onShown();
  openCsat = handle;
  return handle;
};
