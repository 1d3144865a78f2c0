// The UI's strings: one module per locale under ./locales, loaded on demand; English is built in
// and is the fallback for anything unknown.
import en from './locales/en.ts';

export interface Strings {
  helpful: string;
  notHelpful: string;
  feedbackGroup: string;
  thanksForFeedback: string;
  feedbackRemoved: string;
  csatQuestion: string;
  csatLow: string;
  csatHigh: string;
  commentLabel: string;
  commentPlaceholder: string;
  send: string;
  close: string;
  csatThanks: string;
}

export const SUPPORTED_LOCALES = ['en', 'es', 'fr', 'de', 'pt', 'it', 'nl', 'ja', 'zh', 'ko', 'ar', 'hi'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa', 'ur']);

/** The first supported language among the wanted ones (`data-locale`, the page's lang, the browser's). */
export function pickLocale(wanted: ReadonlyArray<string | null | undefined>): SupportedLocale {
  for (const tag of wanted) {
    const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (primary && (SUPPORTED_LOCALES as readonly string[]).includes(primary)) return primary as SupportedLocale;
  }
  return 'en';
}

export const directionOf = (locale: string): 'rtl' | 'ltr' => (RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr');

let current: Strings = en;

export async function useLocale(wanted: string): Promise<void> {
  const locale = pickLocale([wanted]);
  if (locale === 'en') {
    current = en;
    return;
  }
  try {
    current = (await import(`./locales/${locale}.ts`) as { default: Strings }).default;
  } catch {
    current = en; // A chunk that fails to load still leaves a working English UI.
  }
}

export const strings = (): Strings => current;
