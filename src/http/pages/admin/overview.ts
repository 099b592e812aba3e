// The administrators' overview (issue 12, item 9), /admin/overview: the last 7 days at a glance —
// sign-ins per hour by door and result, why sign-ins were refused, lockouts, app passwords created and
// deleted, and who still signs in to apps with their account password (the people to move to app
// passwords or OpenID Connect). Charts are inline SVG (charts.ts), with a table of the same numbers
// under each; no script. The view model comes from core/overview.ts; overviewBody() is a plain
// function of it, so it can be rendered and checked without a server.

import type { FastifyInstance } from 'fastify';
import { getOverview, OVERVIEW_DAYS, type Overview } from '../../../core/overview.js';
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
import { doorLabel as doorWords } from '../sign-in-events.js';

const DAY_SHORT = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' });
const DAY_LONG = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  timeZone: 'UTC',
});
const HOUR = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const doorLabel = (door: string) => doorWords(door);
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

function signInsSection(o: Overview): SafeHtml {
  if (o.accepted + o.refused === 0) {
    return section(
      'ov-sign-ins',
      'Sign-ins per hour',
      'On the web and from apps, by where they came in.',
      html`<p class="empty">No sign-ins in these ${OVERVIEW_DAYS} days.</p>`,
    );
  }
  const columns = o.hours.map((h) => HOUR.format(h));
  const ticks = o.days.map((d, i) => ({ at: i * 24, label: DAY_SHORT.format(d) }));
  const seriesOf = (pick: 'accepted' | 'refused'): Series[] =>
    o.doors.map((d) => ({ key: d.door, label: doorLabel(d.door), cls: doorClass(d.door), values: d[pick] }));
  const range = `${DAY_LONG.format(o.since)} to ${DAY_LONG.format(o.now)}, UTC`;
  const busiest = (pick: 'accepted' | 'refused') =>
    o.doors
      .filter((d) => d[`${pick}Total`] > 0)
      .sort((a, b) => b[`${pick}Total`] - a[`${pick}Total`])
      .map((d) => `${doorLabel(d.door)} ${formatNumber(d[`${pick}Total`])}`)
      .join(', ');
  return section(
    'ov-sign-ins',
    'Sign-ins per hour',
    'On the web and from apps, by where they came in. Successful checks an app repeats are counted each time.',
    html`${legend(
      o.doors.map((d) => ({ label: doorLabel(d.door), cls: doorClass(d.door) })),
      'Colours: where the sign-ins came in',
    )}
<h3 class="chart-heading">Successful <span class="muted">· ${formatNumber(o.accepted)}</span></h3>
${stackedColumns({
  id: 'ov-accepted',
  title: `Successful sign-ins per hour, by door: ${formatNumber(o.accepted)} in all`,
  desc: o.accepted > 0 ? `${range}. ${busiest('accepted')}.` : `${range}. None.`,
  columns,
  ticks,
  series: seriesOf('accepted'),
  unit: 'successful',
})}
<h3 class="chart-heading">Refused <span class="muted">· ${formatNumber(o.refused)}</span></h3>
${stackedColumns({
  id: 'ov-refused',
  title: `Refused sign-ins per hour, by door: ${formatNumber(o.refused)} in all`,
  desc: o.refused > 0 ? `${range}. ${busiest('refused')}.` : `${range}. None.`,
  columns,
  ticks,
  series: seriesOf('refused'),
  unit: 'refused',
  height: 140,
})}
${asTable(
  'Sign-ins by door and by day, as tables',
  html`${table({
    caption: `By door, ${OVERVIEW_DAYS} days`,
    head: ['Where', 'Successful', 'Refused'],
    rows: o.doors.map((d) => [
      doorLabel(d.door),
      formatNumber(d.acceptedTotal),
      formatNumber(d.refusedTotal),
    ]),
    empty: 'None.',
  })}${table({
    caption: 'By day (UTC)',
    head: ['Day', 'Successful', 'Refused'],
    rows: o.perDay.map((d) => [DAY_LONG.format(d.day), formatNumber(d.accepted), formatNumber(d.refused)]),
    empty: 'None.',
  })}`,
)}`,
  );
}

