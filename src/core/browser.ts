// Browser sign-in (spec §3, browser door; issue 4): persisted flows, server-side sessions, remembered
// devices and sudo mode. A flow is a row with an id, a step and an expiry; each page of the sign-in is
// one step, and a step can only be taken from the step before it (a conditional update), so replayed
// or raced form posts do nothing. Browsers hold random tokens; the store holds their keyed hashes.
//
// Steps of a sign-in flow:
//   password ─▶ change_password (one-time password) ─▶ two_step | register | done
//   register ─▶ recovery_codes ─▶ first_app_password (R7, if the org allows them) ─▶ done
// A sudo flow (B7) is one two_step (or password, for people without methods) on an open session.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { keyedHash } from '../crypto/app-passwords.js';
import { newId } from '../crypto/ids.js';
import { verifyPassword } from '../crypto/passwords.js';
import { open, seal } from '../crypto/secret-box.js';
import { totpUri } from '../crypto/totp.js';
import {
  advanceFlow,
  deleteFlow,
  deleteSession,
  deleteUserSessions,
  findDeviceByHash,
  findFlowByHash,
  findSessionByHash,
  insertDevice,
  insertFlow,
  insertSession,
  listUserSessions,
  pruneFlows,
  pruneSessions,
  touchDevice,
  updateSession,
} from '../store/browser.js';
import { denyApprovedOf } from '../store/device-logins.js';
import type { SignInFlowRow, TwoStepState, UserRow } from '../store/schema.js';
import { findUserById } from '../store/users.js';
import { createAppPassword } from './app-passwords.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import {
  addTotpMethod,
  type MethodView,
  methodsOf,
  newRecoveryCodes,
  newSealedTotpSeed,
  openTotpSeed,
  verifyRecoveryCode,
  verifyTotp,
} from './methods.js';
import type { Actor } from './policy.js';
import type { makeDecider, SignInReason } from './sign-in.js';
import { effectiveTwoStepState } from './two-step.js';
import { setPassword } from './users.js';
import { normalizeIp } from './validate.js';
import {
  addWebAuthnMethod,
  verifyWebAuthn,
  webAuthnAuthenticationOptions,
  webAuthnRegistrationOptions,
} from './webauthn.js';

export const FLOW_MINUTES = 15;
export const SUDO_MINUTES = 10;

export type FlowKind = 'sign_in' | 'sudo';
export type FlowStep =
  | 'change_password'
  | 'two_step'
  | 'password'
  | 'register'
  | 'recovery_codes'
  | 'first_app_password'
  | 'first_app_password_shown';

interface FlowData {
  /** Sealed TOTP seed being registered. */
  totpSeed?: string;
  /** WebAuthn challenge of the options last handed to this browser. */
  challenge?: string;
  /** Sealed JSON array: recovery codes to show until the person says they saved them. */
  codes?: string;
  /** Sudo: the session to raise, and where to go back to. */
  sessionId?: string;
  returnTo?: string;
  /** How the second step was passed (for the session and the log). */
  method?: string;
}

export interface FlowView {
  id: string;
  kind: FlowKind;
  step: FlowStep;
  expiresAt: number;
  user: {
    id: string;
    username: string;
    displayName: string | null;
    email: string | null;
    role: UserRow['role'];
    twoStep: TwoStepState;
  };
  methods: MethodView[];
  returnTo: string | null;
}

export interface Client {
  ip?: string | null;
  userAgent?: string | null;
}

export interface SessionView {
  id: string;
  user: UserRow;
  actor: Extract<Actor, { kind: 'user' }>;
  createdAt: number;
  expiresAt: number;
  /** Last two-step (or, without methods, password) check in this session. */
  strongAt: number | null;
  method: string | null;
}

export type Verification =
  | { kind: 'totp'; code: string }
  | { kind: 'recovery'; code: string }
  | { kind: 'webauthn'; response: unknown }
  | { kind: 'password'; password: string };

export type Finished = {
  done: true;
  sessionToken: string;
  /** Set when the person asked to be remembered on this device. */
  deviceToken: string | null;
  returnTo: string | null;
};

/** What the sign-in page tells a person whose password step was refused. */
export type PasswordRefusal = { ok: false; reason: SignInReason };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

