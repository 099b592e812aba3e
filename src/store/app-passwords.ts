// Queries on app passwords. The check path reads one row by its keyed hash (a unique index), joined with
// its user; last-used fields are written behind, in batches (core/usage.ts).

import type { Executor, Store } from './database.js';
import { type GuardRow, guardColumns } from './guard.js';
import type { AppPasswordRow, Role, TwoStepState } from './schema.js';

export interface AppPasswordCheckRow extends GuardRow {
  id: string;
  user_id: string;
  label: string;
  scopes: string | null;
  expires_at: number | null;
  last_used_at: number | null;
  created_at: number;
  username: string;
  email: string | null;
  display_name: string | null;
  role: Role;
  disabled_at: number | null;
  two_step_state: TwoStepState;
}

const HASH = Buffer.alloc(32, 0xa5);
const IP = '\u0000sentinel-ip';
const SINCE = -918_273_645;

/** The check query: the app password by its keyed hash, its user, and the lockout state of both. */
export function appPasswordLookup(
  store: Store,
): (hash: Buffer, ip: string, familiarSince: number) => Promise<AppPasswordCheckRow | undefined> {
  const query = store.db
    .selectFrom('app_passwords as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select([
      'a.id',
      'a.user_id',
      'a.label',
      'a.scopes',
      'a.expires_at',
      'a.last_used_at',
      'a.created_at',
      'u.username',
      'u.email',
      'u.display_name',
      'u.role',
      'u.disabled_at',
      'u.two_step_state',
    ])
    .select(guardColumns('a.user_id', IP, SINCE))
    .where('a.hash', '=', HASH);
  const run = store.prepare(query, [HASH, IP, SINCE]);
  return async (hash, ip, familiarSince) =>
    (await run([hash, ip, familiarSince]))[0] as AppPasswordCheckRow | undefined;
}

export function listAppPasswords(db: Executor, userId: string): Promise<Omit<AppPasswordRow, 'hash'>[]> {
  return db
    .selectFrom('app_passwords')
    .select([
      'id',
      'user_id',
      'label',
      'scopes',
      'created_at',
      'expires_at',
      'last_used_at',
      'last_used_ip',
      'last_used_door',
    ])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countAppPasswords(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom('app_passwords')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertAppPassword(db: Executor, row: AppPasswordRow): Promise<void> {
  await db.insertInto('app_passwords').values(row).execute();
}

export async function deleteAppPasswordRow(db: Executor, userId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('app_passwords')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deleteAllAppPasswordRows(db: Executor, userId: string): Promise<number> {
  const r = await db.deleteFrom('app_passwords').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export interface LastUse {
  id: string;
  at: number;
  ip: string | null;
  door: string;
}

export async function recordLastUses(db: Executor, uses: LastUse[]): Promise<void> {
  for (const u of uses) {
    await db
      .updateTable('app_passwords')
      .set({ last_used_at: u.at, last_used_ip: u.ip, last_used_door: u.door })
      .where('id', '=', u.id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', u.at)]))
      .execute();
  }
}

/** App passwords whose last use (or creation, if never used) is before `cutoff`. */
export function findUnusedSince(
  db: Executor,
  cutoff: number,
  limit: number,
): Promise<{ id: string; user_id: string; label: string; username: string; last_used_at: number | null }[]> {
  return db
    .selectFrom('app_passwords as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.user_id', 'a.label', 'u.username', 'a.last_used_at'])
    .where((eb) =>
      eb.or([
        eb('a.last_used_at', '<', cutoff),
        eb.and([eb('a.last_used_at', 'is', null), eb('a.created_at', '<', cutoff)]),
      ]),
    )
    .limit(limit)
    .execute();
}
