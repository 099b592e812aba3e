// Two-step verification methods (spec §1 R1, issue 4): authenticator apps (TOTP), security keys and
// passkeys (WebAuthn, see webauthn.ts) and recovery codes. A person may have several; one is the
// default the sign-in page offers first; the last one cannot go while two-step is enforced.
// Registering the first method finishes registration: the state moves enabled → enforced (R1).

import { randomBytes } from 'node:crypto';
import { keyedHash } from '../crypto/app-passwords.js';
import { newId } from '../crypto/ids.js';
import { open, seal } from '../crypto/secret-box.js';
import { newTotpSeed, totpStep } from '../crypto/totp.js';
import type { Executor } from '../store/database.js';
import { denyApprovedOf } from '../store/device-logins.js';
import { deleteUserFlows } from '../store/flows.js';
import {
  advanceTotpStep,
  deleteAllMethodRows,
  deleteMethodRow,
  findMethodRow,
  insertMethodRow,
  listMethodRows,
  recoveryCodeCounts,
  replaceRecoveryCodes,
  setDefaultMethodRow,
  useRecoveryCode,
} from '../store/methods.js';
import type { MethodKind, TwoStepMethodRow, UserRow } from '../store/schema.js';
import { deleteUserDevices, deleteUserSessions, listUserDevices } from '../store/sessions.js';
import { readSettings } from '../store/settings.js';
import { findUserById, lockUser, updateUser } from '../store/users.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import { type Actor, authorize } from './policy.js';
import { settingsFromStored } from './settings.js';
import { effectiveTwoStepState } from './two-step.js';
import { normalizeUsername, requireUser } from './users.js';
import { checkLabel } from './validate.js';

export interface MethodView {
  id: string;
  kind: MethodKind;
  name: string;
  isDefault: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface MethodsSummary {
  methods: MethodView[];
  recoveryCodes: { total: number; unused: number; createdAt: number | null };
  rememberedDevices: { id: string; createdAt: number; expiresAt: number; lastUsedAt: number | null }[];
}

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function methodView(r: TwoStepMethodRow): MethodView {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    isDefault: r.is_default === 1,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  };
}

/** Methods first-default, then oldest first. */
export async function methodsOf(db: Executor, userId: string): Promise<MethodView[]> {
  const rows = (await listMethodRows(db, userId)).map(methodView);
  return rows.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

export async function summary(ctx: CoreContext, userId: string): Promise<MethodsSummary> {
  const db = ctx.store.db;
  const now = ctx.now();
  return {
    methods: await methodsOf(db, userId),
    recoveryCodes: await recoveryCodeCounts(db, userId),
    rememberedDevices: (await listUserDevices(db, userId))
      .filter((d) => d.expires_at > now)
      .map((d) => ({
        id: d.id,
        createdAt: d.created_at,
        expiresAt: d.expires_at,
        lastUsedAt: d.last_used_at,
      })),
  };
}

/** The methods of a user, for an administrator or the person (names and dates only). */
export async function listMethods(ctx: CoreContext, actor: Actor, username: string): Promise<MethodsSummary> {
  const u = await requireUser(ctx.store.db, normalizeUsername(username));
  authorize(actor, 'user.read', u.id);
  return summary(ctx, u.id);
}

const seedContext = (userId: string) => `totp-seed\0${userId}`;

/** A new TOTP seed, sealed for this user: kept in the flow until the person proves their app has it. */
export function newSealedTotpSeed(ctx: CoreContext, userId: string): { seed: string; sealed: string } {
  const seed = newTotpSeed();
  return { seed, sealed: seal(ctx.keys.encryption, seed, seedContext(userId)) };
}

export function openTotpSeed(ctx: CoreContext, userId: string, sealed: string): string | null {
  return open(ctx.keys.encryption, sealed, seedContext(userId));
}

function checkMethodName(name: unknown): string {
  try {
    return checkLabel(name);
  } catch {
    throw new LatchkeyError('METHOD_NAME_INVALID');
  }
}

/**
 * Adds a method to a user in one transaction: the first becomes the default, and the first one of an
 * `enabled` user finishes registration (enabled → enforced).
 */
export async function addMethodRow(
  ctx: CoreContext,
  actor: Actor,
  userId: string,
  method: Omit<
    import('../store/schema.js').TwoStepMethodsTable,
    'id' | 'user_id' | 'is_default' | 'created_at' | 'last_used_at' | 'name'
  > & { name: unknown },
  opts: { onlyIfFirst?: boolean } = {},
): Promise<{ id: string; finishedRegistration: boolean }> {
  const name = checkMethodName(method.name);
  const id = newId();
  const now = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const u = await findUserById(trx, userId);
    if (!u) throw new LatchkeyError('USER_NOT_FOUND');
    authorize(actor, 'methods.manage', u.id);
    // Registration adds the first method only: two registrations posted at once queue on the row
    // lock, and the second finds the first's method.
    await lockUser(trx, u.id);
    const existing = await listMethodRows(trx, u.id);
    if (opts.onlyIfFirst && existing.length > 0) throw new LatchkeyError('FLOW_STEP');
    await insertMethodRow(trx, {
      ...method,
      id,
      user_id: u.id,
      name,
      is_default: existing.length === 0 ? 1 : 0,
      created_at: now,
      last_used_at: null,
    });
    await recordAudit(ctx, trx, actor, 'two_step.method_added', u.username, { id, kind: method.kind, name });
    const settings = settingsFromStored(await readSettings(trx));
    const state = effectiveTwoStepState(u.two_step_state, settings.requireTwoStepForEveryone);
    let finishedRegistration = false;
    if (state === 'enabled') {
      await updateUser(trx, u.id, { two_step_state: 'enforced', two_step_changed_at: now, updated_at: now });
      await recordAudit(ctx, trx, actor, 'two_step.state_changed', u.username, {
        before: u.two_step_state,
        after: 'enforced',
        reason: 'registration_finished',
      });
      finishedRegistration = true;
    }
    return { id, finishedRegistration };
  });
}

