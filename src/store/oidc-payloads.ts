// oidc-provider's state, one row per object (codes, tokens, grants, sessions, interactions, device
// codes), keyed by the model's name and the object's id. The columns beside the JSON payload are the
// ones looked up: by grant (revocation), uid (sessions), user code (device flow), client and account
// (deleting a client, ending a person's access).

import type { Executor } from './database.js';
import type { OidcPayloadsTable } from './schema.js';

export type OidcPayloadRow = OidcPayloadsTable;

export async function upsertOidcPayload(db: Executor, row: OidcPayloadRow): Promise<void> {
  // A save never undoes a consumption.
  const { model, id, consumed_at, ...rest } = row;
  await db
    .insertInto('oidc_payloads')
    .values(row)
    .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(rest))
    .execute();
}

export function findOidcPayload(
  db: Executor,
  model: string,
  by: 'id' | 'uid' | 'user_code',
  value: string,
): Promise<OidcPayloadRow | undefined> {
  return db
    .selectFrom('oidc_payloads')
    .selectAll()
    .where('model', '=', model)
    .where(by, '=', value)
    .executeTakeFirst();
}

export async function consumeOidcPayload(db: Executor, model: string, id: string, at: number): Promise<void> {
  await db
    .updateTable('oidc_payloads')
    .set({ consumed_at: at })
    .where('model', '=', model)
    .where('id', '=', id)
    .execute();
}

export async function destroyOidcPayload(db: Executor, model: string, id: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
}

/** Everything issued under one grant: the grant itself, its codes and its tokens. */
export async function revokeOidcGrant(db: Executor, grantId: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
}

/** A person's grants and tokens (and sessions), optionally for one client only. */
export async function deleteOidcPayloadsOfAccount(
  db: Executor,
  accountId: string,
  clientId: string | null = null,
): Promise<number> {
  let q = db.deleteFrom('oidc_payloads').where('account_id', '=', accountId);
  if (clientId !== null) q = q.where('client_id', '=', clientId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function pruneOidcPayloads(db: Executor, now: number): Promise<number> {
  const r = await db.deleteFrom('oidc_payloads').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
