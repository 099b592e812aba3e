// The list of users (search, pages of 50) and creating a user, whose one-time password is shown once.
// Handlers build a view from the core; plain functions draw it in the request's words.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import type { UserView } from '../../../core/users.js';
import { ROLES, TWO_STEP_STATES } from '../../../core/validate.js';
import { ENGLISH, errorText, type Words } from '../../i18n/index.js';
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
import { type AdminContext, label, ROLE_KEY, STATE_KEY, STATE_OPTION_KEY, userPath, who } from './shared.js';

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

/** The list of users as HTML in the page's words: a plain function of its view, testable without a server. */
export function usersListBody(v: UsersListView, w: Words = ENGLISH): SafeHtml {
  const { search, after, total, more } = v;
  const shown = v.users;
  const link = (extra: Record<string, string>) => {
    const p = new URLSearchParams({ ...(search ? { q: search } : {}), ...extra });
    const qs = p.toString();
    return `/admin/users${qs ? `?${qs}` : ''}`;
  };
  return html`${pageHeader(w.t('admin.users.title'), w.t('admin.users.lead', { count: total }))}
${v.canCreate ? html`<div class="actions">${linkButton('/admin/new-user', w.t('admin.users.create'), 'primary')} ${linkButton('/admin/import', w.t('admin.users.import'))}</div>` : ''}
${getForm(
  '/admin/users',
  w.t('admin.users.search.form'),
  html`${field({ name: 'q', label: w.t('admin.users.search.label'), type: 'search', value: search, maxlength: 254, spellcheck: false, hint: w.t('admin.users.search.hint'), words: w })}
<div class="actions">${button(w.t('admin.users.search.submit'), { kind: 'secondary' })}${search ? html` ${linkButton('/admin/users', w.t('admin.users.search.everyone'), 'link')}` : ''}</div>`,
)}
${table({
  caption: search ? w.t('admin.users.caption.matching', { search }) : w.t('admin.users.caption.all'),
  head: [
    w.t('admin.common.head.username'),
    w.t('admin.common.head.displayName'),
    w.t('admin.common.head.email'),
    w.t('admin.common.head.role'),
    w.t('admin.common.head.twoStep'),
    w.t('admin.common.head.status'),
  ],
  rows: shown.map((u) => [
    html`<a href="${userPath(u.username)}">${u.username}</a>`,
    u.displayName,
    u.email,
    label(w, ROLE_KEY, u.role),
    html`${label(w, STATE_KEY, u.twoStepEffective)}${u.twoStepEffective !== u.twoStep ? html` <span class="muted small">${w.t('admin.users.requiredForEveryone')}</span>` : ''}`,
    u.status === 'active'
      ? w.t('admin.common.status.active')
      : badge(w.t('admin.common.status.disabled'), 'bad'),
  ]),
  empty: search ? w.t('admin.users.empty.matching', { search }) : w.t('admin.users.empty.all'),
})}
${
  more || after
    ? html`<nav class="pager" aria-label="${w.t('admin.users.pager')}"><ul>${after ? html`<li>${linkButton(link({}), w.t('admin.users.pager.first'), 'link')}</li>` : ''}${more ? html`<li>${linkButton(link({ after: shown[shown.length - 1]!.username }), w.t('admin.users.pager.next'), 'secondary')}</li>` : ''}</ul></nav>`
    : ''
}`;
}

/** What the form to create a user holds: as typed, with the refusal of the last try. */
export interface NewUserView {
  draft: NewUserDraft;
  /** The core's refusal, its message in the page's words: shown at its field when it names one, else above the form. */
  error: { code: string; message: string } | null;
  csrf: string;
}

export type NewUserDraft = {
  username: string;
  email: string;
  displayName: string;
  role: string;
  twoStep: string;
};

/** Which field a refusal of the core is about; others show above the form. */
const FIELD_OF: Record<string, keyof NewUserDraft> = {
  USERNAME_INVALID: 'username',
  USER_EXISTS: 'username',
  EMAIL_INVALID: 'email',
  EMAIL_TAKEN: 'email',
  DISPLAY_NAME_INVALID: 'displayName',
};

