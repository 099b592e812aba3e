// Queries for browser sign-in: two-step methods, recovery codes, sign-in flows, sessions and
// remembered devices. Tokens are looked up by their keyed hash, never stored in clear.

import type { Executor } from './database.js';
import type {
  BrowserSessionRow,
  BrowserSessionsTable,
  RecoveryCodesTable,
  RememberedDevicesTable,
  SignInFlowRow,
  SignInFlowsTable,
  TwoStepMethodRow,
  TwoStepMethodsTable,
  UserRow,
} from './schema.js';

// ---- methods

export function listMethodRows(db: Executor, userId: string): Promise<TwoStepMethodRow[]> {
  return db
    .selectFrom('two_step_methods')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findMethodRow(
  db: Executor,
  userId: string,
  id: string,
): Promise<TwoStepMethodRow | undefined> {
  return db
    .selectFrom('two_step_methods')
    .selectAll()
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertMethodRow(db: Executor, row: TwoStepMethodsTable): Promise<void> {
  await db.insertInto('two_step_methods').values(row).execute();
}

export async function deleteMethodRow(db: Executor, userId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('two_step_methods')
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deleteAllMethodRows(db: Executor, userId: string): Promise<number> {
  const r = await db.deleteFrom('two_step_methods').where('user_id', '=', userId).executeTakeFirst();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  return Number(r.numDeletedRows);
}

export async function setDefaultMethodRow(db: Executor, userId: string, id: string): Promise<void> {
  await db.updateTable('two_step_methods').set({ is_default: 0 }).where('user_id', '=', userId).execute();
  await db
    .updateTable('two_step_methods')
    .set({ is_default: 1 })
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .execute();
}

/**
 * Moves a TOTP method's last accepted step forward, only if `step` is newer: the row update is the
 * single-use guard, so two requests with the same code cannot both win.
 */
export async function advanceTotpStep(db: Executor, id: string, step: number, at: number): Promise<boolean> {
  const r = await db
    .updateTable('two_step_methods')
    .set({ totp_last_step: step, last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function findMethodByCredentialId(
  db: Executor,
  credentialId: string,
): Promise<TwoStepMethodRow | undefined> {
  return db
    .selectFrom('two_step_methods')
    .selectAll()
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
}

export async function updateWebAuthnUse(
  db: Executor,
  id: string,
  signCount: number,
  at: number,
): Promise<void> {
  await db
    .updateTable('two_step_methods')
    .set({ sign_count: signCount, last_used_at: at })
    .where('id', '=', id)
    .execute();
}

// ---- recovery codes

export async function replaceRecoveryCodes(
  db: Executor,
  userId: string,
  rows: RecoveryCodesTable[],
): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length > 0) await db.insertInto('recovery_codes').values(rows).execute();
}

export async function useRecoveryCode(
  db: Executor,
  userId: string,
  hash: Buffer,
  at: number,
): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recoveryCodeCounts(
  db: Executor,
  userId: string,
): Promise<{ total: number; unused: number; createdAt: number | null }> {
  const rows = await db
    .selectFrom('recovery_codes')
    .select(['used_at', 'created_at'])
    .where('user_id', '=', userId)
    .execute();
  return {
    total: rows.length,
    unused: rows.filter((r) => r.used_at === null).length,
    createdAt: rows.length > 0 ? Math.min(...rows.map((r) => r.created_at)) : null,
  };
}

// ---- flows

export async function insertFlow(db: Executor, row: SignInFlowsTable): Promise<void> {
  await db.insertInto('sign_in_flows').values(row).execute();
}

export function findFlowByHash(db: Executor, hash: Buffer): Promise<SignInFlowRow | undefined> {
  return db.selectFrom('sign_in_flows').selectAll().where('hash', '=', hash).executeTakeFirst();
}

/** Moves a flow from one step to the next; false when another request moved it first. */
export async function advanceFlow(
  db: Executor,
  id: string,
  fromStep: string,
  toStep: string,
  data: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable('sign_in_flows')
    .set({ step: toStep, data })
    .where('id', '=', id)
    .where('step', '=', fromStep)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteFlow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sign_in_flows').where('id', '=', id).execute();
}

/** Ends the user's unfinished sign-ins (a password reset, re-registration, a disabled account). */
export async function deleteUserFlows(
  db: Executor,
  userId: string,
  exceptId: string | null = null,
): Promise<void> {
  let q = db.deleteFrom('sign_in_flows').where('user_id', '=', userId);
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  await q.execute();
}

export async function pruneFlows(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('sign_in_flows').where('expires_at', '<', now).execute();
}

// ---- sessions

export async function insertSession(db: Executor, row: BrowserSessionsTable): Promise<void> {
  await db.insertInto('browser_sessions').values(row).execute();
}

export type SessionWithUser = BrowserSessionRow & { user: UserRow };

export async function findSessionByHash(db: Executor, hash: Buffer): Promise<SessionWithUser | undefined> {
  const s = await db.selectFrom('browser_sessions').selectAll().where('hash', '=', hash).executeTakeFirst();
  if (!s) return undefined;
  const user = await db.selectFrom('users').selectAll().where('id', '=', s.user_id).executeTakeFirst();
  return user ? { ...s, user } : undefined;
}

export async function updateSession(
  db: Executor,
  id: string,
  changes: Partial<Pick<BrowserSessionsTable, 'last_seen_at' | 'two_step_at' | 'expires_at' | 'method'>>,
): Promise<void> {
  await db.updateTable('browser_sessions').set(changes).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('browser_sessions').where('id', '=', id).execute();
}

/**
 * Ends a person's browser sessions (all, or all but one) — and with them every sign-in that rode on
 * them: the OpenID Connect provider's sessions, grants, codes and tokens of that account, so that a
 * password change, "sign out everywhere", a disabled account or "set up two-step again" also ends
 * every app's access at once (introspection says inactive, refresh fails).
 */
export async function deleteUserSessions(
  db: Executor,
  userId: string,
  exceptId: string | null = null,
): Promise<number> {
  let q = db.deleteFrom('browser_sessions').where('user_id', '=', userId);
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  await db.deleteFrom('oidc_payloads').where('account_id', '=', userId).execute();
  return Number(r.numDeletedRows);
}

export function listUserSessions(db: Executor, userId: string): Promise<BrowserSessionRow[]> {
  return db
    .selectFrom('browser_sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function pruneSessions(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('browser_sessions').where('expires_at', '<', now).execute();
  await db.deleteFrom('remembered_devices').where('expires_at', '<', now).execute();
}

// ---- remembered devices

export async function insertDevice(db: Executor, row: RememberedDevicesTable): Promise<void> {
  await db.insertInto('remembered_devices').values(row).execute();
}

export function findDeviceByHash(db: Executor, hash: Buffer) {
  return db.selectFrom('remembered_devices').selectAll().where('hash', '=', hash).executeTakeFirst();
}

export async function touchDevice(db: Executor, id: string, at: number, ip: string | null): Promise<void> {
  await db.updateTable('remembered_devices').set({ last_used_at: at, ip }).where('id', '=', id).execute();
}

export function listUserDevices(db: Executor, userId: string) {
  return db
    .selectFrom('remembered_devices')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function deleteUserDevices(db: Executor, userId: string): Promise<number> {
  const r = await db.deleteFrom('remembered_devices').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
