// `data-thumbs="host"`: the chat already has vote buttons (assistant-ui, the Vercel chatbot), so
// ChatPulse draws none and records clicks on the host's. One capturing listener per document
// sees every click, even when the host stops propagation or renders the buttons later (an action
// bar shown on hover, or only once the answer has finished streaming).
import { marksOf, mark } from '../adapters/marks.ts';
import type { HostThumbSelectors } from '../adapters/presets/types.ts';
import type { Vote } from '../types.ts';
import type { ThumbsHandle } from './types.ts';

const listening = new WeakSet<Document>();

function matches(el: Element, selector: string): boolean {
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
}

function onClick(event: Event): void {
  try {
    const path = event.composedPath().filter((n): n is Element => (n as Node).nodeType === Node.ELEMENT_NODE);
    for (let i = 0; i < path.length; i++) {
      const marks = marksOf(path[i]!);
      if (!marks?.hostThumbs || !marks.onHostVote) continue;
      // The clicked button is between the target and the message it belongs to.
      const button = path.slice(0, i + 1);
      const vote: Vote | null = button.some((el) => matches(el, marks.hostThumbs!.up))
        ? 'up'
        : button.some((el) => matches(el, marks.hostThumbs!.down))
          ? 'down'
          : null;
      if (vote) marks.onHostVote(vote);
      return;
    }
  } catch {
    // Never let a failure here reach the host's own click handling.
  }
}

export function bindHostThumbs(message: Element, selectors: HostThumbSelectors, onVote: (value: Vote | null) => void): ThumbsHandle {
  const doc = message.ownerDocument;
  if (!listening.has(doc)) {
    listening.add(doc);
    doc.addEventListener('click', onClick, true);
  }
  mark(message, { hostThumbs: selectors, onHostVote: (value) => onVote(value) });
  return {
    // The host's buttons show their own state; there is nothing of ours to update.
    set: () => undefined,
    remove: () => mark(message, { onHostVote: undefined }),
  };
}
