// OpenID Connect clients (migration 007): the apps an administrator registered, and the removal of
// everything the provider holds for one (codes, tokens, grants in oidc_payloads).

import type { Executor } from './database.js';
import type { OidcClientsTable } from './schema.js';

export type OidcClientRow = OidcClientsTable;

const COLUMNS = [
  'id',
  'name',
  'secret_hash',
  'redirect_uris',
  'post_logout_redirect_uris',
  'scopes',
  'trusted',
  'backchannel_logout_uri',
  'created_at',
  'secret_rotated_at',
  'last_used_at',
] as const;

export async function insertClientRow(db: Executor, row: OidcClientRow): Promise<void> {
  await db.insertInto('oidc_clients').values(row).execute();
}

export function listClientRows(db: Executor): Promise<OidcClientRow[]> {
  return db.selectFrom('oidc_clients').select(COLUMNS).orderBy('name').execute();
}

export function findClientByName(db: Executor, name: string): Promise<OidcClientRow | undefined> {
  return db.selectFrom('oidc_clients').select(COLUMNS).where('name', '=', name).executeTakeFirst();
}

export function findClientById(db: Executor, id: string): Promise<OidcClientRow | undefined> {
  return db.selectFrom('oidc_clients').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Deletes the client and every object of the provider issued to it; returns how many objects went. */
export async function deleteClientRow(db: Executor, id: string): Promise<number> {
  const r = await db.deleteFrom('oidc_payloads').where('client_id', '=', id).executeTakeFirst();
  await db.deleteFrom('oidc_clients').where('id', '=', id).execute();
  return Number(r.numDeletedRows);
}

export async function setClientSecretHash(db: Executor, id: string, hash: Buffer, at: number): Promise<void> {
  await db
    .updateTable('oidc_clients')
    .set({ secret_hash: hash, secret_rotated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function touchClientRow(db: Executor, id: string, at: number): Promise<void> {
  await db.updateTable('oidc_clients').set({ last_used_at: at }).where('id', '=', id).execute();
}
