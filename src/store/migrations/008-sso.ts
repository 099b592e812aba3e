// Frozen: never edit a migration after it has landed; add the next number instead.
// Single sign-on for apps behind a reverse proxy (issue 10, item 7): the lk_sso cookie, sent to every
// host under LATCHKEY_COOKIE_DOMAIN, holds a random token of its own; its keyed hash lives here, bound
// to the portal session it was issued for. The cascade ends it with that session, whatever ends the
// session (sign-out, sign out everywhere, a password change, a disabled account, expiry pruning).

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up008(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('sso_tokens')
      .addColumn('hash', blob, (c) => c.primaryKey())
      // One token per session: issuing again replaces it.
      .addColumn('session_id', 'text', (c) =>
        c.notNull().unique().references('browser_sessions.id').onDelete('cascade'),
      )
      .addColumn('created_at', bigint, (c) => c.notNull())
      .execute();
  };
}
