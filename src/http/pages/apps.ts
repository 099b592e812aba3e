// Apps with access to your account (issue 10): the OpenID Connect apps a person let sign them in, what
// each may see, when it was let in and last used, and Remove → Yes → Close, which ends that app's
// access at once. The words for scopes live here too: the consent page (http/oidc.ts) and the admin
// pages use them.

import type { FastifyInstance } from 'fastify';
import { isLatchkeyError } from '../../core/errors.js';
import type { AppAccessView } from '../../core/oidc-access.js';
import type { ClientScope } from '../../core/oidc-clients.js';
import type { Web } from '../web.js';
import { guarded, pageGuards, pageOf } from './guards.js';
import { html, type SafeHtml } from './html.js';
import { button, linkButton, notice, pageHeader, postForm, table, timeAgo } from './layout.js';

/** What an app will see, as the consent page asks it of the person. */
export const SCOPE_WORDS: Record<ClientScope, string> = {
  openid: 'Who you are: your account, so that it can sign you in',
  profile: 'Your name and username',
  email: 'Your email address',
  groups: 'The groups you are in',
  offline_access: 'Stay signed in to it after you close it (until you remove its access)',
  mail: 'Your mail: it can read and send your mail as you',
};

/** The same, short, for lists: the person's own ("your") or someone else's ("their"). */
const SCOPE_SHORT: Record<'self' | 'staff', Record<ClientScope, string>> = {
  self: {
    openid: 'Who you are',
    profile: 'Your name and username',
    email: 'Your email address',
    groups: 'The groups you are in',
    offline_access: 'Stays signed in after you close it',
    mail: 'Your mail',
  },
  staff: {
    openid: 'Who they are',
    profile: 'Their name and username',
    email: 'Their email address',
    groups: 'The groups they are in',
    offline_access: 'Stays signed in after they close it',
    mail: 'Their mail',
  },
};

export function scopeList(scopes: readonly ClientScope[], perspective: 'self' | 'staff'): SafeHtml {
  return html`<ul class="details">${scopes.map((s) => html`<li>${SCOPE_SHORT[perspective][s] ?? s}</li>`)}</ul>`;
}

/** "Last used" as it is measured: per person, so it says so. */
export const LAST_USED_NOTE = {
  self: '“Last used” is the last time the app signed you in or renewed its access to your account; other people’s use of it does not count.',
  staff:
    '“Last used” is the last time the app signed this person in or renewed its access to their account; other people’s use of it does not count.',
};

/** The table of apps with access, for the person (with Remove) or the staff's view of a user. */
export function appAccessTable(o: {
  apps: AppAccessView[];
  now: number;
  perspective: 'self' | 'staff';
  caption: string;
  empty: string;
  /** The Remove link of an app, or null when the viewer may not remove it. */
  removeHref: ((a: AppAccessView) => string) | null;
}): SafeHtml {
  const t = (iso: string | null) =>
    iso === null ? html`<span class="muted">Not recorded</span>` : timeAgo(Date.parse(iso), o.now);
  return table({
    caption: o.caption,
    head: ['App', 'What it may see', 'Allowed', 'Last used', ...(o.removeHref ? [''] : [])],
    rows: o.apps.map((a) => [
      html`<strong>${a.name}</strong>${a.trusted ? html`<br><span class="muted small">Your organization’s own app</span>` : ''}`,
      scopeList(a.scopes, o.perspective),
      t(a.grantedAt),
      t(a.lastUsedAt),
      ...(o.removeHref ? [linkButton(o.removeHref(a), 'Remove', 'danger')] : []),
    ]),
    empty: o.empty,
  });
}

