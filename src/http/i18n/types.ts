// The shapes of a catalogue, worked out from the English one: a key missing from another language, or
// a placeholder its sentence forgot, is a type error there. (A placeholder a translation invents, or
// one a plural form drops, is caught by test/i18n.test.ts instead: types cannot see those.)

import type { en } from './en.js';

/** One sentence per plural category (Intl.PluralRules), `=0` for an exact nought if a language wants it. */
export interface PluralMessage {
  readonly '=0'?: string;
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}
export type Message = string | PluralMessage;

export type Key = keyof typeof en;

/** The `{name}` placeholders of a sentence. */
export type Holes<S> = S extends `${string}{${infer P}}${infer R}` ? P | Holes<R> : never;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
type Pattern<P> = P extends string ? `${string}{${P}}${string}` : never;
/** A string that holds every placeholder of the English sentence S. */
type Holding<S> = [Holes<S>] extends [never] ? string : UnionToIntersection<Pattern<Holes<S>>>;

type Shape<M> = M extends string
  ? Holding<M>
  : M extends { other: infer O }
    ? Omit<PluralMessage, 'other'> & { readonly other: Holding<O> }
    : never;

/** What every language must provide: each English key, its sentence holding the same placeholders. */
export type Catalogue = { readonly [K in Key]: Shape<(typeof en)[K]> };

type SentencesOf<M> = M extends string ? M : M extends PluralMessage ? M[keyof M] : never;
/** The names a key's sentence needs filled; a plural message needs `count` besides. */
export type ParamsOf<K extends Key> =
  | Holes<SentencesOf<(typeof en)[K]>>
  | ((typeof en)[K] extends string ? never : 'count');
