// The one decision for every non-browser sign-in attempt (spec §3), whatever the door: LDAP bind,
// HTTP Basic, the CLI's `verify`. Doors translate the result into their protocol; every refusal looks
// the same on the wire, and the sign-in log keeps the true reason.
//
// Cost: an app password is one HMAC and one unique-index lookup — never a loop over a user's hashes,
// never argon2 — and that one query also reads the lockout state (lockout.ts). Anything else costs one
// argon2id check, real or spent on a dummy hash, so that an unknown user looks like a wrong password in
// time too; a primary password that passed argon2id recently is remembered (credential-cache.ts).

import { keyedHash, normalizeAppPassword } from '../crypto/app-passwords.js';
import {
  burnPasswordCheck,
  delayLikePasswordCheck,
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
} from '../crypto/passwords.js';
import { type AppPasswordCheckRow, appPasswordLookup } from '../store/app-passwords.js';
import { addToBuckets, insertSignInEvent } from '../store/events.js';
import { sourceLockedUntil } from '../store/guard.js';
import type { Role } from '../store/schema.js';
import { updateUser, userCheckLookup } from '../store/users.js';
import type { CoreContext } from './context.js';
import { CredentialCache } from './credential-cache.js';
import {
  type CounterKind,
  type Failure,
  type Guard,
  readGuard,
  recordFailure,
  resetAfterSuccess,
} from './lockout.js';
import { effectiveTwoStepState } from './two-step.js';
import {
  checkDoor,
  type Door,
  isValidUsername,
  MAX_SECRET_BYTES,
  normalizeIp,
  sourceKey,
} from './validate.js';

export type SignInReason =
  | 'invalid_credentials'
  | 'unknown_user'
  | 'user_disabled'
  | 'app_password_required'
  | 'app_passwords_disabled'
  | 'app_password_expired'
  | 'out_of_scope'
  | 'locked_out';

export interface SignInAttempt {
  username: string;
  secret: string;
  door: Door | string;
  ip?: string | null;
  userAgent?: string | null;
}

export interface SignedInUser {
  id: string;
  username: string;
  email: string | null;
  displayName: string | null;
  role: Role;
}

export type Credential = { kind: 'primary' } | { kind: 'app_password'; id: string; label: string };

export type SignInResult =
  | { ok: true; user: SignedInUser; credential: Credential }
  | { ok: false; reason: SignInReason };

/** What goes into the log of a value the client chose: bounded, without control characters. */
function clean(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  return value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, max);
}

export type SignInDecider = (attempt: SignInAttempt) => Promise<SignInResult>;

const DAY = 86_400_000;

