// Throttling and smart lockout (B6, B9), shared by every door and every node (state in the store).
//
// Counters: per account, separately for the primary password and for app passwords, and separately for
// familiar sources (where the account succeeded in the last 30 days) and unfamiliar ones; plus one per
// source address across all accounts (password spray). A counter that reaches its threshold locks for
// lockoutSeconds, doubling on each repeat (at most a day). Repeating the same wrong secret counts once.
// A source lock never applies where that source is familiar to the account: the owner's devices at the
// office keep working while someone behind the same address sprays.

import { createHmac } from 'node:crypto';
import type { Executor } from '../store/database.js';
import {
  type CounterRow,
  deleteCounters,
  deleteUserCounters,
  FAMILIAR_DAYS,
  type GuardRow,
  listUserCounters,
  lockCounter,
  lockedUntilOf,
  pruneCounters,
  pruneFamiliarSources,
  saveCounter,
} from '../store/guard.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { type Actor, authorize } from './policy.js';
import type { Settings } from './settings.js';
import { normalizeUsername, requireUser } from './users.js';
import { sourceKey } from './validate.js';

/**
 * Which secret failed: the account password, an app password, or a browser's second step. The second
 * step has its own counter, so that a password accepted on a mail door (which resets the password
 * counter) never resets the count of guessed codes.
 */
export type CounterKind = 'primary' | 'app' | 'two_step';

export interface Guard {
  familiar: boolean;
  /** Last success of the account from this source, if any (refreshed at most daily, see usage.ts). */
  familiarAt: number | null;
  /** When the counter for this kind and familiarity (or the source, for unfamiliar attempts) is locked. */
  lockedUntil: number | null;
  /** Failures on the account counter that applies: a success with failures > 0 resets it. */
  failures: number;
}

/** Failures older than this no longer count toward a lock. */
const WINDOW_MS = 15 * 60_000;
/** A lock level decays to zero after a day without failures. */
const LEVEL_RESET_MS = 86_400_000;
const MAX_LOCK_MS = 86_400_000;
const RECENT_TAGS = 5;

export function sourceThreshold(settings: Settings): number {
  // A source may fail across several accounts before it is stopped: a shared NAT address has many
  // people behind it, each allowed a few typos.
  return settings.lockoutThreshold * 3;
}

/**
 * The lockout state that applies to an attempt of `kind` on this account from this source. The check
 * query says whether the account has counters at all; only then are they read (the rare path).
 */
export async function readGuard(
  ctx: CoreContext,
  row: GuardRow & { user_id?: string; id?: string },
  userId: string,
  kind: CounterKind,
  now: number,
  ip: string | null = null,
  /** Whether `ip` is a relay, when the caller already knows. */
  relay?: boolean,
): Promise<Guard> {
  const relayed = relay ?? (ip !== null && ctx.isRelay(ip));
  const familiar =
    row.g_familiar_at !== null && row.g_familiar_at > now - FAMILIAR_DAYS * 86_400_000 && !relayed;
  let lockedUntil: number | null = null;
  let failures = 0;
  if (row.g_counters === true || row.g_counters === 1) {
    const key = accountCounterKey(userId, kind, familiar);
    const counter = (await listUserCounters(ctx.store.db, userId)).find((c) => c.key === key);
    if (counter) {
      failures = counter.failures;
      if (counter.locked_until !== null && counter.locked_until > now) lockedUntil = counter.locked_until;
    }
  }
  if (!familiar && !relayed && row.g_ip_locked !== null && row.g_ip_locked > now) {
    // A relay is never locked as a source (it may have become one after its counter was written: a
    // service authenticated from it), and recordFailure gives it no counter.
    lockedUntil = Math.max(lockedUntil ?? 0, row.g_ip_locked);
  }
  return { familiar, familiarAt: row.g_familiar_at, lockedUntil, failures };
}

/**
 * The guard without a query, when the row says the account has no failure counters (the common case
 * on the check path): what readGuard would answer, synchronously. Null when the counters must be read.
 */
export function guardWithoutCounters(row: GuardRow, now: number, relayed: boolean): Guard | null {
  if (row.g_counters === true || row.g_counters === 1) return null;
  const familiar =
    row.g_familiar_at !== null && row.g_familiar_at > now - FAMILIAR_DAYS * 86_400_000 && !relayed;
  const lockedUntil =
    !familiar && !relayed && row.g_ip_locked !== null && row.g_ip_locked > now ? row.g_ip_locked : null;
  return { familiar, familiarAt: row.g_familiar_at, lockedUntil, failures: 0 };
}

export function accountCounterKey(userId: string, kind: CounterKind, familiar: boolean): string {
  return `u:${userId}:${kind}:${familiar ? 'familiar' : 'unfamiliar'}`;
}

/**
 * The counter of a name no account has, counted and locked exactly like an account's (ASVS 6.3.8: the
 * same work for both, so neither time nor a lock tells whether a name exists). Keyed by a keyed hash:
 * the names people mistype are not kept in clear.
 */
export function unknownNameCounterKey(ctx: CoreContext, name: string, kind: CounterKind): string {
  const tag = createHmac('sha256', ctx.keys.hmac).update(`unknown-name\0${name}`).digest('base64url');
  return `n:${tag.slice(0, 22)}:${kind}:unfamiliar`;
}

