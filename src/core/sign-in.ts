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
import { appPasswordLookup } from '../store/app-passwords.js';
import { addToBuckets, insertSignInEvent } from '../store/events.js';
import { type GuardRow, recordFamiliarSources } from '../store/guard.js';
import type { Role } from '../store/schema.js';
import { type UserCheckRow, updateUser, userCheckLookup } from '../store/users.js';
import type { CachedAppPassword, HeldAccount } from './check-cache.js';
import type { CoreContext } from './context.js';
import { CredentialCache, RefusalCache } from './credential-cache.js';
import {
  type CounterKind,
  type Failure,
  type Guard,
  guardWithoutCounters,
  readGuard,
  recordFailure,
  resetAfterSuccess,
  unknownNameLockedUntil,
} from './lockout.js';
import type { Settings } from './settings.js';
import { HashLanes, SourceBudget } from './throttle.js';
import { effectiveTwoStepState } from './two-step.js';
import type { UsageSlot } from './usage.js';
import {
  checkDoor,
  type Door,
  isValidUsername,
  MAX_SECRET_BYTES,
  normalizeIp,
  signInName,
  sourceKey,
  UNKNOWN_SOURCE,
} from './validate.js';

export type SignInReason =
  | 'invalid_credentials'
  | 'unknown_user'
  | 'user_disabled'
  | 'app_password_required'
  | 'app_passwords_disabled'
  | 'app_password_expired'
  | 'out_of_scope'
  | 'locked_out'
  /** A one-time password (set by an administrator or the helpdesk): only the web sign-in takes it. */
  | 'password_change_required'
  /** Browser only: an app password typed into the sign-in page (R11, B10). */
  | 'app_password_in_browser'
  /** Browser only: a wrong two-step code, security key answer or recovery code. */
  | 'two_step_failed'
  /** This source asked for more password checks than this node does for one source (issue 9). */
  | 'throttled';

/** The browser sign-in page, as recorded in the sign-in log. It is not a door of the decision table. */
export const BROWSER = 'browser';
type AnyDoor = Door | typeof BROWSER;

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

/** The password step of a browser sign-in: who it is, and what the person must do next. */
export type BrowserPasswordResult =
  | {
      ok: true;
      user: SignedInUser;
      twoStep: import('../store/schema.js').TwoStepState;
      mustChangePassword: boolean;
      familiar: boolean;
    }
  | { ok: false; reason: SignInReason };

const DAY = 86_400_000;
/** The credential of every primary-password answer (frozen: shared by all of them). */
const PRIMARY: Credential = Object.freeze({ kind: 'primary' as const });

export function makeSignIn(ctx: CoreContext): SignInDecider {
  return makeDecider(ctx).signIn;
}

