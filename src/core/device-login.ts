// Device sign-in for app passwords (spec B8, issue 13 item 4; RFC 8628's shape, Nextcloud Login Flow
// v2's purpose). An app asks for a request and shows a short user code; the person approves it in a
// browser after signing in with two-step verification; the app, polling with its device code, gets a
// new app password named after itself, once. docs/device-login.md gives the decisions and why.
//
// - The device code is a bearer secret (256 bits): only its keyed hash is stored, looked up by that
//   hash and compared again in constant time. The user code (8 letters from 20 consonants, about 34.6
//   bits) is stored the same way; wrong codes typed on the page are counted per person and per
//   address in the store, and refused beyond a budget.
// - No app password exists before the app comes for it: approval checks the rules the portal applies,
//   atomically), and in the same transaction an UPDATE that exactly one poll can win claims the
//   request: a failed write leaves it approved. A second poll gets expired_token. A password change,
//   "delete all" app passwords, "sign out everywhere" or disabling the account refuses the person's
//   approved requests not yet collected (store/device-logins.ts denyApprovedOf, in those changes'
//   transactions); the poll checks the password, two-step and disabled state again under the lock.
// - Bounded: requests per source (an IPv6 /64 counts as one, as everywhere) and in all, ten minutes
//   each, pruned as new ones arrive and hourly by the server's housekeeping (src/main.ts).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { keyedHash } from '../crypto/app-passwords.js';
import { newId } from '../crypto/ids.js';
import {
  claimApproved,
  countGuess,
  countPending,
  type DeviceLoginRow,
  decide,
  denyApproved,
  findByDeviceHash,
  findByUserCodeHash,
  insertDeviceLogin,
  pruneDeviceLogins as pruneRows,
  refundGuess,
  takePoll,
} from '../store/device-logins.js';
import { findUserById } from '../store/users.js';
import { createAppPassword } from './app-passwords.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { isLatchkeyError, LatchkeyError } from './errors.js';
import type { Actor } from './policy.js';
import { effectiveTwoStepState } from './two-step.js';
import { checkLabel, normalizeIp, sourceKey, UNKNOWN_SOURCE } from './validate.js';

/** How long a request lives (RFC 8628 expires_in). */
export const DEVICE_LOGIN_SECONDS = 600;
/** The least time between two polls of one request (RFC 8628 interval). */
export const POLL_INTERVAL_SECONDS = 5;
/** A poll this much early still counts as on time: requests do not travel in exactly the same time. */
const POLL_SLACK_MS = 500;
/** Requests waiting for a person, per source (sourceKey: an IPv6 /64 is one) and in all. */
export const MAX_PENDING_PER_SOURCE = 10;
export const MAX_PENDING = 1000;
/** Wrong user codes allowed per window, per signed-in person and per source (sourceKey). */
export const GUESS_WINDOW_MS = 15 * 60_000;
export const GUESSES_PER_PERSON = 10;
export const GUESSES_PER_SOURCE = 30;

/** Consonants without look-alikes (no vowels: no words; no I/O/0/1). */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LENGTH = 8;
const DEVICE_CODE = /^[A-Za-z0-9_-]{43}$/;

export interface DeviceLoginStarted {
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  deviceCode: string;
  interval: number;
  expiresIn: number;
}

export type PollCode = 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token';
export type PollResult = { ok: true; username: string; appPassword: string } | { ok: false; code: PollCode };

export type DeviceLoginState = 'pending' | 'approved' | 'denied' | 'delivered' | 'expired';

/** What the approval page shows of a request: never a code other than the one the person typed. */
export interface DeviceLoginView {
  id: string;
  userCode: string;
  app: string;
  ip: string;
  userAgent: string | null;
  createdAt: number;
  expiresAt: number;
  state: DeviceLoginState;
  /** Someone else decided it (a person can only see the request by its code; this says who did not). */
  decidedByOther: boolean;
}

export type Lookup =
  | { kind: 'found'; request: DeviceLoginView }
  | { kind: 'unknown' }
  | { kind: 'malformed' }
  | { kind: 'throttled'; retryAfterSeconds: number };

export interface DeviceClient {
  ip: string | null;
  userAgent?: string | null;
}

const deviceHash = (ctx: CoreContext, code: string) =>
  keyedHash(ctx.keys.hmac, `device-login/device:${code}`);
const userCodeHash = (ctx: CoreContext, code: string) =>
  keyedHash(ctx.keys.hmac, `device-login/user:${code}`);

