// Administration, one file per area: users (users.ts: search, create), one user with its support
// actions (user.ts), organization settings (settings.ts), the sign-in log with its CSV (sign-ins.ts),
// the audit log (audit.ts), CSV import (import.ts), admin API tokens (tokens.ts), apps (clients.ts),
// RADIUS (radius.ts) and the overview (overview.ts). This index registers them under /admin with the
// guards every area has (a session, a staff role) and the pages for refusals and unknown addresses;
// each route declares its own permission and sudo guards (../guards.ts).
// Every page calls the same core functions as the JSON API and the CLI with the session's actor, so
// the core's authorize() decides what each role may do; the pages only hide what a role cannot do.
// Every word on these pages comes from the request's words (req.words), in the person's language.
// Changes ask for a plain-words confirmation first, and anything that changes an account, the
// settings or the tokens needs a recent two-step check (sudo mode, B7), like the account pages.

import type { FastifyInstance } from 'fastify';
import { isLatchkeyError } from '../../../core/errors.js';
import { ENGLISH, errorText, type Key } from '../../i18n/index.js';
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
import { adminContext, label, REASON_KEY } from './shared.js';
import { registerSignIns } from './sign-ins.js';
import { registerTokens } from './tokens.js';
import { registerUserPage } from './user.js';
import { registerUsers } from './users.js';

/** The title of a refusal page, by the refusal's HTTP status. */
const ERROR_TITLE: Record<number, Key> = {
  400: 'admin.error.title.badRequest',
  403: 'admin.error.title.forbidden',
  404: 'admin.error.title.notFound',
  409: 'admin.error.title.conflict',
  410: 'admin.error.title.gone',
};

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
        const w = req.words ?? ENGLISH;
        const title = (w.t as (k: Key) => string)(ERROR_TITLE[err.status] ?? 'admin.error.title.other');
        const message = [
          errorText(w, err),
          err.code === 'FORBIDDEN' && s.user.role === 'helpdesk' ? w.t('admin.error.helpdeskLimits') : '',
          err.code === 'FORBIDDEN' || req.method === 'POST' ? w.t('admin.common.nothingChanged') : '',
        ];
        return web.render(req, reply, s, {
          title,
          nav: null,
          status: err.status,
          body: html`${pageHeader(title, message.filter((x) => x !== '').join(' '))}
<div class="actions">${linkButton('/admin/users', w.t('admin.error.backToUsers'), 'primary')}</div>`,
        });
      });

      admin.setNotFoundHandler(async (req, reply) => {
        const s = await web.session(req);
        if (!s) return reply.redirect('/sign-in', 303);
        const w = req.words ?? ENGLISH;
        if (s.user.role === 'user') {
          return web.html(
            reply,
            errorPage({
              status: 403,
              title: w.t('admin.error.staffOnly.title'),
              message: w.t('admin.error.staffOnly.message'),
              requestId: req.id,
              user: web.pageUser(s),
              words: w,
            }),
            403,
          );
        }
        return web.render(req, reply, s, {
          title: w.t('admin.error.title.notFound'),
          nav: null,
          status: 404,
          body: html`${pageHeader(w.t('admin.error.noPage.heading'), w.t('admin.error.noPage.lead'))}
<div class="actions">${linkButton('/admin/users', w.t('admin.error.backToUsers'), 'primary')}</div>`,
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
      registerOverviewPage(admin, web, guards, (reason, w) => label(w, REASON_KEY, reason));
    },
    { prefix: '/admin' },
  );
}
