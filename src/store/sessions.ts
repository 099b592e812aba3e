// Queries for browser sessions and remembered devices (core/browser/sessions.ts). Both are found by
// the keyed hash of the browser's token, never by the token itself.

import type { Executor } from './database.js';
import type { BrowserSessionRow, BrowserSessionsTable, RememberedDevicesTable, UserRow } from './schema.js';

// ---- sessions

export async function insertSession(db: Executor, row: BrowserSessionsTable): Promise<void> {
  await db.insertInto('browser_sessions').values(row).execute();
}

/**
 * The columns of a person a session needs: never the password hash or anything secret, so that no
 * caller of the session can hand one on.
 */
export type SessionUserRow = Pick<
  UserRow,
  'id' | 'username' | 'display_name' | 'email' | 'role' | 'two_step_state' | 'language' | 'disabled_at'
>;

export type SessionWithUser = Omit<BrowserSessionRow, 'hash'> & { user: SessionUserRow };

/** A session and its person, in one query; undefined when either is gone. */
export async function findSessionByHash(db: Executor, hash: Buffer): Promise<SessionWithUser | undefined> {
  const r = await db
    .selectFrom('browser_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.created_at',
      's.expires_at',
      's.last_seen_at',
      's.two_step_at',
      's.method',
      's.ip',
      's.user_agent',
      'u.username',
      'u.display_name',
      'u.email',
      'u.role',
      'u.two_step_state',
      'u.language',
      'u.disabled_at',
    ])
    .where('s.hash', '=', hash)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    user_id: r.user_id,
    created_at: r.created_at,
    expires_at: r.expires_at,
    last_seen_at: r.last_seen_at,
    two_step_at: r.two_step_at,
    method: r.method,
    ip: r.ip,
    user_agent: r.user_agent,
    user: {
      id: r.user_id,
      username: r.username,
      display_name: r.display_name,
      email: r.email,
      role: r.role,
      two_step_state: r.two_step_state,
      language: r.language,
      disabled_at: r.disabled_at,
    },
  };
}

/** The session id behind a token, without its person (signing out needs nothing more). */
export async function findSessionIdByHash(db: Executor, hash: Buffer): Promise<string | undefined> {
  const r = await db.selectFrom('browser_sessions').select('id').where('hash', '=', hash).executeTakeFirst();
  return r?.id;
}

export async function updateSession(
  db: Executor,
  id: string,
  changes: Partial<Pick<BrowserSessionsTable, 'last_seen_at' | 'two_step_at' | 'expires_at' | 'method'>>,
): Promise<void> {
  await db.updateTable('browser_sessions').set(changes).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('browser_sessions').where('id', '=', id).execute();
}

/**
 * Ends a person's browser sessions (all, or all but one) — and with them every sign-in that rode on
 * them: the OpenID Connect provider's sessions, grants, codes and tokens of that account, so that a
 * password change, "sign out everywhere", a disabled account or "set up two-step again" also ends
 * every app's access at once (introspection says inactive, refresh fails).
 */
export async function deleteUserSessions(
  db: Executor,
  userId: string,
  exceptId: string | null = null,
): Promise<number> {
  let q = db.deleteFrom('browser_sessions').where('user_id', '=', userId);
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  await db.deleteFrom('oidc_payloads').where('account_id', '=', userId).execute();
  return Number(r.numDeletedRows);
}

/** A person's sessions as the account page lists them: the token's hash stays here. */
export type SessionListRow = Omit<BrowserSessionRow, 'hash'>;

export function listUserSessions(db: Executor, userId: string): Promise<SessionListRow[]> {
  return db
    .selectFrom('browser_sessions')
    .select([
      'id',
      'user_id',
      'created_at',
      'expires_at',
      'last_seen_at',
      'two_step_at',
      'method',
      'ip',
      'user_agent',
    ])
    .where('user_id', '=', userId)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function pruneSessions(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('browser_sessions').where('expires_at', '<', now).execute();
}

// ---- remembered devices

export async function insertDevice(db: Executor, row: RememberedDevicesTable): Promise<void> {
  await db.insertInto('remembered_devices').values(row).execute();
}

export function findDeviceByHash(db: Executor, hash: Buffer) {
  return db
    .selectFrom('remembered_devices')
    .select(['id', 'user_id', 'expires_at'])
    .where('hash', '=', hash)
    .executeTakeFirst();
}

export async function touchDevice(db: Executor, id: string, at: number, ip: string | null): Promise<void> {
  await db.updateTable('remembered_devices').set({ last_used_at: at, ip }).where('id', '=', id).execute();
}

export function listUserDevices(db: Executor, userId: string) {
  return db
    .selectFrom('remembered_devices')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function deleteUserDevices(db: Executor, userId: string): Promise<number> {
  const r = await db.deleteFrom('remembered_devices').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function pruneDevices(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('remembered_devices').where('expires_at', '<', now).execute();
}
