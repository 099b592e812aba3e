// Frozen: never edit a migration after it has landed; add the next number instead.

import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.js';

export function up001(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return async (db: Kysely<any>): Promise<void> => {
    // An increasing id orders the logs; each database spells it its own way.
    const seqId = sql.raw(
      dialect === 'postgres'
        ? 'bigint generated always as identity primary key'
        : 'integer primary key autoincrement',
    );

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('email', 'text', (c) => c.unique())
      .addColumn('display_name', 'text')
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('user'))
      .addColumn('disabled_at', bigint)
      .addColumn('password_hash', 'text')
      .addColumn('password_changed_at', bigint)
      .addColumn('password_must_change', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('two_step_state', 'text', (c) => c.notNull().defaultTo('disabled'))
      .addColumn('two_step_changed_at', bigint)
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('app_passwords')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('hash', blob, (c) => c.notNull().unique())
      .addColumn('scopes', 'text')
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('expires_at', bigint)
      .addColumn('last_used_at', bigint)
      .addColumn('last_used_ip', 'text')
      .addColumn('last_used_door', 'text')
      .execute();
    await db.schema.createIndex('app_passwords_user').on('app_passwords').column('user_id').execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sign_in_events')
      .addColumn('id', seqId)
      .addColumn('at', bigint, (c) => c.notNull())
      .addColumn('last_at', bigint, (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('door', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('credential', 'text')
      .addColumn('app_password_id', 'text')
      .addColumn('app_password_label', 'text')
      .addColumn('bucket', 'text', (c) => c.unique())
      .execute();
    await db.schema.createIndex('sign_in_events_at').on('sign_in_events').column('at').execute();
    await db.schema
      .createIndex('sign_in_events_user_at')
      .on('sign_in_events')
      .columns(['user_id', 'at'])
      .execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('id', seqId)
      .addColumn('at', bigint, (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('actor_ip', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('details', 'text')
      .execute();
    await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();

    // The audit log is append-only at the database level too: no UPDATE, no DELETE.
    if (dialect === 'postgres') {
      await sql`create function latchkey_audit_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_events is append-only'; end $$`.execute(db);
      await sql`create trigger audit_events_append_only before update or delete on audit_events
        for each row execute function latchkey_audit_append_only()`.execute(db);
    } else {
      await sql`create trigger audit_events_no_update before update on audit_events
        begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
      await sql`create trigger audit_events_no_delete before delete on audit_events
        begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
    }
  };
}
