// Primary passwords: argon2id with OWASP's parameters (19 MiB, t=2, p=1). @node-rs/argon2 runs the
// hash on libuv's thread pool, so a sign-in never blocks the event loop that serves app-password checks.

import { randomBytes } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';

const PARAMS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
/** Hashes made with other parameters are upgraded at the next successful sign-in. */
const CURRENT_PREFIX = '$argon2id$v=19$m=19456,t=2,p=1$';

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

/** A moving average of how long a check takes here, for refusals that must look like one. */
let typicalCheckMs = 25;

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const started = performance.now();
  try {
    return await verify(stored, password);
  } catch {
    // A malformed stored hash is a refusal, not an outage for everyone else.
    return false;
  } finally {
    typicalCheckMs = typicalCheckMs * 0.9 + (performance.now() - started) * 0.1;
  }
}

/**
 * Waits about as long as a password check takes, without spending the CPU: for refusals decided
 * without a check (a locked account) that must not answer faster than a wrong password.
 */
export function delayLikePasswordCheck(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, typicalCheckMs * (0.8 + Math.random() * 0.4)));
}

export function passwordNeedsRehash(stored: string): boolean {
  return !stored.startsWith(CURRENT_PREFIX);
}

let dummy: Promise<string> | null = null;
/**
 * Spends the same time as a real check when there is no user or no password to check against, so
 * that an unknown user looks exactly like a wrong password.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(18).toString('base64'));
  await verifyPassword(await dummy, password);
  return false;
}

/** A password for a person to type once and then change: 20 characters from an unambiguous alphabet. */
export function generateOneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const out: string[] = [];
  while (out.length < 20) {
    for (const b of randomBytes(32)) {
      // 55 symbols: reject bytes ≥ 220 so that each symbol is equally likely.
      if (b < 220 && out.length < 20) out.push(alphabet[b % 55]!);
    }
  }
  return out.join('');
}
