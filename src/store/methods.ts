// Queries for a person's two-step methods (authenticator apps, security keys) and recovery codes.
// Recovery codes are kept as keyed hashes; a method row holds its TOTP seed sealed.

import type { Executor } from './database.js';
import type { RecoveryCodesTable, TwoStepMethodRow, TwoStepMethodsTable } from './schema.js';

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
