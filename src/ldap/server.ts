// The LDAP front door (spec §3): plain LDAP with StartTLS, and LDAPS, on this door's own TCP listeners.
// It speaks the wire protocol only; every bind goes to the core's sign-in decision and every search to
// the core's directory. Built by main.ts; listen() is called there.

import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer } from 'node:tls';
import {
  capConnections,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
  LISTEN_BACKLOG,
  SourceCap,
  ThrottledWarning,
} from '../connections.js';
import type { Core } from '../core/index.js';
import type { DoorContext, Log } from './context.js';
import { DirectoryNames } from './dn.js';
import { noticeOfDisconnection } from './encode.js';
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
  /**
   * Connections one source (an address; IPv6: a /64) may hold on this door, both listeners together;
   * beyond it new ones are refused (default 256; 0 = no cap). Relays (the core's trusted proxies) are
   * exempt: every user's binds arrive through them.
   */
  maxConnectionsPerSource?: number;
  /**
   * How long a connection that is not bound may stay without sending a whole request, and how long a
   * TLS handshake (LDAPS, StartTLS) may take (default 20 s; 0 = no limit).
   */
  anonymousTimeoutMs?: number;
  /** How long a bound connection may stay idle (slapd's idletimeout; default 15 min; 0 = no limit). */
  idleTimeoutMs?: number;
}

export interface LdapServer {
  /** Plain LDAP (with StartTLS when TLS is configured). Resolves to the bound port (0 picks one). */
  listen(port: number, host: string): Promise<number>;
  /** LDAPS. Rejects when no certificate is configured. */
  listenTls(port: number, host: string): Promise<number>;
  /**
   * Stops listening at once; lets every connection's operations in flight answer, then tells its
   * client the server is going and closes it. What is still open after `graceMs` (default 10 s) is cut.
   */
  close(graceMs?: number): Promise<void>;
  /** LDAP connections open now (plain and LDAPS, once past the TLS handshake). */
  openConnections(): number;
}

const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
const DEFAULT_ANONYMOUS_TIMEOUT_MS = 20_000;
const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;
const SHUTDOWN_GRACE_MS = 10_000;
/** A refused connection that does not read its Notice of Disconnection is cut after this. */
const REFUSE_GRACE_MS = 1000;
/** RFC 4511 busy (51), which the protocol package's typings leave out. */
const BUSY = 51;

/**
 * The work one connection has in flight: each call its operations make into the core (a bind's sign-in
 * decision, a service's secret check, a search's directory reads) counts while it runs. A stopping
 * server waits for a connection to have none before it says goodbye, so a bind being checked gets its
 * answer instead of being cut off.
 */
class InFlight {
  private n = 0;
  private onIdle: (() => void) | null = null;

  track<T>(work: Promise<T>): Promise<T> {
    this.n += 1;
    work.then(this.done, this.done);
    return work;
  }

  private readonly done = () => {
    this.n -= 1;
    if (this.n === 0 && this.onIdle !== null) setImmediate(this.check);
  };

  // Looked at a turn of the event loop later: the answer of the work that just ended is written in the
  // promise callbacks after it (and a bind waiting its turn has started by then, and counts).
  private readonly check = () => {
    if (this.n !== 0 || this.onIdle === null) return;
    const f = this.onIdle;
    this.onIdle = null;
    f();
  };

  /** Calls `f` once, as soon as nothing is in flight. */
  whenIdle(f: () => void): void {
    this.onIdle = f;
    setImmediate(this.check);
  }
}

