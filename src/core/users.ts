// People: create, show, list, disable/enable, delete, set or reset the primary password, roles.
// Passwords are hashed (argon2id, off the event loop) before any transaction opens.

import { newId } from '../crypto/ids.js';
import { generateOneTimePassword, hashPassword } from '../crypto/passwords.js';
import { deleteAllAppPasswordRows } from '../store/app-passwords.js';
import type { Executor } from '../store/database.js';
import { denyApprovedOf } from '../store/device-logins.js';
import { deleteUserFlows } from '../store/flows.js';
import type { Role, TwoStepState, UserRow } from '../store/schema.js';
import { deleteUserSessions } from '../store/sessions.js';
import { lockStoreWide, readSettings } from '../store/settings.js';
import {
  countAdmins,
  countUsers,
  deleteUserRow,
  findUserByEmail,
  findUserByName,
  insertUser,
  listUsers as listUserRows,
  lockUser,
  updateUser,
} from '../store/users.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { LatchkeyError, listOf } from './errors.js';
import { type Actor, actorRole as actorRoleOf, authorize } from './policy.js';
import { SETTINGS, settingsFromStored } from './settings.js';
import { effectiveTwoStepState } from './two-step.js';
import {
  checkDisplayName,
  checkEmail,
  checkLimit,
  checkNewPassword,
  checkRole,
  checkTwoStepState,
  normalizeUsername,
} from './validate.js';

export interface UserView {
  id: string;
  username: string;
  email: string | null;
  displayName: string | null;
  role: Role;
  status: 'active' | 'disabled';
  twoStep: TwoStepState;
  /** The state the sign-in decision applies, after "require two-step for everyone". */
  twoStepEffective: TwoStepState;
  passwordSet: boolean;
  passwordMustChange: boolean;
  createdAt: string;
  updatedAt: string;
}

export function userView(u: UserRow, requireTwoStepForEveryone: boolean): UserView {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    displayName: u.display_name,
    role: u.role,
    status: u.disabled_at === null ? 'active' : 'disabled',
    twoStep: u.two_step_state,
    twoStepEffective: effectiveTwoStepState(u.two_step_state, requireTwoStepForEveryone),
    passwordSet: u.password_hash !== null,
    passwordMustChange: u.password_must_change === 1,
    createdAt: new Date(u.created_at).toISOString(),
    updatedAt: new Date(u.updated_at).toISOString(),
  };
}

// Usernames are case-insensitive in ASCII only (validate.ts says why).
export { normalizeUsername };

export async function requireUser(db: Executor, username: string): Promise<UserRow> {
  const u = await findUserByName(db, normalizeUsername(username));
  if (!u) throw new LatchkeyError('USER_NOT_FOUND');
  return u;
}

async function view(ctx: CoreContext, u: UserRow): Promise<UserView> {
  return userView(u, (await ctx.settings.get()).requireTwoStepForEveryone);
}

export interface CreateUserInput {
  username: string;
  email?: string | null;
  displayName?: string | null;
  role?: Role | string;
  password?: string | null;
  twoStep?: TwoStepState | string;
  /** Set for a generated one-time password the person must replace at first browser sign-in. */
  passwordMustChange?: boolean;
  /** `latchkey init`: refuse, inside the creating transaction, if an administrator exists. */
  onlyIfNoAdmin?: boolean;
}

export async function createUser(ctx: CoreContext, actor: Actor, input: CreateUserInput): Promise<UserView> {
  authorize(actor, 'user.create');
  const username = normalizeUsername(input.username);
  const email = checkEmail(input.email);
  const displayName = checkDisplayName(input.displayName);
  const role = checkRole(input.role ?? 'user');
  const twoStep = checkTwoStepState(input.twoStep ?? 'disabled');
  const passwordHash = input.password ? await hashPassword(checkNewPassword(input.password)) : null;
  const now = ctx.now();
  const row: UserRow = {
    id: newId(),
    username,
    email,
    display_name: displayName,
    role,
    disabled_at: null,
    password_hash: passwordHash,
    password_changed_at: passwordHash ? now : null,
    password_must_change: input.passwordMustChange ? 1 : 0,
    two_step_state: twoStep,
    two_step_changed_at: null,
    created_at: now,
    updated_at: now,
    language: null,
  };
  await ctx.store.transaction(async (trx) => {
    if (input.onlyIfNoAdmin) {
      await lockStoreWide(trx);
      if ((await countAdmins(trx)) > 0) throw new LatchkeyError('ALREADY_INITIALIZED');
    }
    if (await findUserByName(trx, username)) throw new LatchkeyError('USER_EXISTS');
    if (email && (await findUserByEmail(trx, email))) throw new LatchkeyError('EMAIL_TAKEN');
    try {
      await insertUser(trx, row);
    } catch (e) {
      // Two creators raced past the checks above; the unique index decided.
      if (/unique|duplicate/i.test((e as Error).message)) throw new LatchkeyError('USER_EXISTS');
      throw e;
    }
    await recordAudit(ctx, trx, actor, 'user.created', username, {
      after: { email, displayName, role, twoStep, passwordSet: passwordHash !== null },
    });
  });
  return view(ctx, row);
}

