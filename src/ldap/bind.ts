// Simple bind (RFC 4513 §5.1): a person's name and app password (or primary password, where the rules
// allow) go to the core's one sign-in decision; a service account's secret to the service check. Every
// refusal, whatever its reason, gets the same answer; the reason goes to the sign-in log (the core writes
// it). Nothing here logs, and no answer repeats what the client sent.

import protocol from '@ldapjs/protocol';
import type { DoorContext, Identity } from './context.js';

const RC = protocol.resultCodes;

export interface BindOutcome {
  code: number;
  message: string;
  /** The connection's identity from now on: null is anonymous (also after any failed bind). */
  identity: Identity | null;
}

const REFUSED: BindOutcome = {
  code: RC.INVALID_CREDENTIALS,
  message: 'Invalid credentials. Apps that cannot do two-step verification sign in with an app password.',
  identity: null,
};
const ANONYMOUS: BindOutcome = { code: RC.SUCCESS, message: '', identity: null };

export async function bind(
  door: DoorContext,
  req: { version: number; name: string; password: Buffer | null },
  ip: string | null,
): Promise<BindOutcome> {
  if (req.version !== 3) {
    return { code: RC.PROTOCOL_ERROR, message: 'Only LDAP version 3 is supported.', identity: null };
  }
  if (req.password === null) {
    return { code: RC.AUTH_METHOD_NOT_SUPPORTED, message: 'Only simple bind is offered.', identity: null };
  }
  if (req.password.length === 0) {
    if (req.name.length === 0) return ANONYMOUS;
    // A name without a password is an "unauthenticated bind" (RFC 4513 §5.1.2): it must not succeed,
    // or a client that forgets the password would be let in as anonymous while believing it was bound.
    return {
      code: RC.UNWILLING_TO_PERFORM,
      message: 'Unauthenticated bind (a name without a password) is not allowed.',
      identity: null,
    };
  }
  const target = door.names.bindTarget(req.name);
  if (target === null) return REFUSED;
  const secret = req.password.toString('utf8');
  if (target.kind === 'service') {
    const service = await door.core.services.authenticate(secret, target.name, { door: 'ldap', ip });
    if (service === null) return REFUSED;
    return {
      code: RC.SUCCESS,
      message: '',
      identity: {
        actor: { kind: 'service', serviceId: service.id, name: service.name, ip },
        dn: door.names.serviceDn(service.name),
      },
    };
  }
  const r = await door.core.signIn({ username: target.username, secret, door: 'ldap', ip, userAgent: null });
  if (!r.ok) return REFUSED;
  return {
    code: RC.SUCCESS,
    message: '',
    identity: {
      actor: { kind: 'user', userId: r.user.id, username: r.user.username, role: r.user.role, ip },
      dn: door.names.personDn(r.user.username),
    },
  };
}
