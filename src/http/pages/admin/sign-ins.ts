// The sign-in log (B4): filters by user, door, result, reason and dates, pages, and its CSV export.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLatchkeyError } from '../../../core/errors.js';
import { OIDC_DOOR, type SignInEventView, signInsCsv } from '../../../core/sign-in-log.js';
import { DOORS } from '../../../core/validate.js';
import { ENGLISH, errorText, type Words } from '../../i18n/index.js';
import { badge, getForm } from '../forms.js';
import { pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { button, field, linkButton, pageHeader, select, table, timeAgo } from '../layout.js';
import { doorLabel, repeats, shortAgent } from '../sign-in-events.js';
import { type AdminContext, CREDENTIAL_KEY, label, REASON_KEY, userPath } from './shared.js';

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
  /** Why the filters cannot be used (the core's refusal in words), or null. */
  error: string | null;
  now: number;
}

/** The sign-in log as HTML: a plain function of its view and the page's words, testable without a server. */
export function signInsBody(v: SignInsView, w: Words = ENGLISH): SafeHtml {
  const { filters: f, before, events, error, now } = v;
  const any = NAMES.some((n) => f[n]);
  const opt = (value: string, text: string, current: string) => ({
    value,
    label: text,
    selected: value === current,
  });
  const reason = (r: string) => label(w, REASON_KEY, r);
  return html`${pageHeader(w.t('admin.signIns.title'), w.t('admin.signIns.lead'))}
${getForm(
  '/admin/sign-ins',
  w.t('admin.signIns.filter'),
  html`<div class="filter-fields">
${field({ name: 'user', label: w.t('admin.signIns.user.label'), value: f.user, maxlength: 254, spellcheck: false, hint: w.t('admin.signIns.user.hint'), words: w })}
${select({ name: 'door', label: w.t('admin.signIns.door.label'), options: [opt('', w.t('admin.signIns.door.any'), f.door), opt('browser', doorLabel('browser', w), f.door), opt(OIDC_DOOR, doorLabel(OIDC_DOOR, w), f.door), ...DOORS.map((d) => opt(d, doorLabel(d, w), f.door))], words: w })}
${select({ name: 'result', label: w.t('admin.signIns.result.label'), options: [opt('', w.t('admin.signIns.result.any'), f.result), opt('accepted', w.t('admin.signIns.result.accepted'), f.result), opt('refused', w.t('admin.signIns.result.refused'), f.result)], words: w })}
${select({ name: 'reason', label: w.t('admin.signIns.reason.label'), options: [opt('', w.t('admin.signIns.reason.any'), f.reason), ...Object.keys(REASON_KEY).map((k) => opt(k, reason(k), f.reason))], words: w })}
${field({ name: 'since', label: w.t('admin.signIns.since.label'), value: f.since, maxlength: 40, spellcheck: false, hint: w.t('admin.signIns.since.hint'), words: w })}
${field({ name: 'until', label: w.t('admin.signIns.until.label'), value: f.until, maxlength: 40, spellcheck: false, hint: w.t('admin.signIns.until.hint'), words: w })}
</div>
<div class="actions">${button(w.t('admin.signIns.show'), { kind: 'secondary' })}${any ? html` ${linkButton('/admin/sign-ins', w.t('admin.signIns.clear'), 'link')}` : ''}</div>`,
)}
${
  error
    ? html`<div class="notice notice-error" role="alert"><p class="notice-title">${w.t('admin.signIns.badFilters')}</p><div class="notice-body">${error}</div></div>`
    : html`<div class="actions">${linkButton(`/admin/sign-ins.csv${queryString(f)}`, w.t('admin.signIns.csv'), 'secondary')}</div>
${table({
  caption: before
    ? w.t('admin.signIns.caption.older')
    : events.length >= SHOWN
      ? w.t('admin.signIns.caption.recent', { count: SHOWN, max: CSV_ROWS })
      : w.t('admin.signIns.caption.all'),
  head: [
    w.t('admin.signIns.head.when'),
    w.t('admin.signIns.head.user'),
    w.t('admin.signIns.head.where'),
    w.t('admin.signIns.head.from'),
    w.t('admin.signIns.head.result'),
    w.t('admin.signIns.head.with'),
  ],
  rows: events.map((e) => [
    html`${timeAgo(Date.parse(e.lastAt), now, w)}${e.count > 1 ? html`<br><span class="muted small">${repeats(e, now, w)}</span>` : ''}`,
    e.username === ''
      ? // Throttled attempts of a source, counted together: no name was checked.
        html`<span class="muted small">${w.t('admin.signIns.anyName')}</span>`
      : e.reason === 'unknown_user'
        ? html`${e.username} <span class="muted small">${w.t('admin.signIns.noSuchUser')}</span>`
        : html`<a href="${userPath(e.username)}">${e.username}</a>`,
    e.door === OIDC_DOOR
      ? e.result === 'accepted'
        ? w.t('admin.signIns.oidc.accepted', { app: e.clientName ?? w.t('admin.signIns.oidc.someApp') })
        : w.t('admin.signIns.oidc.refused', { app: e.clientName ?? w.t('admin.signIns.oidc.someApp') })
      : doorLabel(e.door, w),
    html`${e.ip ?? '—'}${e.userAgent ? html`<br><span class="muted small" title="${e.userAgent}">${shortAgent(e.userAgent, w)}</span>` : ''}`,
    e.result === 'accepted'
      ? badge(w.t('admin.signIns.result.accepted'), 'ok')
      : badge(e.reason ? reason(e.reason) : w.t('admin.signIns.result.refused'), 'bad'),
    e.credential === 'app_password'
      ? w.t('admin.signIns.appPassword', { label: e.appPasswordLabel ?? '?' })
      : e.credential
        ? label(w, CREDENTIAL_KEY, e.credential)
        : null,
  ]),
  empty: any ? w.t('admin.signIns.empty.filtered') : w.t('admin.signIns.empty.all'),
})}
${
  events.length >= SHOWN || before
    ? html`<nav class="pager" aria-label="${w.t('admin.signIns.pages')}">${before ? linkButton(`/admin/sign-ins${queryString(f)}`, w.t('admin.signIns.newest'), 'link') : ''}${
        events.length >= SHOWN
          ? linkButton(
              `/admin/sign-ins${queryString(f)}${queryString(f) ? '&' : '?'}before=${encodeURIComponent(events[events.length - 1]!.cursor)}`,
              w.t('admin.signIns.older'),
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
      error = errorText(req.words, e);
    }
    const body = signInsBody({ filters: f, before, events, error, now: core.now() }, req.words);
    return web.render(req, reply, s, {
      title: req.words.t('admin.signIns.title'),
      nav: 'admin-sign-ins',
      body,
      status: error ? 400 : 200,
    });
  });

  admin.get('/sign-ins.csv', async (req, reply) => {
    const { a } = pageCtx(req);
    const events = await core.signInLog.listSignIns(a, coreFilter(filtersOf(req), CSV_ROWS));
    const day = new Date(core.now()).toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="sign-ins-${day}.csv"`)
      .send(signInsCsv(events));
  });
}
