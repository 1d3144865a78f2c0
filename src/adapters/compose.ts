// Builds the adapter for a preset (lazy: only pages with a data-preset or data-thumbs="host" load
// it): the preset's own event adapter or the generic one with the preset's selectors, and, with
// data-thumbs="host", the marks that tell the UI to listen to the host's vote buttons.
import type { Config } from '../types.ts';
import { isValidSelector } from './dom.ts';
import { createGenericAdapter } from './generic.ts';
import { asksForHuman } from './handoff-phrases.ts';
import { selectorsFor } from './index.ts';
import { mark } from './marks.ts';
import type { HostThumbSelectors, Preset, PresetModule } from './presets/types.ts';
import type { AdapterSelectors, ChatAdapter } from './types.ts';
import { warn } from '../widget/log.ts';

/** The host's vote buttons with `data-thumbs="host"`: the site's selectors, else the preset's. */
function hostThumbsFor(config: Config, preset: Preset): HostThumbSelectors | null {
  if (config.thumbsMode !== 'host') return null;
  const up = config.thumbsUp ?? preset.hostThumbs?.up;
  const down = config.thumbsDown ?? preset.hostThumbs?.down;
  if (!up || !down || !isValidSelector(up) || !isValidSelector(down)) {
    warn('data-thumbs="host" needs valid data-thumbs-up and data-thumbs-down selectors; no thumbs are recorded');
    return null;
  }
  return { up, down };
}

/** Known presets; each import is its own lazy chunk (see scripts/size-check.mjs). */
const PRESETS: Record<string, () => Promise<PresetModule>> = {
  'deep-chat': () => import('./presets/deepchat.ts'),
  botframework: () => import('./presets/botframework.ts'),
  'assistant-ui': () => import('./presets/assistantui.ts'),
  botpress: () => import('./presets/botpress.ts'),
  chatwoot: () => import('./presets/chatwoot.ts'),
};

async function loadPreset(config: Config, quiet = false): Promise<Preset> {
  const load = PRESETS[config.preset];
  if (!load && config.preset !== 'generic' && !quiet) warn(`unknown data-preset "${config.preset}", using the generic adapter`);
  return load
    ? load().then(
        (module) => module.preset,
        (error: unknown) => {
          if (!quiet) warn(`could not load data-preset "${config.preset}", using the generic adapter`, error);
          return {};
        },
      )
    : {};
}

/** The message selectors in effect with the page's preset (null for event-driven presets: no DOM to point at). */
export async function presetSelectors(config: Config): Promise<AdapterSelectors | null> {
  const preset = await loadPreset(config, true);
  return preset.adapter ? null : selectorsFor(config, preset);
}

export async function composeAdapter(config: Config): Promise<ChatAdapter | null> {
  const preset = await loadPreset(config);
  const adapter = preset.adapter ? preset.adapter({ asksForHuman, warn }) : createGenericAdapter(selectorsFor(config, preset) ?? fail());
  const host = hostThumbsFor(config, preset);
  if (!host) return adapter;
  // Bot messages carry the host's button selectors to the UI, which then listens instead of drawing.
  return {
    ...adapter,
    start(events) {
      adapter.start({
        message(message) {
          if (message.role === 'bot') mark(message.element, { hostThumbs: host });
          events.message(message);
        },
        control: (kind, source) => events.control(kind, source),
      });
    },
  };
}

function fail(): never {
  throw new Error('invalid selectors');
}
