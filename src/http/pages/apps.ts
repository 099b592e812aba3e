// Apps with access to your account (issue 10): the OpenID Connect apps a person let sign them in, what
// each may see, when it was let in and last used, and Remove → Yes → Close, which ends that app's
// access at once. The words for scopes live here too: the consent page (http/oidc.ts) and the admin
// pages use them.

import type { FastifyInstance } from 'fastify';
import { isLatchkeyError } from '../../core/errors.js';
import type { AppAccessView } from '../../core/oidc-access.js';
import type { ClientScope } from '../../core/oidc-clients.js';
import { ENGLISH, type Key, type Words } from '../i18n/index.js';
import type { Web } from '../web.js';
import { guarded, pageGuards, pageOf } from './guards.js';
import { html, type SafeHtml } from './html.js';
import { button, linkButton, notice, pageHeader, postForm, table, timeAgo } from './layout.js';

/** What an app will see, as the consent page asks it of the person: the catalogue's key per scope. */
export const SCOPE_WORDS: Record<ClientScope, Key> = {
  openid: 'consent.scope.openid',
  profile: 'consent.scope.profile',
  email: 'consent.scope.email',
  groups: 'consent.scope.groups',
  offline_access: 'consent.scope.offline_access',
  mail: 'consent.scope.mail',
};

/** The same, short, for lists: the person's own ("your") or someone else's ("their"). */
const SCOPE_SHORT: Record<'self' | 'staff', Record<ClientScope, Key>> = {
  self: {
    openid: 'apps.scope.self.openid',
    profile: 'apps.scope.self.profile',
    email: 'apps.scope.self.email',
    groups: 'apps.scope.self.groups',
    offline_access: 'apps.scope.self.offline_access',
    mail: 'apps.scope.self.mail',
  },
  staff: {
    openid: 'apps.scope.staff.openid',
    profile: 'apps.scope.staff.profile',
    email: 'apps.scope.staff.email',
    groups: 'apps.scope.staff.groups',
    offline_access: 'apps.scope.staff.offline_access',
    mail: 'apps.scope.staff.mail',
  },
};

/** A key of ours that needs no placeholders (every key in the Records above). */
type Plain = 'apps.scope.self.openid';

export function scopeList(
  scopes: readonly ClientScope[],
  perspective: 'self' | 'staff',
  words: Words = ENGLISH,
): SafeHtml {
  return html`<ul class="details">${scopes.map((s) => {
    const key = SCOPE_SHORT[perspective][s];
    return html`<li>${key ? words.t(key as Plain) : s}</li>`;
  })}</ul>`;
}

/** "Last used" as it is measured: per person, so it says so. */
export function lastUsedNote(perspective: 'self' | 'staff', words: Words = ENGLISH): string {
  return words.t(perspective === 'self' ? 'apps.lastUsed.self' : 'apps.lastUsed.staff');
}

/** The same in English, for callers not yet given the request's words. */
export const LAST_USED_NOTE = { self: lastUsedNote('self'), staff: lastUsedNote('staff') };

/** The table of apps with access, for the person (with Remove) or the staff's view of a user. */
export function appAccessTable(o: {
  apps: AppAccessView[];
  now: number;
  perspective: 'self' | 'staff';
  caption: string;
  empty: string;
  /** The Remove link of an app, or null when the viewer may not remove it. */
  removeHref: ((a: AppAccessView) => string) | null;
  /** The request's words (req.words). Default English. */
  words?: Words;
}): SafeHtml {
  const w = o.words ?? ENGLISH;
  const t = (iso: string | null) =>
    iso === null
      ? html`<span class="muted">${w.t('apps.notRecorded')}</span>`
      : timeAgo(Date.parse(iso), o.now, o.words);
  return table({
    caption: o.caption,
    head: [
      w.t('apps.head.app'),
      w.t('apps.head.scopes'),
      w.t('apps.head.allowed'),
      w.t('apps.head.lastUsed'),
      ...(o.removeHref ? [''] : []),
    ],
    rows: o.apps.map((a) => [
      html`<strong>${a.name}</strong>${a.trusted ? html`<br><span class="muted small">${w.t('apps.trusted')}</span>` : ''}`,
      scopeList(a.scopes, o.perspective, w),
      t(a.grantedAt),
      t(a.lastUsedAt),
      ...(o.removeHref ? [linkButton(o.removeHref(a), w.t('apps.remove'), 'danger')] : []),
    ]),
    empty: o.empty,
  });
}

