// Frozen: never edit a migration after it has landed; add the next number instead.
// Device sign-in for app passwords (spec B8, issue 13 item 4). One row per request an app made: the
// device code and the user code are kept only as keyed hashes (HMAC-SHA-256 under hmac.key, each with
// its own context), never in clear, and no app password is ever stored here: it is created when the
// app polls after approval, and handed over once. Rows live for ten minutes and are pruned after.
//
// device_login_guesses counts wrong user codes typed on the approval page, per signed-in person and
// per address, in a window: the codes are short enough for people to type, so guessing is throttled,
// in the store so that every node counts the same attempts.

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up013(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('device_logins')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_hash', blob, (c) => c.notNull().unique())
      .addColumn('user_code_hash', blob, (c) => c.notNull().unique())
      .addColumn('app', 'text', (c) => c.notNull())
      // Where the request came from (the caller's address as the trusted-proxy rules give it).
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('user_agent', 'text')
      // pending → approved → delivered, or pending → denied.
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('interval_seconds', 'integer', (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('expires_at', bigint, (c) => c.notNull())
      .addColumn('last_poll_at', bigint)
      .addColumn('user_id', 'text')
      .addColumn('decided_at', bigint)
      .addColumn('decided_ip', 'text')
      .execute();
    await db.schema.createIndex('device_logins_expires').on('device_logins').column('expires_at').execute();
    await db.schema.createIndex('device_logins_ip').on('device_logins').columns(['ip', 'status']).execute();
    await db.schema
      .createTable('device_login_guesses')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('window_start', bigint, (c) => c.notNull())
      .addColumn('tries', 'integer', (c) => c.notNull())
      .execute();
  };
}
