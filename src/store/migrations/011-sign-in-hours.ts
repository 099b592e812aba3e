// Frozen: never edit a migration after it has landed; add the next number instead.
// The administrators' overview (issue 12, item 9) counted a week of the sign-in log in GROUP BY queries:
// 4 million rows at 100,000 users, tens of seconds on SQLite, with every door waiting behind it. This
// rollup holds the same sums by hour, door, result, refusal reason and credential, kept by the
// database itself, so every writer is counted: the write-behind's minute aggregates (an insert, then
// updates of `count`), the refusals written at once, other nodes, a CLI, an import. The page reads a
// few thousand rows whatever the size of the log.
//
// Beside it, one row per account that let an app sign in with its account password, with when it last
// did (primary_password_users): the page counts and names those of its window from an index, where it
// ranked a week of log rows per account before.
//
// Key columns hold '' for "none" (a primary key cannot hold NULL in PostgreSQL, and in SQLite NULLs
// would never conflict). An event is counted in the hour of its first attempt (`at`): an aggregate
// covers one minute, so it never spans two hours. Pruning the log does not subtract: the rollup keeps
// its own retention (core/sign-in-log.ts prunes both).
//
// PostgreSQL: several nodes write the same few rows (this hour's accepted IMAP checks...) inside
// transactions of many statements, in no common order; updated as each event is written, the rows
// would be locked in different orders and the flushes of two nodes would deadlock. The events' changes
// are therefore staged, and folded in at commit under one transaction-scoped advisory lock: the
// rollup's rows are only ever locked by the one transaction holding it, for the length of its commit.

import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.js';

/** pg_advisory_xact_lock key of the rollup's writers ("LKsih" in ASCII). */
export const SIGN_IN_HOURS_LOCK = 0x4c4b736968;

export function up011(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    // PostgreSQL runs each migration in a transaction; SQLite's migrations run without one, and the
    // table, its triggers and the back-fill must appear together (another process may be writing).
    if (dialect === 'postgres') return create(db, dialect);
    await sql`begin immediate`.execute(db);
    try {
      await create(db, dialect);
      await sql`commit`.execute(db);
    } catch (e) {
      await sql`rollback`.execute(db);
      throw e;
    }
  };
}

/** Accepted sign-ins with an account password through an app's door (not the browser, not OpenID Connect). */
const PRIMARY = (r: string) =>
  `${r}.result = 'accepted' and ${r}.credential = 'primary' and ${r}.user_id is not null
    and ${r}.door not in ('browser', 'oidc')`;

/** Transaction-local counters of changes staged and folded (PostgreSQL). */
const STAGED = `coalesce(nullif(current_setting('latchkey.hours_staged', true), ''), '0')::bigint`;
const FOLDED = `coalesce(nullif(current_setting('latchkey.hours_folded', true), ''), '0')::bigint`;

