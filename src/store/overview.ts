// The administrators' overview (issue 12, item 9): aggregates of the sign-in log and of the audit log
// over a time window, each one GROUP BY query in the database. Nothing here reads rows one by one: the
// answers are a few hundred groups at most (hours × doors × results × credentials), whatever the
// number of users or of events. Times are milliseconds; hours and days are UTC (integer division of
// the epoch time, the same in SQLite and PostgreSQL).

import { sql } from 'kysely';
import type { Executor, Store } from './database.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface Window {
  /** First millisecond counted (inclusive). */
  since: number;
  /** Last millisecond counted (exclusive). */
  until: number;
}

/** Sum of the counts of sign-in events, by hour, door, result, credential and reason. */
export interface HourlyGroup {
  /** Hours since the epoch (UTC). */
  hour: number;
  door: string;
  result: 'accepted' | 'refused';
  credential: string | null;
  /** Why it was refused (null when accepted). */
  reason: string | null;
  count: number;
}

/** Sums are bigint in PostgreSQL and may come back as strings; counts fit in a double. */
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * Sign-ins by hour, door, result, credential and reason: a few dozen groups an hour. Each event is
 * counted at its first attempt (`at`): an aggregate covers one minute, so it never spans two hours.
 */
export async function signInsByHour(db: Executor, w: Window): Promise<HourlyGroup[]> {
  const hour = sql<number>`at / ${sql.lit(HOUR_MS)}`;
  const rows = await db
    .selectFrom('sign_in_events')
    .select([hour.as('hour'), 'door', 'result', 'credential', 'reason', sql<number>`sum(count)`.as('n')])
    .where('at', '>=', w.since)
    .where('at', '<', w.until)
    .groupBy([hour, 'door', 'result', 'credential', 'reason'])
    .execute();
  return rows.map((r) => ({
    hour: num(r.hour),
    door: r.door,
    result: r.result,
    credential: r.credential,
    reason: r.reason,
    count: num(r.n),
  }));
}

export interface LockoutDay {
  /** Days since the epoch (UTC). */
  day: number;
  /** Names (accounts, or names tried that no account has) refused because locked out that day. */
  names: number;
  /** Attempts refused because locked out. */
  attempts: number;
}

/**
 * Lockouts by day: how many names were refused with `locked_out`, and how many attempts. The log
 * holds the refusals a lock caused (sign-in.ts counts them per source, name and minute), which is
 * what a lockout looks like from outside.
 */
export async function lockoutsByDay(
  db: Executor,
  w: Window,
): Promise<{ days: LockoutDay[]; names: number; attempts: number }> {
  const day = sql<number>`at / ${sql.lit(DAY_MS)}`;
  const base = db
    .selectFrom('sign_in_events')
    .where('result', '=', 'refused')
    .where('reason', '=', 'locked_out')
    .where('at', '>=', w.since)
    .where('at', '<', w.until);
  const [rows, total] = await Promise.all([
    base
      .select([
        day.as('day'),
        sql<number>`count(distinct username)`.as('names'),
        sql<number>`sum(count)`.as('attempts'),
      ])
      .groupBy(day)
      .execute(),
    base
      .select([sql<number>`count(distinct username)`.as('names'), sql<number>`sum(count)`.as('attempts')])
      .executeTakeFirst(),
  ]);
  return {
    days: rows.map((r) => ({ day: num(r.day), names: num(r.names), attempts: num(r.attempts) })),
    names: num(total?.names),
    attempts: num(total?.attempts),
  };
}

export interface AppPasswordDay {
  day: number;
  created: number;
  deleted: number;
}

/**
 * App passwords created and deleted by day, from the audit log: `deleted` counts one per deletion,
 * whether the person, the helpdesk (all of a user's at once: the event says how many), a password
 * change or the unused-password housekeeping deleted it.
 */
export async function appPasswordsByDay(store: Store, w: Window): Promise<AppPasswordDay[]> {
  const day = sql<number>`at / ${sql.lit(DAY_MS)}`;
  // How many app passwords one "deleted all" event removed: `count` in its JSON details.
  const many =
    store.dialect === 'postgres'
      ? sql`coalesce((details::jsonb ->> 'count')::bigint, 0)`
      : sql`coalesce(json_extract(details, '$.count'), 0)`;
  const rows = await store.db
    .selectFrom('audit_events')
    .select([
      day.as('day'),
      sql<number>`sum(case when action = 'app_password.created' then 1 else 0 end)`.as('created'),
      sql<number>`sum(case when action = 'app_password.deleted_all' then ${many} when action = 'app_password.created' then 0 else 1 end)`.as(
        'deleted',
      ),
    ])
    .where('action', 'in', [
      'app_password.created',
      'app_password.deleted',
      'app_password.deleted_all',
      'app_password.auto_revoked',
    ])
    .where('at', '>=', w.since)
    .where('at', '<', w.until)
    .groupBy(day)
    .execute();
  return rows.map((r) => ({ day: num(r.day), created: num(r.created), deleted: num(r.deleted) }));
}

export interface PrimaryUser {
  userId: string;
  username: string;
  displayName: string | null;
  /** Accepted sign-ins with the primary password through the given doors. */
  count: number;
  /** When the last of them began (ms; the partial index holds `at`, not `last_at`). */
  lastAt: number;
  /** The doors they came through, most used first. */
  doors: string[];
}

/**
 * The accounts that signed in most often with their primary password through `doors` (the
 * non-browser ones), and how many accounts did so at all.
 */
export async function primaryPasswordUsers(
  db: Executor,
  w: Window,
  doors: readonly string[],
  limit: number,
): Promise<{ accounts: number; top: PrimaryUser[] }> {
  const base = db
    .selectFrom('sign_in_events')
    .where('result', '=', 'accepted')
    .where('credential', '=', 'primary')
    .where('door', 'in', [...doors])
    .where('user_id', 'is not', null)
    .where('at', '>=', w.since)
    .where('at', '<', w.until);
  const [top, total] = await Promise.all([
    db
      .selectFrom(
        base
          .select(['user_id', sql<number>`sum(count)`.as('n'), sql<number>`max(at)`.as('last_at')])
          .groupBy('user_id')
          .orderBy(sql`sum(count)`, 'desc')
          .orderBy('user_id')
          .limit(limit)
          .as('t'),
      )
      .innerJoin('users', 'users.id', 't.user_id')
      .select(['users.id', 'users.username', 'users.display_name', 't.n', 't.last_at'])
      .orderBy('t.n', 'desc')
      .orderBy('users.username')
      .execute(),
    base.select(sql<number>`count(distinct user_id)`.as('accounts')).executeTakeFirst(),
  ]);
  const ids = top.map((r) => r.id);
  const byDoor =
    ids.length === 0
      ? []
      : await base
          .where('user_id', 'in', ids)
          .select(['user_id', 'door', sql<number>`sum(count)`.as('n')])
          .groupBy(['user_id', 'door'])
          .execute();
  const doorsOf = new Map<string, { door: string; n: number }[]>();
  for (const r of byDoor) {
    const list = doorsOf.get(r.user_id!) ?? [];
    list.push({ door: r.door, n: num(r.n) });
    doorsOf.set(r.user_id!, list);
  }
  return {
    accounts: num(total?.accounts),
    top: top.map((r) => ({
      userId: r.id,
      username: r.username,
      displayName: r.display_name,
      count: num(r.n),
      lastAt: num(r.last_at),
      doors: (doorsOf.get(r.id) ?? [])
        .sort((a, b) => b.n - a.n || a.door.localeCompare(b.door))
        .map((d) => d.door),
    })),
  };
}
