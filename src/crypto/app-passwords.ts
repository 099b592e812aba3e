// App passwords (spec R3): 24 lowercase letters from the CSPRNG — log2(26^24) ≈ 112.8 bits, the level at
// which a fast keyed hash is as safe as a slow password hash. Only HMAC-SHA-256 under the server key is
// stored, so the check is one hash and one index lookup.

import { createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';

export const APP_PASSWORD_LETTERS = 24;

export function generateAppPassword(): string {
  const out: string[] = [];
  while (out.length < APP_PASSWORD_LETTERS) {
    for (const b of randomBytes(32)) {
      // 26 letters: reject bytes ≥ 234 (= 9 × 26) so that each letter is equally likely.
      if (b < 234 && out.length < APP_PASSWORD_LETTERS) out.push(String.fromCharCode(97 + (b % 26)));
    }
  }
  return out.join('');
}

/** "abcdefghijkl…" → "abcd efgh ijkl mnop qrst uvwx", as people see and type it. */
export function formatAppPassword(letters: string): string {
  return letters.match(/.{1,4}/g)?.join(' ') ?? letters;
}

/**
 * The canonical form of what a person typed: letters only, lowercase, spaces and dashes dropped.
 * null when it cannot be an app password (then it can only be a primary password).
 */
export function normalizeAppPassword(secret: string): string | null {
  if (secret.length > 64 || secret.length < APP_PASSWORD_LETTERS) return null;
  // Every check passes here first, so plain ASCII is read once without building strings: a primary
  // password is turned away at its first digit or punctuation, and typed app passwords in lowercase
  // come back as they are.
  let letters = 0;
  let plain = true;
  for (let i = 0; i < secret.length; i++) {
    const c = secret.charCodeAt(i);
    if (c >= 97 && c <= 122) letters++;
    else if (c >= 65 && c <= 90) {
      letters++;
      plain = false;
    } else if (c === 32 || c === 45 || (c >= 9 && c <= 13)) plain = false;
    else if (c > 127) return normalizeSlowly(secret);
    else return null;
  }
  if (letters !== APP_PASSWORD_LETTERS) return null;
  return plain ? secret : secret.replace(/[\s-]/g, '').toLowerCase();
}

/** Beyond ASCII (Unicode spaces, letters that lowercase into a–z): the rule as the regular expressions say it. */
function normalizeSlowly(secret: string): string | null {
  const letters = secret.replace(/[\s-]/g, '').toLowerCase();
  return letters.length === APP_PASSWORD_LETTERS && /^[a-z]+$/.test(letters) ? letters : null;
}

/** The key as a KeyObject, made once per key: createHmac imports a Buffer key again on every call. */
const keyObjects = new WeakMap<Buffer, KeyObject>();

export function keyedHash(key: Buffer, value: string): Buffer {
  let k = keyObjects.get(key);
  if (k === undefined) {
    k = createSecretKey(key);
    keyObjects.set(key, k);
  }
  return createHmac('sha256', k).update(value).digest();
}
