// The node's log (issue 12, item 8): one JSON line per HTTP request and per sign-in decision, each with
// the request id where there is one; readable lines instead when standard output is a terminal.
//
// Never a secret: request lines name the route's pattern (`/api/v1/users/:name`), never the path as
// sent, its query string, headers, cookies or body; decision lines name the door, result, reason,
// username and source. Fastify's logger (pino) writes them; LATCHKEY_LOG_LEVEL chooses how much.
//
// How much at `info`: a mail server or a forward-auth proxy asks on every login and every request, so
// the check doors' request lines and accepted decisions are `debug`; refusals are `info`, at most
// DECISION_LINES_PER_SECOND a second (a flood of guesses must not become a flood of lines: the
// sign-in log and the metrics count every one of them).

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { addressMatcher } from '../connections.js';

const LEVEL_VALUES: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/** Whether `log` writes lines of `level` (pino's isLevelEnabled, which Fastify's logger type leaves out). */
export function logs(log: FastifyBaseLogger, level: 'debug' | 'info' | 'warn' | 'error'): boolean {
  return (LEVEL_VALUES[log.level] ?? 30) <= LEVEL_VALUES[level]!;
}

/** The header a request id arrives in (from a trusted proxy) and is returned in. */
export const REQUEST_ID_HEADER = 'x-request-id';
/** What an incoming request id may look like: printable, no spaces, bounded. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Request ids: a trusted proxy's X-Request-Id is kept (one id from the proxy's log through ours),
 * anyone else's is replaced by a new random one, so that a client cannot make its lines look like
 * another request's.
 */
export function requestIds(trustedProxies: readonly string[]): (req: IncomingMessage) => string {
  const trusted = addressMatcher(trustedProxies);
  return (req) => {
    const given = req.headers[REQUEST_ID_HEADER];
    if (typeof given === 'string' && REQUEST_ID.test(given)) {
      const peer = req.socket.remoteAddress;
      if (peer !== undefined && trusted(peer)) return given;
    }
    return randomUUID();
  };
}

/**
 * The request whose handler is running right now. Set only while a route handler runs synchronously
 * (see `trackHandlers`), so a check the handler starts before its first `await` — /auth/basic's —
 * carries the request's id, and nothing can ever carry another request's. A door may pass the id
 * itself instead (`requestId` in the attempt), which then wins.
 */
let handling: string | null = null;

export function currentRequestId(): string | null {
  return handling;
}

/** Wraps every route handler registered after this so that `currentRequestId()` names its request. */
export function trackHandlers(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, req, reply) {
      const outer = handling;
      handling = req.id;
      try {
        return handler.call(this, req, reply);
      } finally {
        handling = outer;
      }
    } as typeof handler;
  });
}

/**
 * Routes asked on every login or proxied request (the check doors, forward-auth) or by probes and
 * scrapers: their request lines are `debug`. Their refusals are still `info` as sign-in decisions.
 */
export const QUIET_ROUTES: ReadonlySet<string> = new Set([
  '/auth/basic',
  '/api/v1/verify',
  '/auth/request',
  '/auth/forward',
  '/healthz',
  '/readyz',
  '/metrics',
]);

/** One line per answered request, and the request id in the answer's headers. */
export function logRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header(REQUEST_ID_HEADER, req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const status = reply.statusCode;
    const route = req.routeOptions.url ?? null;
    const level = status >= 500 ? 'error' : route !== null && QUIET_ROUTES.has(route) ? 'debug' : 'info';
    if (logs(req.log, level)) {
      req.log[level](
        {
          method: req.method,
          // A request no route answered has no pattern; the path it asked for is not logged (it is the
          // client's text, and may hold anything).
          route: route ?? '(none)',
          status,
          durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
          remoteAddress: req.ip,
        },
        'request',
      );
    }
    done();
  });
}

const DECISION_LINES_PER_SECOND = 100;

/** What a client typed as a name, for a log line: bounded, without control characters. */
function cleanName(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point.
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?').slice(0, 128);
}

/** Lines about sign-in decisions: refusals at `info` (bounded per second), the rest at `debug`. */
export class DecisionLog {
  private log: FastifyBaseLogger | null = null;
  private second = 0;
  private lines = 0;
  private suppressed = 0;

  /** Decisions are logged from the moment the server's logger exists. */
  attach(log: FastifyBaseLogger): void {
    this.log = log;
  }

  decided(
    door: string,
    username: string,
    source: string | null,
    ok: boolean,
    reason: string | null,
    requestId: string | null,
  ): void {
    const log = this.log;
    if (log === null) return;
    // Accepted checks are the mail clients' routine; locked and throttled refusals are what a flood
    // turns into, and the sign-in log already counts those per minute.
    const quiet = ok || reason === 'locked_out' || reason === 'throttled';
    const level = quiet ? 'debug' : 'info';
    if (!logs(log, level)) return;
    if (!quiet && !this.withinBudget(log)) return;
    log[level](
      {
        door,
        result: ok ? 'accepted' : 'refused',
        reason,
        username: cleanName(username),
        source,
        ...(requestId !== null ? { requestId } : {}),
      },
      'sign-in',
    );
  }

  /** A check that failed (the store) instead of deciding: always worth a line. */
  failed(door: string, err: unknown, requestId: string | null): void {
    const e = err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) };
    this.log?.error({ door, err: e, ...(requestId !== null ? { requestId } : {}) }, 'sign-in check failed');
  }

  private withinBudget(log: FastifyBaseLogger): boolean {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.second) {
      if (this.suppressed > 0) {
        log.warn(
          { suppressed: this.suppressed, perSecond: DECISION_LINES_PER_SECOND },
          'sign-in lines left out: more refusals than lines a second (the sign-in log and metrics count them all)',
        );
      }
      this.second = second;
      this.lines = 0;
      this.suppressed = 0;
    }
    if (this.lines < DECISION_LINES_PER_SECOND) {
      this.lines += 1;
      return true;
    }
    this.suppressed += 1;
    return false;
  }
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields a line for people shows in its own places, not as key=value. */
const SHOWN = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/**
 * Readable lines for a terminal: `12:01:02.345 INFO  request method=GET route=/healthz …`. The JSON
 * line is the record; this only reformats it (a line that is not JSON goes out as it came).
 * pino-pretty would do this too, with a worker thread and nine dependencies for a few lines of code.
 */
export function readableLines(out: Writable): NodeJS.WritableStream {
  return {
    write(chunk: string | Uint8Array): boolean {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      let lines = '';
      for (const line of text.split('\n')) if (line !== '') lines += `${readableLine(line)}\n`;
      return out.write(lines);
    },
  } as NodeJS.WritableStream;
}

export function readableLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json);
  } catch {
    return json;
  }
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const level = LEVELS[o.level as number] ?? String(o.level ?? '').toUpperCase();
  let rest = '';
  for (const [k, v] of Object.entries(o)) {
    if (SHOWN.has(k) || v === null || v === undefined) continue;
    const value = typeof v === 'string' ? (/[\s"=]/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v);
    rest += ` ${k}=${value}`;
  }
  return `${time} ${level} ${String(o.msg ?? '')}${rest}`;
}
