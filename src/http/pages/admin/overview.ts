// The administrators' overview (issue 12, item 9), /admin/overview: the last 7 days at a glance —
// sign-ins per hour by door and result, why sign-ins were refused, lockouts, app passwords created and
// deleted, and who still signs in to apps with their account password (the people to move to app
// passwords or OpenID Connect). Charts are inline SVG (charts.ts), with a table of the same numbers
// under each; no script. The view model comes from core/overview.ts; overviewBody() is a plain
// function of it and the page's words, so it can be rendered and checked without a server. The core
// counts by UTC hours and days, so the page names its days in the person's language but on UTC.

import type { FastifyInstance } from 'fastify';
import { OVERVIEW_DAYS, type Overview } from '../../../core/overview.js';
import { ENGLISH, type Lang, type Words } from '../../i18n/index.js';
import type { Web } from '../../web.js';
import {
  formatNumber,
  formatPercent,
  groupedColumns,
  horizontalBars,
  legend,
  type Series,
  shareBar,
  stackedColumns,
} from '../charts.js';
import { guarded, type PageGuards, pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { pageHeader, table, timeAgo } from '../layout.js';
import { doorLabel } from '../sign-in-events.js';
import { label, REASON_KEY } from './shared.js';

/** Day and hour names in a language, on the UTC clock the core counts by. */
interface Clock {
  dayShort(ms: number): string;
  dayLong(ms: number): string;
  hour(ms: number): string;
}
const clocks = new Map<Lang, Clock>();
function clockOf(lang: Lang): Clock {
  let c = clocks.get(lang);
  if (!c) {
    const short = new Intl.DateTimeFormat(lang, { weekday: 'short', day: 'numeric', timeZone: 'UTC' });
    const long = new Intl.DateTimeFormat(lang, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: 'UTC',
    });
    const hour = new Intl.DateTimeFormat(lang, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: 'UTC',
    });
    c = {
      dayShort: (ms) => short.format(ms),
      dayLong: (ms) => long.format(ms),
      hour: (ms) => hour.format(ms),
    };
    clocks.set(lang, c);
  }
  return c;
}

/** A refusal reason's words (the sign-in log's labels, admin/shared.ts, unless told otherwise). */
export type ReasonLabel = (reason: string, w: Words) => string;
const REASON_WORDS: ReasonLabel = (reason, w) => label(w, REASON_KEY, reason);

