// Who may do what. Every core function that changes or reveals something calls authorize() first, so
// the same rules guard the CLI, the API and the pages.

import type { Role } from '../store/schema.js';
import { LatchkeyError } from './errors.js';

/** Who is acting: the operator at the command line, a signed-in person, or an API token. */
export type Actor =
  | { kind: 'system'; name: string; ip: string | null }
  | { kind: 'user'; userId: string; username: string; role: Role; ip: string | null }
  | { kind: 'token'; tokenId: string; role: Role; ip: string | null }
  /** A program (Dovecot, nginx, an app) bound with a service account's secret. */
  | { kind: 'service'; serviceId: string; name: string; ip: string | null };

export type Action =
  | 'user.read'
  | 'user.create'
  | 'user.update'
  | 'user.delete'
  | 'user.disable'
  | 'user.setRole'
  | 'user.resetPassword'
  | 'user.changeOwnPassword'
  | 'user.unlock'
  | 'twoStep.set'
  | 'twoStep.requireReregistration'
  | 'methods.manage'
  | 'devices.revoke'
  | 'sessions.manage'
  | 'appPassword.create'
  | 'appPassword.list'
  | 'appPassword.delete'
  | 'appPassword.deleteAll'
  | 'services.manage'
  | 'tokens.manage'
  | 'clients.manage'
  /** The apps (OpenID Connect clients) a person has given access to their account. */
  | 'appAccess.list'
  | 'appAccess.revoke'
  | 'keys.manage'
  | 'directory.search'
  | 'settings.read'
  | 'settings.write'
  | 'signIns.read'
  | 'audit.read';

/** What the helpdesk ("company support") may do to other users (R10). */
const HELPDESK: ReadonlySet<Action> = new Set<Action>([
  'user.read',
  'user.resetPassword',
  'user.unlock',
  'twoStep.requireReregistration',
  'devices.revoke',
  'appPassword.list',
  'appPassword.deleteAll',
  'appAccess.list',
  'appAccess.revoke',
  'signIns.read',
]);

/** What every person may do to their own account. */
const SELF: ReadonlySet<Action> = new Set<Action>([
  'user.read',
  'user.changeOwnPassword',
  'appPassword.create',
  'appPassword.list',
  'appPassword.delete',
  'appPassword.deleteAll',
  'appAccess.list',
  'appAccess.revoke',
  'signIns.read',
  'methods.manage',
  'devices.revoke',
  'sessions.manage',
]);

export function actorRole(actor: Actor): Role | 'system' | 'service' {
  return actor.kind === 'system' ? 'system' : actor.kind === 'service' ? 'service' : actor.role;
}

/** Helpdesk support actions that change an account: never on administrators or other helpdesk staff. */
const HELPDESK_CHANGES: ReadonlySet<Action> = new Set<Action>([
  'user.resetPassword',
  'user.unlock',
  'twoStep.requireReregistration',
  'devices.revoke',
  'appPassword.deleteAll',
  'appAccess.revoke',
]);

/**
 * `targetRole` is the role of the account acted on, where the action changes it: without it the
 * helpdesk could reset an administrator's password and sign in as them.
 */
export function can(
  actor: Actor,
  action: Action,
  targetUserId: string | null = null,
  targetRole: Role | null = null,
): boolean {
  const role = actorRole(actor);
  if (role === 'system' || role === 'admin') return true;
  // Services look people up and verify credentials; they change nothing.
  if (role === 'service') return action === 'directory.search';
  if (actor.kind === 'user' && targetUserId !== null && targetUserId === actor.userId && SELF.has(action))
    return true;
  if (role === 'helpdesk' && targetUserId !== null && HELPDESK.has(action)) {
    if (HELPDESK_CHANGES.has(action) && targetRole !== 'user') return false;
    return true;
  }
  if (role === 'helpdesk' && targetUserId === null && (action === 'signIns.read' || action === 'user.read'))
    return true;
  return false;
}

export function authorize(
  actor: Actor,
  action: Action,
  targetUserId: string | null = null,
  targetRole: Role | null = null,
): void {
  if (!can(actor, action, targetUserId, targetRole)) throw new LatchkeyError('FORBIDDEN');
}

/** How an actor is written in the audit log. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'system':
      return `cli:${actor.name}`;
    case 'user':
      return `user:${actor.username}`;
    case 'token':
      return `token:${actor.tokenId}`;
    case 'service':
      return `service:${actor.name}`;
  }
}
