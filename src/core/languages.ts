// The languages the pages speak. Each has one catalogue of words in src/http/i18n/ (registered in its
// languages.ts); the compiler checks that the two lists agree. The core needs only the codes: the
// organisation's default language and a person's choice are settings of the core.

export const LANGUAGES = ['en', 'nl'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'en';

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}