/**
 * A new user with a generated one-time password (returned once; replaced at the first browser
 * sign-in): one transaction and one audit event, so there is never a user without their password.
 */
export async function createUserWithOneTimePassword(
  ctx: CoreContext,
  actor: Actor,
  input: Omit<CreateUserInput, 'password' | 'passwordMustChange' | 'onlyIfNoAdmin'>,
): Promise<{ user: UserView; oneTimePassword: string }> {
  const oneTimePassword = generateOneTimePassword();
  const user = await createUser(ctx, actor, {
    ...input,
    password: oneTimePassword,
    passwordMustChange: true,
  });
  return { user, oneTimePassword };
}

/** `latchkey init`: the first administrator, with a one-time password. Refused once any admin exists. */
export async function initFirstAdmin(
  ctx: CoreContext,
  actor: Actor,
  input: { username: string; email?: string | null },
): Promise<{ user: UserView; password: string }> {
  authorize(actor, 'user.create');
  if ((await countAdmins(ctx.store.db)) > 0) throw new LatchkeyError('ALREADY_INITIALIZED');
  const password = generateOneTimePassword();
  const user = await createUser(ctx, actor, {
    username: input.username,
    email: input.email ?? null,
    role: 'admin',
    password,
    passwordMustChange: true,
    onlyIfNoAdmin: true,
  });
  await ctx.store.transaction((trx) => recordAudit(ctx, trx, actor, 'admin.initialized', user.username));
  return { user, password };
}

export async function getUser(ctx: CoreContext, actor: Actor, username: string): Promise<UserView> {
  const u = await requireUser(ctx.store.db, username);
  authorize(actor, 'user.read', u.id);
  return view(ctx, u);
}

export async function listUsers(
  ctx: CoreContext,
  actor: Actor,
  q: { search?: string | null; after?: string | null; limit?: unknown } = {},
): Promise<UserView[]> {
  authorize(actor, 'user.read');
  const search = q.search ? q.search.trim().slice(0, 254) : null;
  const rows = await listUserRows(ctx.store.db, {
    dialect: ctx.store.dialect,
    search,
    after: q.after ?? null,
    limit: checkLimit(q.limit, 100),
  });
  const s = await ctx.settings.get();
  return rows.map((u) => userView(u, s.requireTwoStepForEveryone));
}

export async function userCount(ctx: CoreContext): Promise<number> {
  return countUsers(ctx.store.db);
}

/** Refuses changes that would leave no active administrator. */
async function guardLastAdmin(trx: Executor, u: UserRow): Promise<void> {
  if (u.role === 'admin' && u.disabled_at === null && (await countAdmins(trx)) <= 1) {
    throw new LatchkeyError('LAST_ADMIN');
  }
}

export async function setUserDisabled(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  disabled: boolean,
): Promise<UserView> {
  const name = normalizeUsername(username);
  const updated = await ctx.store.transaction(async (trx) => {
    const u = await requireUser(trx, name);
    authorize(actor, 'user.disable', u.id);
    if ((u.disabled_at !== null) === disabled) return u;
    if (disabled) await guardLastAdmin(trx, u);
    const now = ctx.now();
    const changes = { disabled_at: disabled ? now : null, updated_at: now };
    await updateUser(trx, u.id, changes);
    if (disabled) {
      // Device sign-ins approved but not yet collected stay refused when the account comes back.
      await denyApprovedOf(trx, u.id);
      await deleteUserSessions(trx, u.id);
      await deleteUserFlows(trx, u.id);
    }
    await recordAudit(ctx, trx, actor, disabled ? 'user.disabled' : 'user.enabled', u.username);
    return { ...u, ...changes };
  });
  return view(ctx, updated);
}

