// Frozen: never edit a migration after it has landed; add the next number instead.
// RADIUS reply rules (issue 13): "members of group G get attribute A = V in their Access-Accept",
// for every RADIUS client or for one. `client_id` is '' for "every client" (a unique key cannot hold
// NULL in PostgreSQL, and SQLite NULLs never conflict), so one attribute has at most one value per
// group and client. No foreign key for the same reason: deleting a client deletes its rules in the
// same transaction (core/radius-clients.ts). Values are validated by attribute type before they land
// (core/radius-replies.ts); none can carry a secret.

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up014(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('radius_reply_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('group_name', 'text', (c) => c.notNull())
      .addColumn('attribute', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addUniqueConstraint('radius_reply_rules_one_value', ['client_id', 'group_name', 'attribute'])
      .execute();
  };
}
