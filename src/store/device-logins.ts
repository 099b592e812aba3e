// Queries on device sign-in requests (spec B8). Every change of state is one conditional UPDATE, so
// that two nodes (or two polls) racing for the same request see exactly one winner.

import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { DeviceLoginsTable } from './schema.js';

export type DeviceLoginRow = DeviceLoginsTable;

export async function insertDeviceLogin(db: Executor, row: DeviceLoginRow): Promise<void> {
  await db.insertInto('device_logins').values(row).execute();
}

export function findByDeviceHash(db: Executor, hash: Buffer): Promise<DeviceLoginRow | undefined> {
  return db.selectFrom('device_logins').selectAll().where('device_hash', '=', hash).executeTakeFirst();
}

export function findByUserCodeHash(db: Executor, hash: Buffer): Promise<DeviceLoginRow | undefined> {
  return db.selectFrom('device_logins').selectAll().where('user_code_hash', '=', hash).executeTakeFirst();
}

/** Live requests not yet decided: from one address, and in all. */
export async function countPending(
  db: Executor,
  now: number,
  ip: string,
): Promise<{ ip: number; all: number }> {
  const r = await db
    .selectFrom('device_logins')
    .select((eb) => [
      eb.fn.countAll<number>().as('all'),
      eb.fn.sum<number>(eb.case().when('ip', '=', ip).then(1).else(0).end()).as('ip'),
    ])
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return { ip: Number(r.ip ?? 0), all: Number(r.all) };
}

/**
 * Takes this poll if the last one taken was at least `minGapMs` ago (the interval, less a little for
 * network jitter): false means the app polls too fast (slow_down).
 */
export async function takePoll(db: Executor, id: string, now: number, minGapMs: number): Promise<boolean> {
  const r = await db
    .updateTable('device_logins')
    .set({ last_poll_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_poll_at', 'is', null), eb('last_poll_at', '<=', now - minGapMs)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** pending → approved or denied, while it is live; false when it was no longer pending. */
export async function decide(
  db: Executor,
  id: string,
  to: 'approved' | 'denied',
  by: { userId: string; ip: string | null; at: number },
): Promise<boolean> {
  const r = await db
    .updateTable('device_logins')
    .set({ status: to, user_id: by.userId, decided_ip: by.ip, decided_at: by.at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', by.at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** approved → delivered: exactly one poll wins the app password. */
export async function claimApproved(db: Executor, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('device_logins')
    .set({ status: 'delivered' })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes requests expired before `before`, and guess counters whose window ended. */
export async function pruneDeviceLogins(
  db: Executor,
  before: number,
  guessesBefore: number,
): Promise<number> {
  const r = await db.deleteFrom('device_logins').where('expires_at', '<', before).executeTakeFirst();
  await db.deleteFrom('device_login_guesses').where('window_start', '<', guessesBefore).execute();
  return Number(r.numDeletedRows);
}

/** Wrong codes counted under `key` in the window that started after `windowStart`. */
export async function guessesSince(db: Executor, key: string, windowStart: number): Promise<number> {
  const r = await db
    .selectFrom('device_login_guesses')
    .select('tries')
    .where('key', '=', key)
    .where('window_start', '>', windowStart)
    .executeTakeFirst();
  return r ? Number(r.tries) : 0;
}

/** Counts one wrong code under `key`; a window older than `windowStart` starts over. One statement. */
export async function countGuess(db: Executor, key: string, now: number, windowStart: number): Promise<void> {
  await sql`insert into device_login_guesses (key, window_start, tries)
    values (${key}, cast(${now} as bigint), 1)
    on conflict (key) do update set
      tries = case when device_login_guesses.window_start <= cast(${windowStart} as bigint) then 1
              else device_login_guesses.tries + 1 end,
      window_start = case when device_login_guesses.window_start <= cast(${windowStart} as bigint)
              then cast(${now} as bigint) else device_login_guesses.window_start end`.execute(db);
}
