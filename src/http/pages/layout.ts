// The shell every browser page of Latchkey is rendered in, and the small components its pages are
// built from (fields, buttons, forms, notices, tables, the one-time secret box). Everything here runs
// under a strict Content-Security-Policy: no inline script, no inline handler, no style attribute —
// behaviour lives in /static/*.js and looks in /static/style.css.

import { ENGLISH, type Key, type Words } from '../i18n/index.js';
import { attrs, html, raw, type SafeHtml } from './html.js';

export interface PageUser {
  username: string;
  displayName: string | null;
  role: 'user' | 'helpdesk' | 'admin';
}

export type NavKey =
  | 'security'
  | 'app-passwords'
  | 'apps'
  | 'password'
  | 'sign-ins'
  | 'help'
  | 'admin-overview'
  | 'admin-users'
  | 'admin-sign-ins'
  | 'admin-settings'
  | 'admin-audit'
  | 'admin-import'
  | 'admin-tokens'
  | 'admin-clients'
  | 'admin-radius';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  user?: PageUser | null;
  nav?: NavKey | null;
  /** The session's CSRF token; the Sign out form needs it. */
  csrf?: string | null;
  /** Users whose two-step verification is off have no app passwords to manage (R9). */
  showAppPasswords?: boolean;
  flash?: { kind: 'success' | 'error' | 'info'; text: string | SafeHtml } | null;
  /** Script paths under /static/; anything else is dropped, so a page cannot pull in foreign code. */
  scripts?: string[];
  /** A centered card without navigation: sign-in, two-step, registration. */
  narrow?: boolean;
  /** The HTTP status the caller will send. page() does not read it; it travels with the options. */
  status?: number;
  /** The request's words (req.words): `<html lang>` and the shell's own words. Default English. */
  words?: Words;
}

interface NavItem {
  key: NavKey;
  href: string;
  label: Extract<Key, `nav.${string}`>;
}

// The mark is inline so that the header needs no extra request; presentation attributes are not
// style attributes, so the CSP allows them.
const KEY_MARK = raw(
  '<svg class="brand-mark" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">' +
    '<rect width="24" height="24" rx="6" fill="currentColor"/>' +
    '<circle cx="8.5" cy="12" r="3.25" fill="none" stroke="#fff" stroke-width="2"/>' +
    '<path d="M11.75 12H19M16.5 12v3M19 12v2.5" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round"/>' +
    '</svg>',
);

function accountNav(showAppPasswords: boolean): NavItem[] {
  return [
    { key: 'security', href: '/account', label: 'nav.security' },
    ...(showAppPasswords
      ? [
          {
            key: 'app-passwords' as const,
            href: '/account/app-passwords',
            label: 'nav.appPasswords' as const,
          },
        ]
      : []),
    { key: 'apps', href: '/account/apps', label: 'nav.apps' },
    { key: 'password', href: '/account/password', label: 'nav.password' },
    { key: 'sign-ins', href: '/account/sign-ins', label: 'nav.signIns' },
    { key: 'help', href: '/help', label: 'nav.help' },
  ];
}

function adminNav(role: PageUser['role']): NavItem[] {
  if (role === 'user') return [];
  const items: NavItem[] = [
    // The overview reads the audit log too: administrators only, first in their list.
    ...(role === 'admin'
      ? [{ key: 'admin-overview' as const, href: '/admin/overview', label: 'nav.adminOverview' as const }]
      : []),
    { key: 'admin-users', href: '/admin/users', label: 'nav.adminUsers' },
    { key: 'admin-sign-ins', href: '/admin/sign-ins', label: 'nav.adminSignIns' },
  ];
  if (role === 'admin') {
    items.push(
      { key: 'admin-settings', href: '/admin/settings', label: 'nav.adminSettings' },
      { key: 'admin-audit', href: '/admin/audit', label: 'nav.adminAudit' },
      { key: 'admin-import', href: '/admin/import', label: 'nav.adminImport' },
      { key: 'admin-tokens', href: '/admin/tokens', label: 'nav.adminTokens' },
      { key: 'admin-clients', href: '/admin/clients', label: 'nav.adminClients' },
      { key: 'admin-radius', href: '/admin/radius', label: 'nav.adminRadius' },
    );
  }
  return items;
}