export function makeDecider(ctx: CoreContext) {
  const originOf = (raw: string | null | undefined): Origin => {
    const ip = normalizeIp(raw) ?? '';
    return { ip, source: ip ? sourceKey(ip) : '', relay: ip !== '' && ctx.isRelay(ip) };
  };
  const lookupAppPassword = appPasswordLookup(ctx.store);
  const lookupUser = userCheckLookup(ctx.store);
  const lookupUserByEmail = userCheckLookup(ctx.store, 'email');
  const lookupUserById = userCheckLookup(ctx.store, 'id');
  const cache = new CredentialCache(ctx.keys.hmac, ctx.now);
  const refusals = new RefusalCache(ctx.keys.hmac, ctx.now);
  const budget = new SourceBudget(ctx.passwordChecksPerSource, ctx.now);
  // A relay (Dovecot binding for its users) has no budget of its own: a shared one let anyone who
  // can reach the mail server spend it with made-up names and get everyone's right passwords refused
  // (found by the security review). What a flood through it may cost is bounded by the lanes instead.
  const lanes = new HashLanes();

  async function refuse(
    attempt: SignInAttempt,
    door: AnyDoor,
    reason: SignInReason,
    userId: string | null,
    credential: 'primary' | 'app_password' | null,
    ap: { id: string; label: string } | null = null,
    repeat = false,
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
    // Refusals are written now, never behind: they are the evidence of an attack. A flood that costs
    // us no hashing — while locked, throttled, or the same refused secret again — is counted per
    // reason, source, name and minute instead of one row each (nothing is lost: the count says how
    // many). The first refusal of a secret always has its own row. A throttled attempt checked
    // nothing, whatever the name: those of one source are counted together, without a name (a flood
    // of made-up names would otherwise still write a row each).
    if (reason === 'throttled') {
      await addToBuckets(ctx.store.db, [
        {
          ...event,
          username: '',
          user_id: null,
          bucket: `throttled|${Math.floor(at / 60_000)}|${ip ?? ''}|${door}`,
        },
      ]);
    } else if (reason === 'locked_out' || repeat) {
      const kind = reason === 'locked_out' ? 'locked' : `repeat-${reason}`;
      await addToBuckets(ctx.store.db, [
        { ...event, bucket: `${kind}|${Math.floor(at / 60_000)}|${ip ?? ''}|${username}|${door}` },
      ]);
    } else {
      await insertSignInEvent(ctx.store.db, event);
    }
    return { ok: false, reason };
  }

  /** A wrong secret: counted toward lockout (at once), then refused. */
  async function fail(
    attempt: SignInAttempt,
    door: AnyDoor,
    reason: 'invalid_credentials' | 'unknown_user',
    f: Failure,
  ): Promise<SignInResult> {
    await recordFailure(ctx, f);
    return refuse(attempt, door, reason, f.userId, null);
  }

  /**
   * Refusals that spend no argon2id — a refused secret again (RefusalCache), or a source over its
   * budget — take as long as a check would (a timer, not CPU), whoever the name is: the answer tells
   * nothing, and the flood it answers slows down. Counters are not touched: the same wrong secret
   * counts once anyway, and a throttled attempt checked nothing.
   */
  async function refuseUnchecked(
    attempt: SignInAttempt,
    door: AnyDoor,
    reason: 'invalid_credentials' | 'unknown_user' | 'throttled',
    userId: string | null,
  ): Promise<SignInResult> {
    await delayLikePasswordCheck();
    return refuse(attempt, door, reason, userId, null, null, reason !== 'throttled');
  }

  /**
   * Whether this attempt may cause one more argon2id check now: a source within its budget (relays and
   * local calls have none), and for the non-browser doors a free place in the lanes' queue.
   */
  function mayHash(ip: string, browser: boolean): boolean {
    if (!browser && lanes.full()) return false;
    if (ip === '' || ctx.isRelay(ip)) return true;
    return budget.take(sourceKey(ip));
  }

  function accept(
    attempt: SignInAttempt,
    door: AnyDoor,
    user: SignedInUser,
    credential: Credential,
    guard: Guard,
    lastUse: { at: number | null; ip: string | null; door: string | null } | null = null,
    origin: Origin = originOf(attempt.ip),
    recorded: ((lastUse: boolean, familiar: boolean) => void) | null = null,
    holder: { usage: UsageSlot | null } | null = null,
  ): SignInResult | Promise<SignInResult> {
    if (guard.failures > 0) {
      // A success resets the counter that applies; then the same, without failures.
      return resetAfterSuccess(
        ctx.store.db,
        user.id,
        credential.kind === 'primary' ? 'primary' : 'app',
        guard.familiar,
      ).then(() =>
        accept(attempt, door, user, credential, { ...guard, failures: 0 }, lastUse, origin, recorded, holder),
      );
    }
    const now = ctx.now();
    const ip = origin.ip === '' ? null : origin.ip;
    // Writes the store already has are skipped: last use to the minute, familiarity to the day.
    const refreshLastUse =
      lastUse === null ||
      lastUse.at === null ||
      lastUse.at < now - 60_000 ||
      lastUse.ip !== ip ||
      lastUse.door !== door;
    // A relay (the mail server) is everyone's source: it never becomes familiar, or an attacker
    // talking to it would count as the owner's own device.
    const refreshFamiliar =
      ip !== null &&
      ip !== UNKNOWN_SOURCE &&
      !origin.relay &&
      (guard.familiarAt === null || guard.familiarAt < now - DAY);
    ctx.usage.recordAccepted(
      {
        at: now,
        userId: user.id,
        username: user.username,
        door,
        ip,
        userAgent: clean(attempt.userAgent, 256),
        credential: credential.kind,
        appPasswordId: credential.kind === 'app_password' ? credential.id : null,
        appPasswordLabel: credential.kind === 'app_password' ? credential.label : null,
        refreshLastUse,
        refreshFamiliar,
      },
      holder,
    );
    if (recorded !== null && (refreshLastUse || refreshFamiliar)) recorded(refreshLastUse, refreshFamiliar);
    return { ok: true, user, credential };
  }

  /**
   * The account for a primary-password check, from memory when it holds it (check-cache.ts), else
   * from the store (and then kept).
   */
  async function accountFor(
    name: string,
    asEmail: boolean,
    ip: string,
    source: string,
  ): Promise<UserCheckRow | HeldAccount | undefined> {
    const behind = ctx.checks.fresh();
    if (behind) await behind;
    const key = asEmail ? `e:${name}` : `n:${name}`;
    const held = ctx.checks.getAccount(key, ip, source);
    if (held !== undefined) return held;
    return readAccount(name, asEmail, ip, source, key);
  }

  /** A held account with no await, when memory is current and holds it; else undefined. */
  function heldAccount(name: string, asEmail: boolean, ip: string, source: string): HeldAccount | undefined {
    if (ctx.checks.fresh() !== null) return undefined;
    return ctx.checks.getAccount(asEmail ? `e:${name}` : `n:${name}`, ip, source);
  }

  async function readAccount(name: string, asEmail: boolean, ip: string, source: string, key: string) {
    const mark = ctx.checks.mark();
    const row = asEmail ? await lookupUserByEmail(name, ip, source) : await lookupUser(name, ip, source);
    if (row !== undefined) ctx.checks.fillAccount(key, ip, row, mark);
    return row;
  }

  /** A locked refusal takes as long as a password check would: locks must not reveal who exists. */
  async function refuseLocked(
    attempt: SignInAttempt,
    door: AnyDoor,
    userId: string | null,
  ): Promise<SignInResult> {
    await delayLikePasswordCheck();
    return refuse(attempt, door, 'locked_out', userId, null);
  }

  /** An app password of this user: the rules of the decision table that apply to it (no await when memory has all). */
  function checkAppPassword(
    attempt: SignInAttempt,
    door: AnyDoor,
    ap: CachedAppPassword,
    guardRow: GuardRow,
    origin: Origin,
  ): SignInResult | Promise<SignInResult> {
    const settings = ctx.settings.peek();
    const now = ctx.now();
    // An exact app password (≥ 112 bits) is never refused for a lock: locks stop guessing, and nobody
    // guesses one of these; refusing it would only let an attacker lock out someone's phone.
    const guard = guardWithoutCounters(guardRow, now, origin.relay);
    if (settings === null || guard === null) {
      return (async () =>
        decideAppPassword(
          attempt,
          door,
          ap,
          origin,
          settings ?? (await ctx.settings.get()),
          guard ?? (await readGuard(ctx, guardRow, ap.user.id, 'app', now, origin.ip || null, origin.relay)),
          now,
        ))();
    }
    return decideAppPassword(attempt, door, ap, origin, settings, guard, now);
  }

  function decideAppPassword(
    attempt: SignInAttempt,
    door: AnyDoor,
    ap: CachedAppPassword,
    origin: Origin,
    settings: Settings,
    guard: Guard,
    now: number,
  ): SignInResult | Promise<SignInResult> {
    const user = ap.user;
    if (user.disabledAt !== null) return refuse(attempt, door, 'user_disabled', user.id, 'app_password', ap);
    if (!settings.allowAppPasswords) {
      return refuse(attempt, door, 'app_passwords_disabled', user.id, 'app_password', ap);
    }
    if (ap.expiresAt !== null && ap.expiresAt <= now) {
      return refuse(attempt, door, 'app_password_expired', user.id, 'app_password', ap);
    }
    const days = settings.autoRevokeUnusedAppPasswordsDays;
    if (days > 0 && (ap.lastUsedAt ?? ap.createdAt) < now - days * DAY) {
      // Past the auto-revoke age but not yet swept: already as good as deleted.
      return refuse(attempt, door, 'app_password_expired', user.id, 'app_password', ap);
    }
    if (ap.scopes !== null && !ap.scopes.includes(door)) {
      return refuse(attempt, door, 'out_of_scope', user.id, 'app_password', ap);
    }
    // Shared by every answer for this user until it changes: frozen, so that no caller can alter it.
    user.view ??= Object.freeze({
      id: user.id,
      username: user.username,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
    });
    return accept(
      attempt,
      door,
      user.view,
      ap.credential,
      guard,
      { at: ap.lastUsedAt, ip: ap.lastUsedIp, door: ap.lastUsedDoor },
      origin,
      (lastUse, familiar) => ctx.checks.used(ap, now, origin.ip, door, lastUse, familiar),
      ap,
    );
  }

  /**
   * Everything that is not one of the user's app passwords. `kind` says which counter a failure
   * counts against: a wrong secret shaped like an app password never locks the primary password out.
   */
  async function checkPrimary(
    attempt: SignInAttempt,
    door: AnyDoor,
    username: string,
    ip: string,
    kind: CounterKind,
    browser: ((r: BrowserPasswordResult) => void) | null = null,
    origin: Origin = originOf(attempt.ip),
  ): Promise<SignInResult> {
    const now = ctx.now();
    const secret = attempt.secret;
    const source = origin.source;
    const asEmail = username.includes('@');
    // A repeat from a known device: memory holds the account (only valid names are ever held).
    const held = heldAccount(username, asEmail, ip, source);
    const possible =
      held !== undefined ||
      (asEmail ? username.length <= 254 && !/[\p{Cc}\s]/u.test(username) : isValidUsername(username));
    const user = held ?? (!possible ? undefined : await accountFor(username, asEmail, ip, source));
    const failure = { username, kind, ip: ip || null, secret };
    // Non-browser checks share a few lanes of the thread pool; the browser's go straight to it.
    const hashing = <T>(work: () => Promise<T>): Promise<T> => (browser === null ? lanes.run(work) : work());
    if (!user) {
      // The same steps as for an account, in the same order: its own counter and lock, the refusal
      // cache, the source's budget, one argon2id, one counted failure.
      const locked = await unknownNameLockedUntil(ctx, username, kind, ip || null, now);
      if (locked !== null) return refuseLocked(attempt, door, null);
      const again = refusals.get(username, secret, undefined);
      if (again !== null) return refuseUnchecked(attempt, door, again, null);
      if (possible && !mayHash(ip, browser !== null))
        return refuseUnchecked(attempt, door, 'throttled', null);
      // A name that could exist costs the same time as a wrong password; one that cannot (no user is
      // ever called that) tells nothing, and does not get to spend our CPU.
      if (possible) await hashing(() => burnPasswordCheck(secret));
      refusals.add(username, secret, undefined, 'unknown_user');
      return fail(attempt, door, 'unknown_user', {
        ...failure,
        userId: null,
        familiar: false,
        unknownName: username,
      });
    }
    const guard =
      guardWithoutCounters(user, now, origin.relay) ??
      (await readGuard(ctx, user, user.id, kind, now, ip || null, origin.relay));
    // While locked, the secret is not even checked: guessing gets no answer, right or wrong.
    if (guard.lockedUntil !== null) return refuseLocked(attempt, door, user.id);
    // The browser always pays argon2id: the cache is for mail clients repeating themselves.
    const known =
      browser === null && user.password_hash !== null && cache.has(user.id, user.password_changed_at, secret);
    if (!known) {
      const again = refusals.get(username, secret, user);
      if (again !== null) return refuseUnchecked(attempt, door, again, user.id);
      if (!mayHash(ip, browser !== null)) return refuseUnchecked(attempt, door, 'throttled', user.id);
    }
    const good =
      known ||
      (await hashing(() =>
        user.password_hash === null ? burnPasswordCheck(secret) : verifyPassword(user.password_hash, secret),
      ));
    if (!good) {
      refusals.add(username, secret, user, 'invalid_credentials');
      return fail(attempt, door, 'invalid_credentials', {
        ...failure,
        userId: user.id,
        familiar: guard.familiar,
      });
    }
    // A refusal after a cached check must cost what a real check costs (the state changed since it was
    // cached); only accepted pairs enter the cache, so this is rare.
    const refuseAfterCheck = async (reason: SignInReason) => {
      if (known) await hashing(() => burnPasswordCheck(secret));
      return refuse(attempt, door, reason, user.id, 'primary');
    };
    if (user.disabled_at !== null) return refuseAfterCheck('user_disabled');
    // A one-time password is for one thing: signing in on the web to choose a password. Pasted into
    // a mail app it would never be replaced, and whoever read it out would keep a working password.
    if (browser === null && user.password_must_change === 1)
      return refuseAfterCheck('password_change_required');
    const settings = ctx.settings.peek() ?? (await ctx.settings.get());
    const state = effectiveTwoStepState(user.two_step_state, settings.requireTwoStepForEveryone);
    if (browser !== null) {
      // Same late lock check as below. Nothing is reset or logged as accepted yet: the sign-in is not
      // finished until the two-step check passes, and a known password must not reset the counter
      // that stops someone guessing codes.
      const again = await lookupUser(user.username, ip, source);
      if (again && (await readGuard(ctx, again, user.id, kind, ctx.now(), ip || null)).lockedUntil !== null) {
        return refuse(attempt, door, 'locked_out', user.id, null);
      }
      if (!known && passwordNeedsRehash(user.password_hash!)) {
        const rehashed = await hashPassword(secret);
        await updateUser(ctx.store.db, user.id, { password_hash: rehashed }).catch(() => {});
      }
      browser({
        ok: true,
        user: {
          id: user.id,
          username: user.username,
          email: user.email,
          displayName: user.display_name,
          role: user.role,
        },
        twoStep: state,
        mustChangePassword: user.password_must_change === 1,
        familiar: guard.familiar,
      });
      return {
        ok: true,
        user: { id: user.id, username: user.username, email: null, displayName: null, role: user.role },
        credential: { kind: 'primary' },
      };
    }
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
      'view' in user
        ? user.view
        : {
            id: user.id,
            username: user.username,
            email: user.email,
            displayName: user.display_name,
            role: user.role,
          },
      PRIMARY,
      primaryGuard,
      null,
      origin,
      (_lastUse, familiar) => {
        if (familiar) ctx.checks.familiarNow(user.id, ip, now);
      },
      'holder' in user ? user.holder : null,
    );
  }

  /**
   * The password step of a browser sign-in (spec §3, browser door): the same lookups, lockout and
   * argon2id as every door, but app passwords are refused with their own reason (R11, B10) and the
   * two-step state decides the next step instead of the answer.
   */
  async function checkBrowserPassword(attempt: {
    username: string;
    password: string;
    ip?: string | null;
    userAgent?: string | null;
  }): Promise<BrowserPasswordResult> {
    // A–Z folded and nothing else mapped: the Kelvin sign is not a "k" (validate.ts).
    const username = signInName(attempt.username);
    const secret = typeof attempt.password === 'string' ? attempt.password : '';
    const a: SignInAttempt = {
      username,
      secret,
      door: BROWSER,
      ip: attempt.ip,
      userAgent: attempt.userAgent,
    };
    if (
      secret.length === 0 ||
      Buffer.byteLength(secret, 'utf8') > MAX_SECRET_BYTES ||
      username.length > 256
    ) {
      return (await refuse(a, BROWSER, 'invalid_credentials', null, null)) as BrowserPasswordResult;
    }
    const ip = normalizeIp(attempt.ip) ?? '';
    const stale = ctx.relays.fresh();
    if (stale) await stale;
    const letters = normalizeAppPassword(secret);
    if (letters !== null) {
      const row = await lookupAppPassword(keyedHash(ctx.keys.hmac, letters), ip, ip ? sourceKey(ip) : '');
      if (row && (row.username === username || (row.email !== null && row.email === username))) {
        // The person's own app password: not a guess, so not counted; but never a way in (R11).
        const ap = { id: row.id, label: row.label };
        return (await refuse(
          a,
          BROWSER,
          'app_password_in_browser',
          row.user_id,
          'app_password',
          ap,
        )) as BrowserPasswordResult;
      }
    }
    let found: BrowserPasswordResult | null = null;
    const r = await checkPrimary(a, BROWSER, username, ip, letters !== null ? 'app' : 'primary', (x) => {
      found = x;
    });
    return found ?? (r as BrowserPasswordResult);
  }

  /** A wrong second step counts against the primary password, so codes cannot be guessed for long. */
  async function failTwoStep(
    user: { id: string; username: string },
    ip: string | null,
    userAgent: string | null,
    tagged: string,
    method: string,
  ): Promise<void> {
    const guard = await readGuardFor(user.id, ip);
    await recordFailure(ctx, {
      username: user.username,
      kind: 'two_step',
      ip: normalizeIp(ip),
      secret: `two-step\0${tagged}`,
      userId: user.id,
      familiar: guard.familiar,
    });
    await insertSignInEvent(ctx.store.db, {
      at: ctx.now(),
      last_at: ctx.now(),
      count: 1,
      username: user.username,
      user_id: user.id,
      door: BROWSER,
      ip: normalizeIp(ip),
      user_agent: clean(userAgent, 256),
      result: 'refused',
      reason: 'two_step_failed',
      credential: method,
      app_password_id: null,
      app_password_label: null,
      bucket: null,
    });
  }

  async function readGuardFor(
    userId: string,
    ip: string | null,
    kind: CounterKind = 'primary',
  ): Promise<Guard> {
    const norm = normalizeIp(ip) ?? '';
    const row = await lookupUserById(userId, norm, norm ? sourceKey(norm) : '');
    if (!row) return { familiar: false, familiarAt: null, lockedUntil: null, failures: 0 };
    return readGuard(ctx, row, userId, kind, ctx.now(), norm || null);
  }

  /**
   * A browser sign-in finished (password and, where needed, the second step): its own event in the log
   * (B4), the failure counters reset, the source remembered as familiar.
   */
  async function completeBrowserSignIn(
    user: { id: string; username: string },
    ip: string | null,
    userAgent: string | null,
    method: string,
  ): Promise<void> {
    const now = ctx.now();
    const norm = normalizeIp(ip);
    const guard = await readGuardFor(user.id, ip);
    if (guard.failures > 0) await resetAfterSuccess(ctx.store.db, user.id, 'primary', guard.familiar);
    const second = await readGuardFor(user.id, ip, 'two_step');
    if (second.failures > 0) await resetAfterSuccess(ctx.store.db, user.id, 'two_step', second.familiar);
    await insertSignInEvent(ctx.store.db, {
      at: now,
      last_at: now,
      count: 1,
      username: user.username,
      user_id: user.id,
      door: BROWSER,
      ip: norm,
      user_agent: clean(userAgent, 256),
      result: 'accepted',
      reason: null,
      credential: method,
      app_password_id: null,
      app_password_label: null,
      bucket: null,
    });
    if (norm !== null && norm !== UNKNOWN_SOURCE && !ctx.isRelay(norm))
      await recordFamiliarSources(ctx.store.db, [{ userId: user.id, ip: norm, at: now }]);
  }

  /** The lock that applies to this account from this source now, for the steps after the password. */
  async function lockedUntil(userId: string, ip: string | null): Promise<number | null> {
    const a = (await readGuardFor(userId, ip)).lockedUntil;
    const b = (await readGuardFor(userId, ip, 'two_step')).lockedUntil;
    return a === null ? b : b === null ? a : Math.max(a, b);
  }

  return { signIn, checkBrowserPassword, failTwoStep, completeBrowserSignIn, lockedUntil };

  async function signIn(attempt: SignInAttempt): Promise<SignInResult> {
    const door = checkDoor(attempt.door);
    // A–Z folded and nothing else mapped: the Kelvin sign is not a "k" (validate.ts).
    const username = signInName(attempt.username);
    const secret = typeof attempt.secret === 'string' ? attempt.secret : '';
    if (
      secret.length === 0 ||
      Buffer.byteLength(secret, 'utf8') > MAX_SECRET_BYTES ||
      username.length > 256
    ) {
      // Never hand argon2 an empty or oversized secret; the refusal is the same as a wrong password.
      return refuse(attempt, door, 'invalid_credentials', null, null);
    }
    const origin = originOf(attempt.ip);
    const ip = origin.ip;
    const stale = ctx.relays.fresh();
    if (stale) await stale;
    const letters = normalizeAppPassword(secret);
    if (letters !== null) {
      const hash = keyedHash(ctx.keys.hmac, letters);
      const key = hash.toString('latin1');
      const behind = ctx.checks.fresh();
      if (behind) await behind;
      const hit = ctx.checks.get(key, ip, origin.source);
      if (hit !== undefined) {
        // Someone else's app password is just a wrong secret for this user.
        const u = hit.ap.user;
        if (u.username === username || (u.email !== null && u.email === username)) {
          return checkAppPassword(attempt, door, hit.ap, hit.guard, origin);
        }
      } else {
        const mark = ctx.checks.mark();
        const row = await lookupAppPassword(hash, ip, origin.source);
        if (row && (row.username === username || (row.email !== null && row.email === username))) {
          return checkAppPassword(attempt, door, ctx.checks.fill(key, ip, row, mark), row, origin);
        }
        if (row) ctx.checks.fill(key, ip, row, mark);
      }
    }
    return checkPrimary(attempt, door, username, ip, letters !== null ? 'app' : 'primary', null, origin);
  }
}

/** Where an attempt came from, worked out once: the address, its counter key, whether it is a relay. */
interface Origin {
  /** The normalised address, or '' when unknown. */
  ip: string;
  source: string;
  relay: boolean;
}
