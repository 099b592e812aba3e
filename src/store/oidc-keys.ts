// Signing keys of the OpenID Connect provider (migration 007): sealed private JWKs with the times they
// are published, sign and stop being published.

import { sql } from 'kysely';
import type { Executor, Store } from './database.js';
import type { OidcKeysTable } from './schema.js';

export type OidcKeyRow = OidcKeysTable;

export function listKeyRows(db: Executor): Promise<OidcKeyRow[]> {
  return db
    .selectFrom('oidc_keys')
    .select(['kid', 'alg', 'sealed_jwk', 'created_at', 'signs_from', 'retired_at'])
    .orderBy('signs_from')
    .orderBy('kid')
    .execute();
}

export async function countKeyRows(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('oidc_keys')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertKeyRow(db: Executor, row: OidcKeyRow): Promise<void> {
  await db.insertInto('oidc_keys').values(row).execute();
}

/** Every key still signing (or waiting to) stops signing at `at`, when its successor starts. */
export async function retireKeysAt(db: Executor, at: number): Promise<void> {
  await db.updateTable('oidc_keys').set({ retired_at: at }).where('retired_at', 'is', null).execute();
}

/** Deletes keys retired at or before `before`; returns how many. */
export async function deleteKeysRetiredBefore(db: Executor, before: number): Promise<number> {
  const r = await db
    .deleteFrom('oidc_keys')
    .where('retired_at', 'is not', null)
    .where('retired_at', '<=', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * One aggregate row that changes whenever the published key set or its order does: a key added or
 * deleted, a waiting key's start passed (`now`), a retired key's verify window ended (`retiredBefore`).
 * Compiled once; on SQLite it reads through the read-only connection.
 */
export function keysVersionLookup(
  store: Store,
): (
  now: number,
  retiredBefore: number,
) => Promise<{ n: unknown; created: unknown; signing: unknown; expired: unknown }> {
  const NOW = 4_000_000_000_001;
  const BEFORE = 4_000_000_000_002;
  const run = store.prepare(
    store.db
      .selectFrom('oidc_keys')
      .select([
        sql<number>`count(kid)`.as('n'),
        sql<number>`max(created_at)`.as('created'),
        sql<number | null>`max(case when signs_from <= ${NOW} then signs_from end)`.as('signing'),
        sql<number>`count(case when retired_at <= ${BEFORE} then 1 end)`.as('expired'),
      ]),
    [NOW, BEFORE],
  );
  return async (now, retiredBefore) => {
    const [row] = await run([now, retiredBefore]);
    return row ?? { n: 0, created: null, signing: null, expired: 0 };
  };
}