function reasonsSection(o: Overview, reasonLabel: Record<string, string>): SafeHtml {
  const top = o.reasons.slice(0, 10);
  const since = isoDay(o.since);
  const label = (reason: string) => reasonLabel[reason] ?? reason;
  return section(
    'ov-reasons',
    'Why sign-ins were refused',
    'The most frequent reasons first. Each one opens the matching refusals in the sign-in log.',
    top.length === 0
      ? html`<p class="empty">Nothing was refused in these ${OVERVIEW_DAYS} days.</p>`
      : html`${horizontalBars({
          id: 'ov-reasons-chart',
          title: `Refused sign-ins by reason: ${formatNumber(o.refused)} in all`,
          desc: top.map((r) => `${label(r.reason)} (${r.reason}): ${formatNumber(r.count)}`).join('; '),
          items: top.map((r) => ({
            label: label(r.reason),
            value: r.count,
            href: signInsPath({ result: 'refused', reason: r.reason, since }),
          })),
          cls: 'refused',
          unit: 'refused',
        })}
${asTable(
  'Reasons as a table',
  table({
    caption: 'Refused sign-ins by reason',
    head: ['Reason', 'Code', 'Refused'],
    rows: top.map((r) => [
      html`<a href="${signInsPath({ result: 'refused', reason: r.reason, since })}">${label(r.reason)}</a>`,
      html`<code>${r.reason}</code>`,
      formatNumber(r.count),
    ]),
    empty: 'None.',
  }),
)}`,
  );
}

function lockoutsSection(o: Overview): SafeHtml {
  const l = o.lockouts;
  return section(
    'ov-lockouts',
    'Lockouts',
    html`Accounts (and names no account has) refused because too many attempts failed, and how many attempts the locks turned away. ${
      l.names > 0
        ? html`<a href="${signInsPath({ result: 'refused', reason: 'locked_out', since: isoDay(o.since) })}">See them in the sign-in log</a>.`
        : ''
    }`,
    l.names === 0
      ? html`<p class="empty">No lockouts in these ${OVERVIEW_DAYS} days.</p>`
      : html`<p class="big-number"><strong>${formatNumber(l.names)}</strong> ${l.names === 1 ? 'name' : 'names'} locked out, <strong>${formatNumber(l.attempts)}</strong> ${l.attempts === 1 ? 'attempt' : 'attempts'} refused while locked</p>
${groupedColumns({
  id: 'ov-lockouts-chart',
  title: 'Names locked out per day',
  desc: l.days.map((d) => `${DAY_LONG.format(d.day)}: ${formatNumber(d.names)}`).join('; '),
  groups: l.days.map((d) => DAY_SHORT.format(d.day)),
  groupTitles: l.days.map((d) => DAY_LONG.format(d.day)),
  series: [{ key: 'names', label: 'locked out', cls: 'lockout', values: l.days.map((d) => d.names) }],
  unit: 'names',
})}
${asTable(
  'Lockouts by day, as a table',
  table({
    caption: 'Lockouts by day (UTC)',
    head: ['Day', 'Names locked out', 'Attempts refused while locked'],
    rows: l.days.map((d) => [DAY_LONG.format(d.day), formatNumber(d.names), formatNumber(d.attempts)]),
    empty: 'None.',
  }),
)}`,
  );
}

function appPasswordsSection(o: Overview): SafeHtml {
  const a = o.appPasswords;
  const series: Series[] = [
    { key: 'created', label: 'created', cls: 'created', values: a.days.map((d) => d.created) },
    { key: 'deleted', label: 'deleted', cls: 'deleted', values: a.days.map((d) => d.deleted) },
  ];
  return section(
    'ov-app-passwords',
    'App passwords created and deleted',
    'Deleted counts every app password removed: by its owner, by the helpdesk, by a password change or because it went unused.',
    a.created + a.deleted === 0
      ? html`<p class="empty">No app password was created or deleted in these ${OVERVIEW_DAYS} days.</p>`
      : html`<p class="big-number"><strong>${formatNumber(a.created)}</strong> created, <strong>${formatNumber(a.deleted)}</strong> deleted</p>
${legend(
  series.map((s) => ({ label: s.label.charAt(0).toUpperCase() + s.label.slice(1), cls: s.cls })),
  'Colours',
)}
${groupedColumns({
  id: 'ov-app-passwords-chart',
  title: `App passwords created and deleted per day: ${formatNumber(a.created)} created, ${formatNumber(a.deleted)} deleted`,
  desc: a.days
    .map(
      (d) =>
        `${DAY_LONG.format(d.day)}: ${formatNumber(d.created)} created, ${formatNumber(d.deleted)} deleted`,
    )
    .join('; '),
  groups: a.days.map((d) => DAY_SHORT.format(d.day)),
  groupTitles: a.days.map((d) => DAY_LONG.format(d.day)),
  series,
  unit: 'app passwords',
})}
${asTable(
  'App passwords by day, as a table',
  table({
    caption: 'App passwords by day (UTC)',
    head: ['Day', 'Created', 'Deleted'],
    rows: a.days.map((d) => [DAY_LONG.format(d.day), formatNumber(d.created), formatNumber(d.deleted)]),
    empty: 'None.',
  }),
)}`,
  );
}