export async function updateUserProfile(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  input: { email?: string | null; displayName?: string | null },
): Promise<UserView> {
  const name = normalizeUsername(username);
  const email = input.email === undefined ? undefined : checkEmail(input.email);
  const displayName = input.displayName === undefined ? undefined : checkDisplayName(input.displayName);
  const updated = await ctx.store.transaction(async (trx) => {
    const u = await requireUser(trx, name);
    authorize(actor, 'user.update', u.id);
    if (email && email !== u.email && (await findUserByEmail(trx, email)))
      throw new LatchkeyError('EMAIL_TAKEN');
    const changes = {
      ...(email !== undefined ? { email } : {}),
      ...(displayName !== undefined ? { display_name: displayName } : {}),
      updated_at: ctx.now(),
    };
    await updateUser(trx, u.id, changes);
    await recordAudit(ctx, trx, actor, 'user.updated', u.username, {
      before: { email: u.email, displayName: u.display_name },
      after: { email: email ?? u.email, displayName: displayName ?? u.display_name },
    });
    return { ...u, ...changes };
  });
  return view(ctx, updated);
}

/**
 * The language the pages speak to this person ("en", "nl"; null = not chosen, so the browser's
 * languages and the organisation's default decide). Each person sets their own; administrators may set
 * anyone's. A preference, not a security change: it is not in the audit log.
 */
export async function setUserLanguage(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  language: string | null,
): Promise<void> {
  const languages: readonly string[] = SETTINGS.defaultLanguage.values;
  if (language !== null && !languages.includes(language)) {
    throw new LatchkeyError('SETTING_INVALID', {
      detail: 'languageUnknown',
      params: { languages: listOf(languages) },
    });
  }
  const u = await requireUser(ctx.store.db, username);
  if (!(actor.kind === 'user' && actor.userId === u.id)) authorize(actor, 'user.update', u.id, u.role);
  if (u.language === language) return;
  await updateUser(ctx.store.db, u.id, { language, updated_at: ctx.now() });
}

export async function setUserRole(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  role: string,
): Promise<UserView> {
  const name = normalizeUsername(username);
  const newRole = checkRole(role);
  const updated = await ctx.store.transaction(async (trx) => {
    const u = await requireUser(trx, name);
    authorize(actor, 'user.setRole', u.id);
    if (u.role === newRole) return u;
    await guardLastAdmin(trx, u);
    const changes = { role: newRole, updated_at: ctx.now() };
    await updateUser(trx, u.id, changes);
    await recordAudit(ctx, trx, actor, 'user.role_changed', u.username, { before: u.role, after: newRole });
    return { ...u, ...changes };
  });
  return view(ctx, updated);
}

export async function deleteUser(ctx: CoreContext, actor: Actor, username: string): Promise<void> {
  const name = normalizeUsername(username);
  await ctx.store.transaction(async (trx) => {
    const u = await requireUser(trx, name);
    authorize(actor, 'user.delete', u.id);
    await guardLastAdmin(trx, u);
    await deleteUserRow(trx, u.id);
    await recordAudit(ctx, trx, actor, 'user.deleted', u.username, {
      before: { email: u.email, role: u.role, twoStep: u.two_step_state },
    });
  });
}

/**
 * Sets the primary password: given (read from stdin, typed in a form) or generated when `password` is
 * null, in which case it is returned once and must be changed at the next browser sign-in. With the
 * setting revokeAppPasswordsOnPasswordChange (B3, default on) the user's app passwords go with it.
 */
