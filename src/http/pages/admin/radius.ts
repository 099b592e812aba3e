// Administration of the RADIUS door (issue 13), for administrators: the registered RADIUS clients (NAS),
// the form that registers one and shows its shared secret once, delete behind a confirmation, the
// Message-Authenticator opt-out with its warning, and the reply rules (attributes an Access-Accept
// carries by group). Every change goes through core.radiusClients, which authorizes and audits it;
// like the other admin pages, changes need a recent two-step check (sudo mode, B7).
//
// Addresses: /admin/radius for the lists; /admin/new-radius-client and /admin/new-radius-reply for the
// forms; /admin/radius/clients/NAME/delete and /admin/radius/replies/ID/delete for the confirmations.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError, LatchkeyError } from '../../../core/errors.js';
import { REPLY_ATTRIBUTES, replyGroups } from '../../../core/radius-replies.js';
import type { Web } from '../../web.js';
import { badge } from '../forms.js';
import { guarded, loader, type PageGuards, pageCtx } from '../guards.js';
import { html } from '../html.js';
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
const BLAST_WARNING =
  'Requests from it are accepted without Message-Authenticator, which leaves it open to forged answers (BlastRADIUS, CVE-2024-3596). Use this only for old equipment that cannot send it, and update its firmware when you can.';

interface ClientDraft {
  name: string;
  address: string;
  optOut: boolean;
}

interface ReplyDraft {
  group: string;
  attribute: string;
  value: string;
  client: string;
}

