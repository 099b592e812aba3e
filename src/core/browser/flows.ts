// The sign-in flow (spec §3, browser door; issue 4), one step per page:
//   password ─▶ change_password (one-time password) ─▶ two_step | register | done
//   register ─▶ recovery_codes ─▶ first_app_password (R7, if the org allows them) ─▶ done
// and the second-step check of every flow, sign-in or sudo (sudo.ts starts those). A step can only
// be taken from the step before it (a conditional update), so replayed or raced posts do nothing.
// Steps read the person's row inside the operation and hand out a FlowView, never the row.

import { verifyPassword } from '../../crypto/passwords.js';
import { open, seal } from '../../crypto/secret-box.js';
import { totpUri } from '../../crypto/totp.js';
import { deleteFlow, pruneFlows } from '../../store/flows.js';
import type { SignInFlowRow, UserRow } from '../../store/schema.js';
import { findUserById } from '../../store/users.js';
import { createAppPassword } from '../app-passwords.js';
import type { CoreContext } from '../context.js';
import { type Detail, LatchkeyError } from '../errors.js';
import {
  addTotpMethod,
  methodsOf,
  newRecoveryCodes,
  newSealedTotpSeed,
  openTotpSeed,
  verifyRecoveryCode,
  verifyTotp,
} from '../methods.js';
import { effectiveTwoStepState } from '../two-step.js';
import { setPassword } from '../users.js';
import {
  addWebAuthnMethod,
  verifyWebAuthn,
  webAuthnAuthenticationOptions,
  webAuthnRegistrationOptions,
} from '../webauthn.js';
import type { Sessions } from './sessions.js';
import {
  type Client,
  type Decider,
  type Finished,
  FLOW_MINUTES,
  type FlowRows,
  type FlowStep,
  type FlowView,
  type PasswordRefusal,
  readFlowData,
  type SessionView,
  userActor,
  type Verification,
} from './shared.js';
import type { Sudo } from './sudo.js';

type UserKey = Pick<UserRow, 'id' | 'username'>;

const TOO_MANY: Detail = { detail: 'signInTooManyAttempts' };

