// State ChatPulse keeps on a host element for another of its stages, without touching the
// host's attributes (a framework re-rendering the element must not see foreign attributes).
// A global symbol, so the core and the lazy UI chunk read the same property.
import type { HostThumbSelectors } from './presets/types.ts';
import type { Vote } from '../types.ts';

export interface Marks {
  /** Set by the adapter on a bot message: the host's own vote buttons replace ChatPulse's. */
  hostThumbs?: HostThumbSelectors;
  /** Set by the UI: records a click on one of those buttons. */
  onHostVote?: (value: Vote) => void;
}

// generic.ts reads this key directly (carryOver) to keep this module out of the core.
const KEY = Symbol.for('chatpulse.marks');

export function marksOf(el: Element): Marks | undefined {
  return (el as unknown as Record<symbol, Marks | undefined>)[KEY];
}

export function mark(el: Element, marks: Marks): void {
  const holder = el as unknown as Record<symbol, Marks | undefined>;
  holder[KEY] = { ...holder[KEY], ...marks };
}
