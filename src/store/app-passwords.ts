// Queries on app passwords. The check path reads one row by its keyed hash (a unique index), joined with
// its user; last-used fields are written behind, in batches (core/usage.ts).

import { sql } from 'kysely';
import type { Executor, Store } from './database.js';
import { WRITE_BATCH, yieldToEventLoop } from './database.js';
import { type GuardRow, guardColumns } from './guard.js';
import type { AppPasswordRow, Role, TwoStepState } from './schema.js';

export interface AppPasswordCheckRow extends GuardRow {
  id: string;
  user_id: string;
  label: string;
  scopes: string | null;
  expires_at: number | null;
  last_used_at: number | null;
  last_used_ip: string | null;
  last_used_door: string | null;
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
const SOURCE = '\u0000sentinel-source';

/** The check query: the app password by its keyed hash, its user, and the lockout state of both. */
export function appPasswordLookup(
  store: Store,
): (hash: Buffer, ip: string, source: string) => Promise<AppPasswordCheckRow | undefined> {
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
      'a.last_used_ip',
      'a.last_used_door',
      'a.created_at',
      'u.username',
      'u.email',
      'u.display_name',
      'u.role',
      'u.disabled_at',
      'u.two_step_state',
    ])
    .select(guardColumns('a.user_id', IP, SOURCE))
    .where('a.hash', '=', HASH);
  const run = store.prepare(query, [HASH, IP, SOURCE]);
  return async (hash, ip, source) => (await run([hash, ip, source]))[0] as AppPasswordCheckRow | undefined;
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

/** Users in a two-step state who hold at least one app password, in username order. */
export function usersWithAppPasswords(
  db: Executor,
  state: TwoStepState,
): Promise<{ id: string; username: string; two_step_state: TwoStepState }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'two_step_state'])
    .where('two_step_state', '=', state)
    .where((eb) =>
      eb.exists(
        eb.selectFrom('app_passwords').select('id').whereRef('app_passwords.user_id', '=', 'users.id'),
      ),
    )
    .orderBy('username')
    .execute();
}

export interface LastUse {
  id: string;
  at: number;
  ip: string | null;
  door: string;
}

/**
 * Writes the last-used fields of many app passwords in a few statements (one per WRITE_BATCH rows), never moving a
 * time backwards (another node may have written a later use).
 */
export async function recordLastUses(db: Executor, uses: LastUse[]): Promise<void> {
  for (let i = 0; i < uses.length; i += WRITE_BATCH) {
    if (i > 0) await yieldToEventLoop();
    const rows = uses
      .slice(i, i + WRITE_BATCH)
      .map((u) => sql`(${u.id}, cast(${u.at} as bigint), cast(${u.ip} as text), cast(${u.door} as text))`);
    await sql`with v(id, at, ip, door) as (values ${sql.join(rows)})
      update app_passwords set last_used_at = v.at, last_used_ip = v.ip, last_used_door = v.door
      from v
      where app_passwords.id = v.id and (app_passwords.last_used_at is null or app_passwords.last_used_at < v.at)`.execute(
      db,
    );
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