export function makeFlows(
  ctx: CoreContext,
  decider: Decider,
  rows: FlowRows,
  sessions: Sessions,
  sudo: Sudo,
) {
  /** The step after the password (or after replacing a one-time password). */
  async function stepAfterPassword(user: UserRow, deviceToken: string | null): Promise<FlowStep | 'done'> {
    const settings = await ctx.settings.get();
    const state = effectiveTwoStepState(user.two_step_state, settings.requireTwoStepForEveryone);
    if (state === 'disabled') return 'done';
    const methods = await methodsOf(ctx.store.db, user.id);
    if (methods.length === 0) return 'register';
    if (deviceToken && (await sessions.isRememberedDevice(user.id, deviceToken))) return 'done';
    return 'two_step';
  }

  async function finish(
    row: SignInFlowRow | null,
    user: UserKey,
    method: string,
    strong: boolean,
    client: Client,
    remember = false,
  ): Promise<Finished> {
    if (row) await deleteFlow(ctx.store.db, row.id);
    await decider.completeBrowserSignIn(user, client.ip ?? null, client.userAgent ?? null, method);
    const sessionToken = await sessions.create(user.id, method, strong, client);
    const deviceToken = remember ? await sessions.rememberDevice(user.id, client) : null;
    return {
      done: true,
      sessionToken,
      deviceToken,
      returnTo: row ? (readFlowData(row).returnTo ?? null) : null,
    };
  }

  /** Checks a second step; counts and logs a failure. Returns how it was passed. */
  async function verify(row: SignInFlowRow, user: UserRow, v: Verification, client: Client): Promise<string> {
    const locked = await decider.lockedUntil(user.id, client.ip ?? null);
    if (locked !== null) throw new LatchkeyError('FLOW_EXPIRED', TOO_MANY);
    let ok = false;
    let method: string = v.kind;
    let tag = '';
    const methods = await methodsOf(ctx.store.db, user.id);
    if (v.kind === 'totp') {
      const code = String(v.code ?? '').slice(0, 16);
      // The lockout counts "the same wrong secret" once (a mail client repeating itself); a code is
      // only the same guess within its own 30-second step: a wrong code parked and repeated until
      // it comes up must be counted every time.
      tag = `totp\0${Math.floor(ctx.now() / 30_000)}\0${code}`;
      ok = (await verifyTotp(ctx, user.id, code)) !== null;
    } else if (v.kind === 'recovery') {
      tag = String(v.code ?? '').slice(0, 32);
      ok = methods.length > 0 && (await verifyRecoveryCode(ctx, user.id, tag));
      method = 'recovery_code';
    } else if (v.kind === 'webauthn') {
      const challenge = readFlowData(row).challenge;
      tag = `webauthn:${challenge ?? ''}`;
      ok = challenge !== undefined && (await verifyWebAuthn(ctx, user.id, v.response, challenge)) !== null;
    } else if (v.kind === 'password') {
      // Only people without any method confirm a sudo step with their password.
      tag = `password\0${String(v.password ?? '')}`;
      ok =
        row.kind === 'sudo' &&
        methods.length === 0 &&
        user.password_hash !== null &&
        typeof v.password === 'string' &&
        v.password.length > 0 &&
        Buffer.byteLength(v.password) <= 1024 &&
        (await verifyPassword(user.password_hash, v.password));
    }
    if (!ok) {
      await decider.failTwoStep(user, client.ip ?? null, client.userAgent ?? null, tag, method);
      throw new LatchkeyError(
        v.kind === 'recovery'
          ? 'RECOVERY_CODE_INVALID'
          : v.kind === 'webauthn'
            ? 'SECURITY_KEY_FAILED'
            : v.kind === 'password'
              ? 'PASSWORD_WRONG'
              : 'CODE_INVALID',
      );
    }
    // Guesses sent in parallel all passed the lock check above before any was counted: a right
    // answer that arrives once its siblings have locked the account is refused like them.
    if ((await decider.lockedUntil(user.id, client.ip ?? null)) !== null) {
      throw new LatchkeyError('FLOW_EXPIRED', TOO_MANY);
    }
    return method;
  }

  return {
    /**
     * The password step. A refusal comes back as a value (the page shows one sentence for all of them,
     * and another for an app password); success starts a flow, or signs straight in.
     */
    async start(
      input: { username: string; password: string; deviceToken?: string | null; returnTo?: string | null },
      client: Client,
    ): Promise<
      PasswordRefusal | { ok: true; flowToken: string; step: FlowStep } | ({ ok: true } & Finished)
    > {
      const r = await decider.checkBrowserPassword({
        username: input.username,
        password: input.password,
        ip: client.ip,
        userAgent: client.userAgent,
      });
      if (!r.ok) return r;
      const user = await findUserById(ctx.store.db, r.user.id);
      if (!user) return { ok: false, reason: 'invalid_credentials' };
      const next = r.mustChangePassword
        ? 'change_password'
        : await stepAfterPassword(user, input.deviceToken ?? null);
      if (next === 'done') {
        // Two-step is off (the password was the whole check), or this is a remembered device (which
        // skips the second step at sign-in, but never counts as one for sudo mode).
        const remembered = r.twoStep !== 'disabled';
        if (remembered && input.deviceToken) {
          await sessions.touchRememberedDevice(user.id, input.deviceToken, client.ip ?? null);
        }
        const f = await finish(
          null,
          user,
          remembered ? 'remembered_device' : 'password',
          !remembered,
          client,
        );
        return { ok: true, ...f, returnTo: input.returnTo ?? null };
      }
      // Where the person was going when they were asked to sign in: after the last step, go there.
      const f = await rows.create(
        'sign_in',
        user.id,
        next,
        input.returnTo ? { returnTo: input.returnTo } : {},
      );
      return { ok: true, flowToken: f.token, step: f.step };
    },

    async getFlow(token: string | null | undefined): Promise<FlowView> {
      return rows.view(await rows.load(token));
    },

    /** Replaces a one-time password (set by an admin or `latchkey init`) before anything else. */
    async changePassword(
      token: string | null | undefined,
      input: { password: string; confirm: string; deviceToken?: string | null },
      client: Client,
    ): Promise<{ step: FlowStep } | Finished> {
      const { row, user } = await rows.load(token);
      if (row.step !== 'change_password') throw new LatchkeyError('FLOW_STEP');
      if (input.password !== input.confirm) throw new LatchkeyError('PASSWORDS_DIFFER');
      if (user.password_hash && (await verifyPassword(user.password_hash, String(input.password ?? '')))) {
        throw new LatchkeyError('PASSWORD_UNCHANGED');
      }
      await setPassword(
        ctx,
        userActor(user, client.ip ?? null),
        user.username,
        String(input.password ?? ''),
        {
          keepFlowId: row.id,
        },
      );
      const fresh = (await findUserById(ctx.store.db, user.id))!;
      const next = await stepAfterPassword(fresh, input.deviceToken ?? null);
      if (next === 'done') {
        await rows.move(row, 'change_password', 'two_step', {});
        return finish(row, fresh, 'password', false, client);
      }
      await rows.move(row, 'change_password', next, {});
      return { step: next };
    },

    /** TOTP registration: the seed for this flow (made once, kept sealed in the flow). */
    async totpSetup(token: string | null | undefined): Promise<{ seed: string; uri: string }> {
      const { row, user } = await rows.load(token);
      if (row.step !== 'register') throw new LatchkeyError('FLOW_STEP');
      const data = readFlowData(row);
      let seed = data.totpSeed ? openTotpSeed(ctx, user.id, data.totpSeed) : null;
      if (seed === null) {
        const made = newSealedTotpSeed(ctx, user.id);
        seed = made.seed;
        await rows.move(row, 'register', 'register', { ...data, totpSeed: made.sealed });
      }
      return { seed, uri: totpUri(seed, 'Latchkey', user.email ?? user.username) };
    },

    async webAuthnRegistration(token: string | null | undefined) {
      const { row, user } = await rows.load(token);
      if (row.step !== 'register') throw new LatchkeyError('FLOW_STEP');
      const o = await webAuthnRegistrationOptions(ctx, {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
      });
      await rows.move(row, 'register', 'register', { ...readFlowData(row), challenge: o.challenge });
      return o.options;
    },

    /** Finishes registering the first method; the recovery codes come next. */
    async register(
      token: string | null | undefined,
      input:
        | { kind: 'totp'; code: string; name?: string }
        | { kind: 'webauthn'; response: unknown; name?: string },
      client: Client,
    ): Promise<{ step: FlowStep }> {
      const { row, user } = await rows.load(token);
      if (row.step !== 'register') throw new LatchkeyError('FLOW_STEP');
      const data = readFlowData(row);
      const actor = userActor(user, client.ip ?? null);
      // Someone else finished a registration for this account meanwhile (another browser, or this
      // flow's own earlier post): this one may not add a second first method.
      if ((await methodsOf(ctx.store.db, user.id)).length > 0) throw new LatchkeyError('FLOW_STEP');
      if (input.kind === 'totp') {
        if (!data.totpSeed) throw new LatchkeyError('FLOW_STEP');
        await addTotpMethod(
          ctx,
          actor,
          user.id,
          { sealedSeed: data.totpSeed, code: input.code, name: input.name || 'Authenticator app' },
          { onlyIfFirst: true },
        );
      } else {
        if (!data.challenge) throw new LatchkeyError('FLOW_STEP');
        await addWebAuthnMethod(
          ctx,
          actor,
          user.id,
          { response: input.response, challenge: data.challenge, name: input.name || 'Security key' },
          { onlyIfFirst: true },
        );
      }
      const codes = await newRecoveryCodes(ctx, actor, user.id);
      await rows.move(row, 'register', 'recovery_codes', {
        method: input.kind,
        codes: seal(ctx.keys.encryption, JSON.stringify(codes), `flow-codes\0${row.id}`),
      });
      return { step: 'recovery_codes' };
    },

    /** The recovery codes made at registration, until the person says they saved them. */
    async recoveryCodes(token: string | null | undefined): Promise<string[]> {
      const { row } = await rows.load(token);
      if (row.step !== 'recovery_codes') throw new LatchkeyError('FLOW_STEP');
      const sealed = readFlowData(row).codes;
      const text = sealed ? open(ctx.keys.encryption, sealed, `flow-codes\0${row.id}`) : null;
      return text ? (JSON.parse(text) as string[]) : [];
    },

    async recoveryCodesSaved(
      token: string | null | undefined,
      client: Client,
    ): Promise<{ step: FlowStep } | Finished> {
      const { row, user } = await rows.load(token);
      const data = readFlowData(row);
      const settings = await ctx.settings.get();
      if (settings.allowAppPasswords) {
        await rows.move(row, 'recovery_codes', 'first_app_password', { method: data.method });
        return { step: 'first_app_password' };
      }
      await rows.move(row, 'recovery_codes', 'first_app_password_shown', { method: data.method });
      return finish(row, user, data.method ?? 'totp', true, client);
    },

    /** R7: the first app password, named by the person, shown once on the page that answers this. */
    async firstAppPassword(
      token: string | null | undefined,
      input: { label: unknown },
      client: Client,
    ): Promise<{ password: string; label: string }> {
      const { row, user } = await rows.load(token);
      if (row.step !== 'first_app_password') throw new LatchkeyError('FLOW_STEP');
      const created = await createAppPassword(ctx, userActor(user, client.ip ?? null), user.username, {
        label: input.label,
      });
      await rows.move(row, 'first_app_password', 'first_app_password_shown', readFlowData(row));
      return { password: created.password, label: created.label };
    },

    /** "Done" after the registration (with or without the first app password). */
    async finishRegistration(token: string | null | undefined, client: Client): Promise<Finished> {
      const { row, user } = await rows.load(token);
      if (row.step !== 'first_app_password' && row.step !== 'first_app_password_shown') {
        throw new LatchkeyError('FLOW_STEP');
      }
      return finish(row, user, readFlowData(row).method ?? 'totp', true, client);
    },

    async webAuthnChallenge(token: string | null | undefined) {
      const { row, user } = await rows.load(token);
      if (row.step !== 'two_step') throw new LatchkeyError('FLOW_STEP');
      const o = await webAuthnAuthenticationOptions(ctx, user.id);
      if (!o) return null;
      await rows.move(row, 'two_step', 'two_step', { ...readFlowData(row), challenge: o.challenge });
      return o.options;
    },

    /** The second step of a sign-in, or of a sudo check. */
    async verifyTwoStep(
      token: string | null | undefined,
      v: Verification,
      client: Client,
      opts: { remember?: boolean } = {},
    ): Promise<Finished | { done: true; sudo: true; returnTo: string | null }> {
      const { row, user } = await rows.load(token);
      if (row.step !== 'two_step' && row.step !== 'password') throw new LatchkeyError('FLOW_STEP');
      const method = await verify(row, user, v, client);
      if (row.kind === 'sudo') return sudo.passed(row, method);
      return finish(row, user, method, true, client, opts.remember === true);
    },

    /**
     * Adding a security key from the account page: the challenge travels sealed in the form (bound to
     * the user, valid for the flow's lifetime), so there is no flow row to keep.
     */
    async portalWebAuthnOptions(sess: SessionView): Promise<{ options: unknown; state: string }> {
      const o = await webAuthnRegistrationOptions(ctx, {
        id: sess.user.id,
        username: sess.user.username,
        displayName: sess.user.displayName,
      });
      const state = seal(
        ctx.keys.encryption,
        JSON.stringify({ c: o.challenge, e: ctx.now() + FLOW_MINUTES * 60_000 }),
        `webauthn-add\0${sess.user.id}`,
      );
      return { options: o.options, state };
    },

    async portalAddWebAuthn(sess: SessionView, state: string, response: unknown, name: unknown) {
      const text = open(ctx.keys.encryption, String(state ?? ''), `webauthn-add\0${sess.user.id}`);
      const parsed = text ? (JSON.parse(text) as { c: string; e: number }) : null;
      if (!parsed || parsed.e <= ctx.now()) throw new LatchkeyError('FLOW_EXPIRED');
      return addWebAuthnMethod(ctx, sess.actor, sess.user.id, { response, challenge: parsed.c, name });
    },

    /** Expired flows (housekeeping). */
    async prune(): Promise<void> {
      await pruneFlows(ctx.store.db, ctx.now());
    },
  };
}

export type Flows = ReturnType<typeof makeFlows>;