function primarySection(o: Overview): SafeHtml {
  const nb = o.nonBrowser;
  const since = isoDay(o.since);
  const parts = [
    { label: 'Account password', value: nb.primary, cls: 'primary' },
    { label: 'App password', value: nb.appPassword, cls: 'app-password' },
    { label: 'OpenID Connect token', value: nb.token, cls: 'token' },
  ];
  const sentence =
    nb.primaryShare === null
      ? 'No app signed in in these days.'
      : `${formatPercent(nb.primaryShare)} of successful sign-ins from apps (${formatNumber(nb.primary)} of ${formatNumber(nb.total)}) used an account password, by ${formatNumber(nb.accounts)} ${nb.accounts === 1 ? 'account' : 'accounts'}.`;
  return section(
    'ov-primary',
    'Apps still signing in with account passwords',
    'Mail, calendar, directory (LDAP), VPN and other apps that cannot do two-step verification should use an app password, or OpenID Connect where the app can. These people still let an app use their account password.',
    nb.total === 0
      ? html`<p class="empty">No app signed in in these ${OVERVIEW_DAYS} days.</p>`
      : html`<p class="big-number">${sentence}</p>
${legend(
  parts.map((p) => ({ label: p.label, cls: p.cls })),
  'Colours',
)}
${shareBar({
  id: 'ov-primary-share',
  title: `Successful sign-ins from apps by what they signed in with: ${nb.primaryShare === null ? 'none' : `${formatPercent(nb.primaryShare)} account passwords`}`,
  desc: parts
    .map(
      (p) => `${p.label}: ${formatNumber(p.value)} (${formatPercent(nb.total > 0 ? p.value / nb.total : 0)})`,
    )
    .join('; '),
  parts,
})}
${table({
  caption:
    nb.top.length < nb.accounts
      ? `The ${nb.top.length} accounts that used their account password in an app last (of ${formatNumber(nb.accounts)})`
      : 'Accounts that used their account password in apps',
  head: ['User', 'Sign-ins with the account password', 'Through', 'Last'],
  rows: nb.top.map((u) => [
    html`<a href="${userPath(u.username)}">${u.displayName?.trim() || u.username}</a>${
      u.displayName?.trim() && u.displayName.trim() !== u.username
        ? html`<br><span class="muted small">${u.username}</span>`
        : ''
    }`,
    html`<a href="${signInsPath({ user: u.username, result: 'accepted', since })}">${formatNumber(u.count)}</a>`,
    u.doors.map(doorLabel).join(', '),
    timeAgo(u.lastAt, o.now),
  ]),
  empty: 'Nobody: every app signs in with an app password or a token.',
})}${
  nb.top.length < nb.accounts
    ? html`<p class="muted small">The latest first, not the most frequent. Each count opens that person's sign-ins in the log.</p>`
    : ''
}`,
  );
}

/** The page's content for an overview: headline figures, then a section per question. */
export function overviewBody(o: Overview, reasonLabel: Record<string, string>): SafeHtml {
  const nb = o.nonBrowser;
  return html`${pageHeader('Overview', `The last ${OVERVIEW_DAYS} days, from ${DAY_LONG.format(o.since)} (00:00 UTC) until now. Hours and days are UTC.`)}
<dl class="stats" aria-label="The ${OVERVIEW_DAYS} days in figures">
${stat('Successful sign-ins', formatNumber(o.accepted))}
${stat('Refused sign-ins', formatNumber(o.refused))}
${stat('Locked out', formatNumber(o.lockouts.names), `${formatNumber(o.lockouts.attempts)} ${o.lockouts.attempts === 1 ? 'attempt' : 'attempts'} refused`)}
${stat('App passwords', `+${formatNumber(o.appPasswords.created)} / −${formatNumber(o.appPasswords.deleted)}`, 'created / deleted')}
${stat(
  'Apps on account passwords',
  nb.primaryShare === null ? '—' : formatPercent(nb.primaryShare),
  `${formatNumber(nb.accounts)} ${nb.accounts === 1 ? 'account' : 'accounts'}`,
)}
</dl>
${signInsSection(o)}
${reasonsSection(o, reasonLabel)}
${lockoutsSection(o)}
${appPasswordsSection(o)}
${primarySection(o)}`;
}

/**
 * GET /admin/overview, in the admin scope (its guards: a staff session), for those who may read both
 * the sign-in log and the audit log, which leaves administrators; the core checks the same again.
 */
export function registerOverviewPage(
  admin: FastifyInstance,
  web: Web,
  guards: PageGuards,
  reasonLabel: Record<string, string>,
): void {
  const { requirePermission } = guards;
  admin.get(
    '/overview',
    guarded(requirePermission('signIns.read'), requirePermission('audit.read')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const o = await getOverview(web.core.ctx, a);
      return web.render(req, reply, s, {
        title: 'Overview',
        nav: 'admin-overview',
        body: overviewBody(o, reasonLabel),
      });
    },
  );
}
