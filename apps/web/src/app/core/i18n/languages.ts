export const LANGUAGES = ['tr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'tr';
export const LANGUAGE_STORAGE_KEY = 'velora.lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** BCP 47 locale used for Intl formatting of dates, numbers and currencies. */
export function localeFor(language: Language, browserLanguages: readonly string[] = []): string {
  if (language === 'tr') {
    return 'tr-TR';
  }
  return browserLanguages.find((l) => /^en(-|$)/i.test(l)) ?? 'en-US';
}
