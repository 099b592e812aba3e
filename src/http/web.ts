// The browser door's plumbing: cookies, form bodies, the Content-Security-Policy and other headers,
// the session of a request, CSRF checks, and rendering. Only the pages are registered in this scope,
// so /auth/basic and the JSON API pay for none of it.

import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Client, SessionView } from '../core/browser.js';
import { isLatchkeyError } from '../core/errors.js';
import type { Core } from '../core/index.js';
import {
  DEFAULT_LANG,
  ENGLISH,
  errorText,
  type Lang,
  resolveLanguage,
  type Words,
  wordsFor,
} from './i18n/index.js';
import type { SafeHtml } from './pages/html.js';
import { errorPage, type NavKey, type PageOptions, type PageUser, page } from './pages/layout.js';
import type { SsoWeb } from './sso.js';

// Logical names: under https each is sent as `__Host-lk_…` (Secure, Path=/, no Domain), which a sibling
// subdomain cannot set or overwrite (cookie tossing); the pages only ever see the logical names.
export const COOKIE = {
  session: 'lk_session',
  flow: 'lk_flow',
  device: 'lk_device',
  /** Before sign-in there is no session: this random cookie anchors the sign-in form's CSRF token. */
  pre: 'lk_pre',
  /** The language chosen on the sign-in page (src/http/i18n): this browser's, before any sign-in. */
  lang: 'lk_lang',
} as const;

declare module 'fastify' {
  interface FastifyRequest {
    /** The language this request's page speaks, decided once per request (registerWeb's onRequest). */
    lang: Lang;
    /** Its words: the catalogue of `lang`, and dates and times in the organisation's time zone. */
    words: Words;
  }
}

export interface Web {
  core: Core;
  secure: boolean;
  /** Single sign-on for apps behind a proxy: the checked absolute return address and the lk_sso cookie. */
  sso: SsoWeb;
  session(req: FastifyRequest): Promise<SessionView | null>;
  client(req: FastifyRequest): Client;
  /**
   * The CSRF token for the forms on this page, bound to the strongest cookie this browser holds: the
   * session, else the flow, else the pre-sign-in cookie. A POST is checked against that same cookie only.
   */
  csrf(req: FastifyRequest, reply: FastifyReply): string;
  setCookie(reply: FastifyReply, name: string, value: string, maxAgeSeconds?: number): void;
  clearCookie(reply: FastifyReply, name: string): void;
  html(reply: FastifyReply, body: string, status?: number): FastifyReply;
  pageUser(s: SessionView): PageUser;
  showAppPasswords(s: SessionView): Promise<boolean>;
  /** A path on this site to return to, or the fallback (no open redirects). */
  localPath(value: unknown, fallback: string): string;
  str(body: unknown, name: string, max?: number): string;
  /** A page of the signed-in area (account or administration) in the shared shell. */
  render(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: {
      title: string;
      nav: NavKey | null;
      body: SafeHtml;
      flash?: PageOptions['flash'];
      scripts?: string[];
      status?: number;
    },
  ): Promise<FastifyReply>;
  /**
   * Sudo mode (B7): true when the session passed a second step in the last 10 minutes; otherwise it
   * starts the check, redirects to it, and the check comes back to `returnTo`.
   */
  sudo(reply: FastifyReply, s: SessionView, returnTo: string): Promise<boolean>;
}

const sessions = new WeakMap<FastifyRequest, Promise<SessionView | null>>();

const CSRF_ANCHORS = [COOKIE.session, COOKIE.flow, COOKIE.pre] as const;

/**
 * The one cookie a form's CSRF token is bound to. Only the strongest present counts: accepting a token
 * made from any of them let a planted pre-sign-in cookie (with the attacker's own token) pass for an
 * administrator's session.
 */
function csrfAnchor(req: FastifyRequest): string | null {
  for (const name of CSRF_ANCHORS) {
    const v = req.cookies[name];
    if (v) return v;
  }
  return null;
}

/** Under https the cookies carry the `__Host-` prefix; `wire` maps a logical name to the name sent. */
export function wireName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

