// Admin API tokens.

import type { Executor, Store } from './database.js';
import type { ApiTokensTable } from './schema.js';

export type TokenRow = Omit<ApiTokensTable, 'hash'>;

const COLUMNS = [
  'id',
  'role',
  'label',
  'created_by',
  'created_at',
  'expires_at',
  'revoked_at',
  'last_used_at',
] as const;

export function tokenByHashLookup(store: Store): (hash: Buffer) => Promise<TokenRow | undefined> {
  const HASH = Buffer.alloc(32, 0x3c);
  const run = store.prepare(store.db.selectFrom('api_tokens').select(COLUMNS).where('hash', '=', HASH), [
    HASH,
  ]);
  return async (hash) => (await run([hash]))[0] as TokenRow | undefined;
}

export async function insertToken(db: Executor, row: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export function listTokenRows(db: Executor): Promise<TokenRow[]> {
  return db.selectFrom('api_tokens').select(COLUMNS).orderBy('created_at', 'desc').execute();
}

export function findToken(db: Executor, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('api_tokens').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function revokeTokenRow(db: Executor, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function touchToken(db: Executor, id: string, at: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
