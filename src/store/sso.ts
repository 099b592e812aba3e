// Queries for the single sign-on cookie (migration 008): its token's keyed hash, bound to a browser
// session. The forward-auth check reads the token, its session and its user in one indexed query.

import type { Executor, Store } from './database.js';
import type { Role } from './schema.js';

export interface SsoCheckRow {
  session_id: string;
  expires_at: number;
  user_id: string;
  username: string;
  email: string | null;
  display_name: string | null;
  role: Role;
  disabled_at: number | null;
}

/** The check query, compiled once: the token by its hash (primary key), its session and its user. */
export function ssoTokenLookup(store: Store): (hash: Buffer) => Promise<SsoCheckRow | undefined> {
  const HASH = Buffer.alloc(32, 0x5d);
  const run = store.prepare(
    store.db
      .selectFrom('sso_tokens as t')
      .innerJoin('browser_sessions as s', 's.id', 't.session_id')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.id as session_id',
        's.expires_at',
        'u.id as user_id',
        'u.username',
        'u.email',
        'u.display_name',
        'u.role',
        'u.disabled_at',
      ])
      .where('t.hash', '=', HASH),
    [HASH],
  );
  return async (hash) => (await run([hash]))[0] as SsoCheckRow | undefined;
}

/** Binds a new token to a session, replacing the one issued to it before. */
export async function upsertSsoToken(
  db: Executor,
  row: { hash: Buffer; session_id: string; created_at: number },
): Promise<void> {
  await db
    .insertInto('sso_tokens')
    .values(row)
    .onConflict((oc) => oc.column('session_id').doUpdateSet({ hash: row.hash, created_at: row.created_at }))
    .execute();
}
