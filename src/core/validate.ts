// Checks on everything a person or a program hands the core. Each failure is a LatchkeyError with a
// stable code and a one-line message; nothing is written before these pass.

import { isIP } from 'node:net';
import type { Role, TwoStepState } from '../store/schema.js';
import { LatchkeyError, listOf } from './errors.js';

/** Non-browser front doors, as recorded in the sign-in log and chosen in an app password's scope. */
export const DOORS = ['ldap', 'http', 'imap', 'pop3', 'smtp', 'dav', 'activesync', 'radius'] as const;
export type Door = (typeof DOORS)[number];

export const ROLES: readonly Role[] = ['user', 'helpdesk', 'admin'];
export const TWO_STEP_STATES: readonly TwoStepState[] = ['disabled', 'enabled', 'enforced'];

export const MAX_SECRET_BYTES = 1024;
export const MIN_PASSWORD_LENGTH = 8;

// Names and addresses are ASCII, in one spelling. They become LDAP DNs, mail addresses and HTTP
// header values, and every door compares them byte for byte. Case is folded for A–Z only:
// String#toLowerCase also folds some non-ASCII letters onto ASCII ones (the Kelvin sign U+212A becomes
// "k"), which would give an account a second name that no check ever saw.

const USERNAME = /^[a-z0-9._-]{1,64}$/;

/** A–Z to a–z; every other character as it is. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function isValidUsername(name: string): boolean {
  return USERNAME.test(name);
}

export function checkUsername(name: string): string {
  if (!isValidUsername(name)) throw new LatchkeyError('USERNAME_INVALID');
  return name;
}

/** Usernames are case-insensitive in ASCII only: "Alice" is alice; "\u212Alice" is nobody. */
export function normalizeUsername(name: string): string {
  return checkUsername(asciiLower(name.trim()));
}

/**
 * A name given at sign-in (a username or an email address), as the store holds names: trimmed, A–Z
 * folded, nothing else mapped. A name with any other character finds nobody, so it is refused like a
 * wrong password on every door.
 */
export function signInName(name: unknown): string {
  return typeof name === 'string' ? asciiLower(name.trim()) : '';
}

// An address as people type them: local part of RFC 5321 "atext" with single dots, a domain of
// letter-digit-hyphen labels (internationalized domains in their xn-- form).
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkEmail(email: string | null | undefined): string | null {
  if (email === null || email === undefined || email === '') return null;
  const trimmed = email.trim();
  // Printable ASCII without spaces: no control characters, separators or look-alike letters.
  if (trimmed.length > 254 || !/^[!-~]+$/.test(trimmed)) throw new LatchkeyError('EMAIL_INVALID');
  const e = asciiLower(trimmed);
  const at = e.indexOf('@');
  const local = e.slice(0, at);
  const domain = e.slice(at + 1);
  if (at < 1 || local.length > 64 || !EMAIL_LOCAL.test(local) || !EMAIL_DOMAIN.test(domain)) {
    throw new LatchkeyError('EMAIL_INVALID');
  }
  return e;
}

/**
 * Printable: no control (C0, DEL, C1), format, line/paragraph separator, surrogate, private-use or
 * unassigned characters; but the zero-width (non-)joiner, which Persian and Indic names and emoji
 * sequences need, are format characters that may stay.
 */
const PRINTABLE = /^(?:[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]|\u200c|\u200d)+$/u;

function checkPrintable(value: string, max: number): string | null {
  const v = value.normalize('NFC').trim();
  const length = [...v].length;
  if (length < 1 || length > max || !PRINTABLE.test(v) || /^[\u200c\u200d]+$/.test(v)) return null;
  return v;
}

export function checkDisplayName(name: string | null | undefined): string | null {
  if (name === null || name === undefined || name === '') return null;
  const v = checkPrintable(name, 128);
  if (v === null) throw new LatchkeyError('DISPLAY_NAME_INVALID');
  return v;
}

export function checkLabel(label: unknown): string {
  const v = typeof label === 'string' ? checkPrintable(label, 64) : null;
  if (v === null) throw new LatchkeyError('LABEL_INVALID');
  return v;
}

export function checkRole(role: unknown): Role {
  if (typeof role !== 'string' || !ROLES.includes(role as Role)) throw new LatchkeyError('ROLE_INVALID');
  return role as Role;
}

export function checkTwoStepState(state: unknown): TwoStepState {
  if (typeof state !== 'string' || !TWO_STEP_STATES.includes(state as TwoStepState)) {
    throw new LatchkeyError('TWO_STEP_STATE_INVALID');
  }
  return state as TwoStepState;
}