function navGroup(w: Words, label: string, items: NavItem[], current: NavKey | null): SafeHtml {
  return html`<nav class="nav-group" aria-label="${label}">
<p class="nav-title" aria-hidden="true">${label}</p>
<ul>${items.map(
    (i) =>
      html`<li><a${attrs({ href: i.href, 'aria-current': i.key === current ? 'page' : null })}>${w.t(i.label)}</a></li>`,
  )}</ul>
</nav>`;
}

function displayName(u: PageUser): string {
  return u.displayName?.trim() || u.username;
}

function sessionBox(w: Words, user: PageUser, csrf: string | null): SafeHtml {
  return html`<div class="session">
<span class="session-user"><span class="visually-hidden">${w.t('layout.signedInAs')} </span>${displayName(user)}</span>
<form method="post" action="/sign-out" class="sign-out">${csrf ? csrfField(csrf) : ''}<button type="submit" class="btn btn-secondary btn-small">${w.t('layout.signOut')}</button></form>
</div>`;
}

function flashNotice(flash: NonNullable<PageOptions['flash']>): SafeHtml {
  // An error interrupts (alert); a confirmation waits its turn (status).
  const role = flash.kind === 'error' ? 'alert' : 'status';
  return html`<div class="notice notice-${flash.kind} flash" role="${role}">${flash.text}</div>`;
}