/** The core as one connection's operations see it: every call into it counted in `work`. */
function countedCore(core: Core, work: InFlight): Core {
  const { services, directory } = core;
  return {
    ...core,
    signIn: (attempt) => work.track(core.signIn(attempt)),
    services: {
      ...services,
      authenticate: (secret, name, where) => work.track(services.authenticate(secret, name, where)),
    },
    directory: {
      ...directory,
      findPerson: (actor, name) => work.track(directory.findPerson(actor, name)),
      findPersonByEmail: (actor, email) => work.track(directory.findPersonByEmail(actor, email)),
      personById: (id) => work.track(directory.personById(id)),
      listPeople: (actor, opts) => work.track(directory.listPeople(actor, opts)),
    },
  };
}

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
    anonymousTimeoutMs: deps.anonymousTimeoutMs ?? DEFAULT_ANONYMOUS_TIMEOUT_MS,
    idleTimeoutMs: deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    rootDse: rootDseEntry(names, secureContext !== null),
    baseEntry: baseEntry(names),
    peopleEntry: peopleEntry(names),
  };
  const sessions = new Map<Session, InFlight>();
  const servers: Server[] = [];
  let closing: Promise<void> | null = null;
  const warnings = new ThrottledWarning(log);
  const perSource = new SourceCap({
    perSource: deps.maxConnectionsPerSource ?? DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
    exempt: (ip) => deps.core.ctx.isRelay(ip),
    door: 'ldap',
    warnings,
  });

  /**
   * A new TCP connection, before anything else (for LDAPS: before the TLS handshake), is counted against
   * its source; over the cap it is closed at once. A plain one is first told why (RFC 4511 §4.4.1, busy).
   */
  const admit = (socket: Socket, plain: boolean): boolean => {
    if (!closing && perSource.admit(socket)) return true;
    socket.on('error', () => {});
    if (plain && !closing) {
      // Freed as soon as the notice is handed to the kernel: a refused connection must not count
      // against the listener's own cap for long.
      socket.once('finish', () => socket.destroy());
      socket.end(noticeOfDisconnection(BUSY, 'Too many connections from your address.'));
      setTimeout(() => socket.destroy(), REFUSE_GRACE_MS).unref();
    } else {
      socket.destroy();
    }
    return false;
  };

  const serve = (socket: Socket, secure: boolean) => {
    if (closing) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const work = new InFlight();
    const own: DoorContext = { ...door, core: countedCore(door.core, work) };
    sessions.set(new Session(own, socket, secure, (s) => sessions.delete(s)), work);
  };

  function start(server: Server, port: number, host: string): Promise<number> {
    if (closing) return Promise.reject(new Error('The LDAP server is closed.'));
    capConnections(server, deps.maxConnections ?? DEFAULT_MAX_CONNECTIONS, 'ldap', warnings);
    servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
        server.off('error', reject);
        server.on('error', (err) => log({ err: { message: err.message } }, 'ldap: listener error'));
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  return {
    listen(port, host) {
      // Half-open: a client may send its last requests and shut its side; the answers still go out.
      const server = createServer({ allowHalfOpen: true }, (socket) => {
        if (admit(socket, true)) serve(socket, false);
      });
      return start(server, port, host);
    },

    listenTls(port, host) {
      if (!deps.tls) return Promise.reject(new Error('LDAPS needs a certificate and key.'));
      const server = createTlsServer(
        {
          cert: deps.tls.cert,
          key: deps.tls.key,
          allowHalfOpen: true,
          // A handshake that never finishes would hold its connection like an idle one (the default is 2 min).
          ...(door.anonymousTimeoutMs > 0 ? { handshakeTimeout: door.anonymousTimeoutMs } : {}),
        },
        (socket) => serve(socket, true),
      );
      // The TCP connection, before its handshake: tls.Server's own listener has wrapped it already.
      server.on('connection', (socket: Socket) => admit(socket, false));
      // A failed or timed-out handshake is one client's problem: its socket is closed here (with a listener
      // for this event, Node leaves that to the listener; without one, the error would be unhandled).
      server.on('tlsClientError', (_err, socket) => socket.destroy());
      return start(server, port, host);
    },

    close(graceMs = SHUTDOWN_GRACE_MS) {
      closing ??= (async () => {
        // No new connection from here on (admit and serve refuse them); a listener's close resolves
        // once its last connection has closed.
        const stopped = servers.map(
          (s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve())),
        );
        for (const [s, work] of sessions) work.whenIdle(() => s.shutdown());
        const deadline = setTimeout(() => {
          for (const s of sessions.keys()) s.destroy();
        }, graceMs);
        await Promise.all(stopped);
        clearTimeout(deadline);
      })();
      return closing;
    },

    openConnections() {
      return sessions.size;
    },
  };
}
