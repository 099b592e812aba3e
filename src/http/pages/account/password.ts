// Change password (B3): the current one, the new one twice, and whether the app passwords go too.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import { errorText, type Words } from '../../i18n/index.js';
import { guarded, pageOf } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { button, checkbox, field, notice, pageHeader, postForm } from '../layout.js';
import type { AccountContext } from './index.js';

/** The shortest password the form asks for (the core checks it too). */
const MIN_LENGTH = 8;

export interface PasswordView {
  csrf: string;
  username: string;
  /** The organization deletes app passwords with every password change. */
  revokeForced: boolean;
  error: string | null;
}

export function passwordBody(w: Words, v: PasswordView): SafeHtml {
  return html`${pageHeader(w.t('account.password.title'), w.t('account.password.lead'))}
${v.error ? notice('error', v.error) : ''}
${postForm(
  '/account/password',
  v.csrf,
  html`<input type="text" name="username" value="${v.username}" autocomplete="username" class="visually-hidden" tabindex="-1" aria-hidden="true" readonly>
${field({ name: 'current', label: w.t('account.password.current'), type: 'password', autocomplete: 'current-password', required: true, maxlength: 1024, words: w })}
${field({ name: 'password', label: w.t('newPassword.label'), type: 'password', autocomplete: 'new-password', required: true, minlength: MIN_LENGTH, maxlength: 1024, hint: w.t('account.password.hint', { count: MIN_LENGTH }), words: w })}
${field({ name: 'confirm', label: w.t('account.password.confirm'), type: 'password', autocomplete: 'new-password', required: true, maxlength: 1024, words: w })}
${
  v.revokeForced
    ? html`<p class="hint">${w.t('account.password.revokeForced')}</p><input type="hidden" name="revoke" value="on">`
    : checkbox({
        name: 'revoke',
        label: w.t('account.password.revoke'),
        checked: true,
        hint: w.t('account.password.revokeHint'),
      })
}
<div class="actions">${button(w.t('account.password.submit'))}</div>`,
)}`;
}

export function registerPassword(app: FastifyInstance, ctx: AccountContext): void {
  const { web } = ctx;
  const { core } = web;
  const { requireSession, requireSudo } = ctx.guards;

  async function passwordPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    error: string | null,
    status = 200,
  ) {
    const settings = await core.settings.current();
    return web.render(req, reply, s, {
      title: req.words.t('account.password.title'),
      nav: 'password',
      status,
      body: passwordBody(req.words, {
        csrf: web.csrf(req, reply),
        username: s.user.username,
        revokeForced: settings.revokeAppPasswordsOnPasswordChange,
        error,
      }),
    });
  }

  app.get(
    '/account/password',
    guarded(requireSession, requireSudo('/account/password')),
    async (req, reply) => {
      const s = pageOf(req).session;
      return passwordPage(req, reply, s, null);
    },
  );

  app.post(
    '/account/password',
    guarded(requireSession, requireSudo('/account/password')),
    async (req, reply) => {
      const s = pageOf(req).session;
      try {
        await core.browser.changeOwnPassword(s, {
          current: web.str(req.body, 'current', 1100),
          password: web.str(req.body, 'password', 1100),
          confirm: web.str(req.body, 'confirm', 1100),
          revokeAppPasswords: web.str(req.body, 'revoke', 8) === 'on',
          ip: req.ip,
        });
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500)
          return passwordPage(req, reply, s, errorText(req.words, e), 400);
        throw e;
      }
      return reply.redirect('/account?done=password-changed', 303);
    },
  );
}
