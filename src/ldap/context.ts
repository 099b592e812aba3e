// What every part of the LDAP door shares: the core, the directory's names and fixed entries, TLS, the
// log; and what an operation in progress may do on its connection.

import type { SecureContext } from 'node:tls';
import type { Core } from '../core/index.js';
import type { Actor } from '../core/policy.js';
import type { DirectoryNames } from './dn.js';
import type { Entry } from './entries.js';

export type Log = (obj: object, msg: string) => void;

export interface DoorContext {
  readonly core: Core;
  readonly names: DirectoryNames;
  /** null when no certificate is configured: no StartTLS, no LDAPS. */
  readonly secureContext: SecureContext | null;
  readonly log: Log;
  readonly maxMessageBytes: number;
  /** Idle limit of a connection that is not bound, and of a TLS handshake; 0 = none. */
  readonly anonymousTimeoutMs: number;
  /** Idle limit of a bound connection; 0 = none. */
  readonly idleTimeoutMs: number;
  readonly rootDse: Entry;
  readonly baseEntry: Entry;
  readonly peopleEntry: Entry;
}

/** Who a connection is bound as; null while anonymous. */
export interface Identity {
  readonly actor: Actor;
  /** The bound DN, as WhoAmI reports it. */
  readonly dn: string;
}

/** An operation in progress, as its handler sees its connection. */
export interface OperationHandle {
  readonly id: number;
  /** Set by an Abandon request or when the connection closes: stop, and send nothing more. */
  readonly abandoned: boolean;
  send(message: Buffer): void;
  /** Resolves when the client has read enough of what was sent to take more (or the operation ended). */
  writable(): Promise<void>;
}
