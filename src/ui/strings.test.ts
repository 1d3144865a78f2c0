import { describe, expect, it } from 'vitest';
import en from './locales/en.ts';
import { directionOf, pickLocale, SUPPORTED_LOCALES, type Strings } from './strings.ts';

describe('locales', () => {
  it('picks data-locale first, then the page, then the browser, else English', () => {
    expect(pickLocale(['fr-CA', 'de', 'es'])).toBe('fr');
    expect(pickLocale([null, 'pt-BR', 'en'])).toBe('pt');
    expect(pickLocale([undefined, '', 'zh-Hans-CN'])).toBe('zh');
    expect(pickLocale(['sw', 'tlh'])).toBe('en');
  });

  it('writes Arabic right to left and the rest left to right', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('hi')).toBe('ltr');
  });

  it.each(SUPPORTED_LOCALES.filter((l) => l !== 'en'))('%s translates every string', async (locale) => {
    const strings = ((await import(`./locales/${locale}.ts`)) as { default: Strings }).default;
    expect(Object.keys(strings).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(strings)) {
      expect(value, key).toBeTruthy();
      // The CSAT options are named 1–5 everywhere; the words are translated, not left in English.
      if (!['send'].includes(key)) expect(value, `${locale}.${key}`).not.toBe(en[key as keyof Strings]);
    }
  });
});
