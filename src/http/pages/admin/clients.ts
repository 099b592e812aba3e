// Administration of OpenID Connect apps (issue 10), for administrators: the registered clients, the
// form that registers one and shows its client id, issuer and secret once, a client's page with
// "new secret" and "delete" behind a confirmation, and the provider's signing keys with "Rotate keys".
// Every change goes through core.oidcClients or core.oidcKeys, which authorize and audit it; like the
// other admin pages, changes need a recent two-step check (sudo mode, B7).
//
// Addresses: /admin/clients/NAME for a client; registering is /admin/new-client and rotating the keys
// /admin/keys/rotate, because "new" or "rotate-keys" may be a client's name.

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
const SCOPE_LABEL: Record<ClientScope, string> = {
  openid: 'openid: who the person is (needed to sign people in)',
  profile: 'profile: their name and username',
  email: 'email: their email address',
  groups: 'groups: the groups they are in',
  offline_access: 'offline_access: it may stay signed in (refresh tokens)',
  mail: "mail: its tokens open the person's mailbox (mail apps only; Dovecot with OAuth)",
};

const KEY_STATE: Record<SigningKeyView['state'], string> = {
  signing: 'Signs tokens now',
  next: 'Published; signs later',
  retired: 'Retired; still published so that its tokens verify',
  unpublished: 'No longer published; deleted at the next housekeeping',
};

const clientPath = (name: string) => `/admin/clients/${encodeURIComponent(name)}`;

