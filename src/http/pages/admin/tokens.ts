// Admin API tokens (admin): the list, creating one (its secret shown once) and revoking.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError, LatchkeyError } from '../../../core/errors.js';
import type { Actor } from '../../../core/policy.js';
import type { TokenView } from '../../../core/tokens.js';
import type { Role } from '../../../store/schema.js';
import { ENGLISH, errorText, type Key, type Words } from '../../i18n/index.js';
import { badge } from '../forms.js';
import { guarded, loader, pageCtx } from '../guards.js';
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
  timeAgo,
} from '../layout.js';
import type { AdminContext } from './shared.js';

const ROLE_WORDS = {
  user: 'admin.common.role.user',
  helpdesk: 'admin.common.role.helpdesk',
  admin: 'admin.common.role.admin',
} as const satisfies Record<Role, Key>;

const roleName = (w: Words, role: string) =>
  Object.hasOwn(ROLE_WORDS, role) ? w.t(ROLE_WORDS[role as Role]) : role;

const status = (w: Words, x: TokenView, now: number) =>
  x.revokedAt
    ? badge(w.t('admin.tokens.status.revoked'), 'bad')
    : x.expiresAt && Date.parse(x.expiresAt) <= now
      ? badge(w.t('admin.tokens.status.expired'), 'bad')
      : badge(w.t('admin.tokens.status.active'), 'ok');
const tokenName = (w: Words, x: TokenView) =>
  x.label
    ? w.t('admin.tokens.named', { label: x.label })
    : w.t('admin.tokens.unnamed', { id: x.id.slice(0, 12) });

/** What the list of API tokens shows, at a moment. */
export interface TokensListView {
  tokens: TokenView[];
  now: number;
}

/** The list of API tokens as HTML: a plain function of its view and words, testable without a server. */
export function tokensListBody(v: TokensListView, w: Words = ENGLISH): SafeHtml {
  const { now } = v;
  const list = v.tokens;
  const t2 = (iso: string | null) => (iso ? timeAgo(Date.parse(iso), now, w) : w.t('time.never'));
  return html`${pageHeader(
    w.t('admin.tokens.title'),
    w.markup('admin.tokens.lead', {
      path: html`<code>/api/v1/</code>`,
      header: html`<code>Authorization: Bearer lkt_…</code>`,
    }),
  )}
<div class="actions">${linkButton('/admin/tokens/new', w.t('admin.tokens.create'), 'primary')}</div>
${table({
  caption: w.t('admin.tokens.title'),
  head: [
    w.t('admin.tokens.head.name'),
    w.t('admin.tokens.head.role'),
    w.t('admin.tokens.head.created'),
    w.t('admin.tokens.head.expires'),
    w.t('admin.tokens.head.lastUsed'),
    w.t('admin.tokens.head.status'),
    '',
  ],
  rows: list.map((x) => [
    x.label ??
      html`<span class="muted">${w.t('admin.tokens.noName')}</span> <code class="small">${x.id.slice(0, 12)}</code>`,
    roleName(w, x.role),
    html`${t2(x.createdAt)}<br><span class="muted small">${w.t('admin.tokens.by', { name: x.createdBy.replace(/^user:/, '') })}</span>`,
    t2(x.expiresAt),
    t2(x.lastUsedAt),
    status(w, x, now),
    x.active
      ? linkButton(`/admin/tokens/${encodeURIComponent(x.id)}/revoke`, w.t('admin.tokens.revoke'), 'danger')
      : '',
  ]),
  empty: w.t('admin.tokens.empty'),
})}`;
}

/** What the form to create a token shows: the values as typed, and the refusal in words. */
export interface NewTokenView {
  role: string;
  label: string;
  expires: string;
  error: string | null;
  csrf: string;
}

/** The form that creates an API token. */
export function newTokenBody(d: NewTokenView, w: Words = ENGLISH): SafeHtml {
  return html`${pageHeader(w.t('admin.tokens.create'))}
${d.error ? notice('error', d.error) : ''}
${postForm(
  '/admin/tokens/new',
  d.csrf,
  html`${field({ name: 'label', label: w.t('admin.tokens.head.name'), value: d.label, required: true, maxlength: 64, autofocus: true, hint: w.t('admin.tokens.new.nameHint'), words: w })}
${select({
  name: 'role',
  label: w.t('admin.tokens.head.role'),
  options: [
    { value: 'helpdesk', label: w.t('admin.tokens.new.roleHelpdesk'), selected: d.role !== 'admin' },
    { value: 'admin', label: w.t('admin.tokens.new.roleAdmin'), selected: d.role === 'admin' },
  ],
  hint: w.t('admin.tokens.new.roleHint'),
  words: w,
})}
${select({
  name: 'expires',
  label: w.t('admin.tokens.head.expires'),
  options: [
    { value: '30d', label: w.t('admin.tokens.new.in30'), selected: d.expires === '30d' },
    { value: '90d', label: w.t('admin.tokens.new.in90'), selected: d.expires === '90d' || d.expires === '' },
    { value: '365d', label: w.t('admin.tokens.new.inYear'), selected: d.expires === '365d' },
    { value: 'never', label: w.t('time.never'), selected: d.expires === 'never' },
  ],
  words: w,
})}
<div class="actions">${button(w.t('admin.tokens.new.submit'))} ${linkButton('/admin/tokens', w.t('admin.tokens.cancel'))}</div>`,
)}`;
}

