// Search filters: their shape, how they are evaluated against an entry (RFC 4511 §4.5.1.7: three-valued,
// so that (!(foo=bar)) on an unknown attribute matches nothing), and which indexed lookups can answer
// them — (uid=alice), (mail=…) and ORs of those, also inside an AND, are lookups, not scans.

import { dnKey } from './dn.js';
import type { Entry } from './entries.js';
import {
  attributeKey,
  attributeType,
  normalizeCaseIgnore,
  normalizeObjectClass,
  normalizeSubstring,
} from './schema.js';

export type Filter =
  | { type: 'and'; filters: Filter[] }
  | { type: 'or'; filters: Filter[] }
  | { type: 'not'; filter: Filter }
  | { type: 'equality' | 'approx' | 'ge' | 'le'; attribute: string; value: string }
  | { type: 'substrings'; attribute: string; initial: string | null; any: string[]; final: string | null }
  | { type: 'present'; attribute: string }
  /** Extensible matching is not supported: it evaluates to Undefined. */
  | { type: 'extensible' };

/** TRUE, FALSE, Undefined. */
export type Truth = 1 | 0 | -1;
export const TRUE = 1;
export const FALSE = 0;
export const UNDEFINED = -1;

export function matches(filter: Filter, entry: Entry): boolean {
  return evaluate(filter, entry) === TRUE;
}

function evaluate(f: Filter, entry: Entry): Truth {
  switch (f.type) {
    case 'and': {
      let result: Truth = TRUE;
      for (const sub of f.filters) {
        const t = evaluate(sub, entry);
        if (t === FALSE) return FALSE;
        if (t === UNDEFINED) result = UNDEFINED;
      }
      return result;
    }
    case 'or': {
      let result: Truth = FALSE;
      for (const sub of f.filters) {
        const t = evaluate(sub, entry);
        if (t === TRUE) return TRUE;
        if (t === UNDEFINED) result = UNDEFINED;
      }
      return result;
    }
    case 'not': {
      const t = evaluate(f.filter, entry);
      return t === UNDEFINED ? UNDEFINED : t === TRUE ? FALSE : TRUE;
    }
    case 'present': {
      // Never Undefined (RFC 4511 §4.5.1.7.5); names outside the registry are the rootDSE's.
      const key = attributeKey(f.attribute) ?? f.attribute.toLowerCase();
      return entry.values(key).length > 0 ? TRUE : FALSE;
    }
    case 'equality':
    case 'approx': // no approximate rule here: as slapd does, fall back to equality
      return equality(entry, f.attribute, f.value);
    case 'substrings':
      return substrings(entry, f);
    default:
      // Ordering (>=, <=) has no rule for these attributes; extensible matching is not offered.
      return UNDEFINED;
  }
}

/** An assertion value in the form the attribute's matching rule compares, or null if it has none. */
function prepare(key: string, value: string): string | null {
  switch (attributeType(key).matching) {
    case 'caseIgnore':
      return normalizeCaseIgnore(value);
    case 'objectClass':
      return normalizeObjectClass(value);
    case 'dn':
      return dnKey(value);
  }
}

export function equality(entry: Entry, attribute: string, value: string): Truth {
  const key = attributeKey(attribute);
  if (key === null) return UNDEFINED;
  const wanted = prepare(key, value);
  if (wanted === null) return UNDEFINED;
  return entry.normalized(key).includes(wanted) ? TRUE : FALSE;
}

function substrings(entry: Entry, f: Extract<Filter, { type: 'substrings' }>): Truth {
  const key = attributeKey(f.attribute);
  if (key === null || !attributeType(key).substrings) return UNDEFINED;
  const initial = f.initial === null ? null : normalizeSubstring(f.initial).trimStart();
  const final = f.final === null ? null : normalizeSubstring(f.final).trimEnd();
  const any = f.any.map(normalizeSubstring);
  for (const v of entry.normalized(key)) {
    let at = 0;
    let end = v.length;
    if (initial !== null) {
      if (!v.startsWith(initial)) continue;
      at = initial.length;
    }
    if (final !== null) {
      if (!v.endsWith(final) || v.length - final.length < at) continue;
      end = v.length - final.length;
    }
    let ok = true;
    for (const piece of any) {
      const i = v.indexOf(piece, at);
      if (i === -1 || i + piece.length > end) {
        ok = false;
        break;
      }
      at = i + piece.length;
    }
    if (ok) return TRUE;
  }
  return FALSE;
}

/** Indexed lookups that find every person a filter can match; null when only a scan can. */
export interface Lookups {
  uids: string[];
  mails: string[];
}

/** Beyond this many lookups a keyset scan is cheaper than one query per value. */
const MAX_LOOKUPS = 32;

export function lookups(f: Filter): Lookups | null {
  const plan = planOf(f);
  return plan && plan.uids.length + plan.mails.length <= MAX_LOOKUPS ? plan : null;
}

function planOf(f: Filter): Lookups | null {
  switch (f.type) {
    case 'equality':
    case 'approx': {
      const key = attributeKey(f.attribute);
      if (key === 'uid') return { uids: [normalizeCaseIgnore(f.value)], mails: [] };
      if (key === 'mail') return { uids: [], mails: [normalizeCaseIgnore(f.value)] };
      return null;
    }
    case 'and': {
      // Every match satisfies each clause: the smallest clause that is a lookup bounds the result.
      let best: Lookups | null = null;
      for (const sub of f.filters) {
        const p = planOf(sub);
        if (p && (best === null || size(p) < size(best))) best = p;
      }
      return best;
    }
    case 'or': {
      const out: Lookups = { uids: [], mails: [] };
      for (const sub of f.filters) {
        const p = planOf(sub);
        if (p === null) return null;
        out.uids.push(...p.uids);
        out.mails.push(...p.mails);
        if (size(out) > MAX_LOOKUPS) return null;
      }
      return out;
    }
    default:
      return null;
  }
}

function size(p: Lookups): number {
  return p.uids.length + p.mails.length;
}