/** Confirms a new authenticator app with a code it shows, and saves it. */
export async function addTotpMethod(
  ctx: CoreContext,
  actor: Actor,
  userId: string,
  input: { sealedSeed: string; code: string; name: unknown },
  opts: { onlyIfFirst?: boolean } = {},
): Promise<{ id: string; finishedRegistration: boolean }> {
  const seed = openTotpSeed(ctx, userId, input.sealedSeed);
  if (seed === null) throw new LatchkeyError('FLOW_EXPIRED');
  const step = totpStep(seed, String(input.code ?? ''), ctx.now());
  if (step === null) throw new LatchkeyError('CODE_INVALID');
  return addMethodRow(
    ctx,
    actor,
    userId,
    {
      kind: 'totp',
      name: input.name,
      totp_secret: input.sealedSeed,
      // The code that proved the app is used up already.
      totp_last_step: step,
      credential_id: null,
      public_key: null,
      sign_count: null,
      transports: null,
    },
    opts,
  );
}

/**
 * Checks a code against the user's authenticator apps. A code is good once: the step it belongs to is
 * recorded with a conditional update, so a replay (or two requests racing with one code) fails.
 */
export async function verifyTotp(ctx: CoreContext, userId: string, code: string): Promise<string | null> {
  const now = ctx.now();
  for (const m of await listMethodRows(ctx.store.db, userId)) {
    if (m.kind !== 'totp' || m.totp_secret === null) continue;
    const seed = openTotpSeed(ctx, userId, m.totp_secret);
    if (seed === null) continue;
    const step = totpStep(seed, code, now);
    if (step === null) continue;
    if (m.totp_last_step !== null && step <= m.totp_last_step) return null;
    return (await advanceTotpStep(ctx.store.db, m.id, step, now)) ? m.id : null;
  }
  return null;
}

function recoveryCodeHash(ctx: CoreContext, userId: string, code: string): Buffer {
  return keyedHash(ctx.keys.hmac, `recovery\0${userId}\0${code.replace(/[\s-]/g, '').toLowerCase()}`);
}

/** Ten new recovery codes (replacing any old ones), shown once: "abcde-fghij", 10 × 4.95 bits each. */
export async function newRecoveryCodes(ctx: CoreContext, actor: Actor, userId: string): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < RECOVERY_CODE_COUNT; i++) {
    let s = '';
    while (s.length < 10) {
      for (const b of randomBytes(16)) {
        // 31 symbols without look-alikes (no i, l, o, 0, 1); reject bytes ≥ 248 for an even spread.
        if (b < 248 && s.length < 10) s += RECOVERY_ALPHABET[b % 31];
      }
    }
    codes.push(`${s.slice(0, 5)}-${s.slice(5)}`);
  }
  const now = ctx.now();
  await ctx.store.transaction(async (trx) => {
    const u = await findUserById(trx, userId);
    if (!u) throw new LatchkeyError('USER_NOT_FOUND');
    authorize(actor, 'methods.manage', u.id);
    await replaceRecoveryCodes(
      trx,
      u.id,
      codes.map((c) => ({
        id: newId(),
        user_id: u.id,
        hash: recoveryCodeHash(ctx, u.id, c),
        created_at: now,
        used_at: null,
      })),
    );
    await recordAudit(ctx, trx, actor, 'two_step.recovery_codes_generated', u.username, {
      count: codes.length,
    });
  });
  return codes;
}

/** Uses up one recovery code; true when it was one of the user's unused codes. */
export async function verifyRecoveryCode(ctx: CoreContext, userId: string, code: string): Promise<boolean> {
  const clean = code.replace(/[\s-]/g, '').toLowerCase();
  if (!/^[a-z0-9]{10}$/.test(clean)) return false;
  return useRecoveryCode(ctx.store.db, userId, recoveryCodeHash(ctx, userId, clean), ctx.now());
}

