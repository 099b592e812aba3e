// Queries on users. Callers pass the database or an open transaction.

import { sql } from 'kysely';
import type { Executor, Store } from './database.js';
import { type GuardRow, guardColumns } from './guard.js';
import type { NewUserRow, UserRow, UserUpdate } from './schema.js';

export type UserCheckRow = UserRow & GuardRow;

const NAME = '\u0000sentinel-name';
const IP = '\u0000sentinel-ip';
const SOURCE = '\u0000sentinel-source';

/**
 * The primary-password check query: the user by name (or by email address, for clients that sign in
 * with it), with the lockout state for this source.
 */
export function userCheckLookup(
  store: Store,
  by: 'username' | 'email' | 'id' = 'username',
): (name: string, ip: string, source: string) => Promise<UserCheckRow | undefined> {
  const query = store.db
    .selectFrom('users as u')
    .selectAll('u')
    .select(guardColumns('u.id', IP, SOURCE))
    .where(by === 'username' ? 'u.username' : by === 'email' ? 'u.email' : 'u.id', '=', NAME);
  const run = store.prepare(query, [NAME, IP, SOURCE]);
  return async (name, ip, source) => (await run([name, ip, source]))[0] as UserCheckRow | undefined;
}

export function findUserByName(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function insertUser(db: Executor, row: NewUserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(db: Executor, id: string, changes: UserUpdate): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function deleteUserRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/**
 * Takes the user's row lock for the rest of the transaction. In PostgreSQL this is a row lock; SQLite
 * transactions already hold the database write lock (BEGIN IMMEDIATE, see database.ts). Either way, two
 * transactions that take it for one user run one after the other, in one process or many.
 */
export async function lockUser(db: Executor, id: string): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface ListUsersQuery {
  /** Prefix of the username or the email address. */
  search?: string | null;
  /** Usernames after this one (keyset paging stays fast at any depth). */
  after?: string | null;
  /** Leave out disabled users (in the query, so that pages stay full). */
  activeOnly?: boolean;
  limit: number;
}

export function listUsers(db: Executor, q: ListUsersQuery): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().orderBy('username').limit(q.limit);
  if (q.after) query = query.where('username', '>', q.after);
  if (q.activeOnly) query = query.where('disabled_at', 'is', null);
  if (q.search) {
    const s = q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    // Both databases honour an explicit ESCAPE; usernames and emails are stored lowercase.
    const pattern = `${s}%`;
    query = query.where(
      sql<boolean>`(${sql.ref('username')} like ${pattern} escape '\\' or ${sql.ref('email')} like ${pattern} escape '\\')`,
    );
  }
  return query.execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countAdmins(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
