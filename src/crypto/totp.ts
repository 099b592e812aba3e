// TOTP (RFC 6238) through `otpauth`: 20-byte seeds, SHA-1, 6 digits, 30-second steps — the parameters
// every authenticator app understands. A code is accepted one step either side of now, and the caller
// keeps the step it was accepted at so that no code works twice.

import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

export function newTotpSeed(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(seed: string, issuer: string, account: string): TOTP {
  return new TOTP({
    issuer,
    label: account,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(seed),
  });
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(seed: string, issuer: string, account: string): string {
  return totp(seed, issuer, account).toString();
}

/** "ABCD EFGH …": the seed in groups of four, for typing into an app by hand. */
export function formatSeed(seed: string): string {
  return seed.match(/.{1,4}/g)?.join(' ') ?? seed;
}

/** The code for a time, for tests and the benchmark's simulated people. */
export function totpCode(seed: string, at: number): string {
  return totp(seed, 'x', 'x').generate({ timestamp: at });
}

/**
 * The time step at which `code` is valid (now ± 1 step), or null. Codes are 6 digits; anything else
 * is refused without computing.
 */
export function totpStep(seed: string, code: string, at: number): number | null {
  const digits = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const delta = totp(seed, 'x', 'x').validate({ token: digits, timestamp: at, window: 1 });
  if (delta === null) return null;
  return Math.floor(at / 1000 / PERIOD) + delta;
}
