// Administration, one file per area: users (users.ts: search, create), one user with its support
// actions (user.ts), organization settings (settings.ts), the sign-in log with its CSV (sign-ins.ts),
// the audit log (audit.ts), CSV import (import.ts), admin API tokens (tokens.ts), apps (clients.ts),
// RADIUS (radius.ts) and the overview (overview.ts). This index registers them under /admin with the
// guards every area has (a session, a staff role) and the pages for refusals and unknown addresses;
// each route declares its own permission and sudo guards (../guards.ts).
// Every page calls the same core functions as the JSON API and the CLI with the session's actor, so
// the core's authorize() decides what each role may do; the pages only hide what a role cannot do.
// Changes ask for a plain-words confirmation first, and anything that changes an account, the
// settings or the tokens needs a recent two-step check (sudo mode, B7), like the account pages.

import type { FastifyInstance } from 'fastify';
import { isLatchkeyError } from '../../../core/errors.js';
import type { Web } from '../../web.js';
import { guardGroup, pageGuards } from '../guards.js';
import { html } from '../html.js';
import { errorPage, linkButton, pageHeader } from '../layout.js';
import { registerAudit } from './audit.js';
import { registerClientPages } from './clients.js';
import { registerImport } from './import.js';
import { registerOverviewPage } from './overview.js';
import { registerRadiusPages } from './radius.js';
import { registerSettings } from './settings.js';
import { adminContext, REASON_LABEL } from './shared.js';
import { registerSignIns } from './sign-ins.js';
import { registerTokens } from './tokens.js';
import { registerUserPage } from './user.js';
import { registerUsers } from './users.js';

export function registerAdminPages(app: FastifyInstance, web: Web): void {
  const guards = pageGuards(web);
  const { requireSession, requireStaff } = guards;
  const ctx = adminContext(web, guards);

  app.register(
    async (admin) => {
      // Who may enter at all: no session → sign in first; people without a staff role → 403.
      guardGroup(admin, requireSession, requireStaff);

      // Refusals from the core (403 FORBIDDEN, 404 USER_NOT_FOUND, 409 LAST_ADMIN, …) as pages that
      // say what happened and lead back; anything else goes to the browser scope's handler.
      admin.setErrorHandler(async (err: Error, req, reply) => {
        const s = await web.session(req).catch(() => null);
        if (!isLatchkeyError(err) || err.status >= 500 || !s) throw err;
        const titles: Record<number, string> = {
          400: 'Check what you entered',
          403: 'You are not allowed to do this',
          404: 'Not found',
          409: 'This cannot be done now',
          410: 'This page has expired',
        };
        const message =
          err.code === 'FORBIDDEN'
            ? `${err.message} ${s.user.role === 'helpdesk' ? 'The helpdesk can look up users and help ordinary users with their sign-in; settings, roles, tokens and changes to staff accounts are for administrators.' : ''} Nothing was changed.`
            : `${err.message}${req.method === 'POST' ? ' Nothing was changed.' : ''}`;
        return web.render(req, reply, s, {
          title: titles[err.status] ?? 'Something is not right',
          nav: null,
          status: err.status,
          body: html`${pageHeader(titles[err.status] ?? 'Something is not right', message.trim())}
<div class="actions">${linkButton('/admin/users', 'Back to users', 'primary')}</div>`,
        });
      });

      admin.setNotFoundHandler(async (req, reply) => {
        const s = await web.session(req);
        if (!s) return reply.redirect('/sign-in', 303);
        if (s.user.role === 'user') {
          return web.html(
            reply,
            errorPage({
              status: 403,
              title: 'This page is for administrators',
              message: 'The administration pages are for administrators and the helpdesk.',
              requestId: req.id,
              user: web.pageUser(s),
            }),
            403,
          );
        }
        return web.render(req, reply, s, {
          title: 'Not found',
          nav: null,
          status: 404,
          body: html`${pageHeader('There is no such page', 'Check the address, or start again from the list of users.')}
<div class="actions">${linkButton('/admin/users', 'Back to users', 'primary')}</div>`,
        });
      });

      admin.get('/', async (_req, reply) => reply.redirect('/admin/users', 303));

      registerUsers(admin, ctx);
      registerUserPage(admin, ctx);
      registerSettings(admin, ctx);
      registerSignIns(admin, ctx);
      registerAudit(admin, ctx);
      registerImport(admin, ctx);
      registerTokens(admin, ctx);
      registerClientPages(admin, web, guards);
      registerRadiusPages(admin, web, guards);
      registerOverviewPage(admin, web, guards, REASON_LABEL);
    },
    { prefix: '/admin' },
  );
}
