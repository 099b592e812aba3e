// Verified-credential cache for primary passwords on non-browser doors (like Dovecot's auth cache): a
// legacy mail client presents the same password every minute, and argon2id each time would cost tens
// of milliseconds of CPU. After one successful argon2id check, the pair (user, secret) is remembered
// for a few minutes under a keyed hash of the secret — never the secret itself.
//
// An entry is only used together with the user's current row: a password change (password_changed_at
// moves), a disabled account or a lockout are read from the store on every attempt, so they take effect
// at once on every node, cache or not.

import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  userId: string;
  passwordChangedAt: number | null;
  expiresAt: number;
}

export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  /** The key imported once: createHmac would import a Buffer key again on every call. */
  private readonly key: KeyObject;

  constructor(
    key: Buffer,
    private readonly now: () => number,
  ) {
    this.key = createSecretKey(key);
  }

  private id(userId: string, secret: string): string {
    return createHmac('sha256', this.key).update(`primary-cache\0${userId}\0${secret}`).digest('binary');
  }

  has(userId: string, passwordChangedAt: number | null, secret: string): boolean {
    const k = this.id(userId, secret);
    const e = this.entries.get(k);
    if (!e) return false;
    if (e.expiresAt <= this.now() || e.userId !== userId || e.passwordChangedAt !== passwordChangedAt) {
      this.entries.delete(k);
      return false;
    }
    return true;
  }

  add(userId: string, passwordChangedAt: number | null, secret: string): void {
    if (this.entries.size >= MAX_ENTRIES) {
      // Drop the oldest (Map keeps insertion order).
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(this.id(userId, secret), { userId, passwordChangedAt, expiresAt: this.now() + TTL_MS });
  }

  get size(): number {
    return this.entries.size;
  }
}

/** How long a refused (name, secret) pair is answered without argon2id. */
const REFUSAL_TTL_MS = 5 * 60_000;

interface Refusal {
  userId: string | null;
  passwordChangedAt: number | null;
  reason: 'invalid_credentials' | 'unknown_user';
  expiresAt: number;
}

/**
 * The negative side (issue 9): a wrong secret repeated for the same name — a client retrying a stale
 * password, or a flood of one guess — is refused from here, without argon2id. Keyed like the cache
 * above; an entry holds only while the name still means the same account with the same password, so a
 * password change or a new account with that name makes it void.
 */
export class RefusalCache {
  private readonly entries = new Map<string, Refusal>();

  constructor(
    private readonly key: Buffer,
    private readonly now: () => number,
  ) {}

  private id(name: string, secret: string): string {
    return createHmac('sha256', this.key).update(`refused\0${name}\0${secret}`).digest('base64url');
  }

  /** The reason the pair was refused, while that still holds; else null. */
  get(
    name: string,
    secret: string,
    user: { id: string; password_changed_at: number | null } | undefined,
  ): Refusal['reason'] | null {
    const k = this.id(name, secret);
    const e = this.entries.get(k);
    if (!e) return null;
    if (
      e.expiresAt <= this.now() ||
      e.userId !== (user?.id ?? null) ||
      e.passwordChangedAt !== (user?.password_changed_at ?? null)
    ) {
      this.entries.delete(k);
      return null;
    }
    return e.reason;
  }

  add(
    name: string,
    secret: string,
    user: { id: string; password_changed_at: number | null } | undefined,
    reason: Refusal['reason'],
  ): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(this.id(name, secret), {
      userId: user?.id ?? null,
      passwordChangedAt: user?.password_changed_at ?? null,
      reason,
      expiresAt: this.now() + REFUSAL_TTL_MS,
    });
  }
}