export function newUserBody(v: NewUserView, w: Words = ENGLISH): SafeHtml {
  const { draft: d, error } = v;
  const at = error && Object.hasOwn(FIELD_OF, error.code) ? FIELD_OF[error.code] : undefined;
  const message = error?.message ?? null;
  const err = (f: keyof NewUserDraft) => (at === f ? message : null);
  return html`${pageHeader(w.t('admin.users.create'), w.t('admin.users.new.lead'))}
${message && !at ? notice('error', message) : ''}
${postForm(
  '/admin/new-user',
  v.csrf,
  html`${field({ name: 'username', label: w.t('admin.common.head.username'), value: d.username, required: true, maxlength: 64, autofocus: true, spellcheck: false, autocomplete: 'off', pattern: '[A-Za-z0-9._\\-]{1,64}', hint: w.t('admin.users.new.username.hint'), error: err('username'), words: w })}
${field({ name: 'email', label: w.t('admin.users.new.email.label'), type: 'email', value: d.email, maxlength: 254, spellcheck: false, autocomplete: 'off', error: err('email'), words: w })}
${field({ name: 'displayName', label: w.t('admin.users.new.displayName.label'), value: d.displayName, maxlength: 128, autocomplete: 'off', hint: w.t('admin.users.new.displayName.hint'), error: err('displayName'), words: w })}
${select({ name: 'role', label: w.t('admin.common.head.role'), options: ROLES.map((r) => ({ value: r, label: label(w, ROLE_KEY, r), selected: r === (d.role || 'user') })), hint: w.t('admin.users.new.role.hint'), words: w })}
${select({ name: 'twoStep', label: w.t('admin.common.twoStep'), options: TWO_STEP_STATES.map((x) => ({ value: x, label: label(w, STATE_OPTION_KEY, x), selected: x === (d.twoStep || 'disabled') })), words: w })}
<div class="actions">${button(w.t('admin.users.create'))} ${linkButton('/admin/users', w.t('admin.common.cancel'))}</div>`,
)}`;
}

/** The page after creating a user: their one-time password, shown this once. */
export function userCreatedBody(
  v: { user: UserView; oneTimePassword: string },
  w: Words = ENGLISH,
): SafeHtml {
  const name = who(v.user);
  const { username } = v.user;
  return html`${pageHeader(w.t('admin.users.created.heading', { name }), w.t('admin.users.created.lead', { name, username }))}
${secretBox({ id: 'one-time-password', label: w.t('admin.common.oneTimePasswordFor', { username }), secret: v.oneTimePassword, words: w })}
${notice('warning', w.t('admin.users.created.once'))}
<div class="actions">${linkButton(userPath(username), w.t('admin.common.close'), 'primary')} ${linkButton('/admin/new-user', w.t('admin.users.created.another'))}</div>`;
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
    const body = usersListBody(
      {
        search,
        after,
        total: await core.users.userCount(),
        users: rows.slice(0, PAGE),
        more: rows.length > PAGE,
        canCreate: allowed(a, 'user.create'),
      },
      req.words,
    );
    return web.render(req, reply, s, { title: req.words.t('admin.users.title'), nav: 'admin-users', body });
  });

  // ---- create a user (admin): the one-time password is shown once

  async function createPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    draft: NewUserDraft,
    error: { code: string; message: string } | null,
    status = 200,
  ) {
    return web.render(req, reply, s, {
      title: req.words.t('admin.users.create'),
      nav: 'admin-users',
      status,
      body: newUserBody({ draft, error, csrf: web.csrf(req, reply) }, req.words),
    });
  }

  const empty: NewUserDraft = { username: '', email: '', displayName: '', role: 'user', twoStep: 'disabled' };

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
      const d: NewUserDraft = {
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
          return createPage(req, reply, s, d, { code: e.code, message: errorText(req.words, e) }, e.status);
        }
        throw e;
      }
      return web.render(req, reply, s, {
        title: req.words.t('admin.users.created.title'),
        nav: 'admin-users',
        body: userCreatedBody({ user: created, oneTimePassword: generated }, req.words),
      });
    },
  );
}
