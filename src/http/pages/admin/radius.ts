// Administration of the RADIUS door (issue 13), for administrators: the registered RADIUS clients (NAS),
// the form that registers one and shows its shared secret once, delete behind a confirmation, the
// Message-Authenticator opt-out with its warning, and the reply rules (attributes an Access-Accept
// carries by group). Every change goes through core.radiusClients, which authorizes and audits it;
// like the other admin pages, changes need a recent two-step check (sudo mode, B7).
//
// Addresses: /admin/radius for the lists; /admin/new-radius-client and /admin/new-radius-reply for the
// forms; /admin/radius/clients/NAME/delete and /admin/radius/replies/ID/delete for the confirmations.
// Every word is the catalogue's (admin.radius.*); the lists are drawn by radiusBody from a typed view.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError, LatchkeyError } from '../../../core/errors.js';
import type { RadiusClientView } from '../../../core/radius-clients.js';
import { REPLY_ATTRIBUTES, replyGroups } from '../../../core/radius-replies.js';
import { ENGLISH, errorText, type Key, type Words } from '../../i18n/index.js';
import type { Web } from '../../web.js';
import { badge } from '../forms.js';
import { guarded, loader, type PageGuards, pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import {
  button,
  checkbox,
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

const NAV = 'admin-radius' as const;

/** What each reply attribute holds, in words; an attribute the core gains shows the core's English. */
const ATTRIBUTE_WORDS: Readonly<Record<string, Key>> = {
  'Filter-Id': 'admin.radius.attribute.filterId',
  'Reply-Message': 'admin.radius.attribute.replyMessage',
  'Session-Timeout': 'admin.radius.attribute.sessionTimeout',
  'Idle-Timeout': 'admin.radius.attribute.idleTimeout',
  'Framed-IP-Netmask': 'admin.radius.attribute.framedIpNetmask',
  'Framed-MTU': 'admin.radius.attribute.framedMtu',
  'Framed-Pool': 'admin.radius.attribute.framedPool',
  'Acct-Interim-Interval': 'admin.radius.attribute.acctInterimInterval',
  'Tunnel-Type': 'admin.radius.attribute.tunnelType',
  'Tunnel-Medium-Type': 'admin.radius.attribute.tunnelMediumType',
  'Tunnel-Private-Group-Id': 'admin.radius.attribute.tunnelPrivateGroupId',
};

const attributeHelp = (w: Words, name: string, help: string) =>
  Object.hasOwn(ATTRIBUTE_WORDS, name)
    ? w.t(ATTRIBUTE_WORDS[name] as 'admin.radius.attribute.filterId')
    : help;

export interface ClientDraft {
  name: string;
  address: string;
  optOut: boolean;
}

export interface ReplyDraft {
  group: string;
  attribute: string;
  value: string;
  client: string;
}

/** The RADIUS page's lists, at a moment. */
export interface RadiusView {
  clients: RadiusClientView[];
  rules: { id: string; client: string | null; group: string; attribute: string; value: string }[];
  now: number;
}

/** The RADIUS clients and reply rules as HTML: a plain function of its view and the page's words. */
export function radiusBody(v: RadiusView, w: Words = ENGLISH): SafeHtml {
  const { clients, rules, now } = v;
  const optedOut = clients.filter((c) => !c.requireMessageAuthenticator);
  return html`${pageHeader(w.t('admin.radius.title'), w.t('admin.radius.lead'))}
${
  optedOut.length > 0
    ? notice('warning', w.t('admin.radius.optedOut', { names: optedOut.map((c) => c.name).join(', ') }))
    : ''
}
<div class="actions">${linkButton('/admin/new-radius-client', w.t('admin.radius.register'), 'primary')}</div>
${table({
  caption: w.t('admin.radius.clients'),
  head: [
    w.t('admin.radius.head.name'),
    w.t('admin.radius.head.address'),
    'Message-Authenticator',
    w.t('admin.radius.head.registered'),
    '',
  ],
  rows: clients.map((c) => [
    c.name,
    html`<code>${c.address}</code>`,
    c.requireMessageAuthenticator
      ? badge(w.t('admin.radius.required'), 'ok')
      : badge(w.t('admin.radius.notRequired'), 'bad'),
    timeAgo(Date.parse(c.createdAt), now, w),
    linkButton(
      `/admin/radius/clients/${encodeURIComponent(c.name)}/delete`,
      w.t('admin.radius.delete'),
      'link',
    ),
  ]),
  empty: w.t('admin.radius.noClients'),
})}
<section class="card-section" aria-labelledby="h-replies">
<h2 id="h-replies">${w.t('admin.radius.replies.title')}</h2>
<p>${w.markup('admin.radius.replies.lead', {
    admins: html`<code>admins</code>`,
    helpdesk: html`<code>helpdesk</code>`,
    users: html`<code>users</code>`,
  })}</p>
${table({
  caption: w.t('admin.radius.replies.caption'),
  head: [
    w.t('admin.radius.head.client'),
    w.t('admin.radius.head.group'),
    w.t('admin.radius.head.attribute'),
    w.t('admin.radius.head.value'),
    '',
  ],
  rows: rules.map((r) => [
    r.client ?? html`<span class="muted">${w.t('admin.radius.everyClient')}</span>`,
    r.group,
    r.attribute,
    html`<code>${r.value}</code>`,
    linkButton(
      `/admin/radius/replies/${encodeURIComponent(r.id)}/delete`,
      w.t('admin.radius.delete'),
      'link',
    ),
  ]),
  empty: w.t('admin.radius.replies.empty'),
})}
<div class="actions">${linkButton('/admin/new-radius-reply', w.t('admin.radius.replies.add'))}</div>
</section>`;
}

/** The form that registers a RADIUS client: what was typed, and the refusal beside its field. */
export interface NewRadiusClientView {
  draft: ClientDraft;
  error: { at: 'name' | 'address' | null; text: string } | null;
  csrf: string;
}

export function newRadiusClientBody(v: NewRadiusClientView, w: Words = ENGLISH): SafeHtml {
  const { draft: d, error } = v;
  const err = (f: string) => (error && error.at === f ? error.text : null);
  return html`${pageHeader(w.t('admin.radius.register'), w.t('admin.radius.new.lead'))}
${error && !error.at ? notice('error', error.text) : ''}
${postForm(
  '/admin/new-radius-client',
  v.csrf,
  html`${field({ name: 'name', label: w.t('admin.radius.head.name'), value: d.name, required: true, maxlength: 64, autofocus: true, spellcheck: false, autocomplete: 'off', hint: w.t('admin.radius.new.nameHint'), error: err('name'), words: w })}
${field({ name: 'address', label: w.t('admin.radius.head.address'), value: d.address, required: true, maxlength: 64, spellcheck: false, autocomplete: 'off', hint: w.t('admin.radius.new.addressHint'), error: err('address'), words: w })}
${checkbox({ name: 'noMessageAuthenticator', label: w.t('admin.radius.new.optOut'), checked: d.optOut, hint: w.t('admin.radius.blastWarning') })}
<div class="actions">${button(w.t('admin.radius.new.submit'))} ${linkButton('/admin/radius', w.t('admin.radius.cancel'))}</div>`,
)}`;
}

/** The form that adds a reply rule: what was typed, the clients it may be for, and the core's refusal. */
export interface NewReplyRuleView {
  draft: ReplyDraft;
  clients: string[];
  error: string | null;
  csrf: string;
}

export function newReplyRuleBody(v: NewReplyRuleView, w: Words = ENGLISH): SafeHtml {
  const { draft: d, error } = v;
  return html`${pageHeader(w.t('admin.radius.replies.add'), w.t('admin.radius.reply.lead'))}
${postForm(
  '/admin/new-radius-reply',
  v.csrf,
  html`${select({ name: 'group', label: w.t('admin.radius.head.group'), options: replyGroups().map((g) => ({ value: g, label: g, selected: g === d.group })), hint: w.t('admin.radius.reply.groupHint'), words: w })}
${select({ name: 'attribute', label: w.t('admin.radius.head.attribute'), options: Object.entries(REPLY_ATTRIBUTES).map(([n, spec]) => ({ value: n, label: w.t('admin.radius.reply.attributeOption', { name: n, help: attributeHelp(w, n, spec.help) }), selected: n === d.attribute })), words: w })}
${field({ name: 'value', label: w.t('admin.radius.head.value'), value: d.value, required: true, maxlength: 253, spellcheck: false, autocomplete: 'off', hint: w.t('admin.radius.reply.valueHint'), error, words: w })}
${select({ name: 'client', label: w.t('admin.radius.reply.for'), options: [{ value: '', label: w.t('admin.radius.reply.everyClient'), selected: d.client === '' }, ...v.clients.map((c) => ({ value: c, label: c, selected: c === d.client }))], words: w })}
<div class="actions">${button(w.t('admin.radius.reply.submit'))} ${linkButton('/admin/radius', w.t('admin.radius.cancel'))}</div>`,
)}`;
}

export function registerRadiusPages(admin: FastifyInstance, web: Web, guards: PageGuards): void {
  const { core } = web;
  const { requirePermission, requireSudo } = guards;

  const DONE: Readonly<Record<string, Key>> = {
    'client-deleted': 'admin.radius.done.clientDeleted',
    'reply-added': 'admin.radius.done.replyAdded',
    'reply-deleted': 'admin.radius.done.replyDeleted',
  };

  // ---- the lists

  admin.get('/radius', guarded(requirePermission('services.manage')), async (req, reply) => {
    const { s, a } = pageCtx(req);
    const w = req.words;
    const [clients, rules] = await Promise.all([
      core.radiusClients.listRadiusClients(a),
      core.radiusClients.listReplyRules(a),
    ]);
    const done = web.str(req.query, 'done', 16);
    const flash = Object.hasOwn(DONE, done)
      ? { kind: 'success' as const, text: w.t(DONE[done] as 'admin.radius.done.replyAdded') }
      : null;
    const body = radiusBody({ clients, rules, now: core.now() }, w);
    return web.render(req, reply, s, { title: 'RADIUS', nav: NAV, body, flash });
  });

  // ---- register a client: its shared secret is shown once

  function clientForm(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    d: ClientDraft,
    error: LatchkeyError | null,
    status = 200,
  ) {
    const at =
      error?.code === 'SERVICE_EXISTS' || error?.detail?.detail === 'radiusClientName'
        ? 'name'
        : error?.detail?.detail === 'radiusClientAddress'
          ? 'address'
          : null;
    const w = req.words;
    // The core's sentences for a bad name or address are its own; the page says them in its words.
    const text = (f: string) =>
      error?.code === 'SERVICE_EXISTS' || f === ''
        ? errorText(w, error!)
        : f === 'name'
          ? w.t('admin.radius.error.name')
          : w.t('admin.radius.error.address');
    return web.render(req, reply, s, {
      title: w.t('admin.radius.register'),
      nav: NAV,
      status,
      body: newRadiusClientBody(
        { draft: d, error: error ? { at, text: text(at ?? '') } : null, csrf: web.csrf(req, reply) },
        w,
      ),
    });
  }

  admin.get(
    '/new-radius-client',
    guarded(requirePermission('services.manage'), requireSudo('/admin/new-radius-client')),
    async (req, reply) => {
      const { s } = pageCtx(req);
      return clientForm(req, reply, s, { name: '', address: '', optOut: false }, null);
    },
  );

  admin.post(
    '/new-radius-client',
    guarded(requirePermission('services.manage'), requireSudo('/admin/new-radius-client')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const d: ClientDraft = {
        name: web.str(req.body, 'name', 300).trim(),
        address: web.str(req.body, 'address', 300).trim(),
        optOut: web.str(req.body, 'noMessageAuthenticator', 8) === 'on',
      };
      let created: Awaited<ReturnType<typeof core.radiusClients.addRadiusClient>>;
      try {
        created = await core.radiusClients.addRadiusClient(a, {
          name: d.name,
          address: d.address,
          requireMessageAuthenticator: !d.optOut,
        });
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500 && e.code !== 'FORBIDDEN') {
          return clientForm(req, reply, s, d, e, e.status);
        }
        throw e;
      }
      reply.header('cache-control', 'no-store');
      const w = req.words;
      return web.render(req, reply, s, {
        title: w.t('admin.radius.created.title'),
        nav: NAV,
        body: html`${pageHeader(w.t('admin.radius.created.heading', { name: created.name }), w.markup('admin.radius.created.lead', { address: html`<code>${created.address}</code>` }))}
${secretBox({ id: 'radius-secret', label: w.t('admin.radius.created.secretOf', { name: created.name }), secret: created.secret, copyLabel: w.t('admin.radius.created.copy'), words: w })}
${notice('warning', w.t('admin.radius.created.once'))}
${created.requireMessageAuthenticator ? '' : notice('warning', w.t('admin.radius.blastWarning'))}
<div class="actions">${linkButton('/admin/radius', w.t('admin.radius.close'), 'primary')}</div>`,
      });
    },
  );

  // ---- confirmations

  function confirmPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: { question: string; detail: string; action: string; yes: string },
  ) {
    return web.render(req, reply, s, {
      title: o.question,
      nav: NAV,
      body: html`${pageHeader(o.question, o.detail)}
${postForm(o.action, web.csrf(req, reply), html`<div class="actions">${button(o.yes, { kind: 'danger' })} ${linkButton('/admin/radius', req.words.t('admin.radius.no'))}</div>`)}`,
    });
  }

  async function findClient(a: Parameters<typeof core.radiusClients.listRadiusClients>[0], name: string) {
    const c = (await core.radiusClients.listRadiusClients(a)).find((x) => x.name === name.toLowerCase());
    if (!c) throw new LatchkeyError('SERVICE_NOT_FOUND', { detail: 'radiusClientNotFound' });
    return c;
  }

  // What a delete is about: "not found" comes before the sudo check, as it always did.
  const radiusClient = loader('radius-client', (req: FastifyRequest) =>
    findClient(pageCtx(req).a, (req.params as { name: string }).name),
  );
  const deleteClient = guarded(
    requirePermission('services.manage'),
    radiusClient.load,
    requireSudo((req) => `/admin/radius/clients/${encodeURIComponent(radiusClient.of(req).name)}/delete`),
  );

  admin.get<{ Params: { name: string } }>(
    '/radius/clients/:name/delete',
    deleteClient,
    async (req, reply) => {
      const { s } = pageCtx(req);
      const c = radiusClient.of(req);
      const here = `/admin/radius/clients/${encodeURIComponent(c.name)}/delete`;
      const w = req.words;
      return confirmPage(req, reply, s, {
        question: w.t('admin.radius.deleteClient.question', { name: c.name }),
        detail: w.t('admin.radius.deleteClient.detail', { address: c.address }),
        action: here,
        yes: w.t('admin.radius.yesDelete'),
      });
    },
  );

  admin.post<{ Params: { name: string } }>(
    '/radius/clients/:name/delete',
    deleteClient,
    async (req, reply) => {
      const { a } = pageCtx(req);
      const c = radiusClient.of(req);
      await core.radiusClients.deleteRadiusClient(a, c.name);
      return reply.redirect('/admin/radius?done=client-deleted', 303);
    },
  );

  // ---- reply rules

  async function replyForm(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    d: ReplyDraft,
    error: string | null,
    status = 200,
  ) {
    const { a } = pageCtx(req);
    const w = req.words;
    const clients = (await core.radiusClients.listRadiusClients(a)).map((c) => c.name);
    return web.render(req, reply, s, {
      title: w.t('admin.radius.replies.add'),
      nav: NAV,
      status,
      body: newReplyRuleBody({ draft: d, clients, error, csrf: web.csrf(req, reply) }, w),
    });
  }

  admin.get(
    '/new-radius-reply',
    guarded(requirePermission('services.manage'), requireSudo('/admin/new-radius-reply')),
    async (req, reply) => {
      const { s } = pageCtx(req);
      return replyForm(
        req,
        reply,
        s,
        { group: 'users', attribute: 'Filter-Id', value: '', client: '' },
        null,
      );
    },
  );

  admin.post(
    '/new-radius-reply',
    guarded(requirePermission('services.manage'), requireSudo('/admin/new-radius-reply')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const d: ReplyDraft = {
        group: web.str(req.body, 'group', 64),
        attribute: web.str(req.body, 'attribute', 64),
        value: web.str(req.body, 'value', 300),
        client: web.str(req.body, 'client', 300),
      };
      try {
        await core.radiusClients.addReplyRule(a, { ...d, client: d.client || null });
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500 && e.code !== 'FORBIDDEN') {
          return replyForm(req, reply, s, d, errorText(req.words, e), e.status);
        }
        throw e;
      }
      return reply.redirect('/admin/radius?done=reply-added', 303);
    },
  );

  // A rule that is gone already goes back to the list, before the sudo check, as it always did.
  const rule = loader('reply-rule', async (req: FastifyRequest, reply: FastifyReply) => {
    const id = (req.params as { id: string }).id;
    const r = (await core.radiusClients.listReplyRules(pageCtx(req).a)).find((x) => x.id === id);
    if (!r) reply.redirect('/admin/radius', 303);
    return r;
  });

  admin.get<{ Params: { id: string } }>(
    '/radius/replies/:id/delete',
    guarded(
      requirePermission('services.manage'),
      rule.load,
      requireSudo((req) => `/admin/radius/replies/${encodeURIComponent(rule.of(req).id)}/delete`),
    ),
    async (req, reply) => {
      const { s } = pageCtx(req);
      const r = rule.of(req);
      const here = `/admin/radius/replies/${encodeURIComponent(r.id)}/delete`;
      const w = req.words;
      return confirmPage(req, reply, s, {
        question: w.t('admin.radius.deleteRule.question', { group: r.group, attribute: r.attribute }),
        detail: r.client
          ? w.t('admin.radius.deleteRule.detail', {
              group: r.group,
              attribute: r.attribute,
              value: r.value,
              client: r.client,
            })
          : w.t('admin.radius.deleteRule.detailAny', {
              group: r.group,
              attribute: r.attribute,
              value: r.value,
            }),
        action: here,
        yes: w.t('admin.radius.yesDelete'),
      });
    },
  );

  admin.post<{ Params: { id: string } }>(
    '/radius/replies/:id/delete',
    guarded(
      requirePermission('services.manage'),
      requireSudo(
        (req) => `/admin/radius/replies/${encodeURIComponent((req.params as { id: string }).id)}/delete`,
      ),
    ),
    async (req, reply) => {
      const { a } = pageCtx(req);
      await core.radiusClients.deleteReplyRule(a, req.params.id);
      return reply.redirect('/admin/radius?done=reply-deleted', 303);
    },
  );
}