function newUserCode(): string {
  let out = '';
  while (out.length < USER_CODE_LENGTH) {
    for (const b of randomBytes(16)) {
      // 20 letters: bytes ≥ 240 (= 12 × 20) are dropped so that every letter is equally likely.
      if (b < 240 && out.length < USER_CODE_LENGTH) out += USER_CODE_ALPHABET[b % 20];
    }
  }
  return out;
}

/** "BCDF-GHJK", as shown. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person typed → the canonical code: case, spaces and dashes do not matter. null: cannot be one. */
export function normalizeUserCode(typed: unknown): string | null {
  if (typeof typed !== 'string' || typed.length > 32) return null;
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== USER_CODE_LENGTH) return null;
  for (const c of code) if (!USER_CODE_ALPHABET.includes(c)) return null;
  return code;
}

function sourceOf(ip: string | null | undefined): string {
  return normalizeIp(ip) ?? UNKNOWN_SOURCE;
}

function stateOf(r: DeviceLoginRow, now: number): DeviceLoginState {
  if (r.status === 'delivered') return 'delivered';
  if (now >= r.expires_at) return 'expired';
  return r.status;
}

/** POST /api/v1/device-login: a new request for the app named `app`. */
export async function startDeviceLogin(
  ctx: CoreContext,
  input: { app: unknown },
  client: DeviceClient,
): Promise<DeviceLoginStarted> {
  // The app's name becomes the app password's name: the same rule (1–64 printable characters).
  const app = checkLabel(input.app);
  if (!(await ctx.settings.get()).allowAppPasswords) throw new LatchkeyError('APP_PASSWORDS_DISABLED');
  const now = ctx.now();
  const ip = sourceOf(client.ip);
  const source = sourceKey(ip);
  await pruneRows(ctx.store.db, now, now - GUESS_WINDOW_MS);
  const pending = await countPending(ctx.store.db, now, source);
  if (pending.source >= MAX_PENDING_PER_SOURCE || pending.all >= MAX_PENDING) {
    throw new DeviceLoginBusy();
  }
  const deviceCode = randomBytes(32).toString('base64url');
  let userCode = newUserCode();
  for (let attempt = 0; ; attempt++) {
    try {
      await insertDeviceLogin(ctx.store.db, {
        id: newId(),
        device_hash: deviceHash(ctx, deviceCode),
        user_code_hash: userCodeHash(ctx, userCode),
        app,
        ip,
        source,
        user_agent: typeof client.userAgent === 'string' ? client.userAgent.slice(0, 256) : null,
        status: 'pending',
        interval_seconds: POLL_INTERVAL_SECONDS,
        created_at: now,
        expires_at: now + DEVICE_LOGIN_SECONDS * 1000,
        last_poll_at: null,
        user_id: null,
        decided_at: null,
        decided_ip: null,
      });
      break;
    } catch (e) {
      // A user code equal to one still stored (rare: 20^8 codes, at most MAX_PENDING live): another.
      if (attempt >= 2 || (await findByUserCodeHash(ctx.store.db, userCodeHash(ctx, userCode))) === undefined)
        throw e;
      userCode = newUserCode();
    }
  }
  const verificationUri = `${ctx.publicUrl.replace(/\/+$/, '')}/device`;
  return {
    userCode: formatUserCode(userCode),
    verificationUri,
    verificationUriComplete: `${verificationUri}?code=${formatUserCode(userCode)}`,
    deviceCode,
    interval: POLL_INTERVAL_SECONDS,
    expiresIn: DEVICE_LOGIN_SECONDS,
  };
}

/** Too many requests are waiting (from this address, or in all). */
export class DeviceLoginBusy extends Error {
  constructor() {
    super('Too many sign-in requests are waiting for approval. Try again in a few minutes.');
    this.name = 'DeviceLoginBusy';
  }
}