/** What the overview draws: the core's figures, the page's words and the reasons' words. */
interface Ctx {
  o: Overview;
  w: Words;
  clock: Clock;
  reason: (reason: string) => string;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** A class-safe name: the door names are ours, but a door the log gained later must not break markup. */
const doorClass = (door: string) => `door-${door.replace(/[^a-z0-9]/g, '')}`;
const userPath = (name: string) => `/admin/users/${encodeURIComponent(name)}`;
const signInsPath = (p: Record<string, string>) => `/admin/sign-ins?${new URLSearchParams(p)}`;

function section(id: string, title: string, lead: string | SafeHtml, body: SafeHtml): SafeHtml {
  return html`<section class="card-section overview-section" aria-labelledby="${id}">
<h2 id="${id}">${title}</h2>
<p class="muted">${lead}</p>
${body}
</section>`;
}

/** The same numbers as a chart, as a table, folded away: for screen readers, copying and checking. */
function asTable(summary: string, t: SafeHtml): SafeHtml {
  return html`<details class="chart-table"><summary>${summary}</summary>${t}</details>`;
}

function stat(label: string, value: string, detail: string | SafeHtml | null = null): SafeHtml {
  return html`<div><dt>${label}</dt><dd><span class="stat-value">${value}</span>${detail ? html`<span class="stat-detail">${detail}</span>` : ''}</dd></div>`;
}

const empty = (sentence: string) => html`<p class="empty">${sentence}</p>`;

function signInsSection({ o, w, clock }: Ctx): SafeHtml {
  const days = OVERVIEW_DAYS;
  if (o.accepted + o.refused === 0) {
    return section(
      'ov-sign-ins',
      w.t('admin.overview.signIns.title'),
      w.t('admin.overview.signIns.leadEmpty'),
      empty(w.t('admin.overview.signIns.empty', { count: days })),
    );
  }
  const columns = o.hours.map(clock.hour);
  const ticks = o.days.map((d, i) => ({ at: i * 24, label: clock.dayShort(d) }));
  const seriesOf = (pick: 'accepted' | 'refused'): Series[] =>
    o.doors.map((d) => ({
      key: d.door,
      label: doorLabel(d.door, w),
      cls: doorClass(d.door),
      values: d[pick],
    }));
  const range = w.t('admin.overview.range', { from: clock.dayLong(o.since), to: clock.dayLong(o.now) });
  const desc = (pick: 'accepted' | 'refused') => {
    const busiest = o.doors
      .filter((d) => d[`${pick}Total`] > 0)
      .sort((a, b) => b[`${pick}Total`] - a[`${pick}Total`])
      .map((d) => w.t('admin.overview.figure', { label: doorLabel(d.door, w), number: d[`${pick}Total`] }));
    return busiest.length > 0
      ? w.t('admin.overview.desc', { range, items: busiest.join(', ') })
      : w.t('admin.overview.descNone', { range });
  };
  const accepted = (n: number) => w.t('admin.overview.amount.accepted', { count: n });
  const refused = (n: number) => w.t('admin.overview.amount.refused', { count: n });
  return section(
    'ov-sign-ins',
    w.t('admin.overview.signIns.title'),
    w.t('admin.overview.signIns.lead'),
    html`${legend(
      o.doors.map((d) => ({ label: doorLabel(d.door, w), cls: doorClass(d.door) })),
      w.t('admin.overview.signIns.legend'),
    )}
<h3 class="chart-heading">${w.t('admin.overview.accepted')} <span class="muted">· ${formatNumber(o.accepted, w)}</span></h3>
${stackedColumns({
  id: 'ov-accepted',
  title: w.t('admin.overview.signIns.acceptedChart', { total: o.accepted }),
  desc: desc('accepted'),
  columns,
  ticks,
  series: seriesOf('accepted'),
  amount: accepted,
  words: w,
})}
<h3 class="chart-heading">${w.t('admin.overview.refused')} <span class="muted">· ${formatNumber(o.refused, w)}</span></h3>
${stackedColumns({
  id: 'ov-refused',
  title: w.t('admin.overview.signIns.refusedChart', { total: o.refused }),
  desc: desc('refused'),
  columns,
  ticks,
  series: seriesOf('refused'),
  amount: refused,
  height: 140,
  words: w,
})}
${asTable(
  w.t('admin.overview.signIns.tables'),
  html`${table({
    caption: w.t('admin.overview.signIns.byDoor', { count: days }),
    head: [w.t('admin.overview.where'), w.t('admin.overview.accepted'), w.t('admin.overview.refused')],
    rows: o.doors.map((d) => [
      doorLabel(d.door, w),
      formatNumber(d.acceptedTotal, w),
      formatNumber(d.refusedTotal, w),
    ]),
    empty: w.t('admin.overview.none'),
  })}${table({
    caption: w.t('admin.overview.signIns.byDay'),
    head: [w.t('admin.overview.day'), w.t('admin.overview.accepted'), w.t('admin.overview.refused')],
    rows: o.perDay.map((d) => [
      clock.dayLong(d.day),
      formatNumber(d.accepted, w),
      formatNumber(d.refused, w),
    ]),
    empty: w.t('admin.overview.none'),
  })}`,
)}`,
  );
}

function reasonsSection({ o, w, reason }: Ctx): SafeHtml {
  const top = o.reasons.slice(0, 10);
  const since = isoDay(o.since);
  return section(
    'ov-reasons',
    w.t('admin.overview.reasons.title'),
    w.t('admin.overview.reasons.lead'),
    top.length === 0
      ? empty(w.t('admin.overview.reasons.empty', { count: OVERVIEW_DAYS }))
      : html`${horizontalBars({
          id: 'ov-reasons-chart',
          title: w.t('admin.overview.reasons.chart', { total: o.refused }),
          desc: top
            .map((r) =>
              w.t('admin.overview.reasons.descItem', {
                label: reason(r.reason),
                code: r.reason,
                number: r.count,
              }),
            )
            .join('; '),
          items: top.map((r) => ({
            label: reason(r.reason),
            value: r.count,
            href: signInsPath({ result: 'refused', reason: r.reason, since }),
          })),
          cls: 'refused',
          amount: (n) => w.t('admin.overview.amount.refused', { count: n }),
          words: w,
        })}
${asTable(
  w.t('admin.overview.reasons.table'),
  table({
    caption: w.t('admin.overview.reasons.caption'),
    head: [w.t('admin.overview.reason'), w.t('admin.overview.code'), w.t('admin.overview.refused')],
    rows: top.map((r) => [
      html`<a href="${signInsPath({ result: 'refused', reason: r.reason, since })}">${reason(r.reason)}</a>`,
      html`<code>${r.reason}</code>`,
      formatNumber(r.count, w),
    ]),
    empty: w.t('admin.overview.none'),
  }),
)}`,
  );
}

function lockoutsSection({ o, w, clock }: Ctx): SafeHtml {
  const l = o.lockouts;
  return section(
    'ov-lockouts',
    w.t('admin.overview.lockouts.title'),
    html`${w.t('admin.overview.lockouts.lead')} ${
      l.names > 0
        ? html`<a href="${signInsPath({ result: 'refused', reason: 'locked_out', since: isoDay(o.since) })}">${w.t('admin.overview.lockouts.inLog')}</a>`
        : ''
    }`,
    l.names === 0
      ? empty(w.t('admin.overview.lockouts.empty', { count: OVERVIEW_DAYS }))
      : html`<p class="big-number">${w.t('admin.overview.lockouts.figures', {
          names: w.t('admin.overview.lockouts.names', { count: l.names }),
          attempts: w.t('admin.overview.lockouts.attempts', { count: l.attempts }),
        })}</p>
${groupedColumns({
  id: 'ov-lockouts-chart',
  title: w.t('admin.overview.lockouts.chart'),
  desc: l.days
    .map((d) => w.t('admin.overview.figure', { label: clock.dayLong(d.day), number: d.names }))
    .join('; '),
  groups: l.days.map((d) => clock.dayShort(d.day)),
  groupTitles: l.days.map((d) => clock.dayLong(d.day)),
  series: [
    {
      key: 'names',
      label: w.t('admin.overview.lockouts.series'),
      cls: 'lockout',
      values: l.days.map((d) => d.names),
    },
  ],
  amount: (n) => w.t('admin.overview.amount.names', { count: n }),
  words: w,
})}
${asTable(
  w.t('admin.overview.lockouts.table'),
  table({
    caption: w.t('admin.overview.lockouts.caption'),
    head: [
      w.t('admin.overview.day'),
      w.t('admin.overview.lockouts.namesHead'),
      w.t('admin.overview.lockouts.attemptsHead'),
    ],
    rows: l.days.map((d) => [clock.dayLong(d.day), formatNumber(d.names, w), formatNumber(d.attempts, w)]),
    empty: w.t('admin.overview.none'),
  }),
)}`,
  );
}

function appPasswordsSection({ o, w, clock }: Ctx): SafeHtml {
  const a = o.appPasswords;
  const series: Series[] = [
    {
      key: 'created',
      label: w.t('admin.overview.appPasswords.created'),
      cls: 'created',
      values: a.days.map((d) => d.created),
    },
    {
      key: 'deleted',
      label: w.t('admin.overview.appPasswords.deleted'),
      cls: 'deleted',
      values: a.days.map((d) => d.deleted),
    },
  ];
  return section(
    'ov-app-passwords',
    w.t('admin.overview.appPasswords.title'),
    w.t('admin.overview.appPasswords.lead'),
    a.created + a.deleted === 0
      ? empty(w.t('admin.overview.appPasswords.empty', { count: OVERVIEW_DAYS }))
      : html`<p class="big-number">${w.markup('admin.overview.appPasswords.figures', {
          created: html`<strong>${formatNumber(a.created, w)}</strong>`,
          deleted: html`<strong>${formatNumber(a.deleted, w)}</strong>`,
        })}</p>
${legend(
  series.map((s) => ({ label: s.label, cls: s.cls })),
  w.t('admin.overview.colours'),
)}
${groupedColumns({
  id: 'ov-app-passwords-chart',
  title: w.t('admin.overview.appPasswords.chart', { created: a.created, deleted: a.deleted }),
  desc: a.days
    .map((d) =>
      w.t('admin.overview.appPasswords.descItem', {
        day: clock.dayLong(d.day),
        created: d.created,
        deleted: d.deleted,
      }),
    )
    .join('; '),
  groups: a.days.map((d) => clock.dayShort(d.day)),
  groupTitles: a.days.map((d) => clock.dayLong(d.day)),
  series,
  amount: (n) => w.t('admin.overview.amount.appPasswords', { count: n }),
  words: w,
})}
${asTable(
  w.t('admin.overview.appPasswords.table'),
  table({
    caption: w.t('admin.overview.appPasswords.caption'),
    head: [
      w.t('admin.overview.day'),
      w.t('admin.overview.appPasswords.created'),
      w.t('admin.overview.appPasswords.deleted'),
    ],
    rows: a.days.map((d) => [clock.dayLong(d.day), formatNumber(d.created, w), formatNumber(d.deleted, w)]),
    empty: w.t('admin.overview.none'),
  }),
)}`,
  );
}

function primarySection({ o, w }: Ctx): SafeHtml {
  const nb = o.nonBrowser;
  const since = isoDay(o.since);
  const parts = [
    { label: w.t('admin.overview.primary.account'), value: nb.primary, cls: 'primary' },
    { label: w.t('admin.overview.primary.appPassword'), value: nb.appPassword, cls: 'app-password' },
    { label: w.t('admin.overview.primary.token'), value: nb.token, cls: 'token' },
  ];
  const share = nb.primaryShare;
  return section(
    'ov-primary',
    w.t('admin.overview.primary.title'),
    w.t('admin.overview.primary.lead'),
    nb.total === 0 || share === null
      ? empty(w.t('admin.overview.primary.empty', { count: OVERVIEW_DAYS }))
      : html`<p class="big-number">${w.t('admin.overview.primary.sentence', {
          percent: formatPercent(share, w),
          primary: nb.primary,
          total: nb.total,
          count: nb.accounts,
        })}</p>
${legend(
  parts.map((p) => ({ label: p.label, cls: p.cls })),
  w.t('admin.overview.colours'),
)}
${shareBar({
  id: 'ov-primary-share',
  title: w.t('admin.overview.primary.chart', { percent: formatPercent(share, w) }),
  desc: parts
    .map((p) =>
      w.t('admin.overview.primary.descItem', {
        label: p.label,
        number: p.value,
        percent: formatPercent(nb.total > 0 ? p.value / nb.total : 0, w),
      }),
    )
    .join('; '),
  parts,
  words: w,
})}
${table({
  caption:
    nb.top.length < nb.accounts
      ? w.t('admin.overview.primary.captionTop', { count: nb.top.length, total: nb.accounts })
      : w.t('admin.overview.primary.caption'),
  head: [
    w.t('admin.overview.primary.user'),
    w.t('admin.overview.primary.signIns'),
    w.t('admin.overview.primary.through'),
    w.t('admin.overview.primary.last'),
  ],
  rows: nb.top.map((u) => [
    html`<a href="${userPath(u.username)}">${u.displayName?.trim() || u.username}</a>${
      u.displayName?.trim() && u.displayName.trim() !== u.username
        ? html`<br><span class="muted small">${u.username}</span>`
        : ''
    }`,
    html`<a href="${signInsPath({ user: u.username, result: 'accepted', since })}">${formatNumber(u.count, w)}</a>`,
    u.doors.map((d) => doorLabel(d, w)).join(', '),
    timeAgo(u.lastAt, o.now, w),
  ]),
  empty: w.t('admin.overview.primary.nobody'),
})}${nb.top.length < nb.accounts ? html`<p class="muted small">${w.t('admin.overview.primary.note')}</p>` : ''}`,
  );
}

/** The page's content for an overview: headline figures, then a section per question. */
export function overviewBody(
  o: Overview,
  words: Words = ENGLISH,
  reasonLabel: ReasonLabel = REASON_WORDS,
): SafeHtml {
  const w = words;
  const reason = (r: string) => reasonLabel(r, w);
  const c: Ctx = { o, w, clock: clockOf(w.lang), reason };
  const nb = o.nonBrowser;
  return html`${pageHeader(w.t('admin.overview.title'), w.t('admin.overview.lead', { count: OVERVIEW_DAYS, since: c.clock.dayLong(o.since) }))}
<dl class="stats" aria-label="${w.t('admin.overview.stats', { count: OVERVIEW_DAYS })}">
${stat(w.t('admin.overview.stat.accepted'), formatNumber(o.accepted, w))}
${stat(w.t('admin.overview.stat.refused'), formatNumber(o.refused, w))}
${stat(w.t('admin.overview.stat.lockedOut'), formatNumber(o.lockouts.names, w), w.t('admin.overview.stat.attempts', { count: o.lockouts.attempts }))}
${stat(
  w.t('admin.overview.stat.appPasswords'),
  w.t('admin.overview.stat.appPasswordsValue', {
    created: o.appPasswords.created,
    deleted: o.appPasswords.deleted,
  }),
  w.t('admin.overview.stat.appPasswordsDetail'),
)}
${stat(
  w.t('admin.overview.stat.primary'),
  nb.primaryShare === null ? '—' : formatPercent(nb.primaryShare, w),
  w.t('admin.overview.stat.accounts', { count: nb.accounts }),
)}
</dl>
${signInsSection(c)}
${reasonsSection(c)}
${lockoutsSection(c)}
${appPasswordsSection(c)}
${primarySection(c)}`;
}

/**
 * GET /admin/overview, in the admin scope (its guards: a staff session), for those who may read both
 * the sign-in log and the audit log, which leaves administrators; the core checks the same again.
 */
export function registerOverviewPage(
  admin: FastifyInstance,
  web: Web,
  guards: PageGuards,
  reasonLabel: ReasonLabel = REASON_WORDS,
): void {
  const { requirePermission } = guards;
  admin.get(
    '/overview',
    guarded(requirePermission('signIns.read'), requirePermission('audit.read')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const o = await web.core.overview.getOverview(a);
      return web.render(req, reply, s, {
        title: req.words.t('admin.overview.title'),
        nav: 'admin-overview',
        body: overviewBody(o, req.words, reasonLabel),
      });
    },
  );
}
