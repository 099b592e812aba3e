// The audit log (admin, B5): who changed what, as one sentence per change in the page's language
// ("root deleted the user mallory"), with the details as "from → to" in words. auditBody() draws it
// from a typed view and the page's words, so it can be checked without a server.

import type { FastifyInstance } from 'fastify';
import type { AuditAction, AuditEventView } from '../../../core/audit.js';
import { isSettingKey } from '../../../core/settings.js';
import type { TokenView } from '../../../core/tokens.js';
import { ENGLISH, type Key, type Words } from '../../i18n/index.js';
import { getForm } from '../forms.js';
import { guarded, pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { button, field, linkButton, pageHeader, table, timeAgo } from '../layout.js';
import { doorLabel } from '../sign-in-events.js';
import { SETTING_WORDS } from './settings.js';
import { type AdminContext, userPath } from './shared.js';

/**
 * Each action as a sentence: {who} acted, {target} is what it was done to. Typed by the core's
 * actions: an action the core gains does not compile until it has its sentence here.
 */
export const AUDIT_WORDS = {
  'admin.initialized': 'admin.audit.did.adminInitialized',
  'user.created': 'admin.audit.did.userCreated',
  'user.updated': 'admin.audit.did.userUpdated',
  'user.disabled': 'admin.audit.did.userDisabled',
  'user.enabled': 'admin.audit.did.userEnabled',
  'user.deleted': 'admin.audit.did.userDeleted',
  'user.password_set': 'admin.audit.did.userPasswordSet',
  'user.role_changed': 'admin.audit.did.userRoleChanged',
  'user.unlocked': 'admin.audit.did.userUnlocked',
  'two_step.state_changed': 'admin.audit.did.twoStepStateChanged',
  'two_step.method_added': 'admin.audit.did.twoStepMethodAdded',
  'two_step.method_removed': 'admin.audit.did.twoStepMethodRemoved',
  'two_step.default_changed': 'admin.audit.did.twoStepDefaultChanged',
  'two_step.recovery_codes_generated': 'admin.audit.did.twoStepRecoveryCodesGenerated',
  'two_step.reregistration_required': 'admin.audit.did.twoStepReregistrationRequired',
  'app_password.created': 'admin.audit.did.appPasswordCreated',
  'app_password.deleted': 'admin.audit.did.appPasswordDeleted',
  'app_password.deleted_all': 'admin.audit.did.appPasswordDeletedAll',
  'app_password.auto_revoked': 'admin.audit.did.appPasswordAutoRevoked',
  'device_login.approved': 'admin.audit.did.deviceLoginApproved',
  'device_login.denied': 'admin.audit.did.deviceLoginDenied',
  'device_login.delivered': 'admin.audit.did.deviceLoginDelivered',
  'device_login.refused': 'admin.audit.did.deviceLoginRefused',
  'devices.revoked': 'admin.audit.did.devicesRevoked',
  'sessions.revoked': 'admin.audit.did.sessionsRevoked',
  'settings.changed': 'admin.audit.did.settingsChanged',
  'service.created': 'admin.audit.did.serviceCreated',
  'service.deleted': 'admin.audit.did.serviceDeleted',
  'radius_client.created': 'admin.audit.did.radiusClientCreated',
  'radius_client.deleted': 'admin.audit.did.radiusClientDeleted',
  'radius_reply.created': 'admin.audit.did.radiusReplyCreated',
  'radius_reply.deleted': 'admin.audit.did.radiusReplyDeleted',
  'token.created': 'admin.audit.did.tokenCreated',
  'token.revoked': 'admin.audit.did.tokenRevoked',
  'oidc_client.created': 'admin.audit.did.oidcClientCreated',
  'oidc_client.deleted': 'admin.audit.did.oidcClientDeleted',
  'oidc_client.secret_rotated': 'admin.audit.did.oidcClientSecretRotated',
  'oidc_keys.rotated': 'admin.audit.did.oidcKeysRotated',
  'oidc_access.revoked': 'admin.audit.did.oidcAccessRevoked',
} as const satisfies Record<AuditAction, Key>;

/** The names of the details the core records, in words; any other shows as its code. */
const DETAIL_WORDS: Readonly<Record<string, Key>> = {
  id: 'admin.audit.detail.id',
  twoStep: 'admin.audit.detail.twoStep',
  expiresAt: 'admin.audit.detail.expiresAt',
  displayName: 'admin.audit.detail.displayName',
  email: 'admin.audit.detail.email',
  username: 'admin.audit.detail.username',
  role: 'admin.audit.detail.role',
  clientId: 'admin.audit.detail.clientId',
  redirectUris: 'admin.audit.detail.redirectUris',
  postLogoutRedirectUris: 'admin.audit.detail.postLogoutRedirectUris',
  objectsRevoked: 'admin.audit.detail.objectsRevoked',
  kid: 'admin.audit.detail.kid',
  alg: 'admin.audit.detail.alg',
  signsFrom: 'admin.audit.detail.signsFrom',
  reason: 'admin.audit.detail.reason',
  app: 'admin.audit.detail.app',
  source: 'admin.audit.detail.source',
  scopes: 'admin.audit.detail.scopes',
  request: 'admin.audit.detail.request',
  line: 'admin.audit.detail.line',
  label: 'admin.audit.detail.label',
  count: 'admin.audit.detail.count',
  appPasswordsDeleted: 'admin.audit.detail.appPasswordsDeleted',
  appPasswordId: 'admin.audit.detail.appPasswordId',
  value: 'admin.audit.detail.value',
  trusted: 'admin.audit.detail.trusted',
  public: 'admin.audit.detail.public',
  requireMessageAuthenticator: 'admin.audit.detail.requireMessageAuthenticator',
  name: 'admin.audit.detail.name',
  methodsRemoved: 'admin.audit.detail.methodsRemoved',
  lastUsedAt: 'admin.audit.detail.lastUsedAt',
  kind: 'admin.audit.detail.kind',
  group: 'admin.audit.detail.group',
  attribute: 'admin.audit.detail.attribute',
  client: 'admin.audit.detail.client',
  address: 'admin.audit.detail.address',
  generated: 'admin.audit.detail.generated',
  deliveredTo: 'admin.audit.detail.deliveredTo',
  requestedFrom: 'admin.audit.detail.requestedFrom',
  requestedAt: 'admin.audit.detail.requestedAt',
  method: 'admin.audit.detail.method',
  passwordSet: 'admin.audit.detail.passwordSet',
  countersCleared: 'admin.audit.detail.countersCleared',
};

/** Codes the core writes into audit details, as words. */
const VALUE_WORDS: Readonly<Record<string, Key>> = {
  disabled: 'admin.audit.value.disabled',
  enabled: 'admin.audit.value.enabled',
  enforced: 'admin.audit.value.enforced',
  admin_page: 'admin.audit.value.adminPage',
  registration_finished: 'admin.audit.value.registrationFinished',
  password_changed: 'admin.audit.value.passwordChanged',
  two_step_disabled: 'admin.audit.value.twoStepDisabled',
  two_step_no_longer_required: 'admin.audit.value.twoStepNoLongerRequired',
  unused: 'admin.audit.value.unused',
  totp: 'admin.audit.value.totp',
  webauthn: 'admin.audit.value.webauthn',
};

const ROLE_WORDS: Readonly<Record<string, Key>> = {
  user: 'admin.common.role.user',
  helpdesk: 'admin.common.role.helpdesk',
  admin: 'admin.common.role.admin',
};

/** Details that are moments: shown as a date and time in the organisation's time zone. */
const MOMENTS = new Set(['expiresAt', 'signsFrom', 'lastUsedAt', 'requestedAt']);

const pick = (w: Words, keys: Readonly<Record<string, Key>>, code: string): string | null =>
  Object.hasOwn(keys, code) ? w.t(keys[code] as 'admin.audit.value.unused') : null;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function details(w: Words, d: Record<string, unknown> | null, action: string): SafeHtml | null {
  if (!d) return null;
  const onOff = action === 'settings.changed';
  const roles = action === 'user.role_changed';
  const detailLabel = (k: string) => pick(w, DETAIL_WORDS, k) ?? html`<code>${k}</code>`;
  const value = (v: unknown, key = ''): SafeHtml => {
    if (key === 'scopes' && (v === null || v === undefined))
      return html`${w.t('admin.audit.value.everyApp')}`;
    if (key === 'expiresAt' && (v === null || v === undefined)) return html`${w.t('time.never')}`;
    if (v === null || v === undefined || v === '')
      return html`<span class="muted">${w.t('admin.audit.value.none')}</span>`;
    if (typeof v === 'string') {
      const word = (roles || key === 'role' ? pick(w, ROLE_WORDS, v) : null) ?? pick(w, VALUE_WORDS, v);
      if (word) return html`${word}`;
      if (MOMENTS.has(key) && !Number.isNaN(Date.parse(v))) return html`${w.dateTime(Date.parse(v))}`;
    }
    if (key === 'scopes' && Array.isArray(v))
      return html`${v.map((x) => doorLabel(String(x), w)).join(', ')}`;
    if (typeof v === 'boolean')
      return html`${onOff ? w.t(v ? 'admin.audit.value.on' : 'admin.audit.value.off') : w.t(v ? 'admin.audit.value.yes' : 'admin.audit.value.no')}`;
    if (typeof v === 'number') return html`${w.number(v)}`;
    if (Array.isArray(v)) return html`${v.map((x) => String(x)).join(', ')}`;
    if (typeof v === 'object') return html`<code>${JSON.stringify(v).slice(0, 300)}</code>`;
    return html`${String(v).slice(0, 300)}`;
  };
  const change = (before: unknown, after: unknown, key = '') =>
    html`<del><span class="visually-hidden">${w.t('admin.audit.from')} </span>${value(before, key)}</del> <span aria-hidden="true">→</span> <ins><span class="visually-hidden">${w.t('admin.audit.to')} </span>${value(after, key)}</ins>`;
  const items: SafeHtml[] = [];
  if ('before' in d || 'after' in d) {
    const b = d.before;
    const a = d.after;
    if (isRecord(b) || isRecord(a)) {
      const bo = isRecord(b) ? b : {};
      const ao = isRecord(a) ? a : {};
      for (const k of new Set([...Object.keys(bo), ...Object.keys(ao)])) {
        if (!(k in bo)) items.push(html`<li>${detailLabel(k)}: ${value(ao[k], k)}</li>`);
        else if (JSON.stringify(bo[k]) !== JSON.stringify(ao[k]))
          items.push(html`<li>${detailLabel(k)}: ${change(bo[k], ao[k], k)}</li>`);
      }
    } else {
      items.push(html`<li>${change(b, a)}</li>`);
    }
  }
  for (const [k, v] of Object.entries(d)) {
    if (k === 'before' || k === 'after') continue;
    items.push(html`<li>${detailLabel(k)}: ${value(v, k)}</li>`);
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

/** The audit log as HTML: a plain function of its view and the page's words, testable without a server. */
export function auditBody(v: AuditView, w: Words = ENGLISH): SafeHtml {
  const { target, before, events, tokens, now } = v;
  const older =
    events.length >= SHOWN
      ? `/admin/audit?${new URLSearchParams({ ...(target ? { target } : {}), before: String(events[events.length - 1]!.id) })}`
      : null;
  const tokenName = (id: string) => {
    const label = tokens.get(id)?.label;
    return label
      ? w.markup('admin.audit.token.named', { label })
      : w.markup('admin.audit.token.unnamed', { id: html`<code>${id.slice(0, 12)}</code>` });
  };
  const who = (label: string): SafeHtml => {
    const [kind, ...rest] = label.split(':');
    const id = rest.join(':');
    return kind === 'user'
      ? html`<a href="${userPath(id)}">${id}</a>`
      : kind === 'token'
        ? tokenName(id)
        : kind === 'cli'
          ? w.markup('admin.audit.who.cli', { name: id })
          : kind === 'service'
            ? w.markup('admin.audit.who.service', { name: id })
            : html`${label}`;
  };
  const what = (e: AuditEventView): SafeHtml => {
    const t = e.target;
    if (t === null) return html`<span class="muted">—</span>`;
    const [prefix, ...rest] = t.split(':');
    const name = rest.join(':');
    if (e.action === 'settings.changed')
      return html`${isSettingKey(t) ? w.t(SETTING_WORDS[t].label) : t} <code>${t}</code>`;
    if (prefix === 'token' && name) return tokenName(name);
    if (prefix === 'oidc_client' && name)
      return e.action === 'oidc_client.deleted'
        ? html`${name}`
        : html`<a href="/admin/clients/${encodeURIComponent(name)}">${name}</a>`;
    if ((prefix === 'service' || prefix === 'radius-client') && name) return html`${name}`;
    if ((prefix === 'radius-reply' || prefix === 'oidc_key') && name) return html`<code>${name}</code>`;
    return e.action === 'user.deleted' ? html`${t}` : html`<a href="${userPath(t)}">${t}</a>`;
  };
  const sentence = (e: AuditEventView): SafeHtml => {
    const params = { who: who(e.actor), target: what(e) };
    return Object.hasOwn(AUDIT_WORDS, e.action)
      ? w.markup(AUDIT_WORDS[e.action as AuditAction] as 'admin.audit.did.userCreated', params)
      : w.markup('admin.audit.did.other', { ...params, action: html`<code>${e.action}</code>` });
  };
  return html`${pageHeader(w.t('admin.audit.title'), w.t('admin.audit.lead'))}
${getForm(
  '/admin/audit',
  w.t('admin.audit.filter'),
  html`${field({ name: 'target', label: w.t('admin.audit.target.label'), value: target, maxlength: 254, spellcheck: false, hint: w.t('admin.audit.target.hint'), words: w })}
<div class="actions">${button(w.t('admin.audit.show'), { kind: 'secondary' })}${target ? html` ${linkButton('/admin/audit', w.t('admin.audit.showAll'), 'link')}` : ''}</div>`,
)}
${table({
  caption: before
    ? w.t('admin.audit.caption.older')
    : events.length >= SHOWN
      ? w.t('admin.audit.caption.recent', { count: SHOWN })
      : w.t('admin.audit.caption.all'),
  head: [w.t('admin.audit.head.when'), w.t('admin.audit.head.what'), w.t('admin.audit.head.details')],
  rows: events.map((e) => [
    timeAgo(Date.parse(e.at), now, w),
    html`${sentence(e)}${e.actorIp ? html`<br><span class="muted small">${w.t('admin.audit.fromIp', { ip: e.actorIp })}</span>` : ''}<br><code class="muted small">${e.action}</code>`,
    details(w, e.details, e.action),
  ]),
  empty: target ? w.t('admin.audit.empty.target', { target }) : w.t('admin.audit.empty.all'),
})}
${older || before ? html`<nav class="pager" aria-label="${w.t('admin.audit.pages')}">${before ? linkButton(target ? `/admin/audit?${new URLSearchParams({ target })}` : '/admin/audit', w.t('admin.audit.newest'), 'link') : ''}${older ? linkButton(older, w.t('admin.audit.older'), 'secondary') : ''}</nav>` : ''}`;
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
    const body = auditBody({ target, before, events, tokens, now: core.now() }, req.words);
    return web.render(req, reply, s, { title: req.words.t('admin.audit.title'), nav: 'admin-audit', body });
  });
}
