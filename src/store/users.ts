// Queries on users. Callers pass the database or an open transaction.

import { sql } from 'kysely';
import type { Dialect, Executor, Store } from './database.js';
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
  /** Which database answers: the prefix search is written for each one's indexes. */
  dialect: Dialect;
  limit: number;
}

export function listUsers(db: Executor, q: ListUsersQuery): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().orderBy('username').limit(q.limit);
  if (q.after) query = query.where('username', '>', q.after);
  if (q.activeOnly) query = query.where('disabled_at', 'is', null);
  if (q.search) query = query.where(prefixOfNameOrEmail(q.dialect, q.search.toLowerCase()));
  return query.execute();
}

/**
 * "username or email starts with `prefix`", in the form each database answers from an index
 * (migration 005): SQLite's LIKE ignores case and so cannot use a BINARY index, its GLOB can;
 * PostgreSQL's LIKE uses the text_pattern_ops indexes. Names and emails are stored lowercase.
 */
function prefixOfNameOrEmail(dialect: Dialect, prefix: string) {
  if (dialect === 'sqlite') {
    // In a GLOB pattern, [x] matches x literally.
    const pattern = `${prefix.replace(/[*?[\]]/g, (c) => `[${c}]`)}*`;
    return sql<boolean>`(${sql.ref('username')} glob ${pattern} or ${sql.ref('email')} glob ${pattern})`;
  }
  const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`(${sql.ref('username')} like ${pattern} escape '\\' or ${sql.ref('email')} like ${pattern} escape '\\')`;
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