export function registerWeb(
  app: FastifyInstance,
  core: Core,
  opts: { secure: boolean; sso: SsoWeb },
  pages: ((scope: FastifyInstance, web: Web) => void)[],
): void {
  app.register(async (scope) => {
    await scope.register(cookie);
    // What the pages' guards establish (pages/guards.ts): the session and its actor, or null.
    scope.decorateRequest('page', null);
    scope.decorateRequest('lang', DEFAULT_LANG);
    // Set for every request by the language hook below; null only until it has run.
    scope.decorateRequest('words', null as unknown as Words);
    if (opts.secure) {
      // Only the prefixed cookies count under https: a plain `lk_pre` or `lk_session` planted by a
      // sibling subdomain (or over plain http) is ignored, never read as ours.
      const logical = Object.values(COOKIE);
      scope.addHook('onRequest', async (req) => {
        const own: Record<string, string> = {};
        for (const name of logical) {
          const v = req.cookies[wireName(name, true)];
          if (v !== undefined) own[name] = v;
        }
        req.cookies = own;
      });
    }
    // Forms are small: names, codes, passwords. 16 KiB leaves room for a WebAuthn response.
    await scope.register(formbody, { bodyLimit: 16 * 1024 });
    await scope.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      strictTransportSecurity: opts.secure ? { maxAge: 31536000, includeSubDomains: false } : false,
      crossOriginEmbedderPolicy: false,
      // The same as frame-ancestors 'none', for browsers that only know the older header.
      frameguard: { action: 'deny' },
    });
    scope.addHook('onSend', async (_req, reply, payload) => {
      // Pages carry personal data and one-time secrets: never cached, anywhere.
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });

    const web: Web = {
      core,
      secure: opts.secure,
      sso: opts.sso,
      session(req) {
        let p = sessions.get(req);
        if (!p) {
          p = core.browser.session(req.cookies[COOKIE.session]);
          sessions.set(req, p);
        }
        return p;
      },
      client(req) {
        const ua = req.headers['user-agent'];
        return { ip: req.ip, userAgent: typeof ua === 'string' ? ua : null };
      },
      csrf(req, reply) {
        const token = csrfAnchor(req);
        if (token) return core.browser.csrfToken(token);
        const pre = randomBytes(32).toString('base64url');
        req.cookies[COOKIE.pre] = pre;
        web.setCookie(reply, COOKIE.pre, pre);
        return core.browser.csrfToken(pre);
      },
      setCookie(reply, name, value, maxAgeSeconds) {
        reply.setCookie(wireName(name, opts.secure), value, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secure,
          ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
        });
      },
      clearCookie(reply, name) {
        reply.clearCookie(wireName(name, opts.secure), {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secure,
        });
      },
      html(reply, body, status = 200) {
        return reply.code(status).type('text/html; charset=utf-8').send(body);
      },
      pageUser(s) {
        return { username: s.user.username, displayName: s.user.displayName, role: s.user.role };
      },
      async showAppPasswords(s) {
        const settings = await core.settings.current();
        const state = s.user.twoStep;
        return (
          settings.allowAppPasswords && (state !== 'disabled' || settings.requireAppPasswordsForNonBrowser)
        );
      },
      localPath(value, fallback) {
        return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length < 512
          ? value
          : fallback;
      },
      async render(req, reply, s, o) {
        return web.html(
          reply,
          page({
            title: o.title,
            nav: o.nav,
            body: o.body,
            flash: o.flash ?? null,
            scripts: o.scripts ?? [],
            user: web.pageUser(s),
            csrf: web.csrf(req, reply),
            showAppPasswords: await web.showAppPasswords(s),
            words: req.words,
          }),
          o.status ?? 200,
        );
      },
      async sudo(reply, s, returnTo) {
        if (core.browser.isSudo(s)) return true;
        const f = await core.browser.startSudo(s, returnTo);
        web.setCookie(reply, COOKIE.flow, f.flowToken);
        reply.redirect('/account/verify', 303);
        return false;
      },
      str(body, name, max = 1024) {
        const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
        return typeof v === 'string' ? v.slice(0, max) : '';
      },
    };

    // The page's language, once per request: the person's own choice, else this browser's (the sign-in
    // page's switcher), else Accept-Language, else the organisation's default.
    scope.addHook('onRequest', async (req, reply) => {
      const [s, settings] = await Promise.all([web.session(req), core.settings.current()]);
      req.lang = resolveLanguage({
        account: s?.user.language ?? null,
        cookie: req.cookies[COOKIE.lang] ?? null,
        acceptLanguage: req.headers['accept-language'],
        orgDefault: settings.defaultLanguage,
      });
      req.words = wordsFor(req.lang, settings.timeZone);
      reply.header('content-language', req.lang);
    });

    // Every form post carries a token derived from this browser's own HttpOnly cookie (csrfAnchor); a
    // page on another site can neither read that cookie nor compute the token.
    scope.addHook('preHandler', async (req, reply) => {
      if (req.method !== 'POST') return;
      const given = web.str(req.body, '_csrf', 64);
      const anchor = csrfAnchor(req);
      const ok = anchor !== null && core.browser.checkCsrf(anchor, given);
      if (!ok) {
        req.log.warn({ url: req.url }, 'form refused: CSRF token missing or wrong');
        const s = await web.session(req);
        const w = req.words ?? ENGLISH;
        return web.html(
          reply,
          errorPage({
            status: 403,
            title: w.t('errorPage.formExpired.title'),
            message: w.t('errorPage.formExpired.message'),
            requestId: req.id,
            user: s ? web.pageUser(s) : null,
            words: w,
          }),
          403,
        );
      }
    });

    scope.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
      const s = await web.session(req).catch(() => null);
      const w = req.words ?? ENGLISH;
      if (isLatchkeyError(err)) {
        return web.html(
          reply,
          errorPage({
            status: err.status,
            title: w.t(err.status === 410 ? 'errorPage.expired.title' : 'errorPage.problem.title'),
            message: errorText(w, err),
            requestId: req.id,
            user: s ? web.pageUser(s) : null,
            words: w,
          }),
          err.status,
        );
      }
      const status =
        typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500
          ? err.statusCode
          : 500;
      if (status >= 500) req.log.error({ err }, 'page failed');
      return web.html(
        reply,
        errorPage({
          status,
          title: w.t(status >= 500 ? 'errorPage.server.title' : 'errorPage.badRequest.title'),
          message: w.t(status >= 500 ? 'errorPage.server.message' : 'errorPage.badRequest.message'),
          requestId: req.id,
          user: s ? web.pageUser(s) : null,
          words: w,
        }),
        status,
      );
    });

    for (const register of pages) register(scope, web);
  });
}

