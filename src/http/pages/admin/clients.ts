// Administration of OpenID Connect apps (issue 10), for administrators: the registered clients, the
// form that registers one and shows its client id, issuer and secret once, a client's page with
// "new secret" and "delete" behind a confirmation, and the provider's signing keys with "Rotate keys".
// Every change goes through core.oidcClients or core.oidcKeys, which authorize and audit it; like the
// other admin pages, changes need a recent two-step check (sudo mode, B7).
//
// Addresses: /admin/clients/NAME for a client; registering is /admin/new-client and rotating the keys
// /admin/keys/rotate, because "new" or "rotate-keys" may be a client's name. Every word is the
// catalogue's (admin.clients.*); the list and an app's page are drawn by plain functions of typed views.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import {
  CLIENT_SCOPES,
  type ClientScope,
  DEFAULT_CLIENT_SCOPES,
  type OidcClientView,
} from '../../../core/oidc-clients.js';
import type { SigningKeyView } from '../../../core/oidc-keys.js';
import { ENGLISH, errorText, type Key, type Words } from '../../i18n/index.js';
import type { Web } from '../../web.js';
import { badge, section } from '../forms.js';
import { guarded, loader, type PageGuards, pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import {
  button,
  checkbox,
  definitionList,
  field,
  linkButton,
  notice,
  pageHeader,
  postForm,
  secretBox,
  table,
  textareaField,
  timeAgo,
} from '../layout.js';

/** What each scope lets an app see, for the administrator choosing them. */
const SCOPE_WORDS = {
  openid: 'admin.clients.scope.openid',
  profile: 'admin.clients.scope.profile',
  email: 'admin.clients.scope.email',
  groups: 'admin.clients.scope.groups',
  offline_access: 'admin.clients.scope.offlineAccess',
  mail: 'admin.clients.scope.mail',
} as const satisfies Record<ClientScope, Key>;

const KEY_STATE_WORDS = {
  signing: 'admin.clients.keyState.signing',
  next: 'admin.clients.keyState.next',
  retired: 'admin.clients.keyState.retired',
  unpublished: 'admin.clients.keyState.unpublished',
} as const satisfies Record<SigningKeyView['state'], Key>;

const scopeLabel = (w: Words, sc: string) =>
  Object.hasOwn(SCOPE_WORDS, sc) ? w.t(SCOPE_WORDS[sc as ClientScope]) : sc;

const clientPath = (name: string) => `/admin/clients/${encodeURIComponent(name)}`;

function uriList(w: Words, uris: string[]): SafeHtml {
  return uris.length === 0
    ? html`<span class="muted">${w.t('admin.clients.none')}</span>`
    : html`<ul class="details">${uris.map((u) => html`<li><code>${u}</code></li>`)}</ul>`;
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

export interface Draft {
  name: string;
  redirectUris: string;
  postLogoutRedirectUris: string;
  public: boolean;
  trusted: boolean;
  scopes: ClientScope[];
}

const EMPTY: Draft = {
  name: '',
  redirectUris: '',
  postLogoutRedirectUris: '',
  public: false,
  trusted: false,
  scopes: [...DEFAULT_CLIENT_SCOPES],
};

/** The list of apps and the signing keys, at a moment. */
export interface ClientsListView {
  clients: OidcClientView[];
  keys: SigningKeyView[];
  /** Where apps fetch the public keys. */
  jwksUrl: string;
  now: number;
}

/** The apps page as HTML: a plain function of its view and the page's words. */
export function clientsListBody(v: ClientsListView, w: Words = ENGLISH): SafeHtml {
  const { clients, keys, now } = v;
  const t = (iso: string | null) => (iso === null ? w.t('time.never') : timeAgo(Date.parse(iso), now, w));
  return html`${pageHeader(w.t('admin.clients.title'), w.t('admin.clients.lead'))}
<div class="actions">${linkButton('/admin/new-client', w.t('admin.clients.register'), 'primary')}</div>
${table({
  caption: w.t('admin.clients.caption'),
  head: [
    w.t('admin.clients.head.name'),
    w.t('admin.clients.head.clientId'),
    w.t('admin.clients.head.type'),
    w.t('admin.clients.head.trusted'),
    w.t('admin.clients.head.redirectUris'),
    w.t('admin.clients.head.lastUsed'),
  ],
  rows: clients.map((c) => [
    html`<a href="${clientPath(c.name)}">${c.name}</a>`,
    html`<code>${c.clientId}</code>`,
    c.public ? w.t('admin.clients.type.public') : w.t('admin.clients.type.confidential'),
    c.trusted ? w.t('admin.clients.yes') : w.t('admin.clients.no'),
    uriList(w, c.redirectUris),
    t(c.lastUsedAt),
  ]),
  empty: w.t('admin.clients.empty'),
})}
${clients.length > 0 ? html`<p class="muted small">${w.t('admin.clients.note')}</p>` : ''}
${section(
  'h-keys',
  w.t('admin.clients.keys.title'),
  html`<p>${w.markup('admin.clients.keys.lead', { url: html`<code>${v.jwksUrl}</code>` })}</p>
${table({
  caption: w.t('admin.clients.keys.caption'),
  head: [
    w.t('admin.clients.keys.head.kid'),
    w.t('admin.clients.keys.head.created'),
    w.t('admin.clients.keys.head.signsFrom'),
    w.t('admin.clients.keys.head.retired'),
    w.t('admin.clients.keys.head.state'),
  ],
  rows: keys.map((k) => [
    html`<code>${k.kid}</code> <span class="muted small">${k.alg}</span>`,
    timeAgo(Date.parse(k.createdAt), now, w),
    timeAgo(Date.parse(k.signsFrom), now, w),
    k.retiredAt ? timeAgo(Date.parse(k.retiredAt), now, w) : html`<span class="muted">—</span>`,
    k.state === 'signing' ? badge(w.t(KEY_STATE_WORDS[k.state]), 'ok') : w.t(KEY_STATE_WORDS[k.state]),
  ]),
  empty: w.t('admin.clients.keys.empty'),
})}
<div class="actions">${linkButton('/admin/keys/rotate', w.t('admin.clients.keys.rotate'))}</div>`,
)}`;
}

/** One app's page: its settings in words, and what may be done to it. */
export interface ClientView {
  client: OidcClientView;
  issuer: string;
  now: number;
}

export function clientBody(v: ClientView, w: Words = ENGLISH): SafeHtml {
  const { client: c, now } = v;
  const t = (iso: string | null, never = w.t('time.never')) =>
    iso === null ? never : timeAgo(Date.parse(iso), now, w);
  return html`${pageHeader(c.name, w.markup('admin.clients.one.lead', { id: html`<code>${c.clientId}</code>` }))}
${definitionList([
  [w.t('admin.clients.issuer'), html`<code>${v.issuer}</code>`],
  [
    w.t('admin.clients.head.type'),
    c.public ? w.t('admin.clients.one.public') : w.t('admin.clients.one.confidential'),
  ],
  [
    w.t('admin.clients.head.trusted'),
    c.trusted ? w.t('admin.clients.one.trusted') : w.t('admin.clients.one.notTrusted'),
  ],
  [w.t('admin.clients.head.redirectUris'), uriList(w, c.redirectUris)],
  [w.t('admin.clients.one.postLogout'), uriList(w, c.postLogoutRedirectUris)],
  [
    w.t('admin.clients.one.backchannel'),
    c.backchannelLogoutUri
      ? html`<code>${c.backchannelLogoutUri}</code>`
      : html`<span class="muted">${w.t('admin.clients.none')}</span>`,
  ],
  [
    w.t('admin.clients.one.scopes'),
    html`<ul class="details">${c.scopes.map((sc) => html`<li>${scopeLabel(w, sc)}</li>`)}</ul>`,
  ],
  [w.t('admin.clients.one.registered'), t(c.createdAt)],
  ...(c.public
    ? []
    : ([
        [w.t('admin.clients.one.secretChanged'), t(c.secretRotatedAt, w.t('admin.clients.one.secretNever'))],
      ] as [string, SafeHtml | string][])),
  [
    w.t('admin.clients.head.lastUsed'),
    html`${t(c.lastUsedAt)} <span class="muted small">${w.t('admin.clients.one.lastUsedNote')}</span>`,
  ],
])}
<div class="actions">${c.public ? '' : html`${linkButton(`${clientPath(c.name)}/rotate-secret`, w.t('admin.clients.one.newSecret'))} `}${linkButton(`${clientPath(c.name)}/delete`, w.t('admin.clients.one.delete'), 'danger')} ${linkButton('/admin/clients', w.t('admin.clients.one.back'), 'link')}</div>`;
}

/** The form that registers an app: what was typed, and the refusal beside its field (or above). */
export interface NewClientView {
  draft: Draft;
  error: { at: 'name' | 'redirectUris' | 'postLogoutRedirectUris' | null; text: string } | null;
  csrf: string;
}

export function newClientBody(v: NewClientView, w: Words = ENGLISH): SafeHtml {
  const { draft: d, error } = v;
  const err = (f: string) => (error && error.at === f ? error.text : null);
  return html`${pageHeader(w.t('admin.clients.new.title'), w.t('admin.clients.new.lead'))}
${error && !error.at ? notice('error', error.text) : ''}
${postForm(
  '/admin/new-client',
  v.csrf,
  html`${field({ name: 'name', label: w.t('admin.clients.head.name'), value: d.name, required: true, maxlength: 64, autofocus: true, spellcheck: false, autocomplete: 'off', hint: w.t('admin.clients.new.nameHint'), error: err('name'), words: w })}
${textareaField({ rows: 3, name: 'redirectUris', label: w.t('admin.clients.head.redirectUris'), value: d.redirectUris, required: true, hint: w.t('admin.clients.new.redirectHint'), error: err('redirectUris'), words: w })}
${textareaField({ rows: 3, name: 'postLogoutRedirectUris', label: w.t('admin.clients.new.postLogout'), value: d.postLogoutRedirectUris, required: false, hint: w.t('admin.clients.new.postLogoutHint'), error: err('postLogoutRedirectUris'), words: w })}
${checkbox({ name: 'public', label: w.t('admin.clients.new.public'), checked: d.public, hint: w.t('admin.clients.new.publicHint') })}
${checkbox({ name: 'trusted', label: w.t('admin.clients.new.trusted'), checked: d.trusted, hint: w.t('admin.clients.new.trustedHint') })}
<fieldset class="scopes"><legend>${w.t('admin.clients.new.scopes')}</legend>
${CLIENT_SCOPES.map((sc) => checkbox({ name: 'scope', value: sc, label: scopeLabel(w, sc), checked: d.scopes.includes(sc) }))}
</fieldset>
<div class="actions">${button(w.t('admin.clients.new.submit'))} ${linkButton('/admin/clients', w.t('admin.clients.cancel'))}</div>`,
)}`;
}

export function registerClientPages(admin: FastifyInstance, web: Web, guards: PageGuards): void {
  const { core } = web;
  const { requirePermission, requireSudo } = guards;

  // ---- the list, and the signing keys

  admin.get('/clients', guarded(requirePermission('clients.manage')), async (req, reply) => {
    const { s, a } = pageCtx(req);
    const w = req.words;
    const now = core.now();
    const [clients, keys] = await Promise.all([core.oidcClients.listClients(a), core.oidcKeys.listKeys(a)]);
    const done = web.str(req.query, 'done', 16);
    const rotated = web.str(req.query, 'kid', 32);
    const flash =
      done === 'deleted'
        ? { kind: 'success' as const, text: w.t('admin.clients.deleted') }
        : done === 'keys-rotated' && /^[A-Za-z0-9_-]{1,32}$/.test(rotated)
          ? { kind: 'success' as const, text: w.t('admin.clients.keys.rotated', { kid: rotated }) }
          : null;
    const body = clientsListBody(
      { clients, keys, now, jwksUrl: `${core.publicUrl.replace(/\/+$/, '')}/oidc/jwks` },
      w,
    );
    return web.render(req, reply, s, {
      title: w.t('admin.clients.title'),
      nav: 'admin-clients',
      body,
      flash,
    });
  });

  // ---- register an app: its client id, issuer and secret are shown once

  async function newPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    d: Draft,
    /** `postLogout`: the refusal is about a post-logout redirect URI (else any URI is a redirect URI). */
    error: { code: string; text: string; postLogout?: boolean } | null,
    status = 200,
  ) {
    const w = req.words;
    const at =
      error?.code === 'CLIENT_NAME_INVALID' || error?.code === 'CLIENT_EXISTS'
        ? 'name'
        : error?.code === 'REDIRECT_URI_INVALID'
          ? error.postLogout
            ? 'postLogoutRedirectUris'
            : 'redirectUris'
          : null;
    return web.render(req, reply, s, {
      title: w.t('admin.clients.new.title'),
      nav: 'admin-clients',
      status,
      body: newClientBody(
        { draft: d, error: error ? { at, text: error.text } : null, csrf: web.csrf(req, reply) },
        w,
      ),
    });
  }

  admin.get(
    '/new-client',
    guarded(requirePermission('clients.manage'), requireSudo('/admin/new-client')),
    async (req, reply) => {
      const { s } = pageCtx(req);
      return newPage(req, reply, s, EMPTY, null);
    },
  );

  admin.post(
    '/new-client',
    guarded(requirePermission('clients.manage'), requireSudo('/admin/new-client')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const w = req.words;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const rawScopes = Array.isArray(body.scope) ? body.scope : body.scope === undefined ? [] : [body.scope];
      const d: Draft = {
        name: web.str(req.body, 'name', 300).trim(),
        redirectUris: web.str(req.body, 'redirectUris', 50_000),
        postLogoutRedirectUris: web.str(req.body, 'postLogoutRedirectUris', 50_000),
        public: web.str(req.body, 'public', 8) === 'on',
        trusted: web.str(req.body, 'trusted', 8) === 'on',
        scopes: CLIENT_SCOPES.filter((sc) => rawScopes.includes(sc)),
      };
      let created: Awaited<ReturnType<typeof core.oidcClients.addClient>>;
      try {
        if (d.scopes.length === 0) {
          const text = w.t('admin.clients.new.noScopes');
          return newPage(req, reply, s, d, { code: 'SCOPES', text }, 400);
        }
        created = await core.oidcClients.addClient(a, {
          name: d.name,
          redirectUris: lines(d.redirectUris),
          postLogoutRedirectUris: lines(d.postLogoutRedirectUris),
          public: d.public,
          trusted: d.trusted,
          scopes: d.scopes,
        });
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500 && e.code !== 'FORBIDDEN') {
          return newPage(
            req,
            reply,
            s,
            d,
            {
              code: e.code,
              text: errorText(w, e),
              postLogout: Object.values(e.detail?.params ?? {}).some(
                (p) => typeof p === 'object' && p !== null && 'field' in p && p.field === 'postLogout',
              ),
            },
            e.status,
          );
        }
        throw e;
      }
      const { name } = await core.oidcClients.getClient(a, created.clientId);
      return web.render(req, reply, s, {
        title: w.t('admin.clients.created.title'),
        nav: 'admin-clients',
        body: html`${pageHeader(w.t('admin.clients.created.heading', { name }), w.t('admin.clients.created.lead'))}
${definitionList([
  [w.t('admin.clients.issuer'), html`<code>${created.issuer}</code>`],
  [w.t('admin.clients.head.clientId'), html`<code>${created.clientId}</code>`],
  [
    w.t('admin.clients.created.discovery'),
    html`<code>${created.issuer}/.well-known/openid-configuration</code>`,
  ],
])}
${
  created.clientSecret
    ? html`${secretBox({ id: 'client-secret', label: w.t('admin.clients.secretOf', { name }), secret: created.clientSecret, copyLabel: w.t('admin.clients.copySecret'), words: w })}
${notice('warning', w.t('admin.clients.created.once'))}`
    : notice('info', w.t('admin.clients.created.public'))
}
<div class="actions">${linkButton(clientPath(name), w.t('admin.clients.close'), 'primary')}</div>`,
      });
    },
  );

  // ---- one app

  admin.get<{ Params: { name: string } }>(
    '/clients/:name',
    guarded(requirePermission('clients.manage')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const c = await core.oidcClients.getClient(a, req.params.name);
      const rotated = web.str(req.query, 'done', 16) === 'secret';
      const body = clientBody(
        { client: c, issuer: core.publicUrl.replace(/\/+$/, ''), now: core.now() },
        req.words,
      );
      return web.render(req, reply, s, {
        title: c.name,
        nav: 'admin-clients',
        body,
        flash: rotated ? { kind: 'success', text: req.words.t('admin.clients.one.secretRotated') } : null,
      });
    },
  );

  function confirmPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: { title: string; question: string; detail: string; action: string; yes: string; back: string },
  ) {
    return web.render(req, reply, s, {
      title: o.title,
      nav: 'admin-clients',
      body: html`${pageHeader(o.question, o.detail)}
${postForm(o.action, web.csrf(req, reply), html`<div class="actions">${button(o.yes, { kind: 'danger' })} ${linkButton(o.back, req.words.t('admin.clients.no'))}</div>`)}`,
    });
  }

  // The app a route is about: "not found" (404) comes before the sudo check, as it always did.
  const client = loader('client', async (req: FastifyRequest, reply: FastifyReply) => {
    const c = await core.oidcClients.getClient(pageCtx(req).a, (req.params as { name: string }).name);
    // A public app has no secret to rotate: back to its page.
    if (req.method === 'GET' && c.public && req.url.endsWith('/rotate-secret')) {
      reply.redirect(clientPath(c.name), 303);
      return undefined;
    }
    return c;
  });
  const onClient = (action: 'delete' | 'rotate-secret') =>
    guarded(
      requirePermission('clients.manage'),
      client.load,
      requireSudo((req) => `${clientPath(client.of(req).name)}/${action}`),
    );

  admin.get<{ Params: { name: string } }>('/clients/:name/delete', onClient('delete'), async (req, reply) => {
    const { s } = pageCtx(req);
    const c = client.of(req);
    const here = `${clientPath(c.name)}/delete`;
    const w = req.words;
    return confirmPage(req, reply, s, {
      title: w.t('admin.clients.delete.title'),
      question: w.t('admin.clients.delete.question', { name: c.name }),
      detail: w.t('admin.clients.delete.detail', { name: c.name }),
      action: here,
      yes: w.t('admin.clients.delete.yes'),
      back: clientPath(c.name),
    });
  });

  admin.post<{ Params: { name: string } }>(
    '/clients/:name/delete',
    onClient('delete'),
    async (req, reply) => {
      const { a } = pageCtx(req);
      const c = client.of(req);
      await core.oidcClients.deleteClient(a, c.clientId);
      return reply.redirect('/admin/clients?done=deleted', 303);
    },
  );

  admin.get<{ Params: { name: string } }>(
    '/clients/:name/rotate-secret',
    onClient('rotate-secret'),
    async (req, reply) => {
      const { s } = pageCtx(req);
      const c = client.of(req);
      const here = `${clientPath(c.name)}/rotate-secret`;
      const w = req.words;
      return confirmPage(req, reply, s, {
        title: w.t('admin.clients.rotate.title'),
        question: w.t('admin.clients.rotate.question', { name: c.name }),
        detail: w.t('admin.clients.rotate.detail', { name: c.name }),
        action: here,
        yes: w.t('admin.clients.rotate.yes'),
        back: clientPath(c.name),
      });
    },
  );

  admin.post<{ Params: { name: string } }>(
    '/clients/:name/rotate-secret',
    onClient('rotate-secret'),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const c = client.of(req);
      const r = await core.oidcClients.rotateClientSecret(a, c.clientId);
      const w = req.words;
      return web.render(req, reply, s, {
        title: w.t('admin.clients.rotate.title'),
        nav: 'admin-clients',
        body: html`${pageHeader(w.t('admin.clients.rotate.heading', { name: c.name }), w.t('admin.clients.rotate.lead'))}
${secretBox({ id: 'client-secret', label: w.t('admin.clients.secretOf', { name: c.name }), secret: r.clientSecret, copyLabel: w.t('admin.clients.copySecret'), words: w })}
${notice('warning', w.t('admin.clients.rotate.once'))}
<div class="actions">${linkButton(`${clientPath(c.name)}?done=secret`, w.t('admin.clients.close'), 'primary')}</div>`,
      });
    },
  );

  // ---- signing keys

  admin.get(
    '/keys/rotate',
    guarded(requirePermission('keys.manage'), requireSudo('/admin/keys/rotate')),
    async (req, reply) => {
      const { s } = pageCtx(req);
      const w = req.words;
      return confirmPage(req, reply, s, {
        title: w.t('admin.clients.keys.rotate'),
        question: w.t('admin.clients.keys.question'),
        detail: w.t('admin.clients.keys.detail'),
        action: '/admin/keys/rotate',
        yes: w.t('admin.clients.keys.yes'),
        back: '/admin/clients',
      });
    },
  );

  admin.post(
    '/keys/rotate',
    guarded(requirePermission('keys.manage'), requireSudo('/admin/keys/rotate')),
    async (req, reply) => {
      const { a } = pageCtx(req);
      const r = await core.oidcKeys.rotateKeys(a);
      return reply.redirect(`/admin/clients?done=keys-rotated&kid=${encodeURIComponent(r.kid)}`, 303);
    },
  );
}
