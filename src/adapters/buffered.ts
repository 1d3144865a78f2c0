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

  const sink: AdapterEvents = {
    message(message) {
      if (target) return target.message(message);
      if (queue.length < MAX_BUFFERED) queue.push({ message });
      noteFirst();
    },
    control(kind, source) {
      if (target) return target.control(kind, source);
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
      const replay = queue;
      queue = [];
      for (const item of replay) {
        if ('message' in item) events.message(item.message);
        else events.control(...item.control);
      }
    },
    settleNow: () => adapter.settleNow(),
    stop() {
      target = null;
      queue = [];
      adapter.stop();
    },
  };
}
