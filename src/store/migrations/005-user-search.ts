// Frozen: never edit a migration after it has landed; add the next number instead.
// Prefix search of users by name or email, fast at any size. SQLite answers `GLOB 'prefix*'` from the
// existing unique indexes (BINARY collation); PostgreSQL needs text_pattern_ops indexes for
// `LIKE 'prefix%'` whatever the database's locale.

import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../database.js';

export function up005(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    if (dialect !== 'postgres') return;
    await sql`create index users_username_prefix on users (username text_pattern_ops)`.execute(db);
    await sql`create index users_email_prefix on users (email text_pattern_ops)`.execute(db);
  };
}