export function page(o: PageOptions): string {
  const user = o.user ?? null;
  const w = o.words ?? ENGLISH;
  const narrow = o.narrow === true;
  const scripts = ['/static/clipboard.js', ...(o.scripts ?? [])].filter(
    (s, i, all) => /^\/static\/[A-Za-z0-9._-]+$/.test(s) && all.indexOf(s) === i,
  );
  const nav =
    user && !narrow
      ? html`<div class="sidebar">${navGroup(w, w.t('nav.account'), accountNav(o.showAppPasswords === true), o.nav ?? null)}${
          adminNav(user.role).length > 0
            ? navGroup(w, w.t('nav.administration'), adminNav(user.role), o.nav ?? null)
            : ''
        }</div>`
      : '';
  const main = html`<main id="main" tabindex="-1"${attrs({ class: narrow ? 'card' : null })}>
${o.flash ? flashNotice(o.flash) : ''}${o.body}
</main>`;

  return html`<!doctype html>
<html lang="${w.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<title>${o.title} · Latchkey</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
${scripts.map((s) => html`<script src="${s}" defer></script>\n`)}</head>
<body class="${narrow ? 'layout-narrow' : 'layout-wide'}">
<a class="skip-link" href="#main">${w.t('layout.skipLink')}</a>
<header class="site-header">
<div class="site-header-inner">
<a class="brand" href="${user ? '/account' : '/sign-in'}">${KEY_MARK}<span>Latchkey</span></a>
${user ? sessionBox(w, user, o.csrf ?? null) : ''}
</div>
</header>
<div class="shell">
${nav}${main}
</div>
<footer class="site-footer"><p>Latchkey${user ? html` · <a href="/help">${w.t('layout.help')}</a>` : ''}</p></footer>
</body>
</html>
`.value;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

function fieldId(name: string, id: string | undefined): string {
  return id ?? `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function describedBy(...ids: (string | null)[]): string | null {
  const present = ids.filter((i): i is string => i !== null);
  return present.length > 0 ? present.join(' ') : null;
}

function hintAndError(
  id: string,
  hint: string | SafeHtml | undefined,
  error: string | null | undefined,
  w: Words = ENGLISH,
): { markup: SafeHtml; describedBy: string | null } {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  return {
    markup: html`${hint ? html`<p class="hint" id="${hintId}">${hint}</p>` : ''}${
      error
        ? html`<p class="error" id="${errorId}"><span class="visually-hidden">${w.t('field.errorPrefix')} </span>${error}</p>`
        : ''
    }`,
    describedBy: describedBy(hintId, errorId),
  };
}

export interface FieldOptions {
  name: string;
  label: string;
  type?: string;
  value?: string | null;
  autocomplete?: string;
  required?: boolean;
  hint?: string | SafeHtml;
  error?: string | null;
  maxlength?: number;
  minlength?: number;
  inputmode?: string;
  pattern?: string;
  autofocus?: boolean;
  id?: string;
  spellcheck?: boolean;
  /** The page's words, for the screen reader's "Error:" before an error. Default English. */
  words?: Words;
}

export function field(o: FieldOptions): SafeHtml {
  const id = fieldId(o.name, o.id);
  const type = o.type ?? 'text';
  const extra = hintAndError(id, o.hint, o.error, o.words);
  const input = html`<input${attrs({
    type,
    id,
    name: o.name,
    // A password typed into a form that failed is never sent back into the page.
    value: type === 'password' ? null : (o.value ?? null),
    autocomplete: o.autocomplete,
    required: o.required === true,
    maxlength: o.maxlength,
    minlength: o.minlength,
    inputmode: o.inputmode,
    pattern: o.pattern,
    autofocus: o.autofocus === true,
    spellcheck: o.spellcheck === undefined ? null : String(o.spellcheck),
    // Usernames, codes and secrets are not words: phones must not capitalize or correct them.
    autocapitalize: o.spellcheck === false ? 'none' : null,
    autocorrect: o.spellcheck === false ? 'off' : null,
    'aria-describedby': extra.describedBy,
    'aria-invalid': o.error ? 'true' : null,
  })}>`;
  return html`<div class="${o.error ? 'field has-error' : 'field'}">
<label for="${id}">${o.label}</label>
${extra.markup}${input}
</div>`;
}

/** A text area with its label, hint and error, for lists (CSV, addresses one per line). */
export function textareaField(o: {
  name: string;
  label: string;
  value: string;
  hint: string | SafeHtml;
  error?: string | null;
  rows?: number;
  /** Default true. */
  required?: boolean;
  /** The page's words, for the screen reader's "Error:" before an error. Default English. */
  words?: Words;
}): SafeHtml {
  const id = `f-${o.name}`;
  const hintId = `${id}-hint`;
  const errorId = o.error ? `${id}-error` : null;
  const w = o.words ?? ENGLISH;
  return html`<div class="${o.error ? 'field has-error' : 'field'}">
<label for="${id}">${o.label}</label>
<p class="hint" id="${hintId}">${o.hint}</p>${o.error ? html`<p class="error" id="${errorId}"><span class="visually-hidden">${w.t('field.errorPrefix')} </span>${o.error}</p>` : ''}
<textarea${attrs({
    id,
    name: o.name,
    rows: o.rows ?? 12,
    spellcheck: 'false',
    autocapitalize: 'none',
    autocorrect: 'off',
    required: o.required ?? true,
    'aria-describedby': errorId ? `${hintId} ${errorId}` : hintId,
    'aria-invalid': o.error ? 'true' : null,
  })}>${o.value}</textarea>
</div>`;
}

export function checkbox(o: {
  name: string;
  label: string;
  checked?: boolean;
  hint?: string | SafeHtml;
  value?: string;
  id?: string;
}): SafeHtml {
  const id = fieldId(o.name, o.id ?? (o.value ? `f-${o.name}-${o.value}` : undefined));
  const hintId = o.hint ? `${id}-hint` : null;
  return html`<div class="check">
<input${attrs({ type: 'checkbox', id, name: o.name, value: o.value ?? 'on', checked: o.checked === true, 'aria-describedby': hintId })}>
<label for="${id}">${o.label}</label>
${o.hint ? html`<p class="hint" id="${hintId}">${o.hint}</p>` : ''}
</div>`;
}

export function select(o: {
  name: string;
  label: string;
  options: { value: string; label: string; selected?: boolean }[];
  hint?: string | SafeHtml;
  id?: string;
  error?: string | null;
  /** The page's words, for the screen reader's "Error:" before an error. Default English. */
  words?: Words;
}): SafeHtml {
  const id = fieldId(o.name, o.id);
  const extra = hintAndError(id, o.hint, o.error, o.words);
  return html`<div class="${o.error ? 'field has-error' : 'field'}">
<label for="${id}">${o.label}</label>
${extra.markup}<select${attrs({ id, name: o.name, 'aria-describedby': extra.describedBy, 'aria-invalid': o.error ? 'true' : null })}>${o.options.map(
    (opt) =>
      html`<option${attrs({ value: opt.value, selected: opt.selected === true })}>${opt.label}</option>`,
  )}</select>
</div>`;
}

export type ButtonKind = 'primary' | 'secondary' | 'danger' | 'link';

export function button(
  label: string,
  o: {
    kind?: ButtonKind;
    name?: string;
    value?: string;
    type?: 'submit' | 'button';
    id?: string;
    dataset?: Record<string, string>;
  } = {},
): SafeHtml {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.dataset ?? {})) {
    data[`data-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = v;
  }
  return html`<button${attrs({
    type: o.type ?? 'submit',
    class: `btn btn-${o.kind ?? 'primary'}`,
    name: o.name,
    value: o.value,
    id: o.id,
    ...data,
  })}>${label}</button>`;
}