/** POST /api/v1/device-login/poll. */
export async function pollDeviceLogin(
  ctx: CoreContext,
  deviceCode: string,
  client: DeviceClient,
): Promise<PollResult> {
  if (typeof deviceCode !== 'string' || !DEVICE_CODE.test(deviceCode))
    return { ok: false, code: 'expired_token' };
  const hash = deviceHash(ctx, deviceCode);
  const row = await findByDeviceHash(ctx.store.db, hash);
  // Found by its hash through the index; compared again in constant time all the same.
  if (!row || !timingSafeEqual(Buffer.from(row.device_hash), hash))
    return { ok: false, code: 'expired_token' };
  const now = ctx.now();
  const state = stateOf(row, now);
  if (state === 'delivered' || state === 'expired') return { ok: false, code: 'expired_token' };
  if (!(await takePoll(ctx.store.db, row.id, now, row.interval_seconds * 1000 - POLL_SLACK_MS))) {
    return { ok: false, code: 'slow_down' };
  }
  if (state === 'pending') return { ok: false, code: 'authorization_pending' };
  if (state === 'denied') return { ok: false, code: 'access_denied' };
  // Approved: the app password is created, and the request claimed (approved → delivered) by exactly
  // one poll, in one transaction: a failed write leaves the request approved for the next poll.
  const user = row.user_id ? await findUserById(ctx.store.db, row.user_id) : undefined;
  const poller = sourceOf(client.ip);
  if (!user || user.disabled_at !== null) {
    await denyApproved(ctx.store.db, row.id);
    await refused(ctx, row, user?.username ?? null, poller, 'USER_GONE');
    return { ok: false, code: 'access_denied' };
  }
  // The app password is the approver's act, from where they approved it: its audit entry says so.
  const actor: Actor = {
    kind: 'user',
    userId: user.id,
    username: user.username,
    role: user.role,
    ip: row.decided_ip,
  };
  let created: Awaited<ReturnType<typeof createAppPassword>>;
  try {
    created = await createAppPassword(
      ctx,
      actor,
      user.username,
      { label: row.app },
      async (trx, locked, settings) => {
        // Under the person's lock: what changed since the approval, as the store has it now.
        const since = row.decided_at ?? row.created_at;
        if (locked.disabled_at !== null) throw new Revoked('USER_DISABLED');
        if (locked.password_changed_at !== null && locked.password_changed_at > since)
          throw new Revoked('PASSWORD_CHANGED');
        if (
          locked.two_step_changed_at !== null &&
          locked.two_step_changed_at > since &&
          effectiveTwoStepState(locked.two_step_state, settings.requireTwoStepForEveryone) === 'disabled'
        )
          throw new Revoked('TWO_STEP_OFF');
        if (!(await claimApproved(trx, row.id, now))) throw new NotClaimed();
      },
    );
  } catch (e) {
    if (e instanceof NotClaimed) return { ok: false, code: 'expired_token' };
    const reason = e instanceof Revoked ? e.reason : isLatchkeyError(e) && e.status < 500 ? e.code : null;
    if (reason === null) throw e;
    // Revoked since the approval, or the rules changed (app passwords turned off, the limit reached):
    // refused for good, so that every later poll hears the same.
    await denyApproved(ctx.store.db, row.id);
    await refused(ctx, row, user.username, poller, reason);
    return { ok: false, code: 'access_denied' };
  }
  await recordAudit(ctx, ctx.store.db, actor, 'device_login.delivered', user.username, {
    request: row.id,
    app: row.app,
    appPasswordId: created.id,
    deliveredTo: poller,
  });
  return { ok: true, username: user.username, appPassword: created.password.replace(/ /g, '') };
}

/** Another poll claimed the request first (inside createAppPassword's transaction: undoes it). */
class NotClaimed extends Error {}

/** Something since the approval takes it back (inside createAppPassword's transaction: undoes it). */
class Revoked extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

async function refused(
  ctx: CoreContext,
  row: DeviceLoginRow,
  username: string | null,
  poller: string,
  reason: string,
): Promise<void> {
  await recordAudit(
    ctx,
    ctx.store.db,
    { kind: 'system', name: 'device-login', ip: poller },
    'device_login.refused',
    username,
    { request: row.id, app: row.app, reason },
  );
}

/**
 * The request behind a code a signed-in person typed (or followed). Wrong codes are counted against
 * the person and the address; beyond their budget no code is looked up at all until the window ends.
 */
async function locate(
  ctx: CoreContext,
  actor: Extract<Actor, { kind: 'user' }>,
  typed: unknown,
): Promise<{ kind: 'found'; row: DeviceLoginRow } | Exclude<Lookup, { kind: 'found' }>> {
  const code = normalizeUserCode(typed);
  if (code === null) return { kind: 'malformed' };
  const now = ctx.now();
  const windowStart = now - GUESS_WINDOW_MS;
  const keys = [`user:${actor.userId}`, `ip:${sourceKey(sourceOf(actor.ip))}`] as const;
  // Every look-up takes a try first, in one statement that returns the count (parallel requests each
  // see their own number); a right code gives its try back. Beyond a budget, no code is looked up.
  const [mine, here] = await Promise.all(keys.map((k) => countGuess(ctx.store.db, k, now, windowStart)));
  if (mine! > GUESSES_PER_PERSON || here! > GUESSES_PER_SOURCE) {
    // A refused try looks nothing up, so it takes nothing from the budget (of others at this source).
    for (const k of keys) await refundGuess(ctx.store.db, k);
    return { kind: 'throttled', retryAfterSeconds: GUESS_WINDOW_MS / 1000 };
  }
  const hash = userCodeHash(ctx, code);
  const row = await findByUserCodeHash(ctx.store.db, hash);
  if (!row || !timingSafeEqual(Buffer.from(row.user_code_hash), hash)) return { kind: 'unknown' };
  for (const k of keys) await refundGuess(ctx.store.db, k);
  return { kind: 'found', row };
}

