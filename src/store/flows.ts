// Queries for sign-in and sudo flows (core/browser/flows.ts): one row per flow, found by the keyed
// hash of the browser's token, moved from step to step by a conditional update.

import type { Executor } from './database.js';
import type { SignInFlowRow, SignInFlowsTable } from './schema.js';

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