/**
 * A page address nobody serves: a browser gets a page in the person's language (their account's, this
 * browser's, Accept-Language's, the organisation's), with the way back; programs keep the problem JSON.
 * It runs outside the pages' scope (Fastify has one not-found handler per prefix), so it reads its
 * two cookies from the header itself.
 */
export async function notFoundPage(
  core: Core,
  secure: boolean,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | null> {
  const accept = req.headers.accept ?? '';
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !/\btext\/html\b/.test(accept)) return null;
  if (/^\/(api|oidc|auth)\//.test(req.url)) return null;
  const header = req.headers.cookie;
  const jar: Record<string, string | undefined> = typeof header === 'string' ? cookiesOf(header) : {};
  const [s, settings] = await Promise.all([
    core.browser.session(jar[wireName(COOKIE.session, secure)]).catch(() => null),
    core.settings.current(),
  ]);
  const lang = resolveLanguage({
    account: s?.user.language ?? null,
    cookie: jar[wireName(COOKIE.lang, secure)] ?? null,
    acceptLanguage: req.headers['accept-language'],
    orgDefault: settings.defaultLanguage,
  });
  const w = wordsFor(lang, settings.timeZone);
  return (
    reply
      .code(404)
      .header('content-language', lang)
      // The pages' own headers: helmet sets them in the pages' scope, which this handler is outside of
      // (test/i18n.test.ts holds the two lists equal).
      .headers(pageSecurityHeaders(secure))
      .type('text/html; charset=utf-8')
      .send(
        errorPage({
          status: 404,
          title: w.t('errorPage.notFound.title'),
          message: w.t('errorPage.notFound.message'),
          requestId: req.id,
          user: s ? { username: s.user.username, displayName: s.user.displayName, role: s.user.role } : null,
          words: w,
        }),
      )
  );
}

/** A Cookie header's pairs (RFC 6265 §5.4); a value that is not valid percent-encoding is left out. */
function cookiesOf(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.slice(0, 8192).split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (Object.hasOwn(out, name)) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {}
  }
  return out;
}

/** What helmet (configured in registerWeb) and the no-store hook put on every page, for a page drawn outside that scope. */
function pageSecurityHeaders(secure: boolean): Record<string, string> {
  return {
    'content-security-policy':
      "default-src 'none';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none'",
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
    'cache-control': 'no-store',
  };
}
