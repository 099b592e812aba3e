// One client connection: cuts the stream into messages, runs them, answers in order of completion, and
// keeps what one client can make the server hold bounded.
//
// Flow control: at most MAX_OUTSTANDING operations run at once; a bind or StartTLS waits until the
// operations before it have finished and runs alone (RFC 4511 §4.2.1, §4.14.1). While the connection
// cannot take more work, or the client is not reading its answers, at most READ_AHEAD bytes are read
// ahead and then the socket is paused, so a flood of requests on one connection waits in the client's
// TCP window, not in this process.
//
// Idle limits (slapd's idletimeout and writetimeout; Active Directory's MaxConnIdleTime): a connection
// that is not bound is closed when it has sent no whole request for the anonymous timeout, a bound one
// after the idle timeout; a TLS handshake must finish within the anonymous timeout. Only whole requests
// count as activity, so dribbling bytes keeps nothing open. An operation in progress (a bind being
// checked, a search being answered to a slow reader) is not cut: the clock starts again when the work
// ends. But work that waits for a client that reads nothing of its answers for as long is stalled, not
// busy: that connection is cut too (else a client could hold an unbound connection by not reading).

import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import protocol from '@ldapjs/protocol';
import { bind } from './bind.js';
import type { DoorContext, Identity, OperationHandle } from './context.js';
import { decodeRequest, OperationError, ProtocolError, type Request } from './decode.js';
import { extendedResponse, noticeOfDisconnection, result } from './encode.js';
import { START_TLS_OID, WHO_AM_I_OID } from './entries.js';
import { FrameError, Framer } from './framing.js';
import { compare, search } from './search.js';

const RC = protocol.resultCodes;
const OP = protocol.operations;

const MAX_OUTSTANDING = 64;
/**
 * Before a successful bind a client needs only small messages (bind, rootDSE, StartTLS), so the full
 * size cap applies once bound: thousands of unauthenticated connections cannot each hold a megabyte of
 * half-sent message. (slapd does the same with sockbuf_max_incoming.)
 */
const ANONYMOUS_MAX_MESSAGE_BYTES = 64 * 1024;
const READ_AHEAD = 64 * 1024;
/** Output queued for a client that is not reading: beyond this, no new work is started. */
const OUTPUT_HIGH_WATER = 256 * 1024;
/** How long a closing connection may take to flush its last answer before it is cut. */
const CLOSE_GRACE_MS = 2000;

const READ_ONLY = "Latchkey's directory is read-only.";

class Operation implements OperationHandle {
  abandoned = false;
  constructor(
    readonly id: number,
    private readonly session: Session,
  ) {}
  send(message: Buffer): void {
    if (!this.abandoned) this.session.send(message);
  }
  writable(): Promise<void> {
    return this.abandoned ? Promise.resolve() : this.session.writable();
  }
}