function uriList(uris: string[]): SafeHtml {
  return uris.length === 0
    ? html`<span class="muted">None</span>`
    : html`<ul class="details">${uris.map((u) => html`<li><code>${u}</code></li>`)}</ul>`;
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

interface Draft {
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

export function registerClientPages(admin: FastifyInstance, web: Web, guards: PageGuards): void {
  const { core } = web;
  const { requirePermission, requireSudo } = guards;

  // ---- the list, and the signing keys

  const DONE: Record<string, string> = {
    deleted:
      'The app was deleted. Its tokens stopped working at once; nobody can sign in to it with Latchkey any more.',
  };

  admin.get('/clients', guarded(requirePermission('clients.manage')), async (req, reply) => {
    const { s, a } = pageCtx(req);
    const now = core.ctx.now();
    const [clients, keys] = await Promise.all([core.oidcClients.listClients(a), core.oidcKeys.listKeys(a)]);
    const t = (iso: string | null) => (iso === null ? 'Never' : timeAgo(Date.parse(iso), now));
    const done = web.str(req.query, 'done', 16);
    const rotated = web.str(req.query, 'kid', 32);
    const flash = DONE[done]
      ? { kind: 'success' as const, text: DONE[done]! }
      : done === 'keys-rotated' && /^[A-Za-z0-9_-]{1,32}$/.test(rotated)
        ? {
            kind: 'success' as const,
            text: `New signing key ${rotated}: published now. It starts signing in an hour; apps need no change.`,
          }
        : null;
    const body = html`${pageHeader('Apps (OpenID Connect)', 'Apps that sign people in through Latchkey, with the password and the second step: Grafana, Nextcloud, Gitea, anything that speaks OpenID Connect. They never see a password.')}
<div class="actions">${linkButton('/admin/new-client', 'Register an app', 'primary')}</div>
${table({
  caption: 'Registered apps',
  head: ['Name', 'Client ID', 'Type', 'Trusted', 'Redirect URIs', 'Last used'],
  rows: clients.map((c) => [
    html`<a href="${clientPath(c.name)}">${c.name}</a>`,
    html`<code>${c.clientId}</code>`,
    c.public ? 'Public (no secret)' : 'Confidential (secret)',
    c.trusted ? 'Yes' : 'No',
    uriList(c.redirectUris),
    t(c.lastUsedAt),
  ]),
  empty: 'No app is registered yet.',
})}
${clients.length > 0 ? html`<p class="muted small">Trusted apps are your organization’s own: people are not asked whether they may sign them in. “Last used” is the last time the app was given a token, for anyone.</p>` : ''}
${section(
  'h-keys',
  'Signing keys',
  html`<p>Latchkey signs the tokens it gives apps with these keys; apps fetch the public halves from <code>${core.ctx.publicUrl.replace(/\/+$/, '')}/oidc/jwks</code>. A new key is published an hour before it signs, and the old one stays published a day after, so rotating never breaks an app.</p>
${table({
  caption: 'Signing keys, newest first',
  head: ['Key ID', 'Created', 'Signs from', 'Retired', 'State'],
  rows: keys.map((k) => [
    html`<code>${k.kid}</code> <span class="muted small">${k.alg}</span>`,
    timeAgo(Date.parse(k.createdAt), now),
    timeAgo(Date.parse(k.signsFrom), now),
    k.retiredAt ? timeAgo(Date.parse(k.retiredAt), now) : html`<span class="muted">—</span>`,
    k.state === 'signing' ? badge(KEY_STATE[k.state], 'ok') : KEY_STATE[k.state],
  ]),
  empty: 'No key yet: the first one is made when the provider starts.',
})}
<div class="actions">${linkButton('/admin/keys/rotate', 'Rotate keys')}</div>`,
)}`;
    return web.render(req, reply, s, { title: 'Apps (OpenID Connect)', nav: 'admin-clients', body, flash });
  });

  // ---- register an app: its client id, issuer and secret are shown once

  async function newPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    d: Draft,
    error: { code: string; message: string } | null,
    status = 200,
  ) {
    const at =
      error?.code === 'CLIENT_NAME_INVALID' || error?.code === 'CLIENT_EXISTS'
        ? 'name'
        : error?.code === 'REDIRECT_URI_INVALID'
          ? error.message.startsWith('Post-logout')
            ? 'postLogoutRedirectUris'
            : 'redirectUris'
          : null;
    const err = (f: string) => (error && at === f ? error.message : null);
    return web.render(req, reply, s, {
      title: 'Register an app',
      nav: 'admin-clients',
      status,
      body: html`${pageHeader('Register an app', 'On the next page you get the three values to paste into the app’s settings: the issuer, the client ID and, unless the app is public, the client secret.')}
${error && !at ? notice('error', error.message) : ''}
${postForm(
  '/admin/new-client',
  web.csrf(req, reply),
  html`${field({ name: 'name', label: 'Name', value: d.name, required: true, maxlength: 64, autofocus: true, spellcheck: false, autocomplete: 'off', hint: 'People see it when the app asks to sign them in, for example "grafana": a–z, 0–9, dots, dashes and underscores.', error: err('name') })}
${textareaField({ rows: 3, name: 'redirectUris', label: 'Redirect URIs', value: d.redirectUris, required: true, hint: 'Where the app receives the sign-in, exactly as the app sends it; one per line. https://, or http:// for localhost only.', error: err('redirectUris') })}
${textareaField({ rows: 3, name: 'postLogoutRedirectUris', label: 'After sign-out URIs (optional)', value: d.postLogoutRedirectUris, required: false, hint: 'Where the app may send people after signing them out; one per line.', error: err('postLogoutRedirectUris') })}
${checkbox({ name: 'public', label: 'Public app: it cannot keep a secret', checked: d.public, hint: 'A single-page app, a phone or desktop app, or a command-line tool. It gets no secret and proves itself with PKCE.' })}
${checkbox({ name: 'trusted', label: 'Your organization’s own app', checked: d.trusted, hint: 'People are not asked whether it may sign them in. Leave it unticked for apps run by someone else.' })}
<fieldset class="scopes"><legend>What it may ask for</legend>
${CLIENT_SCOPES.map((sc) => checkbox({ name: 'scope', value: sc, label: SCOPE_LABEL[sc], checked: d.scopes.includes(sc) }))}
</fieldset>
<div class="actions">${button('Register')} ${linkButton('/admin/clients', 'Cancel')}</div>`,
)}`,
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
          return newPage(
            req,
            reply,
            s,
            d,
            { code: 'SCOPES', message: 'Tick at least one thing the app may ask for.' },
            400,
          );
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
          return newPage(req, reply, s, d, { code: e.code, message: e.message }, e.status);
        }
        throw e;
      }
      const { name } = await core.oidcClients.getClient(a, created.clientId);
      return web.render(req, reply, s, {
        title: 'App registered',
        nav: 'admin-clients',
        body: html`${pageHeader(`${name} is registered`, 'Paste these values into the app’s OpenID Connect settings. It finds every other address from the issuer.')}
${definitionList([
  ['Issuer', html`<code>${created.issuer}</code>`],
  ['Client ID', html`<code>${created.clientId}</code>`],
  ['Discovery', html`<code>${created.issuer}/.well-known/openid-configuration</code>`],
])}
${
  created.clientSecret
    ? html`${secretBox({ id: 'client-secret', label: `Client secret of ${name}`, secret: created.clientSecret, copyLabel: 'Copy secret to clipboard' })}
${notice('warning', 'This is the only time the secret is shown: Latchkey keeps only a hash of it. If it gets lost, give the app a new one from its page.')}`
    : notice('info', 'A public app has no secret: it proves itself with PKCE each time it signs someone in.')
}
<div class="actions">${linkButton(clientPath(name), 'Close', 'primary')}</div>`,
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
      const now = core.ctx.now();
      const t = (iso: string | null, never = 'Never') =>
        iso === null ? never : timeAgo(Date.parse(iso), now);
      const rotated = web.str(req.query, 'done', 16) === 'secret';
      const body = html`${pageHeader(c.name, html`Client ID <code>${c.clientId}</code>`)}
${definitionList([
  ['Issuer', html`<code>${core.ctx.publicUrl.replace(/\/+$/, '')}</code>`],
  ['Type', c.public ? 'Public: no secret, PKCE only' : 'Confidential: signs in to Latchkey with its secret'],
  [
    'Trusted',
    c.trusted
      ? 'Yes: your organization’s own app; people are not asked whether it may sign them in'
      : 'No: people see what it will see, and choose Allow or Cancel',
  ],
  ['Redirect URIs', uriList(c.redirectUris)],
  ['After sign-out URIs', uriList(c.postLogoutRedirectUris)],
  [
    'Back-channel logout',
    c.backchannelLogoutUri
      ? html`<code>${c.backchannelLogoutUri}</code>`
      : html`<span class="muted">None</span>`,
  ],
  [
    'May ask for',
    html`<ul class="details">${c.scopes.map((sc) => html`<li>${SCOPE_LABEL[sc] ?? sc}</li>`)}</ul>`,
  ],
  ['Registered', t(c.createdAt)],
  ...(c.public
    ? []
    : ([['Secret last changed', t(c.secretRotatedAt, 'Never: the one shown at registration')]] as [
        string,
        SafeHtml | string,
      ][])),
  ['Last used', html`${t(c.lastUsedAt)} <span class="muted small">(a token given to it, for anyone)</span>`],
])}
<div class="actions">${c.public ? '' : html`${linkButton(`${clientPath(c.name)}/rotate-secret`, 'Give it a new secret')} `}${linkButton(`${clientPath(c.name)}/delete`, 'Delete', 'danger')} ${linkButton('/admin/clients', 'Back to apps', 'link')}</div>`;
      return web.render(req, reply, s, {
        title: c.name,
        nav: 'admin-clients',
        body,
        flash: rotated ? { kind: 'success', text: 'The app has a new secret.' } : null,
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
${postForm(o.action, web.csrf(req, reply), html`<div class="actions">${button(o.yes, { kind: 'danger' })} ${linkButton(o.back, 'No')}</div>`)}`,
    });
  }

  const deleteDetail = (c: OidcClientView) =>
    `People can no longer sign in to ${c.name} with Latchkey. Every token it holds stops working at once, and everyone's permission for it is forgotten. This cannot be undone: registering it again gives it a new client ID.`;

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
    return confirmPage(req, reply, s, {
      title: 'Delete app',
      question: `Delete ${c.name}?`,
      detail: deleteDetail(c),
      action: here,
      yes: 'Yes, delete it',
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
      return confirmPage(req, reply, s, {
        title: 'New secret',
        question: `Give ${c.name} a new secret?`,
        detail: `Its current secret stops working at once: ${c.name} cannot sign anyone in until you paste the new one into its settings. People stay signed in to it.`,
        action: here,
        yes: 'Yes, make a new secret',
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
      return web.render(req, reply, s, {
        title: 'New secret',
        nav: 'admin-clients',
        body: html`${pageHeader(`New secret for ${c.name}`, 'Paste it into the app’s settings now, in place of the old one, which no longer works.')}
${secretBox({ id: 'client-secret', label: `Client secret of ${c.name}`, secret: r.clientSecret, copyLabel: 'Copy secret to clipboard' })}
${notice('warning', 'This is the only time it is shown. If it gets lost, make another one.')}
<div class="actions">${linkButton(`${clientPath(c.name)}?done=secret`, 'Close', 'primary')}</div>`,
      });
    },
  );

  // ---- signing keys

  admin.get(
    '/keys/rotate',
    guarded(requirePermission('keys.manage'), requireSudo('/admin/keys/rotate')),
    async (req, reply) => {
      const { s } = pageCtx(req);
      return confirmPage(req, reply, s, {
        title: 'Rotate keys',
        question: 'Rotate the signing keys?',
        detail:
          'A new key is published now and starts signing in an hour; the current key signs until then and stays published for a day after, so the tokens it signed keep working. Apps need no change. Rotate yearly, or at once if you think a key or a database dump has leaked.',
        action: '/admin/keys/rotate',
        yes: 'Yes, rotate',
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
