// Frozen: never edit a migration after it has landed; add the next number instead.
// The addresses service accounts authenticate from (Nextcloud, Gitea, a mail server): such an address
// carries its users' attempts and is treated as a relay (no source counter), on every node.

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up006(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('service_sources')
      .addColumn('ip', 'text', (c) => c.primaryKey())
      .addColumn('service_id', 'text', (c) =>
        c.notNull().references('service_accounts.id').onDelete('cascade'),
      )
      .addColumn('last_at', bigint, (c) => c.notNull())
      .execute();
  };
}
