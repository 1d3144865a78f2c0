// Lets the page be watched from the first moment while the engine (storage, delivery, UI) is
// still a lazy chunk: what the adapter reports meanwhile is kept, in order, and replayed to the
// engine when it starts listening.
import type { AdapterEvents, ChatAdapter, ControlKind, ControlSource, SettledMessage } from './types.ts';

type Buffered = { message: SettledMessage } | { control: [ControlKind, ControlSource] };

export interface BufferedAdapter extends ChatAdapter {
  /** Starts watching now; `onFirst` fires once, on the first thing worth the engine's time. */
  watch(onFirst: () => void): void;
}

/** Messages kept while the engine loads; a page that shows more before it starts is a transcript. */
const MAX_BUFFERED = 5000;
const REPLAY_SLICE = 20;

export function buffered(adapter: ChatAdapter): BufferedAdapter {
  let queue: Buffered[] = [];
  let target: AdapterEvents | null = null;
  let first: (() => void) | null = null;
  let watching = false;

  const noteFirst = (): void => {
    const fire = first;
    first = null;
    fire?.();
  };

  let draining = false;

  /** Replays in slices: a long transcript seen before the engine loaded is no long task either. */
  function drain(): void {
    const events = target;
    if (!events) return;
    for (const item of queue.splice(0, REPLAY_SLICE)) {
      if ('message' in item) events.message(item.message);
      else events.control(...item.control);
    }
    draining = queue.length > 0;
    if (draining) setTimeout(drain, 0);
  }

  const sink: AdapterEvents = {
    message(message) {
      // Live events wait behind a replay still in progress, so order is kept.
      if (target && !draining) return target.message(message);
      if (queue.length < MAX_BUFFERED) queue.push({ message });
      noteFirst();
    },
    control(kind, source) {
      if (target && !draining) return target.control(kind, source);
      queue.push({ control: [kind, source] });
      noteFirst();
    },
  };

  return {
    watch(onFirst) {
      first = onFirst;
      if (watching) return;
      watching = true;
      adapter.start(sink);
    },
    start(events) {
      target = events;
      if (!watching) {
        watching = true;
        adapter.start(sink);
      }
      draining = queue.length > 0;
      drain();
    },
    async settleSoon() {
      // Let the replay finish at its own pace, then settle what the page still shows as pending.
      while (draining || (target && queue.length > 0)) await new Promise((resolve) => setTimeout(resolve, 0));
      await adapter.settleSoon();
      while (draining) await new Promise((resolve) => setTimeout(resolve, 0));
    },
    settleNow() {
      adapter.settleNow();
      // The page may be going away: whatever is still queued counts now.
      if (target) {
        const rest = queue;
        queue = [];
        draining = false;
        for (const item of rest) {
          if ('message' in item) target.message(item.message);
          else target.control(...item.control);
        }
      }
    },
    stop() {
      target = null;
      queue = [];
      adapter.stop();
    },
  };
}
