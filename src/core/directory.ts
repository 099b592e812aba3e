// The people directory as the LDAP door shows it: inetOrgPerson-like entries for active users. Service
// accounts and administrators may search it; a person may read their own entry.

import type { UserRow } from '../store/schema.js';
import { findUserByEmail, findUserById, findUserByName, listUsers } from '../store/users.js';
import type { CoreContext } from './context.js';
import { type Actor, authorize, can } from './policy.js';
import { isValidUsername } from './validate.js';

export interface Person {
  id: string;
  username: string;
  email: string | null;
  displayName: string | null;
  role: UserRow['role'];
  /** Group names; today one per role ("users", "helpdesk", "admins"). */
  groups: string[];
}

/** The groups of each role: LDAP's memberOf, OpenID Connect's `groups`, forward-auth's Remote-Groups. */
export const ROLE_GROUPS: Record<UserRow['role'], string[]> = {
  user: ['users'],
  helpdesk: ['users', 'helpdesk'],
  admin: ['users', 'admins'],
};

function person(u: UserRow): Person {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    displayName: u.display_name,
    role: u.role,
    groups: ROLE_GROUPS[u.role],
  };
}

function mayRead(actor: Actor, target: UserRow): boolean {
  return can(actor, 'directory.search') || (actor.kind === 'user' && actor.userId === target.id);
}

/** One person by username, or null (also when the actor may not see them, or they are disabled). */
export async function findPerson(ctx: CoreContext, actor: Actor, username: string): Promise<Person | null> {
  const name = username.trim().toLowerCase();
  if (!isValidUsername(name)) return null;
  const u = await findUserByName(ctx.store.db, name);
  return u && u.disabled_at === null && mayRead(actor, u) ? person(u) : null;
}

export async function findPersonByEmail(
  ctx: CoreContext,
  actor: Actor,
  email: string,
): Promise<Person | null> {
  const e = email.trim().toLowerCase();
  if (e.length > 254) return null;
  const u = await findUserByEmail(ctx.store.db, e);
  return u && u.disabled_at === null && mayRead(actor, u) ? person(u) : null;
}

/**
 * An active person by their stable id, for the OpenID Connect provider's claims (`sub` is the id,
 * never the username, which an administrator may change). The provider asks only for the subject of
 * a token it issued; nobody else can name an id.
 */
export async function personById(ctx: CoreContext, id: string): Promise<Person | null> {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
  const u = await findUserById(ctx.store.db, id);
  return u && u.disabled_at === null ? person(u) : null;
}

/** Active people in username order, after `after`; for searches that no index answers. */
export async function listPeople(
  ctx: CoreContext,
  actor: Actor,
  q: { after?: string | null; limit: number },
): Promise<Person[]> {
  authorize(actor, 'directory.search');
  const rows = await listUsers(ctx.store.db, {
    dialect: ctx.store.dialect,
    after: q.after ?? null,
    activeOnly: true,
    limit: Math.min(Math.max(q.limit, 1), 1000),
  });
  return rows.map(person);
}

export function canSearchDirectory(actor: Actor): boolean {
  return can(actor, 'directory.search');
}
