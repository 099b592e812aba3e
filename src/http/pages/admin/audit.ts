// The audit log (admin, B5): who changed what, with the details in words.

import type { FastifyInstance } from 'fastify';
import type { AuditEventView } from '../../../core/audit.js';
import type { TokenView } from '../../../core/tokens.js';
import { getForm } from '../forms.js';
import { guarded, pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { button, field, linkButton, pageHeader, table, timeAgo } from '../layout.js';
import { doorLabel } from '../sign-in-events.js';
import { type AdminContext, AUDIT_LABEL, humanize, SETTING_LABEL, userPath } from './shared.js';

const DETAIL_LABEL: Record<string, string> = {
  id: 'ID',
  twoStep: 'Two-step',
  expiresAt: 'Expires',
  displayName: 'Display name',
  clientId: 'Client ID',
  redirectUris: 'Redirect URIs',
  objectsRevoked: 'Grants, codes and tokens ended',
  kid: 'Key ID',
  alg: 'Algorithm',
  signsFrom: 'Signs from',
};

const detailLabel = (k: string) => DETAIL_LABEL[k] ?? humanize(k);

/** Codes the core writes into audit details, as words. */
const DETAIL_VALUE: Record<string, string> = {
  disabled: 'off',
  enabled: 'on, to be set up',
  enforced: 'on and required',
  admin_page: 'by an administrator on the admin pages',
  registration_finished: 'the person finished setting up two-step verification',
  password_changed: 'the password changed',
  two_step_disabled: 'two-step verification was turned off',
  two_step_no_longer_required: 'two-step verification is no longer required for everyone',
  unused: 'unused for too long',
  totp: 'authenticator app',
  webauthn: 'security key or passkey',
};

function value(v: unknown, onOff = false, key = ''): SafeHtml {
  if (key === 'scopes' && (v === null || v === undefined)) return html`every kind of app`;
  if (key === 'expiresAt' && (v === null || v === undefined)) return html`never`;
  if (v === null || v === undefined || v === '') return html`<span class="muted">none</span>`;
  if (typeof v === 'string' && DETAIL_VALUE[v]) return html`${DETAIL_VALUE[v]}`;
  if (key === 'scopes' && Array.isArray(v)) return html`${v.map((x) => doorLabel(String(x))).join(', ')}`;
  if (typeof v === 'boolean') return html`${onOff ? (v ? 'on' : 'off') : v ? 'yes' : 'no'}`;
  if (Array.isArray(v)) return html`${v.map((x) => String(x)).join(', ')}`;
  if (typeof v === 'object') return html`<code>${JSON.stringify(v).slice(0, 300)}</code>`;
  return html`${String(v).slice(0, 300)}`;
}

function change(before: unknown, after: unknown, onOff = false): SafeHtml {
  return html`<del><span class="visually-hidden">from </span>${value(before, onOff)}</del> <span aria-hidden="true">→</span> <ins><span class="visually-hidden">to </span>${value(after, onOff)}</ins>`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Before/after as "from → to", field by field for objects; the rest as "Name: value". */
function auditDetails(d: Record<string, unknown> | null, onOff = false): SafeHtml | null {
  if (!d) return null;
  const items: SafeHtml[] = [];
  if ('before' in d || 'after' in d) {
    const b = d.before;
    const a = d.after;
    if (isRecord(b) || isRecord(a)) {
      const bo = isRecord(b) ? b : {};
      const ao = isRecord(a) ? a : {};
      for (const k of new Set([...Object.keys(bo), ...Object.keys(ao)])) {
        if (!(k in bo)) items.push(html`<li>${detailLabel(k)}: ${value(ao[k], false, k)}</li>`);
        else if (JSON.stringify(bo[k]) !== JSON.stringify(ao[k]))
          items.push(html`<li>${detailLabel(k)}: ${change(bo[k], ao[k])}</li>`);
      }
    } else {
      items.push(html`<li>${change(b, a, onOff)}</li>`);
    }
  }
  for (const [k, v] of Object.entries(d)) {
    if (k === 'before' || k === 'after') continue;
    items.push(html`<li>${detailLabel(k)}: ${value(v, false, k)}</li>`);
  }
  return items.length > 0 ? html`<ul class="details">${items}</ul>` : null;
}

/** What the audit log page shows: built from the core by the handler, drawn by `auditBody`. */
export interface AuditView {
  /** The filter as typed ('' for everything) and the event id this page is older than ('' for newest). */
  target: string;
  before: string;
  events: AuditEventView[];
  /** The API tokens by id, to name the tokens that acted or were acted on. */
  tokens: Map<string, TokenView>;
  now: number;
}

const SHOWN = 200;

/** The audit log as HTML: a plain function of its view, testable without a server. */
export function auditBody(v: AuditView): SafeHtml {
  const { target, before, events, tokens, now } = v;
  const older =
    events.length >= SHOWN
      ? `/admin/audit?${new URLSearchParams({ ...(target ? { target } : {}), before: String(events[events.length - 1]!.id) })}`
      : null;
  const actorCell = (label: string, ip: string | null) => {
    const [kind, ...rest] = label.split(':');
    const id = rest.join(':');
    const name =
      kind === 'user'
        ? html`<a href="${userPath(id)}">${id}</a>`
        : kind === 'token'
          ? html`API token ${tokens.get(id)?.label ? html`“${tokens.get(id)!.label}”` : html`<code>${id.slice(0, 12)}</code>`}`
          : kind === 'cli'
            ? html`Command line <span class="muted small">(${id})</span>`
            : kind === 'service'
              ? html`Service ${id}`
              : html`${label}`;
    return html`${name}${ip ? html`<br><span class="muted small">from ${ip}</span>` : ''}`;
  };
  const targetCell = (e: AuditEventView) => {
    if (!e.target) return null;
    if (e.action === 'settings.changed')
      return html`${SETTING_LABEL[e.target] ?? humanize(e.target)} <code>${e.target}</code>`;
    if (e.target.startsWith('token:')) {
      const t = tokens.get(e.target.slice(6));
      return html`API token ${t?.label ? `“${t.label}”` : html`<code>${e.target.slice(6, 18)}</code>`}`;
    }
    if (e.action.startsWith('service.')) return html`Service ${e.target}`;
    return e.action === 'user.deleted' ? e.target : html`<a href="${userPath(e.target)}">${e.target}</a>`;
  };
  return html`${pageHeader('Audit log', 'Every change made in Latchkey — by whom, to whom, when and from where — newest first. It cannot be edited.')}
${getForm(
  '/admin/audit',
  'Filter the audit log',
  html`${field({ name: 'target', label: 'Changes to', value: target, maxlength: 254, spellcheck: false, hint: 'A username, a setting name or token:ID.' })}
<div class="actions">${button('Show', { kind: 'secondary' })}${target ? html` ${linkButton('/admin/audit', 'Show everything', 'link')}` : ''}</div>`,
)}
${table({
  caption: before ? 'Older changes' : events.length >= SHOWN ? `The ${SHOWN} most recent changes` : 'Changes',
  head: ['When', 'Who', 'What', 'To', 'Details'],
  rows: events.map((e) => [
    timeAgo(Date.parse(e.at), now),
    actorCell(e.actor, e.actorIp),
    html`${AUDIT_LABEL[e.action] ?? humanize(e.action.replace(/[._]/g, ' '))}<br><code class="muted small">${e.action}</code>`,
    targetCell(e),
    auditDetails(e.details, e.action === 'settings.changed'),
  ]),
  empty: target ? `No change to “${target}” is recorded.` : 'Nothing has been changed yet.',
})}
${older || before ? html`<nav class="pager" aria-label="Audit log pages">${before ? linkButton(target ? `/admin/audit?${new URLSearchParams({ target })}` : '/admin/audit', 'Newest', 'link') : ''}${older ? linkButton(older, 'Older changes', 'secondary') : ''}</nav>` : ''}`;
}

export function registerAudit(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, q, requirePermission } = ctx;
  admin.get('/audit', guarded(requirePermission('audit.read')), async (req, reply) => {
    const { s, a } = pageCtx(req);
    const target = q(req, 'target');
    const before = q(req, 'before');
    const events: AuditEventView[] = await core.audit.listAudit(a, {
      target: target || null,
      limit: SHOWN,
      before: /^[0-9]{1,15}$/.test(before) ? before : null,
    });
    const tokens = new Map((await core.tokens.listTokens(a)).map((x) => [x.id, x]));
    const body = auditBody({ target, before, events, tokens, now: core.ctx.now() });
    return web.render(req, reply, s, { title: 'Audit log', nav: 'admin-audit', body });
  });
}
