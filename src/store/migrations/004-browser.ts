// Frozen: never edit a migration after it has landed; add the next number instead.
// Browser sign-in: two-step methods (TOTP, WebAuthn, recovery codes), persisted sign-in flows,
// server-side sessions and remembered devices. Every token a browser holds is stored as a keyed hash.

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up004(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('two_step_methods')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('last_used_at', bigint)
      // TOTP: the seed sealed with AES-256-GCM under encryption.key; the last time step accepted.
      .addColumn('totp_secret', 'text')
      .addColumn('totp_last_step', bigint)
      // WebAuthn: credential id (base64url), COSE public key, signature counter, transports.
      .addColumn('credential_id', 'text', (c) => c.unique())
      .addColumn('public_key', blob)
      .addColumn('sign_count', bigint)
      .addColumn('transports', 'text')
      .execute();
    await db.schema.createIndex('two_step_methods_user').on('two_step_methods').column('user_id').execute();

    await db.schema
      .createTable('recovery_codes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('hash', blob, (c) => c.notNull().unique())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('used_at', bigint)
      .execute();
    await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute();

    await db.schema
      .createTable('sign_in_flows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hash', blob, (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('step', 'text', (c) => c.notNull())
      // JSON: the step's state (a pending TOTP seed is sealed, never plain).
      .addColumn('data', 'text')
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('expires_at', bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sign_in_flows_expires').on('sign_in_flows').column('expires_at').execute();

    await db.schema
      .createTable('browser_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hash', blob, (c) => c.notNull().unique())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('expires_at', bigint, (c) => c.notNull())
      .addColumn('last_seen_at', bigint, (c) => c.notNull())
      // When the person last passed a two-step check in this session (sudo mode, B7).
      .addColumn('two_step_at', bigint)
      .addColumn('method', 'text')
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('browser_sessions_user').on('browser_sessions').column('user_id').execute();

    await db.schema
      .createTable('remembered_devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hash', blob, (c) => c.notNull().unique())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('expires_at', bigint, (c) => c.notNull())
      .addColumn('last_used_at', bigint)
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema
      .createIndex('remembered_devices_user')
      .on('remembered_devices')
      .column('user_id')
      .execute();
  };
}