async function create(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await sql`create table sign_in_hours (
      hour ${sql.raw(bigint)} not null,
      door text not null,
      result text not null,
      reason text not null default '',
      credential text not null default '',
      count ${sql.raw(bigint)} not null,
      primary key (hour, door, result, reason, credential)
    )`.execute(db);
  // Who still lets an app use their account password, and when one last did (the start of the event):
  // the overview names the latest of them and counts those of its window from the index, instead of
  // ranking a week of the log's rows per account.
  await sql`create table primary_password_users (
      user_id text primary key references users (id) on delete cascade,
      last_at ${sql.raw(bigint)} not null,
      door text not null
    )`.execute(db);
  await sql`create index primary_password_users_last_at on primary_password_users (last_at)`.execute(db);

  const addHour = (delta: string) =>
    `insert into sign_in_hours (hour, door, result, reason, credential, count)
        values (new.at / 3600000, new.door, new.result, coalesce(new.reason, ''), coalesce(new.credential, ''), ${delta})
        on conflict (hour, door, result, reason, credential)
        do update set count = sign_in_hours.count + excluded.count`;
  const seen = `insert into primary_password_users (user_id, last_at, door) values (new.user_id, new.at, new.door)
        on conflict (user_id) do update set last_at = excluded.last_at, door = excluded.door
        where excluded.last_at >= primary_password_users.last_at`;

  if (dialect === 'postgres') {
    // Each event's change goes to a staging table as it is written (no lock anyone else needs); at
    // commit the first of the deferred calls sums the transaction's changes and writes them, one row
    // per key in key order, under the advisory lock. A transaction that updated one hour's row
    // thousands of times would otherwise leave thousands of versions of it to walk.
    await sql`create table sign_in_hour_changes (
        tx bigint not null,
        hour bigint not null,
        door text not null,
        result text not null,
        reason text not null,
        credential text not null,
        count bigint not null,
        user_id text,
        at bigint not null
      )`.execute(db);
    await sql`create index sign_in_hour_changes_tx on sign_in_hour_changes (tx)`.execute(db);
    await sql
      .raw(`create function latchkey_sign_in_hours() returns trigger language plpgsql as $$
        declare delta bigint;
        begin
          if TG_OP = 'INSERT' then delta := new.count; else delta := new.count - old.count; end if;
          if delta <> 0 or (TG_OP = 'INSERT' and ${PRIMARY('new')}) then
            perform set_config('latchkey.hours_staged', (${STAGED} + 1)::text, true);
            insert into sign_in_hour_changes (tx, hour, door, result, reason, credential, count, user_id, at)
              values (txid_current(), new.at / 3600000, new.door, new.result, coalesce(new.reason, ''),
                coalesce(new.credential, ''), delta,
                case when TG_OP = 'INSERT' and ${PRIMARY('new')} then new.user_id end, new.at);
          end if;
          return null;
        end $$`)
      .execute(db);
    await sql`create trigger sign_in_hours_count
        after insert or update of count on sign_in_events
        for each row execute function latchkey_sign_in_hours()`.execute(db);
    await sql
      .raw(`create function latchkey_sign_in_hours_fold() returns trigger language plpgsql as $$
        begin
          -- The transaction's other calls: nothing was staged since the fold (a transaction-local
          -- counter; looking in the table would walk every row the fold deleted, once per call).
          if ${FOLDED} = ${STAGED} then return null; end if;
          perform set_config('latchkey.hours_folded', ${STAGED}::text, true);
          perform pg_advisory_xact_lock(${SIGN_IN_HOURS_LOCK});
          with d as (delete from sign_in_hour_changes where tx = new.tx returning *),
          h as (
            insert into sign_in_hours (hour, door, result, reason, credential, count)
              select hour, door, result, reason, credential, sum(count) from d
              group by hour, door, result, reason, credential having sum(count) <> 0
              order by hour, door, result, reason, credential
              on conflict (hour, door, result, reason, credential)
              do update set count = sign_in_hours.count + excluded.count
          )
          insert into primary_password_users (user_id, last_at, door)
            select distinct on (user_id) user_id, at, door from d where user_id is not null
            order by user_id, at desc
            on conflict (user_id) do update set last_at = excluded.last_at, door = excluded.door
            where excluded.last_at >= primary_password_users.last_at;
          return null;
        end $$`)
      .execute(db);
    await sql`create constraint trigger sign_in_hour_changes_fold
        after insert on sign_in_hour_changes
        deferrable initially deferred
        for each row execute function latchkey_sign_in_hours_fold()`.execute(db);
  } else {
    await sql
      .raw(`create trigger sign_in_hours_insert after insert on sign_in_events
        begin ${addHour('new.count')}; end`)
      .execute(db);
    await sql
      .raw(`create trigger sign_in_hours_update after update of count on sign_in_events
        when new.count <> old.count
        begin ${addHour('new.count - old.count')}; end`)
      .execute(db);
    await sql
      .raw(`create trigger primary_password_users_insert after insert on sign_in_events
        when ${PRIMARY('new')}
        begin ${seen}; end`)
      .execute(db);
  }

  // What the log already holds, counted once.
  await sql`insert into sign_in_hours (hour, door, result, reason, credential, count)
      select at / 3600000, door, result, coalesce(reason, ''), coalesce(credential, ''), sum(count)
      from sign_in_events
      group by at / 3600000, door, result, coalesce(reason, ''), coalesce(credential, '')`.execute(db);
  // Each account's latest such sign-in (PostgreSQL picks the row with distinct on; in SQLite the
  // bare columns of a max() query come from the row holding the maximum).
  const latest =
    dialect === 'postgres'
      ? `select distinct on (user_id) user_id, at, door from sign_in_events e
           where ${PRIMARY('e')} order by user_id, at desc`
      : `select user_id, max(at), door from sign_in_events e where ${PRIMARY('e')} group by user_id`;
  await sql.raw(`insert into primary_password_users (user_id, last_at, door) ${latest}`).execute(db);
}
