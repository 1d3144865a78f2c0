// The widget's side of intents, a lazy chunk: fetches the site's definitions from the collector
// once per page and labels conversations on the device. Any failure means "no label", never an
// error in the host page.
import { nativeFetch, parse } from '../widget/native.ts';
import { compileIntents, labelIntent, type CompiledIntent, type IntentDefinition } from './match.ts';

export type IntentLabeller = (firstUserMessages: readonly string[]) => Promise<string | null>;

export function createIntentLabeller(collector: string, site: string): IntentLabeller {
  let intents: Promise<CompiledIntent[]> | null = null;
  const load = async (): Promise<CompiledIntent[]> => {
    const fetcher = nativeFetch();
    if (!fetcher) return [];
    const url = `${collector.replace(/\/+$/, '')}/v1/intents?site=${encodeURIComponent(site)}`;
    const response = await fetcher(url, { credentials: 'omit' });
    if (!response.ok) return [];
    const body = parse(await response.text()) as { intents?: unknown } | null;
    return Array.isArray(body?.intents) ? compileIntents(body.intents.filter(isDefinition)) : [];
  };
  return async (messages) => {
    intents ??= load().catch(() => []);
    const compiled = await intents;
    return compiled.length > 0 ? labelIntent(messages, compiled) : null;
  };
}

function isDefinition(value: unknown): value is IntentDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const { name, patterns } = value as { name?: unknown; patterns?: unknown };
  return typeof name === 'string' && name.length > 0 && name.length <= 60 && Array.isArray(patterns) && patterns.every((p) => typeof p === 'string');
}
