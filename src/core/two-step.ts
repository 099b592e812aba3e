// Per-user two-step verification state (R1): disabled → enabled (register at next browser sign-in) →
// enforced (registered; non-browser apps need app passwords). Methods (TOTP, WebAuthn, recovery codes)
// arrive with the portal; until then an administrator sets the state.

import { deleteAllAppPasswordRows, usersWithAppPasswords } from '../store/app-passwords.js';
import type { Executor } from '../store/database.js';
import { deleteUserFlows } from '../store/flows.js';
import type { TwoStepState } from '../store/schema.js';
import { readSettingsLocked } from '../store/settings.js';
import { updateUser } from '../store/users.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { type Actor, authorize } from './policy.js';
import { type Settings, settingsFromStored } from './settings.js';
import { normalizeUsername, requireUser, type UserView, userView } from './users.js';
import { checkTwoStepState } from './validate.js';

const RANK: Record<TwoStepState, number> = { disabled: 0, enabled: 1, enforced: 2 };

/** "Require two-step for everyone" lifts every user to at least `enabled`. */
export function effectiveTwoStepState(state: TwoStepState, requireForEveryone: boolean): TwoStepState {
  return requireForEveryone && RANK[state] < RANK.enabled ? 'enabled' : state;
}

/** Why a user's app passwords went with their two-step verification, as the audit log says it. */
export type TwoStepOffReason =
  /** Their own state was set to disabled (by an administrator, the CLI or an import). */
  | 'two_step_disabled'
  /** The organization stopped requiring two-step verification, and their own state is disabled. */
  | 'two_step_no_longer_required';

/**
 * Settings for a decision under this rule, read in the transaction that acts, locked against a
 * concurrent settings change (PostgreSQL; see readSettingsLocked).
 */
export async function settingsForTwoStepChange(ctx: CoreContext, trx: Executor): Promise<Settings> {
  return settingsFromStored(await readSettingsLocked(trx, ctx.store.dialect));
}

/**
 * B3, the one rule for every way two-step verification goes off for someone (their own state, an
 * import, or the organization no longer requiring it): their app passwords are deleted, because they
 * existed to keep the primary password away from apps and that reason is gone. Two exceptions, where
 * the reason is not gone: two-step is still on in effect ("require two-step for everyone" lifts the
 * user to enabled), or B12 (requireAppPasswordsForNonBrowser) refuses the primary password on every
 * non-browser door anyway, so the apps still need their app passwords.
 *
 * Call it inside the transaction that made the change, with `user` and `settings` as they are after
 * it; returns how many were deleted, each deletion in the audit log with its reason.
 */
export async function dropAppPasswordsIfTwoStepOff(
  ctx: CoreContext,
  trx: Executor,
  actor: Actor,
  user: { id: string; username: string; two_step_state: TwoStepState },
  settings: Settings,
  reason: TwoStepOffReason,
): Promise<number> {
  if (effectiveTwoStepState(user.two_step_state, settings.requireTwoStepForEveryone) !== 'disabled') return 0;
  if (settings.requireAppPasswordsForNonBrowser) return 0;
  const n = await deleteAllAppPasswordRows(trx, user.id);
  if (n > 0) {
    await recordAudit(ctx, trx, actor, 'app_password.deleted_all', user.username, { count: n, reason });
  }
  return n;
}

/**
 * The organization stopped requiring two-step for everyone (`before` → `after`, inside the settings
 * transaction): everyone whose own state is disabled now has two-step off, as if it had been turned
 * off for each of them. Returns how many app passwords were deleted.
 */
export async function afterTwoStepRequirementChange(
  ctx: CoreContext,
  trx: Executor,
  actor: Actor,
  before: Settings,
  after: Settings,
): Promise<number> {
  if (!before.requireTwoStepForEveryone || after.requireTwoStepForEveryone) return 0;
  let total = 0;
  for (const u of await usersWithAppPasswords(trx, 'disabled')) {
    total += await dropAppPasswordsIfTwoStepOff(ctx, trx, actor, u, after, 'two_step_no_longer_required');
  }
  return total;
}

/**
 * Sets the state. Turning two-step off deletes the user's app passwords, by the rule of
 * dropAppPasswordsIfTwoStepOff (B3; kept under B12 or while the organization requires two-step).
 */
export async function setTwoStepState(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  state: string,
): Promise<{ user: UserView; appPasswordsDeleted: number }> {
  const name = normalizeUsername(username);
  const next = checkTwoStepState(state);
  const result = await ctx.store.transaction(async (trx) => {
    const u = await requireUser(trx, name);
    authorize(actor, 'twoStep.set', u.id);
    if (u.two_step_state === next) return { row: u, deleted: 0 };
    const now = ctx.now();
    const changes = { two_step_state: next, two_step_changed_at: now, updated_at: now };
    await updateUser(trx, u.id, changes);
    // A sign-in or registration under way was decided by the old state: it starts again.
    await deleteUserFlows(trx, u.id);
    await recordAudit(ctx, trx, actor, 'two_step.state_changed', u.username, {
      before: u.two_step_state,
      after: next,
    });
    const row = { ...u, ...changes };
    const deleted =
      next === 'disabled'
        ? await dropAppPasswordsIfTwoStepOff(
            ctx,
            trx,
            actor,
            row,
            await settingsForTwoStepChange(ctx, trx),
            'two_step_disabled',
          )
        : 0;
    return { row, deleted };
  });
  const settings = await ctx.settings.get();
  return {
    user: userView(result.row, settings.requireTwoStepForEveryone),
    appPasswordsDeleted: result.deleted,
  };
}