type Decider = ReturnType<typeof makeDecider>;

export function makeBrowser(ctx: CoreContext, decider: Decider) {
  const hash = (purpose: string, token: string) => keyedHash(ctx.keys.hmac, `${purpose}\0${token}`);

  function userActor(u: Pick<UserRow, 'id' | 'username' | 'role'>, ip: string | null): SessionView['actor'] {
    return { kind: 'user', userId: u.id, username: u.username, role: u.role, ip: normalizeIp(ip) };
  }

  function readData(row: SignInFlowRow): FlowData {
    try {
      return row.data ? (JSON.parse(row.data) as FlowData) : {};
    } catch {
      return {};
    }
  }

  async function loadFlow(token: string | null | undefined): Promise<{ row: SignInFlowRow; user: UserRow }> {
    if (typeof token !== 'string' || !TOKEN.test(token)) throw new LatchkeyError('FLOW_EXPIRED');
    const row = await findFlowByHash(ctx.store.db, hash('flow', token));
    if (!row || row.expires_at <= ctx.now() || row.user_id === null) throw new LatchkeyError('FLOW_EXPIRED');
    const user = await findUserById(ctx.store.db, row.user_id);
    if (!user || user.disabled_at !== null) throw new LatchkeyError('FLOW_EXPIRED');
    return { row, user };
  }

  async function view(row: SignInFlowRow, user: UserRow): Promise<FlowView> {
    const settings = await ctx.settings.get();
    const data = readData(row);
    return {
      id: row.id,
      kind: row.kind as FlowKind,
      step: row.step as FlowStep,
      expiresAt: row.expires_at,
      user: {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        email: user.email,
        role: user.role,
        twoStep: effectiveTwoStepState(user.two_step_state, settings.requireTwoStepForEveryone),
      },
      methods: await methodsOf(ctx.store.db, user.id),
      returnTo: data.returnTo ?? null,
    };
  }

  async function newFlow(
    kind: FlowKind,
    userId: string,
    step: FlowStep,
    data: FlowData,
  ): Promise<{ token: string; step: FlowStep }> {
    const token = newToken();
    const now = ctx.now();
    await insertFlow(ctx.store.db, {
      id: newId(),
      hash: hash('flow', token),
      kind,
      user_id: userId,
      step,
      data: JSON.stringify(data),
      created_at: now,
      expires_at: now + FLOW_MINUTES * 60_000,
    });
    return { token, step };
  }

  /** Moves the flow on; a step already taken (a replayed post, a second tab) is refused. */
  async function move(row: SignInFlowRow, from: FlowStep, to: FlowStep, next: FlowData): Promise<void> {
    // Where the flow returns to, and the session a sudo flow raises, last for the whole flow.
    const { returnTo, sessionId } = readData(row);
    const data: FlowData = {
      ...(returnTo ? { returnTo } : {}),
      ...(sessionId ? { sessionId } : {}),
      ...next,
    };
    if (row.step !== from || !(await advanceFlow(ctx.store.db, row.id, from, to, JSON.stringify(data)))) {
      throw new LatchkeyError('FLOW_STEP');
    }
    row.step = to;
    row.data = JSON.stringify(data);
  }

  async function createSession(
    user: UserRow,
    method: string,
    strong: boolean,
    client: Client,
  ): Promise<string> {
    const token = newToken();
    const now = ctx.now();
    const settings = await ctx.settings.get();
    await insertSession(ctx.store.db, {
      id: newId(),
      hash: hash('session', token),
      user_id: user.id,
      created_at: now,
      expires_at: now + settings.sessionLifetimeMinutes * 60_000,
      last_seen_at: now,
      two_step_at: strong ? now : null,
      method,
      ip: normalizeIp(client.ip),
      user_agent: client.userAgent ? client.userAgent.slice(0, 256) : null,
    });
    return token;
  }

  /** The step after the password (or after replacing a one-time password). */
  async function stepAfterPassword(user: UserRow, deviceToken: string | null): Promise<FlowStep | 'done'> {
    const settings = await ctx.settings.get();
    const state = effectiveTwoStepState(user.two_step_state, settings.requireTwoStepForEveryone);
    if (state === 'disabled') return 'done';
    const methods = await methodsOf(ctx.store.db, user.id);
    if (methods.length === 0) return 'register';
    if (deviceToken && (await rememberedDevice(user.id, deviceToken))) return 'done';
    return 'two_step';
  }

  async function rememberedDevice(userId: string, token: string): Promise<boolean> {
    if (!TOKEN.test(token)) return false;
    const d = await findDeviceByHash(ctx.store.db, hash('device', token));
    return d !== undefined && d.user_id === userId && d.expires_at > ctx.now();
  }

  async function finish(
    row: SignInFlowRow | null,
    user: UserRow,
    method: string,
    strong: boolean,
    client: Client,
    remember = false,
  ): Promise<Finished> {
    if (row) await deleteFlow(ctx.store.db, row.id);
    await decider.completeBrowserSignIn(user, client.ip ?? null, client.userAgent ?? null, method);
    const sessionToken = await createSession(user, method, strong, client);
    let deviceToken: string | null = null;
    const settings = await ctx.settings.get();
    if (remember && settings.rememberDeviceDays > 0) {
      deviceToken = newToken();
      const now = ctx.now();
      await insertDevice(ctx.store.db, {
        id: newId(),
        hash: hash('device', deviceToken),
        user_id: user.id,
        created_at: now,
        expires_at: now + settings.rememberDeviceDays * 86_400_000,
        last_used_at: now,
        ip: normalizeIp(client.ip),
        user_agent: client.userAgent ? client.userAgent.slice(0, 256) : null,
      });
    }
    return { done: true, sessionToken, deviceToken, returnTo: row ? (readData(row).returnTo ?? null) : null };
  }

  /** Checks a second step; counts and logs a failure. Returns how it was passed. */
  async function verify(row: SignInFlowRow, user: UserRow, v: Verification, client: Client): Promise<string> {
    const locked = await decider.lockedUntil(user.id, client.ip ?? null);
    if (locked !== null)
      throw new LatchkeyError('FLOW_EXPIRED', 'Too many attempts. Wait a few minutes, then sign in again.');
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
      const challenge = readData(row).challenge;
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
      throw new LatchkeyError('FLOW_EXPIRED', 'Too many attempts. Wait a few minutes, then sign in again.');
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
          await this.touchRememberedDevice(user.id, input.deviceToken, client.ip ?? null);
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
      const f = await newFlow('sign_in', user.id, next, input.returnTo ? { returnTo: input.returnTo } : {});
      return { ok: true, flowToken: f.token, step: f.step };
    },

    async getFlow(token: string | null | undefined): Promise<FlowView> {
      const { row, user } = await loadFlow(token);
      return view(row, user);
    },

    /** Replaces a one-time password (set by an admin or `latchkey init`) before anything else. */
    async changePassword(
      token: string | null | undefined,
      input: { password: string; confirm: string; deviceToken?: string | null },
      client: Client,
    ): Promise<{ step: FlowStep } | Finished> {
      const { row, user } = await loadFlow(token);
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
        await move(row, 'change_password', 'two_step', {});
        return finish(row, fresh, 'password', false, client);
      }
      await move(row, 'change_password', next, {});
      return { step: next };
    },

    /** TOTP registration: the seed for this flow (made once, kept sealed in the flow). */
    async totpSetup(token: string | null | undefined): Promise<{ seed: string; uri: string }> {
      const { row, user } = await loadFlow(token);
      if (row.step !== 'register') throw new LatchkeyError('FLOW_STEP');
      const data = readData(row);
      let seed = data.totpSeed ? openTotpSeed(ctx, user.id, data.totpSeed) : null;
      if (seed === null) {
        const made = newSealedTotpSeed(ctx, user.id);
        seed = made.seed;
        await move(row, 'register', 'register', { ...data, totpSeed: made.sealed });
      }
      return { seed, uri: totpUri(seed, 'Latchkey', user.email ?? user.username) };
    },

    async webAuthnRegistration(token: string | null | undefined) {
      const { row, user } = await loadFlow(token);
      if (row.step !== 'register') throw new LatchkeyError('FLOW_STEP');
      const o = await webAuthnRegistrationOptions(ctx, {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
      });
      await move(row, 'register', 'register', { ...readData(row), challenge: o.challenge });
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
      const { row, user } = await loadFlow(token);
      if (row.step !== 'register') throw new LatchkeyError('FLOW_STEP');
      const data = readData(row);
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
      await move(row, 'register', 'recovery_codes', {
        method: input.kind,
        codes: seal(ctx.keys.encryption, JSON.stringify(codes), `flow-codes\0${row.id}`),
      });
      return { step: 'recovery_codes' };
    },

    /** The recovery codes made at registration, until the person says they saved them. */
    async recoveryCodes(token: string | null | undefined): Promise<string[]> {
      const { row } = await loadFlow(token);
      if (row.step !== 'recovery_codes') throw new LatchkeyError('FLOW_STEP');
      const sealed = readData(row).codes;
      const text = sealed ? open(ctx.keys.encryption, sealed, `flow-codes\0${row.id}`) : null;
      return text ? (JSON.parse(text) as string[]) : [];
    },

    async recoveryCodesSaved(
      token: string | null | undefined,
      client: Client,
    ): Promise<{ step: FlowStep } | Finished> {
      const { row, user } = await loadFlow(token);
      const data = readData(row);
      const settings = await ctx.settings.get();
      if (settings.allowAppPasswords) {
        await move(row, 'recovery_codes', 'first_app_password', { method: data.method });
        return { step: 'first_app_password' };
      }
      await move(row, 'recovery_codes', 'first_app_password_shown', { method: data.method });
      return finish(row, user, data.method ?? 'totp', true, client);
    },

    /** R7: the first app password, named by the person, shown once on the page that answers this. */
    async firstAppPassword(
      token: string | null | undefined,
      input: { label: unknown },
      client: Client,
    ): Promise<{ password: string; label: string }> {
      const { row, user } = await loadFlow(token);
      if (row.step !== 'first_app_password') throw new LatchkeyError('FLOW_STEP');
      const created = await createAppPassword(ctx, userActor(user, client.ip ?? null), user.username, {
        label: input.label,
      });
      await move(row, 'first_app_password', 'first_app_password_shown', readData(row));
      return { password: created.password, label: created.label };
    },

    /** "Done" after the registration (with or without the first app password). */
    async finishRegistration(token: string | null | undefined, client: Client): Promise<Finished> {
      const { row, user } = await loadFlow(token);
      if (row.step !== 'first_app_password' && row.step !== 'first_app_password_shown') {
        throw new LatchkeyError('FLOW_STEP');
      }
      return finish(row, user, readData(row).method ?? 'totp', true, client);
    },

    async webAuthnChallenge(token: string | null | undefined) {
      const { row, user } = await loadFlow(token);
      if (row.step !== 'two_step') throw new LatchkeyError('FLOW_STEP');
      const o = await webAuthnAuthenticationOptions(ctx, user.id);
      if (!o) return null;
      await move(row, 'two_step', 'two_step', { ...readData(row), challenge: o.challenge });
      return o.options;
    },

    /** The second step of a sign-in, or of a sudo check. */
    async verifyTwoStep(
      token: string | null | undefined,
      v: Verification,
      client: Client,
      opts: { remember?: boolean } = {},
    ): Promise<Finished | { done: true; sudo: true; returnTo: string | null }> {
      const { row, user } = await loadFlow(token);
      if (row.step !== 'two_step' && row.step !== 'password') throw new LatchkeyError('FLOW_STEP');
      const method = await verify(row, user, v, client);
      if (row.kind === 'sudo') {
        const data = readData(row);
        await deleteFlow(ctx.store.db, row.id);
        // The session's method becomes the one just used: an app asking for a fresh or a two-step
        // sign-in (OpenID Connect acr/amr) learns how the person proved it now.
        if (data.sessionId)
          await updateSession(ctx.store.db, data.sessionId, { two_step_at: ctx.now(), method });
        return { done: true, sudo: true, returnTo: data.returnTo ?? null };
      }
      return finish(row, user, method, true, client, opts.remember === true);
    },

    // ---- sessions

    async session(token: string | null | undefined): Promise<SessionView | null> {
      if (typeof token !== 'string' || !TOKEN.test(token)) return null;
      const s = await findSessionByHash(ctx.store.db, hash('session', token));
      const now = ctx.now();
      if (!s) return null;
      if (s.expires_at <= now || s.user.disabled_at !== null) {
        await deleteSession(ctx.store.db, s.id);
        return null;
      }
      if (s.last_seen_at < now - 60_000) await updateSession(ctx.store.db, s.id, { last_seen_at: now });
      return {
        id: s.id,
        user: s.user,
        actor: userActor(s.user, null),
        createdAt: s.created_at,
        expiresAt: s.expires_at,
        strongAt: s.two_step_at,
        method: s.method,
      };
    },

    /** The form token of a session or flow: derived, so there is nothing more to store. */
    csrfToken(token: string): string {
      return hash('csrf', token).subarray(0, 18).toString('base64url');
    },

    checkCsrf(token: string | null | undefined, given: unknown): boolean {
      if (typeof token !== 'string' || typeof given !== 'string' || given.length !== 24) return false;
      const want = Buffer.from(hash('csrf', token).subarray(0, 18).toString('base64url'));
      const got = Buffer.from(given);
      return got.length === want.length && timingSafeEqual(got, want);
    },

    isSudo(s: SessionView): boolean {
      return s.strongAt !== null && s.strongAt > ctx.now() - SUDO_MINUTES * 60_000;
    },

    /** B7: a check of the second step (or the password, without methods) before a sensitive change. */
    async startSudo(s: SessionView, returnTo: string): Promise<{ flowToken: string; step: FlowStep }> {
      const methods = await methodsOf(ctx.store.db, s.user.id);
      const step: FlowStep = methods.length > 0 ? 'two_step' : 'password';
      const f = await newFlow('sudo', s.user.id, step, { sessionId: s.id, returnTo });
      return { flowToken: f.token, step };
    },

    async signOut(token: string | null | undefined): Promise<void> {
      if (typeof token !== 'string' || !TOKEN.test(token)) return;
      const s = await findSessionByHash(ctx.store.db, hash('session', token));
      if (s) await deleteSession(ctx.store.db, s.id);
    },

    async signOutEverywhere(s: SessionView): Promise<number> {
      return ctx.store.transaction(async (trx) => {
        // A device sign-in approved but not yet collected goes with the sessions (core/device-login.ts).
        await denyApprovedOf(trx, s.user.id);
        const n = await deleteUserSessions(trx, s.user.id);
        await recordAudit(ctx, trx, s.actor, 'sessions.revoked', s.user.username, { count: n });
        return n;
      });
    },

    listSessions(userId: string) {
      return listUserSessions(ctx.store.db, userId);
    },

    async touchRememberedDevice(userId: string, token: string, ip: string | null): Promise<void> {
      if (!TOKEN.test(token)) return;
      const d = await findDeviceByHash(ctx.store.db, hash('device', token));
      if (d && d.user_id === userId) await touchDevice(ctx.store.db, d.id, ctx.now(), normalizeIp(ip));
    },

    /**
     * Adding a security key from the account page: the challenge travels sealed in the form (bound to
     * the user, valid for the flow's lifetime), so there is no flow row to keep.
     */
    async portalWebAuthnOptions(sess: SessionView): Promise<{ options: unknown; state: string }> {
      const o = await webAuthnRegistrationOptions(ctx, {
        id: sess.user.id,
        username: sess.user.username,
        displayName: sess.user.display_name,
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
      if (!(sess.strongAt !== null && sess.strongAt > ctx.now() - SUDO_MINUTES * 60_000)) {
        throw new LatchkeyError('SUDO_REQUIRED');
      }
      if (input.password !== input.confirm) throw new LatchkeyError('PASSWORDS_DIFFER');
      const u = await findUserById(ctx.store.db, sess.user.id);
      if (!u) throw new LatchkeyError('SESSION_REQUIRED');
      const current = String(input.current ?? '');
      // A locked account answers no guess here either, right or wrong.
      const tooMany = 'Too many wrong attempts. Wait a few minutes, then try again.';
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

    /** Expired flows, sessions and remembered devices (housekeeping). */
    async prune(): Promise<void> {
      await pruneFlows(ctx.store.db, ctx.now());
      await pruneSessions(ctx.store.db, ctx.now());
    },
  };
}

export type Browser = ReturnType<typeof makeBrowser>;
