// The sign-in log (B4): filters by user, door, result, reason and dates, pages, and its CSV export.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLatchkeyError } from '../../../core/errors.js';
import { type LoggedReason, OIDC_DOOR, type SignInEventView, signInsCsv } from '../../../core/sign-in-log.js';
import { DOORS } from '../../../core/validate.js';
import { badge, getForm } from '../forms.js';
import { pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { button, field, linkButton, pageHeader, select, table, timeAgo } from '../layout.js';
import { doorLabel, repeats, shortAgent } from '../sign-in-events.js';
import { type AdminContext, CREDENTIAL_LABEL, REASON_LABEL, userPath } from './shared.js';

const SHOWN = 100;
const CSV_ROWS = 10_000;
const NAMES = ['user', 'door', 'result', 'reason', 'since', 'until'] as const;
/** The filters as typed, each '' when not used. */
export type SignInFilters = Record<(typeof NAMES)[number], string>;

const queryString = (f: SignInFilters) => {
  const p = new URLSearchParams();
  for (const n of NAMES) if (f[n]) p.set(n, f[n]);
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** What the sign-in log page shows: built from the core by the handler, drawn by `signInsBody`. */
export interface SignInsView {
  filters: SignInFilters;
  /** The cursor this page is older than ('' for the newest). */
  before: string;
  events: SignInEventView[];
  /** Why the filters cannot be used (the core's words), or null. */
  error: string | null;
  now: number;
}

/** The sign-in log as HTML: a plain function of its view, testable without a server. */
export function signInsBody(v: SignInsView): SafeHtml {
  const { filters: f, before, events, error, now } = v;
  const any = NAMES.some((n) => f[n]);
  const opt = (value: string, label: string, current: string) => ({
    value,
    label,
    selected: value === current,
  });
  return html`${pageHeader('Sign-ins', 'Every sign-in attempt, on the web and from apps, newest first. Repeated successful checks from one app are counted on one line per minute.')}
${getForm(
  '/admin/sign-ins',
  'Filter sign-ins',
  html`<div class="filter-fields">
${field({ name: 'user', label: 'User', value: f.user, maxlength: 254, spellcheck: false, hint: 'A username, or any name that was tried.' })}
${select({ name: 'door', label: 'Where', options: [opt('', 'Anywhere', f.door), opt('browser', doorLabel('browser'), f.door), opt(OIDC_DOOR, doorLabel(OIDC_DOOR), f.door), ...DOORS.map((d) => opt(d, doorLabel(d), f.door))] })}
${select({ name: 'result', label: 'Result', options: [opt('', 'Any result', f.result), opt('accepted', 'Success', f.result), opt('refused', 'Refused', f.result)] })}
${select({ name: 'reason', label: 'Reason refused', options: [opt('', 'Any reason', f.reason), ...Object.entries(REASON_LABEL).map(([k, l]) => opt(k, l, f.reason))] })}
${field({ name: 'since', label: 'From', value: f.since, maxlength: 40, spellcheck: false, hint: 'A date or a UTC time: 2026-11-22 or 2026-11-22T10:00Z.' })}
${field({ name: 'until', label: 'Until (not included)', value: f.until, maxlength: 40, spellcheck: false, hint: 'Same format.' })}
</div>
<div class="actions">${button('Show', { kind: 'secondary' })}${any ? html` ${linkButton('/admin/sign-ins', 'Clear filters', 'link')}` : ''}</div>`,
)}
${
  error
    ? html`<div class="notice notice-error" role="alert"><p class="notice-title">These filters cannot be used</p><div class="notice-body">${error}</div></div>`
    : html`<div class="actions">${linkButton(`/admin/sign-ins.csv${queryString(f)}`, 'Download CSV', 'secondary')}</div>
${table({
  caption: before
    ? 'Older matching sign-ins'
    : events.length >= SHOWN
      ? `The ${SHOWN} most recent matching sign-ins (the CSV has up to ${CSV_ROWS.toLocaleString('en')})`
      : 'Matching sign-ins',
  head: ['When', 'User', 'Where', 'From', 'Result', 'With'],
  rows: events.map((e) => [
    html`${timeAgo(Date.parse(e.lastAt), now)}${e.count > 1 ? html`<br><span class="muted small">${repeats(e, now)}</span>` : ''}`,
    e.username === ''
      ? // Throttled attempts of a source, counted together: no name was checked.
        html`<span class="muted small">any name</span>`
      : e.reason === 'unknown_user'
        ? html`${e.username} <span class="muted small">(no such user)</span>`
        : html`<a href="${userPath(e.username)}">${e.username}</a>`,
    e.door === OIDC_DOOR
      ? `${e.result === 'accepted' ? 'Signed in to' : 'Signing in to'} ${e.clientName ?? 'an app'} (OpenID Connect)`
      : doorLabel(e.door),
    html`${e.ip ?? '—'}${e.userAgent ? html`<br><span class="muted small" title="${e.userAgent}">${shortAgent(e.userAgent)}</span>` : ''}`,
    e.result === 'accepted'
      ? badge('Success', 'ok')
      : badge(REASON_LABEL[(e.reason ?? '') as LoggedReason] ?? e.reason ?? 'Refused', 'bad'),
    e.credential === 'app_password'
      ? `App password “${e.appPasswordLabel ?? '?'}”`
      : e.credential
        ? (CREDENTIAL_LABEL[e.credential] ?? e.credential)
        : null,
  ]),
  empty: any ? 'No sign-in matches these filters.' : 'No sign-ins yet.',
})}
${
  events.length >= SHOWN || before
    ? html`<nav class="pager" aria-label="Sign-in pages">${before ? linkButton(`/admin/sign-ins${queryString(f)}`, 'Newest', 'link') : ''}${
        events.length >= SHOWN
          ? linkButton(
              `/admin/sign-ins${queryString(f)}${queryString(f) ? '&' : '?'}before=${encodeURIComponent(events[events.length - 1]!.cursor)}`,
              'Older sign-ins',
              'secondary',
            )
          : ''
      }</nav>`
    : ''
}`
}`;
}

export function registerSignIns(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, q } = ctx;

  const filtersOf = (req: FastifyRequest): SignInFilters =>
    Object.fromEntries(NAMES.map((n) => [n, q(req, n, n === 'user' ? 254 : 64)])) as SignInFilters;
  const coreFilter = (f: SignInFilters, limit: number) => ({
    username: f.user || null,
    door: f.door || null,
    result: f.result || null,
    reason: f.reason || null,
    since: f.since || null,
    until: f.until || null,
    limit,
  });

  admin.get('/sign-ins', async (req, reply) => {
    const { s, a } = pageCtx(req);
    const f = filtersOf(req);
    const before = q(req, 'before', 40);
    let events: SignInEventView[] = [];
    let error: string | null = null;
    try {
      events = await core.signInLog.listSignIns(a, { ...coreFilter(f, SHOWN), before: before || null });
    } catch (e) {
      if (!isLatchkeyError(e) || e.status !== 400) throw e;
      error = e.message;
    }
    const body = signInsBody({ filters: f, before, events, error, now: core.ctx.now() });
    return web.render(req, reply, s, {
      title: 'Sign-ins',
      nav: 'admin-sign-ins',
      body,
      status: error ? 400 : 200,
    });
  });

  admin.get('/sign-ins.csv', async (req, reply) => {
    const { a } = pageCtx(req);
    const events = await core.signInLog.listSignIns(a, coreFilter(filtersOf(req), CSV_ROWS));
    const day = new Date(core.ctx.now()).toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="sign-ins-${day}.csv"`)
      .send(signInsCsv(events));
  });
}