export function linkButton(href: string, label: string, kind: ButtonKind = 'secondary'): SafeHtml {
  return html`<a class="btn btn-${kind}" href="${href}">${label}</a>`;
}

export function postForm(
  action: string,
  csrf: string,
  body: SafeHtml,
  o: { id?: string; class?: string } = {},
): SafeHtml {
  return html`<form method="post"${attrs({ action, id: o.id, class: o.class })}>${csrfField(csrf)}
${body}
</form>`;
}

export function notice(
  kind: 'success' | 'error' | 'info' | 'warning',
  body: string | SafeHtml,
  o: { title?: string } = {},
): SafeHtml {
  return html`<div class="notice notice-${kind}">${o.title ? html`<p class="notice-title">${o.title}</p>` : ''}<div class="notice-body">${body}</div></div>`;
}

/** The visible text of a bit of markup: a table head cell becomes a data-label attribute. */
function textOf(v: string | SafeHtml): string {
  if (typeof v === 'string') return v;
  return v.value
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|#39);/gi, (_, e: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
      if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return String.fromCodePoint(code);
    })
    .trim();
}

export function table(o: {
  caption?: string;
  head: (string | SafeHtml)[];
  rows: (string | SafeHtml | null)[][];
  empty: string;
}): SafeHtml {
  if (o.rows.length === 0) return html`<p class="empty">${o.empty}</p>`;
  const labels = o.head.map(textOf);
  return html`<div class="table-wrap"><table class="data">
${o.caption ? html`<caption>${o.caption}</caption>` : ''}<thead><tr>${o.head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>
${o.rows.map(
  (row) =>
    html`<tr>${row.map(
      (cell, i) =>
        html`<td data-label="${labels[i] ?? ''}">${cell === null ? html`<span class="muted">—</span>` : cell}</td>`,
    )}</tr>\n`,
)}</tbody>
</table></div>`;
}

/**
 * A secret shown once (R4): an app password in groups of four, or recovery codes one per line. The
 * text is copied exactly as shown — the server accepts the spaces — by /static/clipboard.js.
 */
