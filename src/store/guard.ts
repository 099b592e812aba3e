// Failure counters (throttling, smart lockout) and familiar sources. The check path reads them inside
// its one lookup query (see guardColumns); they are written only on failures, on the first success after
// failures, and behind, in batches, for familiar sources.

import { sql } from 'kysely';
import type { Executor } from './database.js';
import { WRITE_BATCH, yieldToEventLoop } from './database.js';
import type { FailureCountersTable } from './schema.js';

export const FAMILIAR_DAYS = 30;

/**
 * Columns added to a check query whose row has a user id column `userIdRef`: when the account last
 * succeeded from `ip` (familiar if recent), whether the account has any failure counter at all (almost
 * never: then they are read separately), and until when the source is locked. Each is one index
 * lookup, in SQL that SQLite and PostgreSQL both read.
 */
export function guardColumns(userIdRef: string, ip: string, source: string) {
  const uid = sql.ref(userIdRef);
  return [
    sql<
      number | null
    >`(select fs.last_success_at from familiar_sources fs where fs.user_id = ${uid} and fs.ip = ${ip})`.as(
      'g_familiar_at',
    ),
    sql<boolean>`exists(select 1 from failure_counters fc where fc.user_id = ${uid})`.as('g_counters'),
    sql<
      number | null
    >`(select fi.locked_until from failure_counters fi where fi.key = 'ip:' || ${source})`.as('g_ip_locked'),
  ];
}

export interface GuardRow {
  g_familiar_at: number | null;
  g_counters: number | boolean;
  g_ip_locked: number | null;
}

/** `source` is the counter key of an address (core/validate.ts sourceKey). */
export async function sourceLockedUntil(db: Executor, source: string): Promise<number | null> {
  const r = await db
    .selectFrom('failure_counters')
    .select('locked_until')
    .where('key', '=', `ip:${source}`)
    .executeTakeFirst();
  return r?.locked_until ?? null;
}

/** The locks (those set) of the given counters. */
export async function lockedUntilOf(db: Executor, keys: string[]): Promise<number[]> {
  const rows = await db
    .selectFrom('failure_counters')
    .select('locked_until')
    .where('key', 'in', keys)
    .where('locked_until', 'is not', null)
    .execute();
  return rows.map((r) => Number(r.locked_until));
}

export type CounterRow = FailureCountersTable;

/** Reads a counter for update inside a transaction (creating it empty), so that concurrent failures add up. */
export async function lockCounter(
  db: Executor,
  key: string,
  userId: string | null,
  now: number,
): Promise<CounterRow> {
  await db
    .insertInto('failure_counters')
    .values({
      key,
      user_id: userId,
      failures: 0,
      first_failure_at: now,
      last_failure_at: now,
      locked_until: null,
      lock_level: 0,
      recent_tags: null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  // In PostgreSQL the update takes the row lock; SQLite transactions already hold the write lock.
  await db
    .updateTable('failure_counters')
    .set((eb) => ({ failures: eb.ref('failures') }))
    .where('key', '=', key)
    .execute();
  return db.selectFrom('failure_counters').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
}

export async function saveCounter(db: Executor, row: CounterRow): Promise<void> {
  const { key, ...rest } = row;
  await db.updateTable('failure_counters').set(rest).where('key', '=', key).execute();
}

export async function deleteCounters(db: Executor, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.deleteFrom('failure_counters').where('key', 'in', keys).execute();
}

export async function deleteUserCounters(db: Executor, userId: string): Promise<number> {
  const r = await db.deleteFrom('failure_counters').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listUserCounters(db: Executor, userId: string): Promise<CounterRow[]> {
  return db.selectFrom('failure_counters').selectAll().where('user_id', '=', userId).execute();
}

export async function recordFamiliarSources(
  db: Executor,
  sources: { userId: string; ip: string; at: number }[],
): Promise<void> {
  for (let i = 0; i < sources.length; i += WRITE_BATCH) {
    if (i > 0) await yieldToEventLoop();
    await db
      .insertInto('familiar_sources')
      .values(
        sources
          .slice(i, i + WRITE_BATCH)
          .map((s) => ({ user_id: s.userId, ip: s.ip, last_success_at: s.at })),
      )
      .onConflict((oc) =>
        oc.columns(['user_id', 'ip']).doUpdateSet({
          last_success_at: sql<number>`case when excluded.last_success_at > familiar_sources.last_success_at then excluded.last_success_at else familiar_sources.last_success_at end`,
        }),
      )
      .execute();
  }
}

export async function pruneFamiliarSources(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('familiar_sources').where('last_success_at', '<', before).execute();
}

/** Counters that are not locked and saw no failure since `before` (their lock level has decayed too). */
export async function pruneCounters(db: Executor, now: number, before: number): Promise<number> {
  const r = await db
    .deleteFrom('failure_counters')
    .where('last_failure_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
