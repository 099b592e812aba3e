// Per-user two-step verification state (R1): disabled → enabled (register at next browser sign-in) →
// enforced (registered; non-browser apps need app passwords). Methods (TOTP, WebAuthn, recovery codes)
// arrive with the portal; until then an administrator sets the state.

import { deleteAllAppPasswordRows } from '../store/app-passwords.js';
import { deleteUserFlows } from '../store/browser.js';
import type { TwoStepState } from '../store/schema.js';
import { updateUser } from '../store/users.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { type Actor, authorize } from './policy.js';
import { normalizeUsername, requireUser, type UserView, userView } from './users.js';
import { checkTwoStepState } from './validate.js';

const RANK: Record<TwoStepState, number> = { disabled: 0, enabled: 1, enforced: 2 };

/** "Require two-step for everyone" lifts every user to at least `enabled`. */
export function effectiveTwoStepState(state: TwoStepState, requireForEveryone: boolean): TwoStepState {
  return requireForEveryone && RANK[state] < RANK.enabled ? 'enabled' : state;
}

/**
 * Sets the state. Turning two-step off deletes the user's app passwords (B3): they existed because
 * two-step kept the primary password away from apps, and that reason is gone.
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
    const deleted = next === 'disabled' ? await deleteAllAppPasswordRows(trx, u.id) : 0;
    await recordAudit(ctx, trx, actor, 'two_step.state_changed', u.username, {
      before: u.two_step_state,
      after: next,
      appPasswordsDeleted: deleted,
    });
    if (deleted > 0) {
      await recordAudit(ctx, trx, actor, 'app_password.deleted_all', u.username, {
        count: deleted,
        reason: 'two_step_disabled',
      });
    }
    return { row: { ...u, ...changes }, deleted };
  });
  const settings = await ctx.settings.get();
  return {
    user: userView(result.row, settings.requireTwoStepForEveryone),
    appPasswordsDeleted: result.deleted,
  };
}
