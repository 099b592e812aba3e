// Frozen: never edit a migration after it has landed; add the next number instead.
// The change feed of the check path (issue 11). Every node serves app-password checks from memory
// (core/check-cache.ts); these triggers write one row per change that could alter a check's answer,
// whoever made it: this node, another node on the same PostgreSQL, or a CLI next to a SQLite server.
// A node reads the rows after its last one and forgets what they name: a user (their app passwords,
// account state, counters, familiar sources), a source address's lock, or everything (settings).
//
// Not fed: the last-used fields of app passwords and the time of a familiar source (the write-behind
// moves them forward every second; they never turn a refusal into an acceptance or the reverse
// except through the auto-revoke age, which the node's own memory keeps fresher than the store).

import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.js';

const SQLITE_NOW = `cast(unixepoch('subsec') * 1000 as integer)`;

export function up009(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    if (dialect === 'postgres') {
      await sql`create table check_changes (
        seq bigserial primary key,
        user_id text,
        source text,
        at bigint not null default (extract(epoch from clock_timestamp()) * 1000)::bigint
      )`.execute(db);
      await sql`create function latchkey_check_change() returns trigger language plpgsql as $$
        declare r record;
        begin
          if TG_OP = 'DELETE' then r := old; else r := new; end if;
          if TG_TABLE_NAME = 'settings' then
            insert into check_changes (user_id, source) values (null, null);
          elsif TG_TABLE_NAME = 'users' then
            insert into check_changes (user_id) values (r.id);
          elsif TG_TABLE_NAME = 'failure_counters' then
            if r.user_id is not null and TG_OP <> 'UPDATE' then
              insert into check_changes (user_id) values (r.user_id);
            end if;
            if r.key like 'ip:%' and (TG_OP <> 'UPDATE' or old.locked_until is distinct from new.locked_until) then
              insert into check_changes (source) values (substr(r.key, 4));
            end if;
          else
            insert into check_changes (user_id) values (r.user_id);
          end if;
          return null;
        end $$`.execute(db);
      // One notification per transaction that changed anything (PostgreSQL folds identical ones):
      // the other nodes then read the feed. Delivered at commit, never for a rolled-back change.
      await sql`create function latchkey_check_notify() returns trigger language plpgsql as $$
        begin
          perform pg_notify('latchkey_check_changes', '');
          return null;
        end $$`.execute(db);
      const each = (name: string, when: string) =>
        sql
          .raw(`create trigger ${name} after ${when} for each row execute function latchkey_check_change()`)
          .execute(db);
      await each('cc_app_passwords_delete', 'delete on app_passwords');
      await each(
        'cc_app_passwords_update',
        'update of label, scopes, expires_at, hash, user_id on app_passwords',
      );
      await each('cc_users', 'update or delete on users');
      await each('cc_failure_counters', 'insert or update or delete on failure_counters');
      await each('cc_familiar_sources', 'insert or delete on familiar_sources');
      await each('cc_settings', 'insert or update or delete on settings');
      await sql`create trigger cc_notify after insert on check_changes
        for each statement execute function latchkey_check_notify()`.execute(db);
      return;
    }
    await sql`create table check_changes (
      seq integer primary key autoincrement,
      user_id text,
      source text,
      at integer not null default (${sql.raw(SQLITE_NOW)})
    )`.execute(db);
    const trigger = (name: string, when: string, body: string) =>
      sql.raw(`create trigger ${name} ${when} begin ${body}; end`).execute(db);
    await trigger(
      'cc_app_passwords_delete',
      'after delete on app_passwords',
      'insert into check_changes (user_id) values (old.user_id)',
    );
    await trigger(
      'cc_app_passwords_update',
      'after update of label, scopes, expires_at, hash, user_id on app_passwords',
      'insert into check_changes (user_id) values (old.user_id)',
    );
    await trigger(
      'cc_users_update',
      'after update on users',
      'insert into check_changes (user_id) values (old.id)',
    );
    await trigger(
      'cc_users_delete',
      'after delete on users',
      'insert into check_changes (user_id) values (old.id)',
    );
    await trigger(
      'cc_counters_user_insert',
      'after insert on failure_counters when new.user_id is not null',
      'insert into check_changes (user_id) values (new.user_id)',
    );
    await trigger(
      'cc_counters_user_delete',
      'after delete on failure_counters when old.user_id is not null',
      'insert into check_changes (user_id) values (old.user_id)',
    );
    await trigger(
      'cc_counters_source_insert',
      `after insert on failure_counters when new.key like 'ip:%'`,
      'insert into check_changes (source) values (substr(new.key, 4))',
    );
    await trigger(
      'cc_counters_source_update',
      `after update on failure_counters when new.key like 'ip:%' and old.locked_until is not new.locked_until`,
      'insert into check_changes (source) values (substr(new.key, 4))',
    );
    await trigger(
      'cc_counters_source_delete',
      `after delete on failure_counters when old.key like 'ip:%'`,
      'insert into check_changes (source) values (substr(old.key, 4))',
    );
    await trigger(
      'cc_familiar_insert',
      'after insert on familiar_sources',
      'insert into check_changes (user_id) values (new.user_id)',
    );
    await trigger(
      'cc_familiar_delete',
      'after delete on familiar_sources',
      'insert into check_changes (user_id) values (old.user_id)',
    );
    for (const op of ['insert', 'update', 'delete']) {
      await trigger(
        `cc_settings_${op}`,
        `after ${op} on settings`,
        'insert into check_changes (user_id) values (null)',
      );
    }
  };
}
