// Distinguished names: parsing (RFC 4514, tolerant of the spaces and ";" separators of older clients),
// comparison, and the names of this directory — where people, services and groups live under the base
// DN, and what a bind name or a search base refers to.
//
// Why not @ldapjs/dn: its parser never returns on some inputs (the 7-byte bind name `uid=# a` spins
// forever), and a bind name is the first thing an unauthenticated client controls.

import { asciiLower } from '../core/validate.js';
import { dnAttributeName, normalizeCaseIgnore } from './schema.js';

export class DnSyntaxError extends Error {
  override readonly name = 'DnSyntaxError';
}

export interface Ava {
  /** As written (an attribute name or a numeric OID). */
  type: string;
  /** Unescaped. */
  value: string;
}
export type Rdn = Ava[];

/** No DN of this directory comes near these; longer input is refused before any work. */
const MAX_DN_LENGTH = 4096;
const MAX_RDNS = 64;

const TYPE_START = /[A-Za-z0-9]/;
const TYPE_CHAR = /[A-Za-z0-9.-]/;
const HEX = /^[0-9A-Fa-f]{2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseDn(input: string): Rdn[] {
  if (input.length > MAX_DN_LENGTH) throw new DnSyntaxError('DN too long');
  const p = new DnParser(input);
  return p.parse();
}

class DnParser {
  private pos = 0;
  constructor(private readonly s: string) {}

  parse(): Rdn[] {
    const rdns: Rdn[] = [];
    this.spaces();
    if (this.pos === this.s.length) return rdns;
    for (;;) {
      const rdn: Rdn = [];
      for (;;) {
        rdn.push(this.ava());
        if (this.s[this.pos] !== '+') break;
        this.pos++;
      }
      rdns.push(rdn);
      if (rdns.length > MAX_RDNS) throw new DnSyntaxError('too many RDNs');
      if (this.pos === this.s.length) return rdns;
      const sep = this.s[this.pos];
      if (sep !== ',' && sep !== ';') throw new DnSyntaxError(`unexpected "${sep}"`);
      this.pos++;
    }
  }

  private spaces(): void {
    while (this.s[this.pos] === ' ') this.pos++;
  }

  private ava(): Ava {
    this.spaces();
    const start = this.pos;
    if (!TYPE_START.test(this.s[this.pos] ?? '')) throw new DnSyntaxError('attribute type expected');
    while (this.pos < this.s.length && TYPE_CHAR.test(this.s[this.pos]!)) this.pos++;
    const type = this.s.slice(start, this.pos);
    this.spaces();
    if (this.s[this.pos] !== '=') throw new DnSyntaxError('"=" expected');
    this.pos++;
    this.spaces();
    const c = this.s[this.pos];
    const value = c === '#' ? this.hexValue() : c === '"' ? this.quotedValue() : this.stringValue();
    this.spaces();
    return { type, value };
  }

  /** A string value with RFC 4514 escapes; unescaped trailing spaces are not part of it. */
  private stringValue(): string {
    let out = '';
    let keep = 0; // length of `out` up to its last significant character
    const bytes: number[] = [];
    const flush = () => {
      if (bytes.length === 0) return;
      try {
        out += utf8.decode(Uint8Array.from(bytes));
      } catch {
        throw new DnSyntaxError('escaped bytes are not UTF-8');
      }
      bytes.length = 0;
      keep = out.length;
    };
    while (this.pos < this.s.length) {
      const c = this.s[this.pos]!;
      if (c === ',' || c === '+' || c === ';') break;
      if (c === '\\') {
        const pair = this.s.slice(this.pos + 1, this.pos + 3);
        if (HEX.test(pair)) {
          bytes.push(Number.parseInt(pair, 16));
          this.pos += 3;
          continue;
        }
        flush();
        const next = this.s[this.pos + 1];
        if (next === undefined) throw new DnSyntaxError('escape at end of DN');
        out += next;
        keep = out.length;
        this.pos += 2;
        continue;
      }
      flush();
      if (c === '"' || c === '\u0000') throw new DnSyntaxError(`unescaped ${JSON.stringify(c)}`);
      out += c;
      if (c !== ' ') keep = out.length;
      this.pos++;
    }
    flush();
    return out.slice(0, keep);
  }

  /** RFC 1779 quoted value: legacy, but cheap to accept. */
  private quotedValue(): string {
    this.pos++;
    let out = '';
    while (this.pos < this.s.length && this.s[this.pos] !== '"') {
      if (this.s[this.pos] === '\\') this.pos++;
      if (this.pos < this.s.length) out += this.s[this.pos++];
    }
    if (this.s[this.pos] !== '"') throw new DnSyntaxError('unterminated quoted value');
    this.pos++;
    return out;
  }

  /** `#` + the hex of a BER-encoded string (RFC 4514 §2.4); only string types make sense here. */
  private hexValue(): string {
    this.pos++;
    const start = this.pos;
    while (this.pos < this.s.length && /[0-9A-Fa-f]/.test(this.s[this.pos]!)) this.pos++;
    const hex = this.s.slice(start, this.pos);
    if (hex.length < 4 || hex.length % 2 !== 0) throw new DnSyntaxError('bad hex value');
    const ber = Buffer.from(hex, 'hex');
    // OCTET STRING, UTF8String, PrintableString, IA5String: one tag byte, a short length, the bytes.
    if (![0x04, 0x0c, 0x13, 0x16].includes(ber[0]!) || ber[1] !== ber.length - 2) {
      throw new DnSyntaxError('hex value is not a short BER string');
    }
    try {
      return utf8.decode(ber.subarray(2));
    } catch {
      throw new DnSyntaxError('hex value is not UTF-8');
    }
  }
}

/** One RDN in a form where equal names are equal strings (attribute values compare case-insensitively). */
export function rdnKey(rdn: Rdn): string {
  return rdn
    .map((a) => `${dnAttributeName(a.type)}=${escapeValue(normalizeCaseIgnore(a.value))}`)
    .sort()
    .join('+');
}

/** A whole DN in comparable form, or null if it does not parse. */
export function dnKey(dn: string): string | null {
  try {
    return parseDn(dn).map(rdnKey).join(',');
  } catch (e) {
    if (e instanceof DnSyntaxError) return null;
    throw e;
  }
}

const PLAIN_VALUE = /^[A-Za-z0-9._@-]*$/;

/** RFC 4514 §2.4 escaping of a value written into a DN. */
export function escapeValue(value: string): string {
  if (PLAIN_VALUE.test(value)) return value;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL must be escaped (RFC 4514 §2.4).
  let out = value.replace(/[\\"+,;<>\u0000]/g, (c) => (c === '\u0000' ? '\\00' : `\\${c}`));
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

function formatRdn(rdn: Rdn): string {
  return rdn.map((a) => `${a.type.toLowerCase()}=${escapeValue(a.value)}`).join('+');
}

/** What a bind name names: a person, a service account, or nothing of ours. */
export type BindTarget = { kind: 'person'; username: string } | { kind: 'service'; name: string } | null;

/** What a search base or compare target names. */
export type Location =
  | { kind: 'root' }
  | { kind: 'base' }
  | { kind: 'people' }
  | { kind: 'person'; username: string }
  /** Under the base DN but not an entry here; `matched` is the deepest entry that exists. */
  | { kind: 'missing'; matched: string }
  | { kind: 'outside' };

const USERNAME_CHARS = /^[a-z0-9._-]+$/;

/** The DNs of this directory, derived once from the base DN. */
export class DirectoryNames {
  /** The base DN as this server writes it (types in lower case, values escaped). */
  readonly base: string;
  readonly people: string;
  private readonly baseKeys: string[];
  private readonly domain: string;
  /** ",ou=people,<base>" in lower case: the bind path's fast check. */
  private readonly peopleSuffix: string;

  constructor(baseDn: string, domain: string) {
    const rdns = parseDn(baseDn);
    if (rdns.length === 0) throw new DnSyntaxError('the LDAP base DN must not be empty');
    this.base = rdns.map(formatRdn).join(',');
    this.baseKeys = rdns.map(rdnKey);
    this.people = `ou=people,${this.base}`;
    this.domain = domain.toLowerCase();
    this.peopleSuffix = `,ou=people,${this.base}`.toLowerCase();
  }

  personDn(username: string): string {
    return `uid=${escapeValue(username)},${this.people}`;
  }

  serviceDn(name: string): string {
    return `cn=${escapeValue(name)},ou=services,${this.base}`;
  }

  groupDn(group: string): string {
    return `cn=${escapeValue(group)},ou=groups,${this.base}`;
  }

  /** `uid=NAME,ou=people,BASE`, `NAME`, `NAME@DOMAIN` → a person; `cn=NAME,ou=services,BASE` → a service. */
  bindTarget(name: string): BindTarget {
    // A–Z only: toLowerCase would turn "uid=\u212Aate" (the Kelvin sign) into kate's DN.
    const lower = asciiLower(name);
    // The form Dovecot and most apps send, exactly as this server writes it: no parser needed.
    if (lower.startsWith('uid=') && lower.endsWith(this.peopleSuffix)) {
      const username = lower.slice(4, lower.length - this.peopleSuffix.length);
      if (USERNAME_CHARS.test(username)) return { kind: 'person', username };
    }
    if (!name.includes('=')) {
      const trimmed = name.trim();
      const at = trimmed.lastIndexOf('@');
      if (at === -1) return trimmed ? { kind: 'person', username: trimmed } : null;
      if (asciiLower(trimmed.slice(at + 1)) !== this.domain || at === 0) return null;
      return { kind: 'person', username: trimmed.slice(0, at) };
    }
    let rel: Rdn[] | null;
    try {
      rel = this.relative(parseDn(name));
    } catch (e) {
      if (e instanceof DnSyntaxError) return null;
      throw e;
    }
    if (rel === null || rel.length !== 2 || rel[0]!.length !== 1) return null;
    const leaf = rel[0]![0]!;
    const parent = rdnKey(rel[1]!);
    const type = dnAttributeName(leaf.type);
    if (parent === 'ou=people' && type === 'uid') return { kind: 'person', username: leaf.value };
    if (parent === 'ou=services' && type === 'cn') return { kind: 'service', name: leaf.value };
    return null;
  }

  /** Where a DN points. Throws DnSyntaxError for a DN that does not parse. */
  locate(dn: string): Location {
    const rdns = parseDn(dn);
    if (rdns.length === 0) return { kind: 'root' };
    const rel = this.relative(rdns);
    if (rel === null) return { kind: 'outside' };
    if (rel.length === 0) return { kind: 'base' };
    const top = rdnKey(rel[rel.length - 1]!);
    if (top !== 'ou=people') return { kind: 'missing', matched: this.base };
    if (rel.length === 1) return { kind: 'people' };
    const leaf = rel[0]!;
    if (rel.length === 2 && leaf.length === 1 && dnAttributeName(leaf[0]!.type) === 'uid') {
      return { kind: 'person', username: leaf[0]!.value };
    }
    return { kind: 'missing', matched: this.people };
  }

  /** The RDNs of `rdns` below the base DN, or null when it is not within it. */
  private relative(rdns: Rdn[]): Rdn[] | null {
    const n = this.baseKeys.length;
    if (rdns.length < n) return null;
    const offset = rdns.length - n;
    for (let i = 0; i < n; i++) {
      if (rdnKey(rdns[offset + i]!) !== this.baseKeys[i]) return null;
    }
    return rdns.slice(0, offset);
  }
}