/** "::ffff:192.0.2.1" → "192.0.2.1": one client is one source for lockout, whatever the socket family. */
function clientIp(socket: Socket): string | null {
  const a = socket.remoteAddress;
  if (a === undefined) return null;
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

export class Session {
  private socket: Socket;
  private secure: boolean;
  private readonly framer: Framer;
  private readonly ip: string | null;
  private identity: Identity | null = null;
  private readonly active = new Set<Operation>();
  /** A bind or StartTLS waiting for the operations before it. */
  private pendingBarrier: Request | null = null;
  private barrierRunning = false;
  private closed = false;
  private peerEnded = false;
  private paused = false;
  private corked = false;
  private drainWaiters: Array<() => void> = [];
  private closeTimer: NodeJS.Timeout | null = null;
  /** When the last whole request arrived or the last operation ended. */
  private lastActive = Date.now();
  private idleTimer: NodeJS.Timeout | null = null;
  /** When idleTimer fires: it is only moved earlier, never later (it re-arms itself if early). */
  private idleDue = 0;
  /** Since when work has been waiting for the client to read (meaningful while drainWaiters is not empty). */
  private stalledSince = 0;
  /** Bytes the kernel had taken from this connection when stalledSince was last set. */
  private flushedAtCheck = 0;
  /** Between StartTLS's answer and the end of its handshake. */
  private handshaking = false;

  constructor(
    private readonly door: DoorContext,
    socket: Socket,
    secure: boolean,
    private readonly onClosed: (s: Session) => void,
  ) {
    this.socket = socket;
    this.secure = secure;
    this.ip = clientIp(socket);
    this.framer = new Framer(Math.min(door.maxMessageBytes, ANONYMOUS_MAX_MESSAGE_BYTES));
    this.attach(socket);
    this.armIdle();
  }

  // Listeners are fields so that StartTLS can move them from the plain socket to the TLS one.
  private readonly onData = (chunk: Buffer) => {
    // After close, what the client still sends is dropped, not buffered.
    if (this.closed) return;
    this.framer.push(chunk);
    this.pump();
  };
  private readonly onEnd = () => {
    this.peerEnded = true;
    this.pump();
  };
  private readonly onDrain = () => {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
    this.pump();
  };
  private readonly onError = () => {
    // Resets and TLS failures of one client are routine; 'close' follows and cleans up.
  };
  private readonly onClose = () => {
    this.closed = true;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const op of this.active) op.abandoned = true;
    this.onDrain();
    this.framer.clear();
    this.onClosed(this);
  };
  private readonly uncork = () => {
    this.corked = false;
    this.socket.uncork();
  };

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('drain', this.onDrain);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  /** Hands the socket over to TLS; an error listener stays, so that nothing it emits is unhandled. */
  private detach(socket: Socket): void {
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('drain', this.onDrain);
    socket.off('close', this.onClose);
  }

  send(message: Buffer, alone = false): void {
    if (this.closed) return;
    // Answers produced in the same tick (a page of entries, operations answered together) go out in
    // one write. A bind's answer is alone by construction (a bind waits for everything before it, and
    // everything after it waits for the bind): it goes out at once, without the cork's extra tick.
    if (alone && !this.corked) {
      this.socket.write(message);
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(message);
  }

  /** Bytes handed to the kernel so far (written, less what still waits in Node's buffer). */
  private get flushed(): number {
    return this.socket.bytesWritten - this.socket.writableLength;
  }

  private get outputBlocked(): boolean {
    return this.socket.writableLength > OUTPUT_HIGH_WATER;
  }

  writable(): Promise<void> {
    if (this.closed || !this.outputBlocked) return Promise.resolve();
    if (this.drainWaiters.length === 0) {
      this.stalledSince = Date.now();
      this.flushedAtCheck = this.flushed;
      this.armIdle();
    }
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** An operation is running or waiting its turn: the idle clock does not run. */
  private get busy(): boolean {
    return this.barrierRunning || this.pendingBarrier !== null || this.active.size > 0;
  }

  private idleLimit(): number {
    return this.identity === null || this.handshaking
      ? this.door.anonymousTimeoutMs
      : this.door.idleTimeoutMs;
  }

  /** A whole request arrived, or work ended: the idle clock starts again. */
  private touch(): void {
    this.lastActive = Date.now();
    this.flushedAtCheck = this.flushed;
    this.armIdle();
  }

  /**
   * When this connection is to be closed if nothing happens first; null while work is going on (its end
   * arms the timer again).
   */
  private deadline(): number | null {
    const limit = this.idleLimit();
    if (limit <= 0) return null;
    if (this.drainWaiters.length > 0) return this.stalledSince + limit;
    if (this.busy) return null;
    return this.lastActive + limit;
  }

  private armIdle(): void {
    const due = this.deadline();
    if (due === null || this.closed) return;
    if (this.idleTimer !== null) {
      // One timer per connection, moved only when it must fire sooner (a failed bind): re-arming it on
      // every request would cost more than the bind.
      if (this.idleDue <= due) return;
      clearTimeout(this.idleTimer);
    }
    this.idleDue = due;
    this.idleTimer = setTimeout(this.onIdleTimer, Math.max(0, due - Date.now()));
    this.idleTimer.unref();
  }

  private readonly onIdleTimer = () => {
    this.idleTimer = null;
    if (this.closed) return;
    const due = this.deadline();
    if (due === null) return;
    if (Date.now() < due) {
      this.armIdle();
      return;
    }
    if (this.socket.writableLength > 0 && this.flushed > this.flushedAtCheck) {
      // Answers are still going out and the client is reading them, slowly (or this busy machine ran
      // it late): not idle, and not stalled. A stall is no progress at all for the whole timeout.
      if (this.drainWaiters.length > 0) this.stalledSince = Date.now();
      else this.lastActive = Date.now();
      this.flushedAtCheck = this.flushed;
      this.armIdle();
      return;
    }
    if (this.drainWaiters.length > 0) {
      // Nothing can be said to a client that reads nothing; a reset also drops what the kernel holds.
      this.destroy(true);
    } else if (this.handshaking) {
      // Nor to one that has not finished its handshake.
      this.destroy();
    } else if (this.identity === null) {
      this.disconnect(RC.UNAVAILABLE, 'No bind within the time allowed: the connection is closed.');
    } else {
      this.disconnect(RC.UNAVAILABLE, 'The connection was idle too long: it is closed.');
    }
  };

  private get blocked(): boolean {
    return (
      this.closed ||
      this.barrierRunning ||
      this.pendingBarrier !== null ||
      this.active.size >= MAX_OUTSTANDING ||
      this.outputBlocked
    );
  }

  /**
   * Starts every whole message there is room for, then decides whether to keep reading. Called from
   * socket events and promise callbacks, so it never throws: a bug ends this connection, not the process.
   */
  private pump(): void {
    try {
      this.pumpMessages();
    } catch (e) {
      if (e instanceof FrameError) {
        this.protocolError(e.message);
      } else {
        this.fail(e, 'reading requests');
        this.disconnect(RC.OTHER, 'Internal error.');
      }
    }
  }

  private pumpMessages(): void {
    while (!this.blocked) {
      const frame = this.framer.next();
      if (frame === null) break;
      this.dispatch(frame);
    }
    if (this.closed) return;
    if (this.peerEnded && !this.blocked && this.active.size === 0) {
      // The client has said all it will; whatever is left is a message cut short.
      if (this.framer.buffered > 0) this.protocolError('truncated message');
      else this.close();
      return;
    }
    const pause = this.blocked && this.framer.buffered >= READ_AHEAD;
    if (pause !== this.paused) {
      this.paused = pause;
      if (pause) this.socket.pause();
      else this.socket.resume();
    }
  }

  private dispatch(frame: Buffer): void {
    this.touch();
    let req: Request;
    try {
      req = decodeRequest(frame);
    } catch (e) {
      if (e instanceof OperationError) {
        this.send(result(e.messageId, e.responseTag, e.code, e.message));
      } else if (e instanceof ProtocolError) {
        this.protocolError(e.message);
      } else {
        throw e;
      }
      return;
    }
    if (req.op === 'abandon') {
      for (const op of this.active) if (op.id === req.target) op.abandoned = true;
      return;
    }
    if (req.op === 'unbind') {
      this.close();
      return;
    }
    if (req.criticalControl !== null) {
      this.send(
        result(req.id, req.responseTag!, RC.UNAVAILABLE_CRITICAL_EXTENSION, 'Unsupported critical control.'),
      );
      return;
    }
    if (req.op === 'bind' || (req.op === 'extended' && req.oid === START_TLS_OID)) {
      if (this.active.size > 0) this.pendingBarrier = req;
      else this.runBarrier(req);
      return;
    }
    const op = new Operation(req.id, this);
    this.active.add(op);
    this.run(req, op)
      .catch((e) => {
        this.fail(e, req.op);
        if (!op.abandoned && req.responseTag !== null) {
          this.send(result(req.id, req.responseTag, RC.OTHER, 'Internal error.'));
        }
      })
      .finally(() => {
        this.active.delete(op);
        this.afterWork();
      });
  }

  private async run(req: Request, op: Operation): Promise<void> {
    switch (req.op) {
      case 'search':
        return search(this.door, req, this.identity, op);
      case 'compare':
        return op.send(await compare(this.door, req, this.identity));
      case 'extended':
        if (req.oid === WHO_AM_I_OID) {
          // RFC 4532: the authorization identity, "dn:…", or empty for anonymous.
          const authzId = this.identity === null ? '' : `dn:${this.identity.dn}`;
          return op.send(extendedResponse(req.id, RC.SUCCESS, '', undefined, authzId));
        }
        return op.send(
          result(req.id, OP.LDAP_RES_EXTENSION, RC.PROTOCOL_ERROR, 'Unsupported extended operation.'),
        );
      case 'write':
        return op.send(result(req.id, req.responseTag!, RC.UNWILLING_TO_PERFORM, READ_ONLY));
    }
  }

  private runBarrier(req: Request): void {
    this.barrierRunning = true;
    const work =
      req.op === 'bind'
        ? bind(this.door, req, this.ip).then((outcome) => {
            this.setIdentity(outcome.identity);
            this.send(result(req.id, OP.LDAP_RES_BIND, outcome.code, outcome.message), true);
          })
        : Promise.resolve().then(() => this.startTls(req.id));
    work
      .catch((e) => {
        this.fail(e, req.op);
        if (req.op === 'bind') this.setIdentity(null);
        this.send(result(req.id, req.responseTag!, RC.OTHER, 'Internal error.'));
      })
      .finally(() => {
        this.barrierRunning = false;
        this.afterWork();
      });
  }

  private setIdentity(identity: Identity | null): void {
    this.identity = identity;
    this.framer.maxMessageBytes =
      identity === null
        ? Math.min(this.door.maxMessageBytes, ANONYMOUS_MAX_MESSAGE_BYTES)
        : this.door.maxMessageBytes;
  }

  private afterWork(): void {
    this.touch();
    if (this.pendingBarrier !== null && this.active.size === 0 && !this.closed) {
      const next = this.pendingBarrier;
      this.pendingBarrier = null;
      this.runBarrier(next);
    }
    this.pump();
  }

  /** RFC 4511 §4.14: answer in the clear, then the next bytes on the socket are a TLS handshake. */
  private startTls(id: number): void {
    const context = this.door.secureContext;
    if (context === null) {
      this.send(result(id, OP.LDAP_RES_EXTENSION, RC.PROTOCOL_ERROR, 'StartTLS is not offered here.'));
      return;
    }
    if (this.secure) {
      this.send(result(id, OP.LDAP_RES_EXTENSION, RC.OPERATIONS_ERROR, 'TLS is already established.'));
      return;
    }
    if (this.framer.buffered > 0) {
      // The client sent more after StartTLS without waiting: those bytes were meant to be encrypted.
      this.send(result(id, OP.LDAP_RES_EXTENSION, RC.OPERATIONS_ERROR, 'Requests are outstanding.'));
      return;
    }
    this.send(extendedResponse(id, RC.SUCCESS, '', START_TLS_OID));
    const plain = this.socket;
    if (this.corked) this.uncork();
    this.detach(plain);
    const secure = new TLSSocket(plain, { isServer: true, secureContext: context });
    this.socket = secure;
    this.secure = true;
    this.attach(secure);
    // The handshake gets the anonymous timeout, from the StartTLS request on, bound or not.
    this.handshaking = true;
    secure.once('secure', () => {
      this.handshaking = false;
      this.touch();
    });
    this.armIdle();
  }

  /** Malformed input: a Notice of Disconnection, then this connection (only) is closed. */
  private protocolError(reason: string): void {
    if (this.closed) return;
    this.door.log({ ip: this.ip, reason }, 'ldap: protocol error, closing the connection');
    this.disconnect(RC.PROTOCOL_ERROR, 'Malformed request.');
  }

  /** Tells the client why (RFC 4511 §4.4.1), then closes. */
  private disconnect(code: number, diagnosticMessage: string): void {
    if (this.closed) return;
    this.send(noticeOfDisconnection(code, diagnosticMessage));
    this.close();
  }

  private fail(e: unknown, during: string): void {
    const err = e instanceof Error ? { name: e.name, message: e.message } : { message: String(e) };
    this.door.log({ err, during, ip: this.ip }, 'ldap: operation failed');
  }

  /** Server shutdown: tell the client why, then close. */
  shutdown(): void {
    this.disconnect(RC.UNAVAILABLE, 'The server is shutting down.');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const op of this.active) op.abandoned = true;
    this.framer.clear();
    const socket = this.socket;
    if (this.corked) this.uncork();
    // Reading goes on (onData drops it) so that the client's own close is seen and the socket freed.
    socket.end();
    // A client that does not read its last answer does not keep the socket open.
    this.closeTimer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    this.closeTimer.unref();
  }

  /**
   * Cuts the connection now (after shutdown's grace period). `reset`: with a TCP reset, so that the
   * kernel drops the answers queued for a client that does not read (not possible under TLS).
   */
  destroy(reset = false): void {
    if (reset && !(this.socket instanceof TLSSocket)) this.socket.resetAndDestroy();
    else this.socket.destroy();
  }
}