export async function setPassword(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  password: string | null,
  opts: { revokeAppPasswords?: boolean; keepSessionId?: string | null; keepFlowId?: string | null } = {},
): Promise<{ generated: string | null; appPasswordsDeleted: number }> {
  const name = normalizeUsername(username);
  const generated = password === null ? generateOneTimePassword() : null;
  const secret = password === null ? generated! : checkNewPassword(password);
  // Check the permission before spending an argon2 hash on it.
  const target = await requireUser(ctx.store.db, name);
  const self = actor.kind === 'user' && actor.userId === target.id;
  authorize(actor, self ? 'user.changeOwnPassword' : 'user.resetPassword', target.id, target.role);
  // The helpdesk hands out one-time passwords, which the person must replace; it never chooses one.
  if (!self && actor.kind !== 'system' && actorRoleOf(actor) === 'helpdesk' && password !== null) {
    throw new LatchkeyError('FORBIDDEN', { detail: 'helpdeskChoosesPassword' });
  }
  const passwordHash = await hashPassword(secret);
  const deleted = await ctx.store.transaction(async (trx) => {
    // Decided again on the row as it is now, under its lock: a promotion to administrator while the
    // hash was computing must not let the helpdesk reset an administrator's password.
    await lockUser(trx, target.id);
    const u = await requireUser(trx, name);
    if (u.id !== target.id) throw new LatchkeyError('USER_NOT_FOUND');
    authorize(actor, self ? 'user.changeOwnPassword' : 'user.resetPassword', u.id, u.role);
    const settings = settingsFromStored(await readSettings(trx));
    const now = ctx.now();
    await updateUser(trx, u.id, {
      password_hash: passwordHash,
      password_changed_at: now,
      password_must_change: generated ? 1 : 0,
      updated_at: now,
    });
    // A device sign-in approved with the old password and not yet collected is refused, before any
    // app password is deleted (core/device-login.ts: a poll that already claimed one commits first).
    await denyApprovedOf(trx, u.id);
    // B3: the org setting forces it; otherwise the person chose (the portal's checkbox).
    const revoke = settings.revokeAppPasswordsOnPasswordChange || opts.revokeAppPasswords === true;
    const n = revoke ? await deleteAllAppPasswordRows(trx, u.id) : 0;
    // Whoever knew the old password is signed out of every browser (but the one making the change).
    await deleteUserSessions(trx, u.id, opts.keepSessionId ?? null);
    // An unfinished sign-in that began with the old password (or an old one-time password) ends too.
    await deleteUserFlows(trx, u.id, opts.keepFlowId ?? null);
    await recordAudit(ctx, trx, actor, 'user.password_set', u.username, {
      generated: generated !== null,
      appPasswordsDeleted: n,
    });
    if (n > 0) {
      await recordAudit(ctx, trx, actor, 'app_password.deleted_all', u.username, {
        count: n,
        reason: 'password_changed',
      });
    }
    return n;
  });
  return { generated, appPasswordsDeleted: deleted };
}

/**
 * Several changes to one user at once (the admin API's PATCH): all are checked, then applied in one
 * transaction, so a refused part leaves nothing half done.
 */
export async function patchUser(
  ctx: CoreContext,
  actor: Actor,
  username: string,
  input: {
    email?: string | null;
    displayName?: string | null;
    role?: string;
    status?: 'active' | 'disabled';
  },
): Promise<UserView> {
  const name = normalizeUsername(username);
  const email = input.email === undefined ? undefined : checkEmail(input.email);
  const displayName = input.displayName === undefined ? undefined : checkDisplayName(input.displayName);
  const role = input.role === undefined ? undefined : checkRole(input.role);
  if (input.status !== undefined && input.status !== 'active' && input.status !== 'disabled') {
    throw new LatchkeyError('STATUS_INVALID');
  }
  const updated = await ctx.store.transaction(async (trx) => {
    const u = await requireUser(trx, name);
    if (email !== undefined || displayName !== undefined) authorize(actor, 'user.update', u.id);
    if (role !== undefined && role !== u.role) authorize(actor, 'user.setRole', u.id);
    const disable = input.status === undefined ? null : input.status === 'disabled';
    if (disable !== null && disable !== (u.disabled_at !== null)) authorize(actor, 'user.disable', u.id);
    if (email && email !== u.email && (await findUserByEmail(trx, email)))
      throw new LatchkeyError('EMAIL_TAKEN');
    const leavesAdmins = (role !== undefined && role !== 'admin') || disable === true;
    if (leavesAdmins) await guardLastAdmin(trx, u);
    const now = ctx.now();
    const changes = {
      ...(email !== undefined ? { email } : {}),
      ...(displayName !== undefined ? { display_name: displayName } : {}),
      ...(role !== undefined ? { role } : {}),
      ...(disable !== null ? { disabled_at: disable ? (u.disabled_at ?? now) : null } : {}),
      updated_at: now,
    };
    await updateUser(trx, u.id, changes);
    if (disable === true) {
      await denyApprovedOf(trx, u.id);
      await deleteUserSessions(trx, u.id);
      await deleteUserFlows(trx, u.id);
    }
    const next = { ...u, ...changes };
    if (email !== undefined || displayName !== undefined) {
      await recordAudit(ctx, trx, actor, 'user.updated', u.username, {
        before: { email: u.email, displayName: u.display_name },
        after: { email: next.email, displayName: next.display_name },
      });
    }
    if (role !== undefined && role !== u.role) {
      await recordAudit(ctx, trx, actor, 'user.role_changed', u.username, { before: u.role, after: role });
    }
    if (disable !== null && disable !== (u.disabled_at !== null)) {
      await recordAudit(ctx, trx, actor, disable ? 'user.disabled' : 'user.enabled', u.username);
    }
    return next;
  });
  return view(ctx, updated);
}