/** The lock on an unknown name, or on the source (unless it is a relay): one query, like readGuard's. */
export async function unknownNameLockedUntil(
  ctx: CoreContext,
  name: string,
  kind: CounterKind,
  ip: string | null,
  now: number,
): Promise<number | null> {
  const keys = [unknownNameCounterKey(ctx, name, kind)];
  if (ip !== null && !ctx.isRelay(ip)) keys.push(`ip:${sourceKey(ip)}`);
  const until = (await lockedUntilOf(ctx.store.db, keys)).filter((t) => t > now);
  return until.length > 0 ? Math.max(...until) : null;
}

/** A short keyed tag of a wrong secret: enough to tell "the same one again", useless to anyone else. */
export function secretTag(ctx: CoreContext, scope: string, secret: string): string {
  return createHmac('sha256', ctx.keys.hmac)
    .update(`lockout-tag\0${scope}\0${secret}`)
    .digest('base64url')
    .slice(0, 11);
}

function bump(row: CounterRow, tag: string, threshold: number, baseSeconds: number, now: number): CounterRow {
  const next = { ...row };
  if (next.locked_until !== null && next.locked_until <= now && now - next.last_failure_at > LEVEL_RESET_MS) {
    next.lock_level = 0;
  }
  if (now - next.last_failure_at > WINDOW_MS) {
    next.failures = 0;
    next.recent_tags = null;
    next.first_failure_at = now;
  }
  const tags = next.recent_tags ? next.recent_tags.split(',') : [];
  next.last_failure_at = now;
  if (tags.includes(tag)) return next;
  next.failures += 1;
  next.recent_tags = [tag, ...tags].slice(0, RECENT_TAGS).join(',');
  if (next.failures >= threshold) {
    next.locked_until = now + Math.min(baseSeconds * 1000 * 2 ** next.lock_level, MAX_LOCK_MS);
    next.lock_level = Math.min(next.lock_level + 1, 20);
    next.failures = 0;
    next.recent_tags = null;
  }
  return next;
}

/**
 * Counts a wrong secret against the account (if the user exists) and against the source. Written at
 * once, in one transaction: lockout counters are never lost.
 */
export interface Failure {
  userId: string | null;
  username: string;
  kind: CounterKind;
  familiar: boolean;
  ip: string | null;
  secret: string;
  /** Set for a name no account has: its own counter stands in for the account's (unknownNameCounterKey). */
  unknownName?: string;
}

export async function recordFailure(ctx: CoreContext, f: Failure): Promise<void> {
  const settings = ctx.settings.peek() ?? (await ctx.settings.get());
  const now = ctx.now();
  await ctx.store.transaction(async (trx) => {
    const key =
      f.userId !== null
        ? accountCounterKey(f.userId, f.kind, f.familiar)
        : f.unknownName !== undefined
          ? unknownNameCounterKey(ctx, f.unknownName, f.kind)
          : null;
    if (key !== null) {
      const row = await lockCounter(trx, key, f.userId, now);
      const tag = secretTag(ctx, key, f.secret);
      await saveCounter(trx, bump(row, tag, settings.lockoutThreshold, settings.lockoutSeconds, now));
    }
    if (f.ip !== null && !(f.userId !== null && f.familiar) && !ctx.isRelay(f.ip)) {
      const key = `ip:${sourceKey(f.ip)}`;
      const row = await lockCounter(trx, key, null, now);
      const tag = secretTag(ctx, `${key}\0${f.username}`, f.secret);
      await saveCounter(trx, bump(row, tag, sourceThreshold(settings), settings.lockoutSeconds, now));
    }
  });
}

/** After a success: the account's counter for this kind and familiarity starts again from zero. */
export async function resetAfterSuccess(db: Executor, userId: string, kind: CounterKind, familiar: boolean) {
  await deleteCounters(db, [accountCounterKey(userId, kind, familiar)]);
}

export interface LockoutStatus {
  counter: string;
  failures: number;
  lockedUntil: string | null;
  lockLevel: number;
}

/** The account's counters, for `user show` and the admin pages. */
export async function lockoutStatus(
  ctx: CoreContext,
  actor: Actor,
  username: string,
): Promise<LockoutStatus[]> {
  const user = await requireUser(ctx.store.db, username);
  authorize(actor, 'user.read', user.id);
  const now = ctx.now();
  return (await listUserCounters(ctx.store.db, user.id)).map((c) => ({
    counter: c.key.split(':').slice(2).join(' '),
    failures: c.failures,
    lockedUntil:
      c.locked_until !== null && c.locked_until > now ? new Date(c.locked_until).toISOString() : null,
    lockLevel: c.lock_level,
  }));
}

/** `latchkey user unlock NAME`: clears every counter of the account (not of the sources). */
export async function unlockUser(ctx: CoreContext, actor: Actor, username: string): Promise<number> {
  const name = normalizeUsername(username);
  return ctx.store.transaction(async (trx) => {
    const user = await requireUser(trx, name);
    authorize(actor, 'user.unlock', user.id, user.role);
    const n = await deleteUserCounters(trx, user.id);
    await recordAudit(ctx, trx, actor, 'user.unlocked', user.username, { countersCleared: n });
    return n;
  });
}

/**
 * Housekeeping: forgets counters idle for a day (a day without failures resets the lock level anyway)
 * and sources not seen for 30 days. Keeps an attacker's many addresses from piling up rows.
 */
export async function pruneLockoutState(ctx: CoreContext): Promise<number> {
  const now = ctx.now();
  const n = await pruneCounters(ctx.store.db, now, now - LEVEL_RESET_MS);
  await pruneFamiliarSources(ctx.store.db, now - FAMILIAR_DAYS * 86_400_000);
  await ctx.relays.prune();
  return n;
}
