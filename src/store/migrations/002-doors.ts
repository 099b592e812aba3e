// Frozen: never edit a migration after it has landed; add the next number instead.
// Service accounts (for Dovecot, nginx, apps), failure counters for throttling and smart lockout, and
// the sources where each account signed in successfully (what makes a source "familiar").

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up002(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('service_accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('hash', blob, (c) => c.notNull().unique())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('last_used_at', bigint)
      .execute();

    // One row per counter: `u:<user id>:<primary|app>:<familiar|unfamiliar>` or `ip:<address>`.
    await db.schema
      .createTable('failure_counters')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('first_failure_at', bigint, (c) => c.notNull())
      .addColumn('last_failure_at', bigint, (c) => c.notNull())
      .addColumn('locked_until', bigint)
      .addColumn('lock_level', 'integer', (c) => c.notNull().defaultTo(0))
      // Short keyed tags of the last wrong secrets: a client retrying one stale password counts once.
      .addColumn('recent_tags', 'text')
      .execute();
    await db.schema.createIndex('failure_counters_user').on('failure_counters').column('user_id').execute();

    await db.schema
      .createTable('familiar_sources')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('last_success_at', bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('familiar_sources_pk', ['user_id', 'ip'])
      .execute();
  };
}
