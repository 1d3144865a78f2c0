// What a preset is: the selectors of one chat UI family, the host's own vote buttons if it has
// them, and, for chat UIs whose messages the page cannot read (a cross-origin iframe, a closed
// widget), an adapter fed by the vendor's documented events instead of the DOM.
import type { AdapterSelectors, ChatAdapter } from '../types.ts';
import type { VendorTools } from '../vendor.ts';

/** Selectors of the host's own thumbs buttons inside a bot message (`data-thumbs="host"`). */
export interface HostThumbSelectors {
  up: string;
  down: string;
}

export interface Preset {
  /** Replace the generic defaults; the site's own `data-*` selectors still win over these. */
  selectors?: Partial<Pick<AdapterSelectors, 'chat' | 'botMessage' | 'userMessage' | 'handoff' | 'end' | 'busy'>>;
  /** The host's vote buttons, used with `data-thumbs="host"` when the site names none. */
  hostThumbs?: HostThumbSelectors;
  /** Event-driven presets build their own adapter; DOM presets leave this out. */
  adapter?: (tools: VendorTools) => ChatAdapter;
}

export interface PresetModule {
  preset: Preset;
}
