// Sudo mode (spec B7): a sensitive change asks for a fresh strong check on an open session, the
// second step (or the password, for people without methods) within the last SUDO_MINUTES. The check
// itself is a flow (flows.ts verifies it); this room starts it, raises the session when it passes,
// and holds the one change that checks the current password itself: the portal's password change.

import { verifyPassword } from '../../crypto/passwords.js';
import { deleteFlow } from '../../store/flows.js';
import type { SignInFlowRow } from '../../store/schema.js';
import { findUserById } from '../../store/users.js';
import type { CoreContext } from '../context.js';
import { type Detail, LatchkeyError } from '../errors.js';
import { methodsOf } from '../methods.js';
import { setPassword } from '../users.js';
import { normalizeIp } from '../validate.js';
import type { Sessions } from './sessions.js';
import {
  type Decider,
  type FlowRows,
  type FlowStep,
  isStrong,
  readFlowData,
  type SessionView,
} from './shared.js';

export function makeSudo(ctx: CoreContext, decider: Decider, rows: FlowRows, sessions: Sessions) {
  return {
    isSudo(s: SessionView): boolean {
      return isStrong(s.strongAt, ctx.now());
    },

    /** B7: a check of the second step (or the password, without methods) before a sensitive change. */
    async startSudo(s: SessionView, returnTo: string): Promise<{ flowToken: string; step: FlowStep }> {
      const methods = await methodsOf(ctx.store.db, s.user.id);
      const step: FlowStep = methods.length > 0 ? 'two_step' : 'password';
      const f = await rows.create('sudo', s.user.id, step, { sessionId: s.id, returnTo });
      return { flowToken: f.token, step };
    },

    /** The sudo flow's check passed (flows.ts verified it): the flow ends, its session is raised. */
    async passed(
      row: SignInFlowRow,
      method: string,
    ): Promise<{ done: true; sudo: true; returnTo: string | null }> {
      const data = readFlowData(row);
      await deleteFlow(ctx.store.db, row.id);
      // The session's method becomes the one just used: an app asking for a fresh or a two-step
      // sign-in (OpenID Connect acr/amr) learns how the person proved it now.
      if (data.sessionId) await sessions.raise(data.sessionId, method);
      return { done: true, sudo: true, returnTo: data.returnTo ?? null };
    },

    /**
     * The portal's password change: needs sudo mode and the current password. Other sessions end;
     * app passwords go when the org requires it or the person ticked the box (B3).
     */
    async changeOwnPassword(
      sess: SessionView,
      input: {
        current: string;
        password: string;
        confirm: string;
        revokeAppPasswords: boolean;
        ip: string | null;
      },
    ): Promise<{ appPasswordsDeleted: number }> {
      if (!isStrong(sess.strongAt, ctx.now())) throw new LatchkeyError('SUDO_REQUIRED');
      if (input.password !== input.confirm) throw new LatchkeyError('PASSWORDS_DIFFER');
      // The session carries no password hash: the row is read here, for this check only.
      const u = await findUserById(ctx.store.db, sess.user.id);
      if (!u) throw new LatchkeyError('SESSION_REQUIRED');
      const current = String(input.current ?? '');
      // A locked account answers no guess here either, right or wrong.
      const tooMany: Detail = { detail: 'sudoTooManyAttempts' };
      if ((await decider.lockedUntil(u.id, input.ip)) !== null)
        throw new LatchkeyError('PASSWORD_WRONG', tooMany);
      const good =
        u.password_hash !== null &&
        current.length > 0 &&
        Buffer.byteLength(current) <= 1024 &&
        (await verifyPassword(u.password_hash, current));
      if (!good) {
        await decider.failTwoStep(u, input.ip, null, `password\0${current}`, 'password');
        throw new LatchkeyError('PASSWORD_WRONG');
      }
      if ((await decider.lockedUntil(u.id, input.ip)) !== null)
        throw new LatchkeyError('PASSWORD_WRONG', tooMany);
      if (current === input.password) throw new LatchkeyError('PASSWORD_UNCHANGED');
      const r = await setPassword(
        ctx,
        { ...sess.actor, ip: normalizeIp(input.ip) },
        u.username,
        input.password,
        {
          revokeAppPasswords: input.revokeAppPasswords,
          keepSessionId: sess.id,
        },
      );
      return { appPasswordsDeleted: r.appPasswordsDeleted };
    },
  };
}

export type Sudo = ReturnType<typeof makeSudo>;