export function makeSignIn(ctx: CoreContext): SignInDecider {
  const lookupAppPassword = appPasswordLookup(ctx.store);
  const lookupUser = userCheckLookup(ctx.store);
  const lookupUserByEmail = userCheckLookup(ctx.store, 'email');
  const cache = new CredentialCache(ctx.keys.hmac, ctx.now);

  async function refuse(
    attempt: SignInAttempt,
    door: Door,
    reason: SignInReason,
    userId: string | null,
    credential: 'primary' | 'app_password' | null,
    ap: { id: string; label: string } | null = null,
  ): Promise<SignInResult> {
    const at = ctx.now();
    const ip = normalizeIp(attempt.ip);
    const username = clean(attempt.username, 128) ?? '';
    const event = {
      at,
      last_at: at,
      count: 1,
      username,
      user_id: userId,
      door,
      ip,
      user_agent: clean(attempt.userAgent, 256),
      result: 'refused' as const,
      reason,
      credential,
      app_password_id: ap?.id ?? null,
      app_password_label: ap?.label ?? null,
      bucket: null,
    };
    // Refusals are written now, never behind: they are the evidence of an attack. While locked, a
    // flood costs us no hashing, so its rows are counted per source, name and minute instead of one
    // each (nothing is lost: the count says how many).
    if (reason === 'locked_out') {
      await addToBuckets(ctx.store.db, [
        { ...event, bucket: `locked|${Math.floor(at / 60_000)}|${ip ?? ''}|${username}|${door}` },
      ]);
    } else {
      await insertSignInEvent(ctx.store.db, event);
    }
    return { ok: false, reason };
  }

  /** A wrong secret: counted toward lockout (at once), then refused. */
  async function fail(
    attempt: SignInAttempt,
    door: Door,
    reason: 'invalid_credentials' | 'unknown_user',
    f: Failure,
  ): Promise<SignInResult> {
    await recordFailure(ctx, f);
    return refuse(attempt, door, reason, f.userId, null);
  }

  async function accept(
    attempt: SignInAttempt,
    door: Door,
    user: SignedInUser,
    credential: Credential,
    guard: Guard,
    lastUse: { at: number | null; ip: string | null; door: string | null } | null = null,
  ): Promise<SignInResult> {
    const now = ctx.now();
    const ip = normalizeIp(attempt.ip);
    if (guard.failures > 0) {
      await resetAfterSuccess(
        ctx.store.db,
        user.id,
        credential.kind === 'primary' ? 'primary' : 'app',
        guard.familiar,
      );
    }
    ctx.usage.recordAccepted({
      at: now,
      userId: user.id,
      username: user.username,
      door,
      ip,
      userAgent: clean(attempt.userAgent, 256),
      credential: credential.kind,
      appPasswordId: credential.kind === 'app_password' ? credential.id : null,
      appPasswordLabel: credential.kind === 'app_password' ? credential.label : null,
      // Writes the store already has are skipped: last use to the minute, familiarity to the day.
      refreshLastUse:
        lastUse === null ||
        lastUse.at === null ||
        lastUse.at < now - 60_000 ||
        lastUse.ip !== ip ||
        lastUse.door !== door,
      // A relay (the mail server) is everyone's source: it never becomes familiar, or an attacker
      // talking to it would count as the owner's own device.
      refreshFamiliar:
        ip !== null && !ctx.isRelay(ip) && (guard.familiarAt === null || guard.familiarAt < now - DAY),
    });
    return { ok: true, user, credential };
  }

  /** A locked refusal takes as long as a password check would: locks must not reveal who exists. */
  async function refuseLocked(
    attempt: SignInAttempt,
    door: Door,
    userId: string | null,
  ): Promise<SignInResult> {
    await delayLikePasswordCheck();
    return refuse(attempt, door, 'locked_out', userId, null);
  }

  async function checkAppPassword(
    attempt: SignInAttempt,
    door: Door,
    row: AppPasswordCheckRow,
  ): Promise<SignInResult> {
    const settings = ctx.settings.peek() ?? (await ctx.settings.get());
    const now = ctx.now();
    const ap = { id: row.id, label: row.label };
    // An exact app password (≥ 112 bits) is never refused for a lock: locks stop guessing, and nobody
    // guesses one of these; refusing it would only let an attacker lock out someone's phone.
    const guard = await readGuard(ctx, row, row.user_id, 'app', now, normalizeIp(attempt.ip));
    if (row.disabled_at !== null)
      return refuse(attempt, door, 'user_disabled', row.user_id, 'app_password', ap);
    if (!settings.allowAppPasswords) {
      return refuse(attempt, door, 'app_passwords_disabled', row.user_id, 'app_password', ap);
    }
    if (row.expires_at !== null && row.expires_at <= now) {
      return refuse(attempt, door, 'app_password_expired', row.user_id, 'app_password', ap);
    }
    const days = settings.autoRevokeUnusedAppPasswordsDays;
    if (days > 0 && (row.last_used_at ?? row.created_at) < now - days * DAY) {
      // Past the auto-revoke age but not yet swept: already as good as deleted.
      return refuse(attempt, door, 'app_password_expired', row.user_id, 'app_password', ap);
    }
    if (row.scopes !== null && !row.scopes.split(',').includes(door)) {
      return refuse(attempt, door, 'out_of_scope', row.user_id, 'app_password', ap);
    }
    return accept(
      attempt,
      door,
      {
        id: row.user_id,
        username: row.username,
        email: row.email,
        displayName: row.display_name,
        role: row.role,
      },
      { kind: 'app_password', id: row.id, label: row.label },
      guard,
      { at: row.last_used_at, ip: row.last_used_ip, door: row.last_used_door },
    );
  }

  /**
   * Everything that is not one of the user's app passwords. `kind` says which counter a failure
   * counts against: a wrong secret shaped like an app password never locks the primary password out.
   */
  async function checkPrimary(
    attempt: SignInAttempt,
    door: Door,
    username: string,
    ip: string,
    kind: CounterKind,
  ): Promise<SignInResult> {
    const now = ctx.now();
    const secret = attempt.secret;
    const source = ip ? sourceKey(ip) : '';
    const asEmail = username.includes('@');
    const possible = asEmail
      ? username.length <= 254 && !/[\p{Cc}\s]/u.test(username)
      : isValidUsername(username);
    const user = !possible
      ? undefined
      : asEmail
        ? await lookupUserByEmail(username, ip, source)
        : await lookupUser(username, ip, source);
    const failure = { username, kind, ip: ip || null, secret };
    if (!user) {
      const locked = ip ? await sourceLockedUntil(ctx.store.db, source) : null;
      if (locked !== null && locked > now) return refuseLocked(attempt, door, null);
      // A name that could exist costs the same time as a wrong password; one that cannot (no user is
      // ever called that) tells nothing, and does not get to spend our CPU.
      if (possible) await burnPasswordCheck(secret);
      return fail(attempt, door, 'unknown_user', { ...failure, userId: null, familiar: false });
    }
    const guard = await readGuard(ctx, user, user.id, kind, now, ip || null);
    // While locked, the secret is not even checked: guessing gets no answer, right or wrong.
    if (guard.lockedUntil !== null) return refuseLocked(attempt, door, user.id);
    const known = user.password_hash !== null && cache.has(user.id, user.password_changed_at, secret);
    const good =
      known ||
      (user.password_hash === null
        ? await burnPasswordCheck(secret)
        : await verifyPassword(user.password_hash, secret));
    if (!good) {
      return fail(attempt, door, 'invalid_credentials', {
        ...failure,
        userId: user.id,
        familiar: guard.familiar,
      });
    }
    // A refusal after a cached check must cost what a real check costs (the state changed since it was
    // cached); only accepted pairs enter the cache, so this is rare.
    const refuseAfterCheck = async (reason: SignInReason) => {
      if (known) await burnPasswordCheck(secret);
      return refuse(attempt, door, reason, user.id, 'primary');
    };
    if (user.disabled_at !== null) return refuseAfterCheck('user_disabled');
    const settings = ctx.settings.peek() ?? (await ctx.settings.get());
    const state = effectiveTwoStepState(user.two_step_state, settings.requireTwoStepForEveryone);
    // B12 refuses the primary password on every non-browser door, whatever the two-step state.
    if (state === 'enforced' || settings.requireAppPasswordsForNonBrowser) {
      return refuseAfterCheck('app_password_required');
    }
    // Guesses sent in parallel all passed the lock check before any of them was counted: one that
    // turns out right while its siblings have locked the account is refused like them.
    // (A cached pair was right before and was checked against the lock above; guessing never reaches it.)
    const after = known
      ? null
      : await (asEmail ? lookupUserByEmail(username, ip, source) : lookupUser(username, ip, source));
    if (after && (await readGuard(ctx, after, user.id, kind, ctx.now(), ip || null)).lockedUntil !== null) {
      return refuse(attempt, door, 'locked_out', user.id, null);
    }
    if (!known) cache.add(user.id, user.password_changed_at, secret);
    if (!known && passwordNeedsRehash(user.password_hash!)) {
      const rehashed = await hashPassword(secret);
      await updateUser(ctx.store.db, user.id, { password_hash: rehashed }).catch(() => {});
    }
    const primaryGuard =
      kind === 'primary' ? guard : await readGuard(ctx, user, user.id, 'primary', now, ip || null);
    return accept(
      attempt,
      door,
      {
        id: user.id,
        username: user.username,
        email: user.email,
        displayName: user.display_name,
        role: user.role,
      },
      { kind: 'primary' },
      primaryGuard,
    );
  }

  return async function signIn(attempt: SignInAttempt): Promise<SignInResult> {
    const door = checkDoor(attempt.door);
    const username = typeof attempt.username === 'string' ? attempt.username.trim().toLowerCase() : '';
    const secret = typeof attempt.secret === 'string' ? attempt.secret : '';
    if (
      secret.length === 0 ||
      Buffer.byteLength(secret, 'utf8') > MAX_SECRET_BYTES ||
      username.length > 256
    ) {
      // Never hand argon2 an empty or oversized secret; the refusal is the same as a wrong password.
      return refuse(attempt, door, 'invalid_credentials', null, null);
    }
    const ip = normalizeIp(attempt.ip) ?? '';
    const letters = normalizeAppPassword(secret);
    if (letters !== null) {
      const row = await lookupAppPassword(keyedHash(ctx.keys.hmac, letters), ip, ip ? sourceKey(ip) : '');
      // Someone else's app password is just a wrong secret for this user.
      if (row && (row.username === username || (row.email !== null && row.email === username))) {
        return checkAppPassword(attempt, door, row);
      }
    }
    return checkPrimary(attempt, door, username, ip, letters !== null ? 'app' : 'primary');
  };
}
