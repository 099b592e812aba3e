// The catalogues of the languages Latchkey speaks, one file each. The list of codes lives in the core
// (src/core/languages.ts), which must not import the pages' words; `satisfies` makes a catalogue
// without its code, or a code without its catalogue, a compile error.

import { DEFAULT_LANG, isLang, LANGUAGES, type Lang } from '../../core/languages.js';
import { en } from './en.js';
import { nl } from './nl.js';
import type { Catalogue } from './types.js';

export const CATALOGUES = {
  en,
  nl,
} as const satisfies Record<Lang, Catalogue>;

export { DEFAULT_LANG, isLang, LANGUAGES, type Lang };
