// The LDAP front door (spec §3): plain LDAP with StartTLS, and LDAPS, on this door's own TCP listeners.
// It speaks the wire protocol only; every bind goes to the core's sign-in decision and every search to
// the core's directory. Built by main.ts; listen() is called there.

import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer } from 'node:tls';
import type { Core } from '../core/index.js';
import type { DoorContext, Log } from './context.js';
import { DirectoryNames } from './dn.js';
import { baseEntry, peopleEntry, rootDseEntry } from './entries.js';
import { Session } from './session.js';

export interface LdapServerDeps {
  core: Core;
  /** e.g. "dc=example,dc=org" */
  baseDn: string;
  /** Mail domain: a bind as NAME@DOMAIN means NAME. */
  domain: string;
  /** Certificate and key (PEM) for StartTLS and LDAPS; without them neither is offered. */
  tls?: { cert: Buffer; key: Buffer } | null;
  /**
   * Told about protocol errors (one line per closed connection) and failed operations (bugs, outages);
   * wire it to a warn-level logger. Never given a secret; nothing is logged per bind.
   */
  log?: (obj: object, msg: string) => void;
  /**
   * The largest LDAPMessage accepted from a bound client (default 1 MiB; before a bind, at most
   * 64 KiB); a larger one closes its connection.
   */
  maxMessageBytes?: number;
  /** Connections per listener beyond which new ones are refused (default 4096). */
  maxConnections?: number;
}

export interface LdapServer {
  /** Plain LDAP (with StartTLS when TLS is configured). Resolves to the bound port (0 picks one). */
  listen(port: number, host: string): Promise<number>;
  /** LDAPS. Rejects when no certificate is configured. */
  listenTls(port: number, host: string): Promise<number>;
  /** Stops listening, tells every client, and closes every connection. */
  close(): Promise<void>;
}

const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
const SHUTDOWN_GRACE_MS = 500;

export function createLdapServer(deps: LdapServerDeps): LdapServer {
  const names = new DirectoryNames(deps.baseDn, deps.domain);
  const secureContext = deps.tls ? createSecureContext({ cert: deps.tls.cert, key: deps.tls.key }) : null;
  const log: Log = deps.log ?? (() => {});
  const door: DoorContext = {
    core: deps.core,
    names,
    secureContext,
    log,
    maxMessageBytes: deps.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    rootDse: rootDseEntry(names, secureContext !== null),
    baseEntry: baseEntry(names),
    peopleEntry: peopleEntry(names),
  };
  const sessions = new Set<Session>();
  const servers: Server[] = [];
  let closing: Promise<void> | null = null;

  const accept = (secure: boolean) => (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    sessions.add(new Session(door, socket, secure, (s) => sessions.delete(s)));
  };

  function start(server: Server, port: number, host: string): Promise<number> {
    if (closing) return Promise.reject(new Error('The LDAP server is closed.'));
    server.maxConnections = deps.maxConnections ?? 4096;
    servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (err) => log({ err: { message: err.message } }, 'ldap: listener error'));
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  return {
    listen(port, host) {
      // Half-open: a client may send its last requests and shut its side; the answers still go out.
      return start(createServer({ allowHalfOpen: true }, accept(false)), port, host);
    },

    listenTls(port, host) {
      if (!deps.tls) return Promise.reject(new Error('LDAPS needs a certificate and key.'));
      const server = createTlsServer(
        { cert: deps.tls.cert, key: deps.tls.key, allowHalfOpen: true },
        accept(true),
      );
      // A failed handshake is one client's problem; without a listener it would be an unhandled error.
      server.on('tlsClientError', () => {});
      return start(server, port, host);
    },

    close() {
      closing ??= (async () => {
        const stopped = servers.map(
          (s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve())),
        );
        for (const s of sessions) s.shutdown();
        const deadline = setTimeout(() => {
          for (const s of sessions) s.destroy();
        }, SHUTDOWN_GRACE_MS);
        await Promise.all(stopped);
        clearTimeout(deadline);
      })();
      return closing;
    },
  };
}