function view(
  row: DeviceLoginRow,
  code: string,
  now: number,
  actor: Extract<Actor, { kind: 'user' }>,
): DeviceLoginView {
  return {
    id: row.id,
    userCode: formatUserCode(code),
    app: row.app,
    ip: row.ip,
    userAgent: row.user_agent,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    state: stateOf(row, now),
    decidedByOther: row.user_id !== null && row.user_id !== actor.userId,
  };
}

/** The approval page's look-up of a code. */
export async function findDeviceLogin(
  ctx: CoreContext,
  actor: Extract<Actor, { kind: 'user' }>,
  typed: unknown,
): Promise<Lookup> {
  const r = await locate(ctx, actor, typed);
  if (r.kind !== 'found') return r;
  return { kind: 'found', request: view(r.row, normalizeUserCode(typed)!, ctx.now(), actor) };
}

/**
 * The rules of the portal's "Create" (allowAppPasswords, two-step, the per-user limit), checked when
 * the person approves, so that the page can say what is wrong. createAppPassword checks them again when
 * the app comes for its password.
 */
async function checkRules(ctx: CoreContext, userId: string): Promise<void> {
  const user = await findUserById(ctx.store.db, userId);
  if (!user || user.disabled_at !== null) throw new LatchkeyError('FORBIDDEN');
  const settings = await ctx.settings.get();
  if (!settings.allowAppPasswords) throw new LatchkeyError('APP_PASSWORDS_DISABLED');
  const state = effectiveTwoStepState(user.two_step_state, settings.requireTwoStepForEveryone);
  if (state === 'disabled' && !settings.requireAppPasswordsForNonBrowser)
    throw new LatchkeyError('TWO_STEP_REQUIRED');
  const r = await ctx.store.db
    .selectFrom('app_passwords')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  if (Number(r.n) >= settings.maxAppPasswordsPerUser) throw new LatchkeyError('APP_PASSWORD_LIMIT');
}

/**
 * Approve or deny. The caller has checked sudo mode (approval only). Approving throws the rule's
 * LatchkeyError when the portal would refuse to create the app password; the request stays pending.
 */
export async function decideDeviceLogin(
  ctx: CoreContext,
  actor: Extract<Actor, { kind: 'user' }>,
  typed: unknown,
  decision: 'approve' | 'deny',
): Promise<Lookup> {
  const r = await locate(ctx, actor, typed);
  if (r.kind !== 'found') return r;
  const now = ctx.now();
  const code = normalizeUserCode(typed)!;
  if (stateOf(r.row, now) !== 'pending') return { kind: 'found', request: view(r.row, code, now, actor) };
  if (decision === 'approve') await checkRules(ctx, actor.userId);
  const to = decision === 'approve' ? 'approved' : 'denied';
  const changed = await ctx.store.transaction(async (trx) => {
    if (!(await decide(trx, r.row.id, to, { userId: actor.userId, ip: actor.ip, at: now }))) return false;
    await recordAudit(
      ctx,
      trx,
      actor,
      to === 'approved' ? 'device_login.approved' : 'device_login.denied',
      actor.username,
      {
        request: r.row.id,
        app: r.row.app,
        requestedFrom: r.row.ip,
        requestedAt: new Date(r.row.created_at).toISOString(),
      },
    );
    return true;
  });
  const after = changed
    ? { ...r.row, status: to as DeviceLoginRow['status'], user_id: actor.userId }
    : ((await findByUserCodeHash(ctx.store.db, userCodeHash(ctx, code))) ?? { ...r.row, expires_at: 0 });
  return { kind: 'found', request: view(after, code, now, actor) };
}

/** Deletes expired requests and finished guess windows (also done as requests arrive, and hourly). */
export async function pruneDeviceLogins(ctx: CoreContext): Promise<number> {
  const now = ctx.now();
  return pruneRows(ctx.store.db, now, now - GUESS_WINDOW_MS);
}
