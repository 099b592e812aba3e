// The administrators' overview (issue 12, item 9): what the page counts, read from tables whose size
// does not grow with the sign-in log. The hourly sums come from the rollup kept by the database's own
// triggers (migration 011: sign_in_hours), the accounts still on account passwords from one row per
// account (primary_password_users), the names locked out from the refusals' partial index (migration
// 010), app passwords from the audit log. Times are milliseconds; hours and days are UTC (integer
// division of the epoch time, the same in SQLite and PostgreSQL).

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
 * Sign-ins by hour, door, result, credential and reason, from the rollup: a few dozen rows an hour.
 * Each event is counted in the hour of its first attempt (`at`): an aggregate covers one minute, so it
 * never spans two hours.
 */
export async function signInsByHour(db: Executor, w: Window): Promise<HourlyGroup[]> {
  const rows = await db
    .selectFrom('sign_in_hours')
    .select(['hour', 'door', 'result', 'credential', 'reason', 'count'])
    .where('hour', '>=', Math.floor(w.since / HOUR_MS))
    .where('hour', '<', Math.ceil(w.until / HOUR_MS))
    .execute();
  return rows.map((r) => ({
    hour: num(r.hour),
    door: r.door,
    result: r.result,
    credential: r.credential === '' ? null : r.credential,
    reason: r.reason === '' ? null : r.reason,
    count: num(r.count),
  }));
}

/**
 * Names (accounts, or names tried that no account has) refused with `locked_out`, by day and in all.
 * The log holds the refusals a lock caused (sign-in.ts counts them per source, name and minute), which
 * is what a lockout looks like from outside; the refusals' partial index (migration 010) holds only
 * refused rows, so this reads the week's lockout rows and nothing else. How many attempts they were
 * comes from the rollup.
 */
export async function lockedOutNames(
  db: Executor,
  w: Window,
): Promise<{ days: { day: number; names: number }[]; names: number }> {
  const day = sql<number>`at / ${sql.lit(DAY_MS)}`;
  // Each name once a day: the days' counts and the window's are worked out from the same rows.
  const rows = await db
    .selectFrom('sign_in_events')
    .where('reason', '=', 'locked_out')
    .where('result', '=', 'refused')
    .where('at', '>=', w.since)
    .where('at', '<', w.until)
    .select([day.as('day'), 'username'])
    .distinct()
    .execute();
  const perDay = new Map<number, number>();
  for (const r of rows) perDay.set(num(r.day), (perDay.get(num(r.day)) ?? 0) + 1);
  return {
    days: [...perDay].map(([d, names]) => ({ day: d, names })),
    names: new Set(rows.map((r) => r.username)).size,
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
  /** Accepted sign-ins with the account password through the given doors, in the window. */
  count: number;
  /** When the last of them began (ms). */
  lastAt: number;
  /** The doors they came through, most used first. */
  doors: string[];
}

/**
 * The accounts that signed in to an app (a door of `doors`) with their account password in the
 * window: how many, and the `limit` who did so last, with their sign-ins of the window. Both read
 * primary_password_users (one row per account, migration 011) through its index on the time; only the
 * few accounts named read the log, through its index by account.
 */
export async function primaryPasswordUsers(
  db: Executor,
  w: Window,
  doors: readonly string[],
  limit: number,
): Promise<{ accounts: number; top: PrimaryUser[] }> {
  const recent = db
    .selectFrom('primary_password_users')
    .where('last_at', '>=', w.since)
    .where('last_at', '<', w.until);
  const [top, total] = await Promise.all([
    recent
      .innerJoin('users', 'users.id', 'primary_password_users.user_id')
      .select(['users.id', 'users.username', 'users.display_name', 'primary_password_users.last_at'])
      .orderBy('primary_password_users.last_at', 'desc')
      .orderBy('users.username')
      .limit(limit)
      .execute(),
    recent.select(sql<number>`count(*)`.as('accounts')).executeTakeFirst(),
  ]);
  const ids = top.map((r) => r.id);
  const byDoor =
    ids.length === 0
      ? []
      : await db
          .selectFrom('sign_in_events')
          .where('user_id', 'in', ids)
          .where('at', '>=', w.since)
          .where('at', '<', w.until)
          .where('result', '=', 'accepted')
          .where('credential', '=', 'primary')
          .where('door', 'in', [...doors])
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
    top: top.map((r) => {
      const used = (doorsOf.get(r.id) ?? []).sort((a, b) => b.n - a.n || a.door.localeCompare(b.door));
      return {
        userId: r.id,
        username: r.username,
        displayName: r.display_name,
        count: used.reduce((s, d) => s + d.n, 0),
        lastAt: num(r.last_at),
        doors: used.map((d) => d.door),
      };
    }),
  };
}

/**
 * The overview's own retention, the sign-in log's: hours of the rollup and accounts last seen on an
 * account password before `before` (ms). Pruning the log itself subtracts nothing from the rollup.
 */
export async function pruneOverview(db: Executor, before: number): Promise<void> {
  await db
    .deleteFrom('sign_in_hours')
    .where('hour', '<', Math.floor(before / HOUR_MS))
    .execute();
  await db.deleteFrom('primary_password_users').where('last_at', '<', before).execute();
}
