// Session forward-auth (spec §3; issue 10, item 7): single sign-on for apps that know no OpenID
// Connect, behind a reverse proxy that asks Latchkey about every request.
//
//   GET /auth/request  nginx auth_request: 200 with Remote-*, or 401 with the sign-in URL in Location
//                      (for `error_page 401 =302 $location`)
//   GET /auth/forward  Traefik forwardAuth, Caddy forward_auth: 200 with Remote-*, or 302 to sign-in
//
// Who is asking: the lk_sso cookie (core/sso.ts), else the portal's own session cookie (which only a
// request to Latchkey's own host carries). A request with `Authorization: Basic …` gets the decision of
// /auth/basic instead, so one location serves browsers and non-browser clients. `?group=NAME`
// (repeatable) restricts an app to people in one of those groups: 403 for anyone else.
//
// Both run on every request of the protected apps: the cookie plugin is registered in this scope
// only, and a check is one indexed query (a Basic one costs what /auth/basic costs). Nothing is cached.

import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../core/errors.js';
import type { Core } from '../core/index.js';
import type { SignedInUser } from '../core/sign-in.js';
import { groupsOf, isGroupName, makeSso, type SsoOptions } from '../core/sso.js';
import { basicChallenge, basicDecision, identityHeaders } from './auth-basic.js';
import { COOKIE, wireName } from './web.js';

/** The SSO cookie's logical name; under https it is sent as `__Secure-lk_sso` (Secure, with a Domain). */
export const SSO_COOKIE = 'lk_sso';

/** What the sign-in pages need of single sign-on: the checked return address and the cookie. */
export interface SsoWeb {
  /** A checked absolute address (a host of LATCHKEY_SSO_DOMAINS or Latchkey's own), or null. */
  returnAddress(value: unknown): string | null;
  /** A new lk_sso for the session with this token (a sign-in just made it). Nothing without
   * LATCHKEY_COOKIE_DOMAIN, or when the session has ended. */
  issueCookie(reply: FastifyReply, sessionToken: string): Promise<void>;
  /** At sign-out (the token itself ends with the session). */
  clearCookie(reply: FastifyReply): void;
}

export interface SsoDoor extends SsoWeb {
  /** Registers /auth/request and /auth/forward (in a scope of their own). */
  register(app: FastifyInstance): void;
}

const MAX_GROUPS = 32;

export function createSsoDoor(
  core: Core,
  options: SsoOptions,
  o: { secure: boolean; realm: string },
): SsoDoor {
  const { secure } = o;
  const sso = makeSso(core.ctx, options);
  const challenge = basicChallenge(o.realm);
  // `__Secure-` (not `__Host-`, which forbids a Domain): only an https page can set this name, so a
  // plain-http page of a sibling host or a network attacker cannot plant one.
  const ssoName = secure ? `__Secure-${SSO_COOKIE}` : SSO_COOKIE;
  const portalName = wireName(COOKIE.session, secure);
  const cookieOptions = () => ({
    domain: options.cookieDomain ?? undefined,
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
  });

  /** Where the browser was going: `rd`, else nginx's X-Original-URL, else Traefik's and Caddy's X-Forwarded-*. */
  function returnOf(req: FastifyRequest): string | null {
    const rd = (req.query as Record<string, unknown>).rd;
    if (rd !== undefined) return sso.returnAddress(rd);
    const original = header(req, 'x-original-url');
    if (original !== null) return sso.returnAddress(original);
    const proto = header(req, 'x-forwarded-proto')?.split(',')[0]?.trim();
    const host = header(req, 'x-forwarded-host')?.split(',')[0]?.trim();
    const uri = header(req, 'x-forwarded-uri') ?? '/';
    if (!proto || !host || !uri.startsWith('/')) return null;
    return sso.returnAddress(`${proto}://${host}${uri}`);
  }

  function signInUrl(req: FastifyRequest): string {
    const url = new URL('/sign-in', core.publicUrl);
    const back = returnOf(req);
    if (back !== null) url.searchParams.set('rd', back);
    return url.href;
  }

  /** The groups `?group=` names (repeatable), or null when the app is open to everyone. */
  function wantedGroups(req: FastifyRequest): string[] | null {
    const g = (req.query as Record<string, unknown>).group;
    if (g === undefined) return null;
    const list = Array.isArray(g) ? g : [g];
    // A mistyped group is the operator's configuration error: 400, which the proxy shows as its own
    // error, rather than a door that silently opens or closes for everyone.
    if (list.length > MAX_GROUPS || !list.every(isGroupName)) {
      throw new LatchkeyError(
        'FILTER_INVALID',
        'group: names of 1–64 characters from a–z, 0–9, ".", "_", "-".',
      );
    }
    return list;
  }

  async function sessionUser(req: FastifyRequest): Promise<SignedInUser | null> {
    const user = await sso.identify(req.cookies[ssoName]);
    if (user) return user;
    const portal = req.cookies[portalName];
    if (!portal) return null;
    const s = await core.browser.session(portal);
    return s
      ? {
          id: s.user.id,
          username: s.user.username,
          email: s.user.email,
          displayName: s.user.displayName,
          role: s.user.role,
        }
      : null;
  }

  async function check(req: FastifyRequest, reply: FastifyReply, redirect: boolean): Promise<FastifyReply> {
    reply.header('cache-control', 'no-store');
    const groups = wantedGroups(req);
    let user: SignedInUser | null;
    if (/^basic\s/i.test(req.headers.authorization ?? '')) {
      const r = await basicDecision(core, req, 'http');
      if (!r.ok) {
        // A client that sent credentials gets a challenge, not a sign-in page it cannot use; nginx's
        // `error_page 401 =302` still finds the sign-in URL in Location.
        return reply
          .code(401)
          .header('www-authenticate', challenge)
          .header('location', signInUrl(req))
          .type('application/problem+json')
          .send({ type: 'about:blank', title: r.title, status: 401, code: r.code, requestId: req.id });
      }
      user = r.user;
    } else {
      user = await sessionUser(req);
      if (!user) {
        const to = signInUrl(req);
        if (redirect) return reply.redirect(to, 302);
        return reply.code(401).header('location', to).type('application/problem+json').send({
          type: 'about:blank',
          title: 'Please sign in.',
          status: 401,
          code: 'SESSION_REQUIRED',
          requestId: req.id,
        });
      }
    }
    if (groups !== null && !groupsOf(user.role).some((g) => groups.includes(g))) {
      req.log.info({ username: user.username, groups }, 'forward-auth refused: not in an allowed group');
      return reply.code(403).type('application/problem+json').send({
        type: 'about:blank',
        title: 'You are not allowed to use this app.',
        status: 403,
        code: 'FORBIDDEN',
        requestId: req.id,
      });
    }
    return identityHeaders(reply.code(200), user).send();
  }

  return {
    returnAddress: (value) => sso.returnAddress(value),

    async issueCookie(reply, sessionToken) {
      if (options.cookieDomain === null) return;
      const s = await core.browser.session(sessionToken);
      if (s) reply.setCookie(ssoName, await sso.issue(s.id), cookieOptions());
    },

    clearCookie(reply) {
      if (options.cookieDomain === null) return;
      reply.clearCookie(ssoName, cookieOptions());
    },

    register(app) {
      app.register(async (scope) => {
        await scope.register(cookie);
        scope.get('/auth/request', (req, reply) => check(req, reply, false));
        scope.get('/auth/forward', (req, reply) => check(req, reply, true));
      });
    },
  };
}

function header(req: FastifyRequest, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' ? v : null;
}