/** What Remove does, in words, for the confirmation pages. */
export function removeDetail(
  a: AppAccessView,
  perspective: 'self' | 'staff',
  words: Words = ENGLISH,
): string {
  const app = a.name;
  if (perspective === 'self') {
    return a.trusted
      ? words.t('apps.removeDetail.self.trusted', { app })
      : words.t('apps.removeDetail.self.other', { app });
  }
  return a.trusted
    ? words.t('apps.removeDetail.staff.trusted', { app })
    : words.t('apps.removeDetail.staff.other', { app });
}

export function registerAppAccessPages(app: FastifyInstance, web: Web): void {
  const { core } = web;
  const list = '/account/apps';
  const removePath = (clientId: string) => `${list}/${encodeURIComponent(clientId)}/remove`;

  const { requireSession } = pageGuards(web);

  app.get(list, guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    const w = req.words;
    const apps = await core.oidcAccess.listAppAccess(s.actor, s.user.id);
    const body = html`${pageHeader(w.t('apps.title'), w.t('apps.lead'))}
${appAccessTable({
  apps,
  now: core.now(),
  perspective: 'self',
  caption: w.t('apps.caption'),
  empty: w.t('apps.empty'),
  removeHref: (a) => removePath(a.clientId),
  words: w,
})}
${apps.length > 0 ? html`<p class="muted small">${lastUsedNote('self', w)}</p>` : ''}`;
    return web.render(req, reply, s, { title: w.t('apps.title'), nav: 'apps', body });
  });

  app.get<{ Params: { clientId: string } }>(
    `${list}/:clientId/remove`,
    guarded(requireSession),
    async (req, reply) => {
      const s = pageOf(req).session;
      const w = req.words;
      const a = (await core.oidcAccess.listAppAccess(s.actor, s.user.id)).find(
        (x) => x.clientId === req.params.clientId,
      );
      if (!a) return reply.redirect(list, 303);
      return web.render(req, reply, s, {
        title: w.t('apps.remove.title'),
        nav: 'apps',
        body: html`${pageHeader(w.t('apps.remove.heading', { app: a.name }), removeDetail(a, 'self', w))}
${postForm(removePath(a.clientId), web.csrf(req, reply), html`<div class="actions">${button(w.t('apps.remove.yes'), { kind: 'danger' })} ${linkButton(list, w.t('apps.remove.no'))}</div>`)}`,
      });
    },
  );

  app.post<{ Params: { clientId: string } }>(
    `${list}/:clientId/remove`,
    guarded(requireSession),
    async (req, reply) => {
      const s = pageOf(req).session;
      const w = req.words;
      const before = (await core.oidcAccess.listAppAccess(s.actor, s.user.id)).find(
        (x) => x.clientId === req.params.clientId,
      );
      try {
        await core.oidcAccess.revokeAppAccess({ ...s.actor, ip: req.ip }, s.user.id, req.params.clientId);
      } catch (e) {
        if (isLatchkeyError(e) && e.code === 'APP_ACCESS_NOT_FOUND') {
          return web.render(req, reply, s, {
            title: w.t('apps.notFound.title'),
            nav: 'apps',
            status: 404,
            body: html`${pageHeader(w.t('apps.notFound.heading'))}${notice('error', w.t('apps.notFound.message'))}<div class="actions">${linkButton(list, w.t('apps.close'), 'primary')}</div>`,
          });
        }
        throw e;
      }
      const heading = before
        ? w.t('apps.removed.heading', { app: before.name })
        : w.t('apps.removed.headingUnknown');
      const lead = before?.trusted ? w.t('apps.removed.lead.trusted') : w.t('apps.removed.lead.other');
      return web.render(req, reply, s, {
        title: w.t('apps.removed.title'),
        nav: 'apps',
        body: html`${pageHeader(heading, lead)}
<div class="actions">${linkButton(list, w.t('apps.close'), 'primary')}</div>`,
      });
    },
  );
}