export function registerRadiusPages(admin: FastifyInstance, web: Web, guards: PageGuards): void {
  const { core } = web;
  const { requirePermission, requireSudo } = guards;

  const DONE: Record<string, string> = {
    'client-deleted': 'The RADIUS client was deleted: its packets are dropped within a second.',
    'reply-added': 'The reply rule was added: it holds from the next request.',
    'reply-deleted': 'The reply rule was deleted: the next Access-Accept is without it.',
  };

  // ---- the lists

  admin.get('/radius', guarded(requirePermission('services.manage')), async (req, reply) => {
    const { s, a } = pageCtx(req);
    const now = core.ctx.now();
    const [clients, rules] = await Promise.all([
      core.radiusClients.listRadiusClients(a),
      core.radiusClients.listReplyRules(a),
    ]);
    const done = web.str(req.query, 'done', 16);
    const flash = DONE[done] ? { kind: 'success' as const, text: DONE[done]! } : null;
    const optedOut = clients.filter((c) => !c.requireMessageAuthenticator);
    const body = html`${pageHeader('RADIUS (VPN and Wi-Fi)', 'The VPN concentrators, Wi-Fi controllers and firewalls that may ask Latchkey whether a username and app password are right. Packets from any other address are dropped.')}
${
  optedOut.length > 0
    ? notice(
        'warning',
        `${optedOut.map((c) => c.name).join(', ')}: requests accepted without Message-Authenticator, open to BlastRADIUS (CVE-2024-3596). Update the equipment and register it again when you can.`,
      )
    : ''
}
<div class="actions">${linkButton('/admin/new-radius-client', 'Register a RADIUS client', 'primary')}</div>
${table({
  caption: 'RADIUS clients',
  head: ['Name', 'Address', 'Message-Authenticator', 'Registered', ''],
  rows: clients.map((c) => [
    c.name,
    html`<code>${c.address}</code>`,
    c.requireMessageAuthenticator
      ? badge('Required', 'ok')
      : badge('Not required: open to BlastRADIUS', 'bad'),
    timeAgo(Date.parse(c.createdAt), now),
    linkButton(`/admin/radius/clients/${encodeURIComponent(c.name)}/delete`, 'Delete', 'link'),
  ]),
  empty: 'No RADIUS client is registered yet.',
})}
<section class="card-section" aria-labelledby="h-replies">
<h2 id="h-replies">Reply attributes by group</h2>
<p>What an Access-Accept tells the NAS about the person: a filter, a session limit, a VLAN. Where two rules set the same attribute, a rule for the asking client beats one for every client, and <code>admins</code> or <code>helpdesk</code> beats <code>users</code>. A VLAN takes three rules: Tunnel-Type VLAN, Tunnel-Medium-Type IEEE-802 and Tunnel-Private-Group-Id with its number.</p>
${table({
  caption: 'Reply rules',
  head: ['Client', 'Group', 'Attribute', 'Value', ''],
  rows: rules.map((r) => [
    r.client ?? html`<span class="muted">Every client</span>`,
    r.group,
    r.attribute,
    html`<code>${r.value}</code>`,
    linkButton(`/admin/radius/replies/${encodeURIComponent(r.id)}/delete`, 'Delete', 'link'),
  ]),
  empty: 'No reply rule: an Access-Accept carries only Class.',
})}
<div class="actions">${linkButton('/admin/new-radius-reply', 'Add a reply rule')}</div>
</section>`;
    return web.render(req, reply, s, { title: 'RADIUS', nav: NAV, body, flash });
  });

  // ---- register a client: its shared secret is shown once

  function clientForm(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    d: ClientDraft,
    error: { code: string; message: string } | null,
    status = 200,
  ) {
    const at =
      error?.code === 'SERVICE_EXISTS' || error?.message.startsWith('RADIUS client names')
        ? 'name'
        : error?.message.startsWith('The address')
          ? 'address'
          : null;
    const err = (f: string) => (error && at === f ? error.message : null);
    return web.render(req, reply, s, {
      title: 'Register a RADIUS client',
      nav: NAV,
      status,
      body: html`${pageHeader('Register a RADIUS client', 'On the next page you get the shared secret to paste into the NAS, once.')}
${error && !at ? notice('error', error.message) : ''}
${postForm(
  '/admin/new-radius-client',
  web.csrf(req, reply),
  html`${field({ name: 'name', label: 'Name', value: d.name, required: true, maxlength: 64, autofocus: true, spellcheck: false, autocomplete: 'off', hint: 'For you and the sign-in log, for example "office-vpn": a–z, 0–9, dots, dashes and underscores.', error: err('name') })}
${field({ name: 'address', label: 'Address', value: d.address, required: true, maxlength: 64, spellcheck: false, autocomplete: 'off', hint: 'The address its packets come from, or a range: 192.0.2.7, 10.0.0.0/24, 2001:db8::/64.', error: err('address') })}
${checkbox({ name: 'noMessageAuthenticator', label: 'Old equipment: accept requests without Message-Authenticator', checked: d.optOut, hint: BLAST_WARNING })}
<div class="actions">${button('Register')} ${linkButton('/admin/radius', 'Cancel')}</div>`,
)}`,
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
          return clientForm(req, reply, s, d, { code: e.code, message: e.message }, e.status);
        }
        throw e;
      }
      reply.header('cache-control', 'no-store');
      return web.render(req, reply, s, {
        title: 'RADIUS client registered',
        nav: NAV,
        body: html`${pageHeader(`${created.name} is registered`, html`Paste the shared secret into the NAS, with this server’s address and port 1812. Its packets must come from <code>${created.address}</code>.`)}
${secretBox({ id: 'radius-secret', label: `Shared secret of ${created.name}`, secret: created.secret, copyLabel: 'Copy secret to clipboard' })}
${notice('warning', 'This is the only time the shared secret is shown. If it gets lost, delete the client and register it again.')}
${created.requireMessageAuthenticator ? '' : notice('warning', BLAST_WARNING)}
<div class="actions">${linkButton('/admin/radius', 'Close', 'primary')}</div>`,
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
${postForm(o.action, web.csrf(req, reply), html`<div class="actions">${button(o.yes, { kind: 'danger' })} ${linkButton('/admin/radius', 'No')}</div>`)}`,
    });
  }

  async function findClient(a: Parameters<typeof core.radiusClients.listRadiusClients>[0], name: string) {
    const c = (await core.radiusClients.listRadiusClients(a)).find((x) => x.name === name.toLowerCase());
    if (!c) throw new LatchkeyError('SERVICE_NOT_FOUND', 'No such RADIUS client.');
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
      return confirmPage(req, reply, s, {
        question: `Delete ${c.name}?`,
        detail: `Latchkey stops answering ${c.address} within a second: people behind this VPN or Wi-Fi can no longer sign in through it. Its own reply rules are deleted with it. Registering it again gives it a new shared secret.`,
        action: here,
        yes: 'Yes, delete it',
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
    const clients = await core.radiusClients.listRadiusClients(a);
    return web.render(req, reply, s, {
      title: 'Add a reply rule',
      nav: NAV,
      status,
      body: html`${pageHeader('Add a reply rule', 'Members of the group get this attribute in their Access-Accept, from the next request on.')}
${postForm(
  '/admin/new-radius-reply',
  web.csrf(req, reply),
  html`${select({ name: 'group', label: 'Group', options: replyGroups().map((g) => ({ value: g, label: g, selected: g === d.group })), hint: 'Everyone is in users; administrators are also in admins, the helpdesk in helpdesk.' })}
${select({ name: 'attribute', label: 'Attribute', options: Object.entries(REPLY_ATTRIBUTES).map(([n, spec]) => ({ value: n, label: `${n}: ${spec.help}`, selected: n === d.attribute })) })}
${field({ name: 'value', label: 'Value', value: d.value, required: true, maxlength: 253, spellcheck: false, autocomplete: 'off', hint: 'Checked by the attribute: a VLAN id, a number of seconds, a filter name…', error })}
${select({ name: 'client', label: 'For', options: [{ value: '', label: 'Every RADIUS client', selected: d.client === '' }, ...clients.map((c) => ({ value: c.name, label: c.name, selected: c.name === d.client }))] })}
<div class="actions">${button('Add')} ${linkButton('/admin/radius', 'Cancel')}</div>`,
)}`,
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
          return replyForm(req, reply, s, d, e.message, e.status);
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
      return confirmPage(req, reply, s, {
        question: `Delete the rule ${r.group} → ${r.attribute}?`,
        detail: `Members of ${r.group} no longer get ${r.attribute} = ${r.value} from ${r.client ?? 'any RADIUS client'}, from the next request on.`,
        action: here,
        yes: 'Yes, delete it',
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
