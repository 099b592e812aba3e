// Who may open a page, declared on the route instead of called by each handler: `requireSession`,
// `requireStaff`, `requirePermission(action)` and `requireSudo(returnTo)` are Fastify pre-handlers that
// run in the order given and put what they establish on the request (`req.page`), the way the admin API
// puts its token's actor on `req.actor`. A route group declares its guards once (`guardGroup`); a route
// adds its own (`guarded`). Each guard carries a name, so a test can list every page route with the
// guards it has and fail on a route that has none (test/page-guards.test.ts, docs/page-guards.md).

import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
  RouteOptions,
} from 'fastify';
import type { SessionView } from '../../core/browser.js';
import { LatchkeyError } from '../../core/errors.js';
import { type Action, type Actor, can } from '../../core/policy.js';
import type { Role } from '../../store/schema.js';
import type { Web } from '../web.js';
import { errorPage } from './layout.js';

/** What the guards established: the signed-in session and its actor (with this request's address). */
export interface PageContext {
  session: SessionView;
  actor: Actor;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireSession`; null on a route without it. */
    page: PageContext | null;
  }
}

/** A pre-handler with the name the guard table shows ("session", "staff", "permission:user.create", …). */
export type Guard = preHandlerAsyncHookHandler & { guard: string };

/**
 * A pre-handler that is not a guard but runs among them (finding a route's target, checking a choice),
 * named for the guard table ("find:user", "check:choice").
 */
export function step<F extends preHandlerAsyncHookHandler>(name: string, f: F): F & { step: string } {
  return Object.assign(f, { step: name });
}

/** The name of a step (`step`), or null. */
export function stepName(f: unknown): string | null {
  return typeof f === 'function' && typeof (f as { step?: unknown }).step === 'string'
    ? (f as unknown as { step: string }).step
    : null;
}

/** The name a guard function carries, or null for any other pre-handler. */
export function guardName(f: unknown): string | null {
  return typeof f === 'function' && typeof (f as Partial<Guard>).guard === 'string'
    ? (f as Guard).guard
    : null;
}

export function named(
  name: string,
  f: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): Guard {
  const g = f as Guard;
  g.guard = name;
  return g;
}

/** The session and actor of a guarded route. A handler on a route without `requireSession` throws. */
export function pageOf(req: FastifyRequest): PageContext {
  if (!req.page) throw new LatchkeyError('FORBIDDEN');
  return req.page;
}

/**
 * Route options carrying these pre-handlers, in order: guards, and the finders (`loader`) that a guard
 * after them depends on.
 */
export function guarded(...guards: preHandlerAsyncHookHandler[]): Pick<RouteOptions, 'preHandler'> {
  return { preHandler: guards };
}

/**
 * Every route registered in `scope` from now on (and in its children) runs these guards first. They are
 * put into each route's own pre-handlers, so the guard table sees them.
 */
export function guardGroup(scope: FastifyInstance, ...guards: Guard[]): void {
  scope.addHook('onRoute', (opts) => {
    const own =
      opts.preHandler === undefined
        ? []
        : Array.isArray(opts.preHandler)
          ? opts.preHandler
          : [opts.preHandler];
    opts.preHandler = [...guards, ...own] as RouteOptions['preHandler'];
  });
}

/** `requirePermission`'s target: the account an action is about, when the policy depends on it. */
export type PermissionTarget = (req: FastifyRequest) => { id: string; role: Role | null } | null;

export interface PageGuards {
  /** Signed in, else to the sign-in page (coming back here after a GET). Sets `req.page`. */
  requireSession: Guard;
  /** An administrator or the helpdesk, else the 403 page "This page is for administrators". */
  requireStaff: Guard;
  /** The policy allows the action (for the target, when given), else FORBIDDEN to the scope's error page. */
  requirePermission(action: Action, target?: PermissionTarget): Guard;
  /** A second step in the last 10 minutes (B7), else the check, which comes back to `returnTo`. */
  requireSudo(returnTo: string | ((req: FastifyRequest) => string)): Guard;
}

export function pageGuards(web: Web): PageGuards {
  return {
    requireSession: named('session', async (req, reply) => {
      const s = await web.session(req);
      if (!s) {
        const back = req.method === 'GET' ? `?return=${encodeURIComponent(req.url)}` : '';
        return reply.redirect(`/sign-in${back}`, 303);
      }
      req.page = { session: s, actor: { ...s.actor, ip: req.ip } };
    }),

    requireStaff: named('staff', async (req, reply) => {
      const { session: s } = pageOf(req);
      if (s.user.role !== 'user') return;
      req.log.warn({ url: req.url.slice(0, 200) }, 'admin page refused: not staff');
      return web.html(
        reply,
        errorPage({
          status: 403,
          title: 'This page is for administrators',
          message:
            'The administration pages are for administrators and the helpdesk. Nothing was changed. Your own account is under Security info.',
          requestId: req.id,
          user: web.pageUser(s),
          csrf: web.csrf(req, reply),
        }),
        403,
      );
    }),

    requirePermission(action, target) {
      return named(`permission:${action}`, async (req) => {
        const { actor } = pageOf(req);
        const t = target ? target(req) : null;
        if (!can(actor, action, t ? t.id : null, t ? t.role : null)) throw new LatchkeyError('FORBIDDEN');
      });
    },

    requireSudo(returnTo) {
      return named('sudo', async (req, reply) => {
        const { session } = pageOf(req);
        const back = typeof returnTo === 'string' ? returnTo : returnTo(req);
        if (!(await web.sudo(reply, session, back))) return reply;
      });
    },
  };
}

/**
 * What a route is about (a user, a token, an app), found before the guards that depend on it: the
 * permission for that target, and the sudo check, which comes after "not found" as it always did. The
 * finder throws a LatchkeyError (404) or sends a reply (a redirect) and returns undefined; the handler
 * reads the found value with `of(req)`.
 */
export function loader<T>(
  what: string,
  find: (req: FastifyRequest, reply: FastifyReply) => Promise<T | undefined>,
): {
  load: preHandlerAsyncHookHandler;
  of(req: FastifyRequest): T;
} {
  const found = new WeakMap<FastifyRequest, T>();
  return {
    load: step(`find:${what}`, async (req: FastifyRequest, reply: FastifyReply) => {
      const v = await find(req, reply);
      if (v === undefined) return reply;
      found.set(req, v);
    }),
    of(req) {
      const v = found.get(req);
      if (v === undefined) throw new LatchkeyError('FORBIDDEN');
      return v;
    },
  };
}

/** The session and actor of a guarded route, in the short names the admin pages use. */
export function pageCtx(req: FastifyRequest): { s: SessionView; a: Actor } {
  const p = pageOf(req);
  return { s: p.session, a: p.actor };
}
