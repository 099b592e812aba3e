// Frozen: never edit a migration after it has landed; add the next number instead.
// Admin API tokens: shown once, stored as a keyed hash, expiring, revocable.

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up003(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hash', blob, (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('label', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('expires_at', bigint)
      .addColumn('revoked_at', bigint)
      .addColumn('last_used_at', bigint)
      .execute();
  };
}
