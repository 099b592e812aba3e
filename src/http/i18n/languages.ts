// The languages Latchkey speaks: one catalogue file each, registered here by one line. The core reads
// the list (the organisation's default language, a person's choice) from this leaf module; it imports
// nothing but the catalogues.

import { en } from './en.js';
import { nl } from './nl.js';
import type { Catalogue } from './types.js';

export const CATALOGUES = {
  en,
  nl,
} as const satisfies Record<string, Catalogue>;

export type Lang = keyof typeof CATALOGUES;
export const LANGUAGES = Object.keys(CATALOGUES) as Lang[];
export const DEFAULT_LANG: Lang = 'en';

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && Object.hasOwn(CATALOGUES, v);
}
