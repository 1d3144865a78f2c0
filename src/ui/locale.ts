// Which of ChatPulse's languages a page gets, and its direction. Tiny and string-free, so the
// script-tag engine can decide without loading any translations.

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