export function isDoor(door: unknown): door is Door {
  return typeof door === 'string' && (DOORS as readonly string[]).includes(door);
}

export function checkDoor(door: unknown): Door {
  if (!isDoor(door))
    throw new LatchkeyError('DOOR_INVALID', { detail: 'doorUnknown', params: { doors: listOf(DOORS) } });
  return door;
}

/** "imap,smtp" → ['imap', 'smtp']; null or empty means every door. */
export function checkScopes(scopes: readonly string[] | string | null | undefined): Door[] | null {
  if (scopes === null || scopes === undefined) return null;
  const list = (typeof scopes === 'string' ? scopes.split(',') : [...scopes])
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) return null;
  for (const s of list) {
    if (!isDoor(s)) {
      throw new LatchkeyError('SCOPE_INVALID', {
        detail: 'scopeDoorUnknown',
        params: { door: s.slice(0, 32), doors: listOf(DOORS) },
      });
    }
  }
  return [...new Set(list as Door[])].sort();
}

const DAY = 86_400_000;

/**
 * "90d", "12w", "24h" or a date "2027-01-31" (end of that day, UTC) → an absolute time in ms.
 * null or undefined means no expiry.
 */
export function parseExpiry(value: string | number | null | undefined, now: number): number | null {
  if (value === null || value === undefined || value === '') return null;
  let at: number;
  if (typeof value === 'number') {
    at = value;
  } else {
    const v = value.trim();
    const rel = /^(\d{1,5})([hdw])$/.exec(v);
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (rel) {
      const n = Number(rel[1]);
      const unit = rel[2] === 'h' ? 3_600_000 : rel[2] === 'd' ? DAY : 7 * DAY;
      at = now + n * unit;
    } else if (date) {
      at = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), 23, 59, 59, 999);
      const d = new Date(at);
      if (d.getUTCMonth() !== Number(date[2]) - 1 || d.getUTCDate() !== Number(date[3])) {
        throw new LatchkeyError('EXPIRES_INVALID');
      }
    } else {
      throw new LatchkeyError('EXPIRES_INVALID');
    }
  }
  if (!Number.isFinite(at) || at <= now || at > now + 3650 * DAY) throw new LatchkeyError('EXPIRES_INVALID');
  return at;
}

export function checkSecretSize(secret: string): void {
  if (Buffer.byteLength(secret, 'utf8') > MAX_SECRET_BYTES) throw new LatchkeyError('SECRET_TOO_LONG');
}

export function checkNewPassword(password: string): string {
  checkSecretSize(password);
  if (/[\p{Cc}]/u.test(password)) throw new LatchkeyError('SECRET_INVALID');
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new LatchkeyError('PASSWORD_TOO_SHORT');
  return password;
}

export function checkLimit(limit: unknown, fallback: number): number {
  if (limit === undefined || limit === null) return fallback;
  const n =
    typeof limit === 'number'
      ? limit
      : typeof limit === 'string' && /^\d{1,6}$/.test(limit)
        ? Number(limit)
        : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new LatchkeyError('LIMIT_INVALID');
  return n;
}

/**
 * One spelling per address, so that counters and the log cannot be dodged by rewriting it: IPv4-mapped
 * IPv6 becomes IPv4, IPv6 is lowercased and fully compressed. Anything that is not an address (a
 * proxy's garbage) is kept out of the counters: null.
 */
/**
 * The source of an attempt whose address was given but cannot be read (`X-Forwarded-For: garbage` from
 * a trusted proxy). It is one counted source like any address, so that garbage cannot mean "no source
 * counter"; it is never a relay and never becomes familiar to anyone.
 */
export const UNKNOWN_SOURCE = 'unknown';

/** An address in canonical form; null when none was given, UNKNOWN_SOURCE when it cannot be read. */
export function normalizeIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  let a = ip.trim();
  if (a === '') return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a);
  if (mapped) a = mapped[1]!;
  const family = isIP(a);
  if (family === 4) return a;
  if (family !== 6) return UNKNOWN_SOURCE;
  // The WHATWG URL parser writes IPv6 in its canonical compressed form.
  try {
    return new URL(`http://[${a}]/`).hostname.slice(1, -1);
  } catch {
    return UNKNOWN_SOURCE;
  }
}

/** The key of a source's counter: the address, or for IPv6 its /64 (one host usually holds a whole /64). */
export function sourceKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
