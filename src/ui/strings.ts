// The UI's strings: one module per locale under ./locales, loaded on demand; English is built in
// and is the fallback for anything unknown.
import en from './locales/en.ts';
import { pickLocale, type SupportedLocale } from './locale.ts';

export { directionOf, pickLocale, SUPPORTED_LOCALES, type SupportedLocale } from './locale.ts';

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

// One lazy chunk per language; English is built in above.
const LOADERS: Record<Exclude<SupportedLocale, 'en'>, () => Promise<{ default: Strings }>> = {
  es: () => import('./locales/es.ts'),
  fr: () => import('./locales/fr.ts'),
  de: () => import('./locales/de.ts'),
  pt: () => import('./locales/pt.ts'),
  it: () => import('./locales/it.ts'),
  nl: () => import('./locales/nl.ts'),
  ja: () => import('./locales/ja.ts'),
  zh: () => import('./locales/zh.ts'),
  ko: () => import('./locales/ko.ts'),
  ar: () => import('./locales/ar.ts'),
  hi: () => import('./locales/hi.ts'),
};

let current: Strings = en;

export async function useLocale(wanted: string): Promise<void> {
  const locale = pickLocale([wanted]);
  if (locale === 'en') {
    current = en;
    return;
  }
  try {
    current = (await LOADERS[locale]()).default;
  } catch {
    current = en; // A chunk that fails to load still leaves a working English UI.
  }
}

export const strings = (): Strings => current;
