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

/** Live requests not yet decided: from one source (core/validate.ts sourceKey), and in all. */
export async function countPending(
  db: Executor,
  now: number,
  source: string,
): Promise<{ source: number; all: number }> {
  const r = await db
    .selectFrom('device_logins')
    .select((eb) => [
      eb.fn.countAll<number>().as('all'),
      eb.fn.sum<number>(eb.case().when('source', '=', source).then(1).else(0).end()).as('source'),
    ])
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return { source: Number(r.source ?? 0), all: Number(r.all) };
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

/**
 * approved → delivered: exactly one poll wins the app password. Called inside the transaction that
 * creates it, so that a failed write leaves the request approved for the next poll.
 */
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

/** approved → denied for one request: the rules refused its app password when the app came for it. */
export async function denyApproved(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('device_logins')
    .set({ status: 'denied' })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .execute();
}

/**
 * approved → denied for every request a person approved and no app has collected yet: their password
 * changed, their app passwords or sessions were revoked, or the account was disabled. Call it inside
 * that change's transaction, before app passwords are deleted: a poll that already claimed one holds
 * its row until it commits, and the deletion that follows then sees the new app password.
 */
export async function denyApprovedOf(db: Executor, userId: string): Promise<number> {
  const r = await db
    .updateTable('device_logins')
    .set({ status: 'denied' })
    .where('user_id', '=', userId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
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

/**
 * Counts one attempt under `key` and returns the count after it, in one statement (so that parallel
 * attempts each see their own number); a window older than `windowStart` starts over.
 */
export async function countGuess(
  db: Executor,
  key: string,
  now: number,
  windowStart: number,
): Promise<number> {
  const r = await sql<{ tries: number | string }>`insert into device_login_guesses (key, window_start, tries)
    values (${key}, cast(${now} as bigint), 1)
    on conflict (key) do update set
      tries = case when device_login_guesses.window_start <= cast(${windowStart} as bigint) then 1
              else device_login_guesses.tries + 1 end,
      window_start = case when device_login_guesses.window_start <= cast(${windowStart} as bigint)
              then cast(${now} as bigint) else device_login_guesses.window_start end
    returning tries`.execute(db);
  return Number(r.rows[0]!.tries);
}

/** Gives back an attempt counted under `key` that turned out to be a right code. */
export async function refundGuess(db: Executor, key: string): Promise<void> {
  await db
    .updateTable('device_login_guesses')
    .set((eb) => ({ tries: eb('tries', '-', 1) }))
    .where('key', '=', key)
    .where('tries', '>', 0)
    .execute();
}