/** The page that shows a new token once: the token as the core made it, with its secret. */
export function tokenCreatedBody(created: TokenView & { token: string }, w: Words = ENGLISH): SafeHtml {
  const role = roleName(w, created.role);
  return html`${pageHeader(
    w.t('admin.tokens.created.heading', { name: tokenName(w, created) }),
    w.markup('admin.tokens.created.lead', { header: html`<code>Authorization: Bearer</code>` }),
  )}
${secretBox({
  id: 'api-token',
  label: created.expiresAt
    ? w.t('admin.tokens.created.expires', { role, date: w.dateTime(Date.parse(created.expiresAt)) })
    : w.t('admin.tokens.created.neverExpires', { role }),
  secret: created.token,
  copyLabel: w.t('admin.tokens.created.copy'),
  words: w,
})}
${notice('warning', w.t('admin.tokens.created.once'))}
<div class="actions">${linkButton('/admin/tokens', w.t('admin.tokens.close'), 'primary')}</div>`;
}

/** The confirmation before a token is revoked: what it is, and what revoking it does. */
export function revokeTokenBody(v: { token: TokenView; csrf: string }, w: Words = ENGLISH): SafeHtml {
  const x = v.token;
  const role = roleName(w, x.role).toLocaleLowerCase(w.lang);
  return html`${pageHeader(
    w.t('admin.tokens.revokePage.question', { name: tokenName(w, x) }),
    x.lastUsedAt
      ? w.t('admin.tokens.revokePage.detailUsed', { role, date: w.dateTime(Date.parse(x.lastUsedAt)) })
      : w.t('admin.tokens.revokePage.detailNever', { role }),
  )}
${postForm(`/admin/tokens/${encodeURIComponent(x.id)}/revoke`, v.csrf, html`<div class="actions">${button(w.t('admin.tokens.revokePage.yes'), { kind: 'danger' })} ${linkButton('/admin/tokens', w.t('admin.tokens.revokePage.no'))}</div>`)}`;
}

export function registerTokens(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, q, requirePermission, requireSudo } = ctx;

  admin.get('/tokens', guarded(requirePermission('tokens.manage')), async (req, reply) => {
    const { s, a } = pageCtx(req);
    const w = req.words;
    const body = tokensListBody({ tokens: await core.tokens.listTokens(a), now: core.now() }, w);
    const done = q(req, 'done', 16);
    return web.render(req, reply, s, {
      title: w.t('admin.tokens.title'),
      nav: 'admin-tokens',
      body,
      flash: done === 'revoked' ? { kind: 'success', text: w.t('admin.tokens.revoked') } : null,
    });
  });

  async function newPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    d: { role: string; label: string; expires: string },
    error: string | null,
    status = 200,
  ) {
    return web.render(req, reply, s, {
      title: req.words.t('admin.tokens.create'),
      nav: 'admin-tokens',
      status,
      body: newTokenBody({ ...d, error, csrf: web.csrf(req, reply) }, req.words),
    });
  }

  admin.get(
    '/tokens/new',
    guarded(requirePermission('tokens.manage'), requireSudo('/admin/tokens/new')),
    async (req, reply) => {
      const { s } = pageCtx(req);
      return newPage(req, reply, s, { role: 'helpdesk', label: '', expires: '90d' }, null);
    },
  );

  admin.post(
    '/tokens/new',
    guarded(requirePermission('tokens.manage'), requireSudo('/admin/tokens/new')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const d = {
        role: web.str(req.body, 'role', 16),
        label: web.str(req.body, 'label', 300).trim(),
        expires: web.str(req.body, 'expires', 16),
      };
      let created: Awaited<ReturnType<typeof core.tokens.createToken>>;
      try {
        if (!d.label) {
          return newPage(req, reply, s, d, req.words.t('admin.tokens.new.nameMissing'), 400);
        }
        created = await core.tokens.createToken(a, {
          role: d.role,
          label: d.label,
          expires: d.expires === 'never' ? null : d.expires || '90d',
        });
      } catch (e) {
        if (isLatchkeyError(e) && e.status === 400)
          return newPage(req, reply, s, d, errorText(req.words, e), 400);
        throw e;
      }
      return web.render(req, reply, s, {
        title: req.words.t('admin.tokens.created.title'),
        nav: 'admin-tokens',
        body: tokenCreatedBody(created, req.words),
      });
    },
  );

  async function findToken(a: Actor, id: string): Promise<TokenView> {
    const x = (await core.tokens.listTokens(a)).find((t) => t.id === id);
    if (!x) throw new LatchkeyError('TOKEN_NOT_FOUND');
    return x;
  }

  const token = loader('token', async (req: FastifyRequest, reply: FastifyReply) => {
    const x = await findToken(pageCtx(req).a, (req.params as { id: string }).id);
    // A token already revoked has nothing to confirm: back to the list (before the sudo check).
    if (req.method === 'GET' && !x.active) {
      reply.redirect('/admin/tokens', 303);
      return undefined;
    }
    return x;
  });
  const revoke = {
    preHandler: [
      requirePermission('tokens.manage'),
      token.load,
      requireSudo((req) => `/admin/tokens/${encodeURIComponent(token.of(req).id)}/revoke`),
    ],
  };

  admin.get<{ Params: { id: string } }>('/tokens/:id/revoke', revoke, async (req, reply) => {
    const { s } = pageCtx(req);
    const x = token.of(req);
    return web.render(req, reply, s, {
      title: req.words.t('admin.tokens.revokePage.title'),
      nav: 'admin-tokens',
      body: revokeTokenBody({ token: x, csrf: web.csrf(req, reply) }, req.words),
    });
  });

  admin.post<{ Params: { id: string } }>('/tokens/:id/revoke', revoke, async (req, reply) => {
    const { a } = pageCtx(req);
    const x = token.of(req);
    await core.tokens.revokeToken(a, x.id);
    return reply.redirect('/admin/tokens?done=revoked', 303);
  });
}
