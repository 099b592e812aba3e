// App passwords (R3–R9, R12, B1, B2, B11): generated, shown once, stored as a keyed hash, limited per
// user atomically across processes and nodes, deleted one by one or all at once.

import { formatAppPassword, generateAppPassword, keyedHash } from '../crypto/app-passwords.js';
import { newId } from '../crypto/ids.js';
import {
  countAppPasswords,
  deleteAllAppPasswordRows,
  deleteAppPasswordRow,
  findUnusedSince,
  insertAppPassword,
  listAppPasswords as listRows,
} from '../store/app-passwords.js';
import type { Executor } from '../store/database.js';
import { denyApprovedOf } from '../store/device-logins.js';
import type { UserRow } from '../store/schema.js';
import { lockUser } from '../store/users.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import { type Actor, authorize } from './policy.js';
import type { Settings } from './settings.js';
import { effectiveTwoStepState, settingsForTwoStepChange } from './two-step.js';
import { normalizeUsername, requireUser } from './users.js';
import { checkLabel, checkScopes, type Door, parseExpiry } from './validate.js';

export interface AppPasswordView {
  id: string;
  label: string;
  scopes: Door[] | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  lastUsedDoor: string | null;
}

export interface CreatedAppPassword extends AppPasswordView {
  /** Shown once, in groups of four; never stored. */
  password: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function createAppPassword(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  input: { label: unknown; expires?: string | number | null; scopes?: readonly string[] | string | null },
  /**
   * Run in the creating transaction, after the rules passed and under the user's lock, before the
   * insert; throwing undoes both (device sign-in claims its request here, core/device-login.ts).
   */
  within?: (trx: Executor, user: UserRow, settings: Settings) => Promise<void>,
): Promise<CreatedAppPassword> {
  const name = normalizeUsername(username);
  const label = checkLabel(input.label);
  const now = ctx.now();
  const expiresAt = parseExpiry(input.expires ?? null, now);
  const scopes = checkScopes(input.scopes ?? null);
  const letters = generateAppPassword();
  const id = newId();

  await ctx.store.transaction(async (trx) => {
    const user = await requireUser(trx, name);
    authorize(actor, 'appPassword.create', user.id);
    // The row lock makes count-then-insert atomic: concurrent creates for one user queue here.
    await lockUser(trx, user.id);
    // Read again under the lock: two-step may have been turned off while we waited for it.
    const locked = await requireUser(trx, name);
    // Locked against a concurrent settings change: one that turns two-step off for this person deletes
    // their app passwords (B3), and must not miss one created meanwhile.
    const settings = await settingsForTwoStepChange(ctx, trx);
    if (!settings.allowAppPasswords) throw new LatchkeyError('APP_PASSWORDS_DISABLED');
    const state = effectiveTwoStepState(locked.two_step_state, settings.requireTwoStepForEveryone);
    if (state === 'disabled' && !settings.requireAppPasswordsForNonBrowser) {
      throw new LatchkeyError('TWO_STEP_REQUIRED');
    }
    if ((await countAppPasswords(trx, user.id)) >= settings.maxAppPasswordsPerUser) {
      throw new LatchkeyError('APP_PASSWORD_LIMIT');
    }
    if (within) await within(trx, locked, settings);
    await insertAppPassword(trx, {
      id,
      user_id: user.id,
      label,
      hash: keyedHash(ctx.keys.hmac, letters),
      scopes: scopes ? scopes.join(',') : null,
      created_at: now,
      expires_at: expiresAt,
      last_used_at: null,
      last_used_ip: null,
      last_used_door: null,
    });
    await recordAudit(ctx, trx, actor, 'app_password.created', user.username, {
      id,
      label,
      scopes,
      expiresAt: iso(expiresAt),
    });
  });

  return {
    id,
    label,
    scopes,
    createdAt: iso(now)!,
    expiresAt: iso(expiresAt),
    lastUsedAt: null,
    lastUsedIp: null,
    lastUsedDoor: null,
    password: formatAppPassword(letters),
  };
}

export async function listAppPasswords(
  ctx: CoreContext,
  actor: Actor,
  username: string,
): Promise<AppPasswordView[]> {
  const user = await requireUser(ctx.store.db, username);
  authorize(actor, 'appPassword.list', user.id);
  const rows = await listRows(ctx.store.db, user.id);
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    scopes: r.scopes ? (r.scopes.split(',') as Door[]) : null,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at),
    lastUsedAt: iso(r.last_used_at),
    lastUsedIp: r.last_used_ip,
    lastUsedDoor: r.last_used_door,
  }));
}

/** Deletes one app password; it stops working at once, on every door and node (the check reads the store). */
export async function deleteAppPassword(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  id: string,
): Promise<void> {
  const name = normalizeUsername(username);
  await ctx.store.transaction(async (trx) => {
    const user = await requireUser(trx, name);
    authorize(actor, 'appPassword.delete', user.id);
    // The user id is part of the delete: an id belonging to someone else is "not found".
    const rows = await listRows(trx, user.id);
    const row = rows.find((r) => r.id === id);
    if (!row || !(await deleteAppPasswordRow(trx, user.id, id)))
      throw new LatchkeyError('APP_PASSWORD_NOT_FOUND');
    await recordAudit(ctx, trx, actor, 'app_password.deleted', user.username, { id, label: row.label });
  });
}

/** R10: the helpdesk's "delete all", so that the user can start over. */
export async function deleteAllAppPasswords(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  reason = 'requested',
): Promise<number> {
  const name = normalizeUsername(username);
  return ctx.store.transaction(async (trx) => {
    const user = await requireUser(trx, name);
    authorize(actor, 'appPassword.deleteAll', user.id, user.role);
    // A device sign-in approved but not yet collected would bring one back: refused first.
    await denyApprovedOf(trx, user.id);
    const n = await deleteAllAppPasswordRows(trx, user.id);
    await recordAudit(ctx, trx, actor, 'app_password.deleted_all', user.username, { count: n, reason });
    return n;
  });
}

/**
 * B11: deletes app passwords unused for `autoRevokeUnusedAppPasswordsDays` (never-used ones count
 * from creation), each with its own audit event. Run by the server periodically.
 */
export async function revokeUnusedAppPasswords(ctx: CoreContext, actor: Actor): Promise<number> {
  const days = (await ctx.settings.get()).autoRevokeUnusedAppPasswordsDays;
  if (days <= 0) return 0;
  await ctx.usage.flush().catch(() => {});
  const cutoff = ctx.now() - days * 86_400_000;
  let total = 0;
  for (;;) {
    const batch = await findUnusedSince(ctx.store.db, cutoff, 500);
    if (batch.length === 0) return total;
    await ctx.store.transaction(async (trx) => {
      for (const r of batch) {
        if (!(await deleteAppPasswordRow(trx, r.user_id, r.id))) continue;
        total += 1;
        await recordAudit(ctx, trx, actor, 'app_password.auto_revoked', r.username, {
          id: r.id,
          label: r.label,
          lastUsedAt: iso(r.last_used_at),
          reason: `unused for ${days} days`,
        });
      }
    });
  }
}