/** What Remove does, in words, for the confirmation pages. */
export function removeDetail(a: AppAccessView, perspective: 'self' | 'staff'): string {
  const you = perspective === 'self';
  const first = you
    ? `${a.name} is signed out of your account at once: the tokens it holds stop working, and it can no longer see anything of yours.`
    : `${a.name} is signed out of their account at once: the tokens it holds stop working, and it can no longer see anything of theirs.`;
  const next = a.trusted
    ? ` It is your organization’s own app, so the next time ${you ? 'you open' : 'they open'} it, it signs ${you ? 'you' : 'them'} in again without asking.`
    : ` The next time ${you ? 'you open' : 'they open'} it, it asks ${you ? 'you' : 'them'} again whether it may sign ${you ? 'you' : 'them'} in.`;
  return `${first}${next} Nothing else changes.`;
}

export function registerAppAccessPages(app: FastifyInstance, web: Web): void {
  const { core } = web;
  const list = '/account/apps';
  const removePath = (clientId: string) => `${list}/${encodeURIComponent(clientId)}/remove`;

  const { requireSession } = pageGuards(web);

  app.get(list, guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    const apps = await core.oidcAccess.listAppAccess(s.actor, s.user.id);
    const body = html`${pageHeader('Apps with access', 'Apps that sign you in with your Latchkey account. They never see your password. Remove an app you no longer use: it loses access at once.')}
${appAccessTable({
  apps,
  now: core.ctx.now(),
  perspective: 'self',
  caption: 'Apps with access to your account',
  empty:
    'No app has access to your account. When you sign in to an app with your Latchkey account, it appears here.',
  removeHref: (a) => removePath(a.clientId),
})}
${apps.length > 0 ? html`<p class="muted small">${LAST_USED_NOTE.self}</p>` : ''}`;
    return web.render(req, reply, s, { title: 'Apps with access', nav: 'apps', body });
  });

  app.get<{ Params: { clientId: string } }>(
    `${list}/:clientId/remove`,
    guarded(requireSession),
    async (req, reply) => {
      const s = pageOf(req).session;
      const a = (await core.oidcAccess.listAppAccess(s.actor, s.user.id)).find(
        (x) => x.clientId === req.params.clientId,
      );
      if (!a) return reply.redirect(list, 303);
      return web.render(req, reply, s, {
        title: 'Remove app',
        nav: 'apps',
        body: html`${pageHeader(`Remove ${a.name}’s access?`, removeDetail(a, 'self'))}
${postForm(removePath(a.clientId), web.csrf(req, reply), html`<div class="actions">${button('Yes', { kind: 'danger' })} ${linkButton(list, 'No')}</div>`)}`,
      });
    },
  );

  app.post<{ Params: { clientId: string } }>(
    `${list}/:clientId/remove`,
    guarded(requireSession),
    async (req, reply) => {
      const s = pageOf(req).session;
      const before = (await core.oidcAccess.listAppAccess(s.actor, s.user.id)).find(
        (x) => x.clientId === req.params.clientId,
      );
      try {
        await core.oidcAccess.revokeAppAccess({ ...s.actor, ip: req.ip }, s.user.id, req.params.clientId);
      } catch (e) {
        if (isLatchkeyError(e) && e.code === 'APP_ACCESS_NOT_FOUND') {
          return web.render(req, reply, s, {
            title: 'App not found',
            nav: 'apps',
            status: 404,
            body: html`${pageHeader('This app has no access')}${notice('error', 'Its access may have been removed already. Nothing was changed.')}<div class="actions">${linkButton(list, 'Close', 'primary')}</div>`,
          });
        }
        throw e;
      }
      const name = before?.name ?? 'The app';
      const again = before?.trusted
        ? 'It is your organization’s own app: if you open it again, it signs you in again.'
        : 'If you open it again, it asks you again whether it may sign you in.';
      return web.render(req, reply, s, {
        title: 'Access removed',
        nav: 'apps',
        body: html`${pageHeader(`${name} no longer has access`, `Its tokens stopped working at once. ${again}`)}
<div class="actions">${linkButton(list, 'Close', 'primary')}</div>`,
      });
    },
  );
}