/**
 * The user and one of their methods, with the user's row locked: changes to a person's methods queue
 * one behind the other, so two removals at once cannot both pass the "last method" check.
 */
async function lockedMethod(trx: Executor, actor: Actor, userId: string, methodId: string) {
  const u = await findUserById(trx, userId);
  if (!u) throw new LatchkeyError('USER_NOT_FOUND');
  authorize(actor, 'methods.manage', u.id);
  await lockUser(trx, u.id);
  const m = await findMethodRow(trx, u.id, String(methodId));
  if (!m) throw new LatchkeyError('METHOD_NOT_FOUND');
  return { u, m };
}

export async function removeMethod(
  ctx: CoreContext,
  actor: Actor,
  userId: string,
  methodId: string,
): Promise<void> {
  await ctx.store.transaction(async (trx) => {
    const { u, m } = await lockedMethod(trx, actor, userId, methodId);
    const all = await listMethodRows(trx, u.id);
    const settings = settingsFromStored(await readSettings(trx));
    const state = effectiveTwoStepState(u.two_step_state, settings.requireTwoStepForEveryone);
    if (all.length === 1 && state === 'enforced') throw new LatchkeyError('LAST_METHOD');
    await deleteMethodRow(trx, u.id, m.id);
    if (m.is_default === 1) {
      const next = all.find((x) => x.id !== m.id);
      if (next) await setDefaultMethodRow(trx, u.id, next.id);
    }
    await recordAudit(ctx, trx, actor, 'two_step.method_removed', u.username, {
      id: m.id,
      kind: m.kind,
      name: m.name,
    });
  });
}

export async function setDefaultMethod(
  ctx: CoreContext,
  actor: Actor,
  userId: string,
  methodId: string,
): Promise<void> {
  await ctx.store.transaction(async (trx) => {
    const { u, m } = await lockedMethod(trx, actor, userId, methodId);
    await setDefaultMethodRow(trx, u.id, m.id);
    await recordAudit(ctx, trx, actor, 'two_step.default_changed', u.username, { id: m.id, name: m.name });
  });
}

/**
 * R10: the person registers their methods again at the next browser sign-in. Methods, recovery codes,
 * remembered devices and sessions go; app passwords stay (deleting them is its own action).
 */
export async function requireReregistration(
  ctx: CoreContext,
  actor: Actor,
  username: string,
): Promise<{ methodsRemoved: number }> {
  const name = normalizeUsername(username);
  return ctx.store.transaction(async (trx) => {
    const u: UserRow = await requireUser(trx, name);
    authorize(actor, 'twoStep.requireReregistration', u.id, u.role);
    // Off for this person (their own state, or "everyone" does not lift it) and nothing registered:
    // there is nothing to set up again.
    const applied = effectiveTwoStepState(
      u.two_step_state,
      settingsFromStored(await readSettings(trx)).requireTwoStepForEveryone,
    );
    if (applied === 'disabled' && (await listMethodRows(trx, u.id)).length === 0) {
      throw new LatchkeyError('TWO_STEP_OFF');
    }
    const now = ctx.now();
    const removed = await deleteAllMethodRows(trx, u.id);
    await deleteUserDevices(trx, u.id);
    await deleteUserSessions(trx, u.id);
    await deleteUserFlows(trx, u.id);
    // A device sign-in someone approved in a session this ends is not collected either.
    await denyApprovedOf(trx, u.id);
    // enforced → enabled: set up again at the next sign-in. A stored 'disabled' stays as the
    // administrator set it (the methods go; "everyone" keeps asking for new ones if it is on).
    const after = u.two_step_state === 'enforced' ? 'enabled' : u.two_step_state;
    if (after !== u.two_step_state) {
      await updateUser(trx, u.id, { two_step_state: after, two_step_changed_at: now, updated_at: now });
    }
    await recordAudit(ctx, trx, actor, 'two_step.reregistration_required', u.username, {
      before: u.two_step_state,
      after,
      methodsRemoved: removed,
    });
    return { methodsRemoved: removed };
  });
}

/** R10: remembered devices ask for the second step again. */
export async function revokeRememberedDevices(
  ctx: CoreContext,
  actor: Actor,
  username: string,
): Promise<{ devicesRevoked: number }> {
  const name = normalizeUsername(username);
  return ctx.store.transaction(async (trx) => {
    const u = await requireUser(trx, name);
    authorize(actor, 'devices.revoke', u.id, u.role);
    const n = await deleteUserDevices(trx, u.id);
    await recordAudit(ctx, trx, actor, 'devices.revoked', u.username, { count: n });
    return { devicesRevoked: n };
  });
}
