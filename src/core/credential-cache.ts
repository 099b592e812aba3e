// Verified-credential cache for primary passwords on non-browser doors (like Dovecot's auth cache): a
// legacy mail client presents the same password every minute, and argon2id each time would cost tens
// of milliseconds of CPU. After one successful argon2id check, the pair (user, secret) is remembered
// for a few minutes under a keyed hash of the secret — never the secret itself.
//
// An entry is only used together with the user's current row: a password change (password_changed_at
// moves), a disabled account or a lockout are read from the store on every attempt, so they take effect
// at once on every node, cache or not.

import { createHmac } from 'node:crypto';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  userId: string;
  passwordChangedAt: number | null;
  expiresAt: number;
}

export class CredentialCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly key: Buffer,
    private readonly now: () => number,
  ) {}

  private id(userId: string, secret: string): string {
    return createHmac('sha256', this.key).update(`primary-cache\0${userId}\0${secret}`).digest('base64url');
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