export function secretBox(o: {
  id: string;
  secret: string;
  label: string;
  copyLabel?: string;
  words?: Words;
}): SafeHtml {
  const w = o.words ?? ENGLISH;
  return html`<div class="secret">
<p class="secret-label" id="${o.id}-label">${o.label}</p>
<div class="secret-value" id="${o.id}">${o.secret}</div>
<div class="actions"><button type="button" class="btn btn-primary" data-copy="#${o.id}" data-copied="${w.t('secret.copied')}" data-copied-said="${w.t('secret.copiedSaid')}" data-copy-failed="${w.t('secret.copyFailed')}" data-js-only>${o.copyLabel ?? w.t('secret.copyPassword')}</button></div>
</div>`;
}

export function definitionList(rows: [string, string | SafeHtml][]): SafeHtml {
  return html`<dl class="facts">${rows.map(([term, detail]) => html`<div><dt>${term}</dt><dd>${detail}</dd></div>`)}</dl>`;
}

export function pageHeader(title: string, lead?: string | SafeHtml): SafeHtml {
  return html`<div class="page-header"><h1>${title}</h1>${lead ? html`<p class="lead">${lead}</p>` : ''}</div>`;
}

const UNITS: [limit: number, unit: string, ms: number][] = [
  [60 * 60_000, 'minute', 60_000],
  [24 * 60 * 60_000, 'hour', 60 * 60_000],
  [30 * 24 * 60 * 60_000, 'day', 24 * 60 * 60_000],
  [365 * 24 * 60 * 60_000, 'month', 30 * 24 * 60 * 60_000],
  [Number.POSITIVE_INFINITY, 'year', 365 * 24 * 60 * 60_000],
];

function relative(ms: number, now: number): string {
  const diff = now - ms;
  const abs = Math.abs(diff);
  if (abs < 45_000) return diff >= 0 ? 'just now' : 'in a moment';
  for (const [limit, unit, size] of UNITS) {
    const n = Math.max(1, Math.round(abs / size));
    // Rounding 59.6 minutes gives 60: that reads better as "1 hour", the next unit.
    if (n * size < limit) {
      const phrase = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return diff >= 0 ? `${phrase} ago` : `in ${phrase}`;
    }
  }
  return '';
}

/**
 * "3 minutes ago" (or "in 5 days" for an expiry), with the exact time on hover and for machines: in
 * UTC, or, given the request's words, in the person's language and the organisation's time zone.
 */
export function timeAgo(ms: number | null, now: number, words?: Words): SafeHtml {
  if (ms === null || !Number.isFinite(ms)) return html`${(words ?? ENGLISH).t('time.never')}`;
  if (words) {
    const iso = new Date(ms).toISOString();
    return html`<time datetime="${iso}" title="${words.dateTime(ms)}">${words.relative(ms, now)}</time>`;
  }
  const iso = new Date(ms).toISOString();
  const full = `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  return html`<time datetime="${iso}" title="${full}">${relative(ms, now)}</time>`;
}

export function errorPage(o: {
  status: number;
  title: string;
  message: string | SafeHtml;
  requestId?: string;
  user?: PageUser | null;
  csrf?: string | null;
  words?: Words;
}): string {
  const user = o.user ?? null;
  const w = o.words ?? ENGLISH;
  const body = html`${pageHeader(o.title, o.message)}
${o.requestId ? html`<p class="muted reference">${w.markup('common.reference', { id: html`<code>${o.requestId}</code>` })}</p>` : ''}
<div class="actions">${user ? linkButton('/account', w.t('errorPage.toAccount'), 'primary') : linkButton('/sign-in', w.t('errorPage.toSignIn'), 'primary')}</div>`;
  return page({
    title: o.title,
    body,
    user,
    csrf: o.csrf ?? null,
    narrow: user === null,
    status: o.status,
    words: w,
  });
}
