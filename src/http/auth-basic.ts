// GET /auth/basic: the forward-auth endpoint for nginx auth_request, Traefik forwardAuth and Caddy
// forward_auth. Reads HTTP Basic credentials, runs the one sign-in decision, and answers 200 with the
// Remote-* identity headers or 401 with a Basic challenge. Every refusal looks the same; malformed
// headers are 401 too, because auth_request treats any status but 2xx/401/403 as a server error.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../core/errors.js';
import type { Core } from '../core/index.js';
import type { SignedInUser } from '../core/sign-in.js';
import { groupsOf } from '../core/sso.js';
import { type Door, isDoor } from '../core/validate.js';

/** The header (or query parameter `door`) a proxy uses to say which protocol it guards: imap, dav, … */
export const DOOR_HEADER = 'x-latchkey-door';

export interface Basic {
  username: string;
  password: string;
}

/** `Basic dXNlcjpwYXNz` → { username, password }, or null if the header is not well-formed Basic. */
export function parseBasic(header: string | undefined): Basic | null {
  if (!header || header.length > 4096) return null;
  const m = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(header);
  if (!m || m[1]!.length % 4 !== 0) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || decoded.includes('\uFFFD')) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// Control characters (C0 with TAB, DEL, C1) and the line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const UNSAFE_IN_HEADER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * A stored value as an HTTP header value that can never throw or split a header. Non-ASCII travels as
 * UTF-8 bytes, which nginx, Traefik and Caddy pass on unchanged and apps decode as UTF-8 (percent or
 * RFC 2047 encoding would reach most apps as literal text). Control characters, which the input checks
 * refuse but rows stored before them may hold, become U+FFFD: Node would throw on them (a 500 for that
 * person on every request), and dropping them could turn one address into another person's.
 */
export function headerValue(v: string): string {
  // Printable ASCII, by far the common case, is already its own UTF-8: the value as it is. (A string
  // rebuilt from a Buffer made every response's header block dearer to write: issue 11.)
  if (PRINTABLE_ASCII.test(v)) return v;
  return Buffer.from(v.replace(UNSAFE_IN_HEADER, '\uFFFD'), 'utf8').toString('latin1');
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The challenge of every 401 for Basic credentials. */
export function basicChallenge(realm: string): string {
  return `Basic realm="${headerValue(realm.replace(/["\\]/g, ''))}", charset="UTF-8"`;
}

export type BasicDecision =
  | { ok: true; user: SignedInUser }
  | {
      ok: false;
      code: 'AUTHORIZATION_REQUIRED' | 'AUTHORIZATION_INVALID' | 'INVALID_CREDENTIALS';
      title: string;
    };

const SIGN_IN_TITLE = 'Sign in with your username and an app password.';

/**
 * The decision on a request's `Authorization: Basic …`, for /auth/basic and for the session
 * forward-auth endpoints when a non-browser client sends credentials (http/sso.ts): the door from
 * X-Latchkey-Door or `?door=` (or the one the caller fixes), then the one sign-in decision of the core.
 */
export async function basicDecision(
  core: Core,
  req: FastifyRequest,
  fixedDoor: Door | null = null,
): Promise<BasicDecision> {
  const query = req.query as Record<string, unknown>;
  // The session endpoints fix the door: there the proxies pass the client's own headers on, and an
  // app password made only for imap must not open a web app by naming the door itself.
  const fromHeader = fixedDoor ?? (req.headers[DOOR_HEADER] as string | undefined);
  const fromQuery = fixedDoor ?? (query.door as string | undefined);
  // The proxy names the door; when a client could add the other one, two different names mean
  // someone is trying to pick a door that an app password's scope allows.
  if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) {
    throw new LatchkeyError('DOOR_INVALID', 'The door is named twice, differently (header and query).');
  }
  const named = fromHeader ?? fromQuery;
  if (named !== undefined && !isDoor(named)) throw new LatchkeyError('DOOR_INVALID');
  const door: Door = named ?? 'http';

  if (!req.headers.authorization) {
    // Not an attempt yet: the client is asking how to sign in.
    return { ok: false, code: 'AUTHORIZATION_REQUIRED', title: SIGN_IN_TITLE };
  }
  const credentials = parseBasic(req.headers.authorization);
  if (!credentials) {
    // An attempt nobody can read is still an attempt: it goes to the sign-in log, and its source's
    // failure counter grows like for any other wrong secret.
    await core.signIn({
      username: '',
      secret: '\u0000malformed',
      door,
      ip: req.ip,
      userAgent: req.headers['user-agent'] ?? null,
    });
    return { ok: false, code: 'AUTHORIZATION_INVALID', title: SIGN_IN_TITLE };
  }
  const result = await core.signIn({
    username: credentials.username,
    secret: credentials.password,
    door,
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    requestId: req.id,
  });
  if (!result.ok) {
    return { ok: false, code: 'INVALID_CREDENTIALS', title: 'The username or password is incorrect.' };
  }
  return { ok: true, user: result.user };
}

/** The identity a forward-auth 200 hands the proxy, for the app behind it. */
export function identityHeaders(reply: FastifyReply, u: SignedInUser): FastifyReply {
  return reply
    .header('remote-user', headerValue(u.username))
    .header('remote-email', headerValue(u.email ?? ''))
    .header('remote-name', headerValue(u.displayName ?? u.username))
    .header('remote-groups', groupsOf(u.role).join(','));
}

export function registerAuthBasic(app: FastifyInstance, core: Core, realm: string): void {
  const challenge = basicChallenge(realm);

  app.get('/auth/basic', async (req, reply) => {
    const r = await basicDecision(core, req);
    if (!r.ok) {
      return reply
        .code(401)
        .header('www-authenticate', challenge)
        .header('cache-control', 'no-store')
        .type('application/problem+json')
        .send({ type: 'about:blank', title: r.title, status: 401, code: r.code, requestId: req.id });
    }
    return identityHeaders(reply.code(200).header('cache-control', 'no-store'), r.user).send();
  });
}
