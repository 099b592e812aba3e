// What the three rooms of browser sign-in share (flows.ts, sessions.ts, sudo.ts): the views they
// hand out, the shape of a browser token and its keyed hash, and the flow rows that sign-in and
// sudo checks both move along. Only views leave: a person is a BrowserUser, never a users row.

import { randomBytes } from 'node:crypto';
import { keyedHash } from '../../crypto/app-passwords.js';
import { newId } from '../../crypto/ids.js';
import { advanceFlow, findFlowByHash, insertFlow } from '../../store/flows.js';
import type { Role, SignInFlowRow, TwoStepState, UserRow } from '../../store/schema.js';
import { findUserById } from '../../store/users.js';
import type { CoreContext } from '../context.js';
import { LatchkeyError } from '../errors.js';
import { type MethodView, methodsOf } from '../methods.js';
import type { Actor } from '../policy.js';
import type { makeDecider, SignInReason } from '../sign-in.js';
import { effectiveTwoStepState } from '../two-step.js';
import { normalizeIp } from '../validate.js';

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

/**
 * The person at the browser, as the pages and the OpenID Connect provider see them (issue 14's "user
 * view"; core/users.ts's UserView is the administrator's fuller view of an account): who they are
 * and how they sign in, nothing secret. Anything in the core that needs more reads the row again
 * inside its operation.
 */
export interface BrowserUser {
  id: string;
  username: string;
  displayName: string | null;
  email: string | null;
  role: Role;
  /** Effective: "enforced" when the organisation requires two-step of everyone. */
  twoStep: TwoStepState;
  /** The pages' language the person chose, null when they have not. */
  language: string | null;
}

/** The columns a BrowserUser is made of (store/sessions.ts reads only these for a session). */
export type BrowserUserSource = Pick<
  UserRow,
  'id' | 'username' | 'display_name' | 'email' | 'role' | 'two_step_state' | 'language'
>;

export function browserUser(u: BrowserUserSource, requireTwoStepForEveryone: boolean): BrowserUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    email: u.email,
    role: u.role,
    twoStep: effectiveTwoStepState(u.two_step_state, requireTwoStepForEveryone),
    language: u.language,
  };
}

export interface FlowView {
  id: string;
  kind: FlowKind;
  step: FlowStep;
  expiresAt: number;
  user: BrowserUser;
  methods: MethodView[];
  returnTo: string | null;
}

export interface Client {
  ip?: string | null;
  userAgent?: string | null;
}

export type SessionActor = Extract<Actor, { kind: 'user' }>;

export interface SessionView {
  id: string;
  user: BrowserUser;
  actor: SessionActor;
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

export type Decider = ReturnType<typeof makeDecider>;

export const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The keyed hash a browser token is stored and found by; the purpose keeps the kinds apart. */
export function tokenHasher(ctx: CoreContext) {
  return (purpose: 'flow' | 'session' | 'device' | 'csrf', token: string) =>
    keyedHash(ctx.keys.hmac, `${purpose}\0${token}`);
}

export type TokenHasher = ReturnType<typeof tokenHasher>;

export function userActor(u: Pick<UserRow, 'id' | 'username' | 'role'>, ip: string | null): SessionActor {
  return { kind: 'user', userId: u.id, username: u.username, role: u.role, ip: normalizeIp(ip) };
}

export function isStrong(strongAt: number | null, now: number): boolean {
  return strongAt !== null && strongAt > now - SUDO_MINUTES * 60_000;
}

// ---- flow rows, shared by sign-in (flows.ts) and sudo checks (sudo.ts)

export interface FlowData {
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

export function readFlowData(row: SignInFlowRow): FlowData {
  try {
    return row.data ? (JSON.parse(row.data) as FlowData) : {};
  } catch {
    return {};
  }
}

/**
 * A flow's row and its person's row, inside the core only: the operation that loads them uses the
 * row (its password hash, its state) and hands out a FlowView.
 */
export interface LoadedFlow {
  row: SignInFlowRow;
  user: UserRow;
}

export function makeFlowRows(ctx: CoreContext, hash: TokenHasher) {
  return {
    async load(token: string | null | undefined): Promise<LoadedFlow> {
      if (typeof token !== 'string' || !TOKEN.test(token)) throw new LatchkeyError('FLOW_EXPIRED');
      const row = await findFlowByHash(ctx.store.db, hash('flow', token));
      if (!row || row.expires_at <= ctx.now() || row.user_id === null)
        throw new LatchkeyError('FLOW_EXPIRED');
      const user = await findUserById(ctx.store.db, row.user_id);
      if (!user || user.disabled_at !== null) throw new LatchkeyError('FLOW_EXPIRED');
      return { row, user };
    },

    async view({ row, user }: LoadedFlow): Promise<FlowView> {
      const settings = await ctx.settings.get();
      return {
        id: row.id,
        kind: row.kind as FlowKind,
        step: row.step as FlowStep,
        expiresAt: row.expires_at,
        user: browserUser(user, settings.requireTwoStepForEveryone),
        methods: await methodsOf(ctx.store.db, user.id),
        returnTo: readFlowData(row).returnTo ?? null,
      };
    },

    async create(
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
    },

    /** Moves the flow on; a step already taken (a replayed post, a second tab) is refused. */
    async move(row: SignInFlowRow, from: FlowStep, to: FlowStep, next: FlowData): Promise<void> {
      // Where the flow returns to, and the session a sudo flow raises, last for the whole flow.
      const { returnTo, sessionId } = readFlowData(row);
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
    },
  };
}

export type FlowRows = ReturnType<typeof makeFlowRows>;
