// The list of users (search, pages of 50) and creating a user, whose one-time password is shown once.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import type { UserView } from '../../../core/users.js';
import { ROLES, TWO_STEP_STATES } from '../../../core/validate.js';
import { badge, getForm } from '../forms.js';
import { guarded, pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import {
  button,
  field,
  linkButton,
  notice,
  pageHeader,
  postForm,
  secretBox,
  select,
  table,
} from '../layout.js';
import { type AdminContext, plural, ROLE_LABEL, STATE_LABEL, STATE_OPTION, userPath, who } from './shared.js';

/** What the list of users shows: built from the core by the handler, drawn by `usersListBody`. */
export interface UsersListView {
  /** The search as typed ('' for everyone) and the username this page starts after ('' for the first). */
  search: string;
  after: string;
  /** Every account in Latchkey, whatever the search. */
  total: number;
  users: UserView[];
  /** There is a next page. */
  more: boolean;
  /** The acting person may create users (and import them). */
  canCreate: boolean;
}

/** The list of users as HTML: a plain function of its view, testable without a server. */
export function usersListBody(v: UsersListView): SafeHtml {
  const { search, after, total, more } = v;
  const shown = v.users;
  const link = (extra: Record<string, string>) => {
    const p = new URLSearchParams({ ...(search ? { q: search } : {}), ...extra });
    const qs = p.toString();
    return `/admin/users${qs ? `?${qs}` : ''}`;
  };
  return html`${pageHeader('Users', `${plural(total, 'account')} in Latchkey. Open a user to see their sign-ins and app passwords, or to help them.`)}
${v.canCreate ? html`<div class="actions">${linkButton('/admin/new-user', 'Create user', 'primary')} ${linkButton('/admin/import', 'Import users from CSV')}</div>` : ''}
${getForm(
  '/admin/users',
  'Search users',
  html`${field({ name: 'q', label: 'Search', type: 'search', value: search, maxlength: 254, spellcheck: false, hint: 'The start of a username or an email address.' })}
<div class="actions">${button('Search', { kind: 'secondary' })}${search ? html` ${linkButton('/admin/users', 'Show everyone', 'link')}` : ''}</div>`,
)}
${table({
  caption: search ? `Users matching “${search}”` : 'Users, by username',
  head: ['Username', 'Display name', 'Email', 'Role', 'Two-step', 'Status'],
  rows: shown.map((u) => [
    html`<a href="${userPath(u.username)}">${u.username}</a>`,
    u.displayName,
    u.email,
    ROLE_LABEL[u.role] ?? u.role,
    html`${STATE_LABEL[u.twoStepEffective] ?? u.twoStepEffective}${u.twoStepEffective !== u.twoStep ? html` <span class="muted small">(required for everyone)</span>` : ''}`,
    u.status === 'active' ? 'Active' : badge('Disabled', 'bad'),
  ]),
  empty: search ? `No username or email starts with “${search}”.` : 'There are no users yet.',
})}
${
  more || after
    ? html`<nav class="pager" aria-label="Pages of users"><ul>${after ? html`<li>${linkButton(link({}), 'First page', 'link')}</li>` : ''}${more ? html`<li>${linkButton(link({ after: shown[shown.length - 1]!.username }), 'Next page', 'secondary')}</li>` : ''}</ul></nav>`
    : ''
}`;
}

export function registerUsers(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, q, allowed, requirePermission, requireSudo } = ctx;
  const PAGE = 50;

  admin.get('/users', async (req, reply) => {
    const { s, a } = pageCtx(req);
    const search = q(req, 'q');
    const after = q(req, 'after', 64);
    const rows = await core.users.listUsers(a, {
      search: search || null,
      after: after || null,
      limit: PAGE + 1,
    });
    const body = usersListBody({
      search,
      after,
      total: await core.users.userCount(),
      users: rows.slice(0, PAGE),
      more: rows.length > PAGE,
      canCreate: allowed(a, 'user.create'),
    });
    return web.render(req, reply, s, { title: 'Users', nav: 'admin-users', body });
  });

  // ---- create a user (admin): the one-time password is shown once

  type Draft = { username: string; email: string; displayName: string; role: string; twoStep: string };

  async function createPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    d: Draft,
    error: { code: string; message: string } | null,
    status = 200,
  ) {
    const fieldOf: Record<string, keyof Draft> = {
      USERNAME_INVALID: 'username',
      USER_EXISTS: 'username',
      EMAIL_INVALID: 'email',
      EMAIL_TAKEN: 'email',
      DISPLAY_NAME_INVALID: 'displayName',
    };
    const at = error ? fieldOf[error.code] : undefined;
    const err = (f: keyof Draft) => (error && at === f ? error.message : null);
    return web.render(req, reply, s, {
      title: 'Create user',
      nav: 'admin-users',
      status,
      body: html`${pageHeader('Create user', 'Latchkey makes a one-time password for the new user. You see it once, on the next page, and give it to them; they choose their own password at their first web sign-in.')}
${error && !at ? notice('error', error.message) : ''}
${postForm(
  '/admin/new-user',
  web.csrf(req, reply),
  html`${field({ name: 'username', label: 'Username', value: d.username, required: true, maxlength: 64, autofocus: true, spellcheck: false, autocomplete: 'off', pattern: '[A-Za-z0-9._\\-]{1,64}', hint: 'What they type to sign in, and their mail login: letters, digits, dots, dashes and underscores.', error: err('username') })}
${field({ name: 'email', label: 'Email address (optional)', type: 'email', value: d.email, maxlength: 254, spellcheck: false, autocomplete: 'off', error: err('email') })}
${field({ name: 'displayName', label: 'Display name (optional)', value: d.displayName, maxlength: 128, autocomplete: 'off', hint: 'Their name as people read it, for example "Alice Martin".', error: err('displayName') })}
${select({ name: 'role', label: 'Role', options: ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] ?? r, selected: r === (d.role || 'user') })), hint: 'Users manage their own account. The helpdesk helps users; administrators can change everything.' })}
${select({ name: 'twoStep', label: 'Two-step verification', options: TWO_STEP_STATES.map((x) => ({ value: x, label: STATE_OPTION[x] ?? x, selected: x === (d.twoStep || 'disabled') })) })}
<div class="actions">${button('Create user')} ${linkButton('/admin/users', 'Cancel')}</div>`,
)}`,
    });
  }

  const empty: Draft = { username: '', email: '', displayName: '', role: 'user', twoStep: 'disabled' };

  admin.get(
    '/new-user',
    guarded(requirePermission('user.create'), requireSudo('/admin/new-user')),
    async (req, reply) => {
      const { s } = pageCtx(req);
      return createPage(req, reply, s, empty, null);
    },
  );

  admin.post(
    '/new-user',
    guarded(requirePermission('user.create'), requireSudo('/admin/new-user')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const d: Draft = {
        username: web.str(req.body, 'username', 300).trim(),
        email: web.str(req.body, 'email', 300).trim(),
        displayName: web.str(req.body, 'displayName', 300).trim(),
        role: web.str(req.body, 'role', 16),
        twoStep: web.str(req.body, 'twoStep', 16),
      };
      let created: UserView;
      let generated: string;
      try {
        ({ user: created, oneTimePassword: generated } = await core.users.createUserWithOneTimePassword(a, {
          username: d.username,
          email: d.email || null,
          displayName: d.displayName || null,
          role: d.role || 'user',
          twoStep: d.twoStep || 'disabled',
        }));
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500 && e.code !== 'FORBIDDEN') {
          return createPage(req, reply, s, d, { code: e.code, message: e.message }, e.status);
        }
        throw e;
      }
      return web.render(req, reply, s, {
        title: 'User created',
        nav: 'admin-users',
        body: html`${pageHeader(`${who(created)} can now sign in`, `Give ${who(created)} their username, ${created.username}, and this one-time password — in person or by phone, not by email. At their first web sign-in they choose their own password, and this one stops working.`)}
${secretBox({ id: 'one-time-password', label: `One-time password for ${created.username}`, secret: generated })}
${notice('warning', 'This is the only time it is shown. If it gets lost, reset the password from the user’s page to get a new one.')}
<div class="actions">${linkButton(userPath(created.username), 'Close', 'primary')} ${linkButton('/admin/new-user', 'Create another user')}</div>`,
      });
    },
  );
}
