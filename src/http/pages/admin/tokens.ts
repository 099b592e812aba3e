// Admin API tokens (admin): the list, creating one (its secret shown once) and revoking.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError, LatchkeyError } from '../../../core/errors.js';
import type { Actor } from '../../../core/policy.js';
import type { TokenView } from '../../../core/tokens.js';
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
import { type AdminContext, ROLE_LABEL } from './shared.js';

const status = (x: TokenView, now: number) =>
  x.revokedAt
    ? badge('Revoked', 'bad')
    : x.expiresAt && Date.parse(x.expiresAt) <= now
      ? badge('Expired', 'bad')
      : badge('Active', 'ok');
const tokenName = (x: TokenView) => (x.label ? `“${x.label}”` : `token ${x.id.slice(0, 12)}`);

/** What the list of API tokens shows, at a moment. */
export interface TokensListView {
  tokens: TokenView[];
  now: number;
}

/** The list of API tokens as HTML: a plain function of its view, testable without a server. */
export function tokensListBody(v: TokensListView): SafeHtml {
  const { now } = v;
  const list = v.tokens;
  const t2 = (iso: string | null, never = 'Never') => (iso ? timeAgo(Date.parse(iso), now) : never);
  return html`${pageHeader('API tokens', html`Programs and scripts use the admin API at <code>/api/v1/</code> with a token: <code>Authorization: Bearer lkt_…</code>. A token has the role it was given, is shown once, and stops working at once when revoked or expired.`)}
<div class="actions">${linkButton('/admin/tokens/new', 'Create API token', 'primary')}</div>
${table({
  caption: 'API tokens',
  head: ['Name', 'Role', 'Created', 'Expires', 'Last used', 'Status', ''],
  rows: list.map((x) => [
    x.label ?? html`<span class="muted">No name</span> <code class="small">${x.id.slice(0, 12)}</code>`,
    ROLE_LABEL[x.role] ?? x.role,
    html`${t2(x.createdAt)}<br><span class="muted small">by ${x.createdBy.replace(/^user:/, '')}</span>`,
    t2(x.expiresAt),
    t2(x.lastUsedAt),
    status(x, now),
    x.active ? linkButton(`/admin/tokens/${encodeURIComponent(x.id)}/revoke`, 'Revoke', 'danger') : '',
  ]),
  empty: 'There are no API tokens.',
})}`;
}

export function registerTokens(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, q, requirePermission, requireSudo } = ctx;

  admin.get('/tokens', guarded(requirePermission('tokens.manage')), async (req, reply) => {
    const { s, a } = pageCtx(req);
    const body = tokensListBody({ tokens: await core.tokens.listTokens(a), now: core.ctx.now() });
    const done = q(req, 'done', 16);
    return web.render(req, reply, s, {
      title: 'API tokens',
      nav: 'admin-tokens',
      body,
      flash:
        done === 'revoked' ? { kind: 'success', text: 'The token was revoked. It no longer works.' } : null,
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
      title: 'Create API token',
      nav: 'admin-tokens',
      status,
      body: html`${pageHeader('Create API token')}
${error ? notice('error', error) : ''}
${postForm(
  '/admin/tokens/new',
  web.csrf(req, reply),
  html`${field({ name: 'label', label: 'Name', value: d.label, required: true, maxlength: 64, autofocus: true, hint: 'What will use it, for example "Provisioning script".' })}
${select({
  name: 'role',
  label: 'Role',
  options: [
    {
      value: 'helpdesk',
      label: 'Helpdesk: look up users, help ordinary users',
      selected: d.role !== 'admin',
    },
    { value: 'admin', label: 'Administrator: everything', selected: d.role === 'admin' },
  ],
  hint: 'Give the smallest role that does the job.',
})}
${select({
  name: 'expires',
  label: 'Expires',
  options: [
    { value: '30d', label: 'In 30 days', selected: d.expires === '30d' },
    { value: '90d', label: 'In 90 days', selected: d.expires === '90d' || d.expires === '' },
    { value: '365d', label: 'In a year', selected: d.expires === '365d' },
    { value: 'never', label: 'Never', selected: d.expires === 'never' },
  ],
})}
<div class="actions">${button('Create token')} ${linkButton('/admin/tokens', 'Cancel')}</div>`,
)}`,
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
        if (!d.label)
          throw new LatchkeyError(
            'LABEL_INVALID',
            'Give the token a name, so that you know later what uses it.',
          );
        created = await core.tokens.createToken(a, {
          role: d.role,
          label: d.label,
          expires: d.expires === 'never' ? null : d.expires || '90d',
        });
      } catch (e) {
        if (isLatchkeyError(e) && e.status === 400) return newPage(req, reply, s, d, e.message, 400);
        throw e;
      }
      return web.render(req, reply, s, {
        title: 'Your new API token',
        nav: 'admin-tokens',
        body: html`${pageHeader(`API token ${tokenName(created)}`, html`Put it where the program keeps secrets, and send it as <code>Authorization: Bearer</code> followed by the token.`)}
${secretBox({ id: 'api-token', label: `${ROLE_LABEL[created.role] ?? created.role} token${created.expiresAt ? `, expires ${created.expiresAt.slice(0, 10)}` : ', never expires'}`, secret: created.token, copyLabel: 'Copy token to clipboard' })}
${notice('warning', 'This is the only time it is shown. If it gets lost, revoke it and create a new one.')}
<div class="actions">${linkButton('/admin/tokens', 'Close', 'primary')}</div>`,
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
      title: 'Revoke API token',
      nav: 'admin-tokens',
      body: html`${pageHeader(`Revoke the API token ${tokenName(x)}?`, `Programs using it are refused from their next request. It has the ${ROLE_LABEL[x.role]?.toLowerCase() ?? x.role} role and was last used ${x.lastUsedAt ? `on ${x.lastUsedAt.slice(0, 10)}` : 'never'}. This cannot be undone: a program that still needs access needs a new token.`)}
${postForm(`/admin/tokens/${encodeURIComponent(x.id)}/revoke`, web.csrf(req, reply), html`<div class="actions">${button('Yes, revoke it', { kind: 'danger' })} ${linkButton('/admin/tokens', 'No')}</div>`)}`,
    });
  });

  admin.post<{ Params: { id: string } }>('/tokens/:id/revoke', revoke, async (req, reply) => {
    const { a } = pageCtx(req);
    const x = token.of(req);
    await core.tokens.revokeToken(a, x.id);
    return reply.redirect('/admin/tokens?done=revoked', 303);
  });
}
