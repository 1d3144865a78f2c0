import type { Signal } from '@preact/signals';
import type { Vote } from '../types.ts';
import type { Strings } from './strings.ts';

interface ThumbsProps {
  vote: Signal<Vote | null>;
  announcement: Signal<string>;
  strings: Strings;
  onVote: (value: Vote | null) => void;
}

const UP_PATH = 'M7 10v11H3V10h4zm0 0l4-8a3 3 0 013 3v4h5.5a2 2 0 012 2.3l-1.4 8A2 2 0 0118.1 21H7';
const DOWN_PATH = 'M17 14V3h4v11h-4zm0 0l-4 8a3 3 0 01-3-3v-4H4.5a2 2 0 01-2-2.3l1.4-8A2 2 0 015.9 3H17';

/** Two toggle buttons; pressing the pressed one withdraws the vote. */
export function Thumbs({ vote, announcement, strings, onVote }: ThumbsProps) {
  const toggle = (value: Vote) => {
    const next = vote.value === value ? null : value;
    vote.value = next;
    announcement.value = next ? strings.thanksForFeedback : strings.feedbackRemoved;
    onVote(next);
  };
  return (
    <span class="thumbs" role="group" aria-label={strings.feedbackGroup}>
      <button type="button" class="thumb" aria-pressed={vote.value === 'up'} aria-label={strings.helpful} title={strings.helpful} onClick={() => toggle('up')}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d={UP_PATH} />
        </svg>
      </button>
      <button type="button" class="thumb" aria-pressed={vote.value === 'down'} aria-label={strings.notHelpful} title={strings.notHelpful} onClick={() => toggle('down')}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d={DOWN_PATH} />
        </svg>
      </button>
      <span class="sr-only" role="status" aria-live="polite">
        {announcement.value}
      </span>
    </span>
  );
}
