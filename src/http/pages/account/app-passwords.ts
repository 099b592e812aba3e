// App passwords (R4–R9, B1, B2): the list, creating one (shown once), deleting one; and, for devices
// that sign in with a code, a way to the device approval page.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppPasswordView } from '../../../core/app-passwords.js';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import { type DeviceServices, deviceServices, profileOffered } from '../../../core/mail-profile.js';
import { DOORS } from '../../../core/validate.js';
import { errorText, type Words } from '../../i18n/index.js';
import { guarded, pageOf } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
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
import { doorLabel } from '../sign-in-events.js';
import { type AccountContext, actorOf } from './index.js';

/** "mail, calendars and contacts": what a profile from these settings sets up, in the person's language. */
export function describeServices(w: Words, d: DeviceServices): string {
  const parts = [
    ...(d.imap && d.smtp ? [w.t('account.services.mail')] : []),
    ...(d.calDav ? [w.t('account.services.calendars')] : []),
    ...(d.cardDav ? [w.t('account.services.contacts')] : []),
  ];
  // Our English writes lists without the serial comma ("mail, calendars and contacts"), as en-GB does.
  const locale = w.lang === 'en' ? 'en-GB' : w.lang;
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(parts);
}

export interface AppPasswordsView {
  now: number;
  list: AppPasswordView[];
  max: number;
  /** What an Apple profile would set up ("mail and calendars"), or null when none is offered. */
  appleServices: string | null;
}

export function appPasswordsBody(w: Words, v: AppPasswordsView): SafeHtml {
  const t = (iso: string | null) => timeAgo(iso === null ? null : Date.parse(iso), v.now, w);
  const atLimit = v.list.length >= v.max;
  return html`${pageHeader(w.t('account.appPasswords.title'), w.t('account.appPasswords.lead'))}
${notice('info', w.t('account.appPasswords.perDevice'))}
${atLimit ? notice('warning', w.t('account.appPasswords.atLimit', { count: v.list.length })) : ''}
<div class="actions">${linkButton('/account/app-passwords/new', w.t('account.appPasswords.create'), 'primary')}</div>
${table({
  caption: w.t('account.appPasswords.caption'),
  head: [
    w.t('account.appPasswords.name'),
    w.t('account.appPasswords.created'),
    w.t('account.appPasswords.lastUsed'),
    w.t('account.appPasswords.lastUsedFrom'),
    '',
  ],
  rows: v.list.map((a) => [
    html`<strong>${a.label}</strong>${a.expiresAt ? html`<br><span class="muted small">${w.markup('account.appPasswords.expires', { when: t(a.expiresAt) })}</span>` : ''}${a.scopes ? html`<br><span class="muted small">${w.t('account.appPasswords.onlyFor', { doors: a.scopes.map((d) => doorLabel(d, w)).join(', ') })}</span>` : ''}`,
    t(a.createdAt),
    t(a.lastUsedAt),
    a.lastUsedAt
      ? `${a.lastUsedDoor ? doorLabel(a.lastUsedDoor, w) : ''}${a.lastUsedIp ? ` · ${a.lastUsedIp}` : ''}`
      : '—',
    linkButton(`/account/app-passwords/${a.id}/delete`, w.t('account.appPasswords.delete'), 'danger'),
  ]),
  empty: w.t('account.appPasswords.empty'),
})}
<p class="muted small">${w.t('account.appPasswords.used', { used: v.list.length, count: v.max })}</p>
${
  v.appleServices !== null
    ? html`<section class="device-setup"><h2>${w.t('account.apple.title')}</h2>
<p>${w.t('account.apple.offer', { services: v.appleServices })}</p>
<div class="actions">${linkButton('/account/app-passwords/apple', w.t('account.apple.title'))}</div></section>`
    : ''
}
<section class="device-setup"><h2>${w.t('account.appPasswords.device.heading')}</h2>
<p>${w.t('account.appPasswords.device.lead')}</p>
<div class="actions">${linkButton('/device', w.t('account.appPasswords.device.link'))}</div></section>`;
}

/** The page of a person who has all the app passwords they may have: delete one first. */
export function atLimitBody(w: Words, title: string, max: number, then: 'create' | 'device'): SafeHtml {
  return html`${pageHeader(title)}
${notice('error', then === 'create' ? w.t('account.appPasswords.limit.create', { count: max }) : w.t('account.appPasswords.limit.device', { count: max }))}
<div class="actions">${linkButton('/account/app-passwords', w.t('account.appPasswords.back'), 'primary')}</div>`;
}

export interface CreateView {
  csrf: string;
  label: string;
  error: string | null;
}

export function createBody(w: Words, v: CreateView): SafeHtml {
  return html`${pageHeader(w.t('account.appPasswords.new.title'))}
${postForm(
  '/account/app-passwords/new',
  v.csrf,
  html`${field({ name: 'label', label: w.t('account.appPasswords.name'), value: v.label, required: true, maxlength: 64, autofocus: true, error: v.error, hint: w.t('account.appPasswords.new.hint'), words: w })}
<details class="advanced"><summary>${w.t('account.appPasswords.new.more')}</summary>
${select({
  name: 'expires',
  label: w.t('account.appPasswords.new.expires'),
  words: w,
  options: [
    { value: '', label: w.t('time.never'), selected: true },
    { value: '30d', label: w.t('account.appPasswords.new.inDays', { count: 30 }) },
    { value: '90d', label: w.t('account.appPasswords.new.inDays', { count: 90 }) },
    { value: '365d', label: w.t('account.appPasswords.new.inAYear') },
  ],
})}
<fieldset class="scopes"><legend>${w.t('account.appPasswords.new.scopes')}</legend><p class="hint">${w.t('account.appPasswords.new.scopesHint')}</p>
${DOORS.map((d) => checkbox({ name: 'scope', value: d, label: doorLabel(d, w) }))}
</fieldset>
</details>
<div class="actions">${button(w.t('firstApp.next'))} ${linkButton('/account/app-passwords', w.t('account.cancel'))}</div>`,
)}`;
}

export function createdBody(w: Words, v: { label: string; password: string }): SafeHtml {
  return html`${pageHeader(w.t('account.appPasswords.created.heading', { label: v.label }), w.t('account.appPasswords.created.lead'))}
${secretBox({ id: 'app-password', label: w.t('appPassword.label'), secret: v.password, words: w })}
${notice('warning', w.t('account.appPasswords.created.once'))}
<div class="actions">${linkButton('/account/app-passwords', w.t('account.close'), 'primary')}</div>`;
}

export function deleteBody(w: Words, v: { csrf: string; id: string; label: string }): SafeHtml {
  return html`${pageHeader(w.t('account.appPasswords.delete.question', { label: v.label }), w.t('account.appPasswords.delete.lead'))}
${postForm(`/account/app-passwords/${v.id}/delete`, v.csrf, html`<div class="actions">${button(w.t('account.yes'), { kind: 'danger' })} ${linkButton('/account/app-passwords', w.t('account.no'))}</div>`)}`;
}

export function deletedBody(w: Words): SafeHtml {
  return html`${pageHeader(w.t('account.appPasswords.deleted.title'), w.t('account.appPasswords.deleted.lead'))}
<div class="actions">${linkButton('/account/app-passwords', w.t('account.close'), 'primary')}</div>`;
}

export function notFoundBody(w: Words): SafeHtml {
  return html`${pageHeader(w.t('account.appPasswords.notFound.title'))}${notice('error', w.t('account.appPasswords.notFound.message'))}<div class="actions">${linkButton('/account/app-passwords', w.t('account.close'), 'primary')}</div>`;
}

export function registerAppPasswords(app: FastifyInstance, ctx: AccountContext): void {
  const { web, requireAppPasswords } = ctx;
  const { core } = web;
  const { requireSession, requireSudo } = ctx.guards;

  app.get('/account/app-passwords', guarded(requireSession, requireAppPasswords), async (req, reply) => {
    const s = pageOf(req).session;
    const w = req.words;
    const settings = await core.settings.current();
    const services = deviceServices(settings);
    const view: AppPasswordsView = {
      now: core.now(),
      list: await core.appPasswords.listAppPasswords(s.actor, s.user.username),
      max: settings.maxAppPasswordsPerUser,
      appleServices: profileOffered(services) ? describeServices(w, services) : null,
    };
    return web.render(req, reply, s, {
      title: w.t('account.appPasswords.title'),
      nav: 'app-passwords',
      body: appPasswordsBody(w, view),
    });
  });

  async function createPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: { error?: string | null; label?: string; status?: number } = {},
  ) {
    const w = req.words;
    const title = w.t('account.appPasswords.new.title');
    const list = await core.appPasswords.listAppPasswords(s.actor, s.user.username);
    const settings = await core.settings.current();
    if (list.length >= settings.maxAppPasswordsPerUser) {
      return web.render(req, reply, s, {
        title,
        nav: 'app-passwords',
        status: o.status ?? 409,
        body: atLimitBody(w, title, settings.maxAppPasswordsPerUser, 'create'),
      });
    }
    return web.render(req, reply, s, {
      title,
      nav: 'app-passwords',
      status: o.status ?? 200,
      body: createBody(w, { csrf: web.csrf(req, reply), label: o.label ?? '', error: o.error ?? null }),
    });
  }

  app.get(
    '/account/app-passwords/new',
    guarded(requireSession, requireAppPasswords, requireSudo('/account/app-passwords/new')),
    async (req, reply) => {
      const s = pageOf(req).session;
      return createPage(req, reply, s);
    },
  );

  app.post(
    '/account/app-passwords/new',
    guarded(requireSession, requireAppPasswords, requireSudo('/account/app-passwords/new')),
    async (req, reply) => {
      const s = pageOf(req).session;
      const label = web.str(req.body, 'label', 300);
      const rawScope = (req.body as Record<string, unknown>)?.scope;
      const scopes = (Array.isArray(rawScope) ? rawScope : rawScope === undefined ? [] : [rawScope])
        .filter((x): x is string => typeof x === 'string')
        .slice(0, 16);
      let created: Awaited<ReturnType<typeof core.appPasswords.createAppPassword>>;
      try {
        created = await core.appPasswords.createAppPassword(actorOf(req, s), s.user.username, {
          label,
          expires: web.str(req.body, 'expires', 16) || null,
          scopes: scopes.length > 0 ? scopes : null,
        });
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500) {
          req.log.info({ code: e.code }, 'app password not created');
          return createPage(req, reply, s, {
            error: errorText(req.words, e),
            label: label.slice(0, 64),
            status: e.code === 'APP_PASSWORD_LIMIT' ? 409 : 400,
          });
        }
        throw e;
      }
      return web.render(req, reply, s, {
        title: req.words.t('account.appPasswords.created.title'),
        nav: 'app-passwords',
        body: createdBody(req.words, { label: created.label, password: created.password }),
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/account/app-passwords/:id/delete',
    guarded(requireSession, requireAppPasswords),
    async (req, reply) => {
      const s = pageOf(req).session;
      const a = (await core.appPasswords.listAppPasswords(s.actor, s.user.username)).find(
        (x) => x.id === req.params.id,
      );
      if (!a) return reply.redirect('/account/app-passwords', 303);
      return web.render(req, reply, s, {
        title: req.words.t('account.appPasswords.delete.title'),
        nav: 'app-passwords',
        body: deleteBody(req.words, { csrf: web.csrf(req, reply), id: a.id, label: a.label }),
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/account/app-passwords/:id/delete',
    guarded(requireSession, requireAppPasswords),
    async (req, reply) => {
      const s = pageOf(req).session;
      try {
        await core.appPasswords.deleteAppPassword(actorOf(req, s), s.user.username, req.params.id);
      } catch (e) {
        // Another person's id, or one already gone: nothing of theirs is touched, and nothing is said about it.
        if (isLatchkeyError(e) && (e.code === 'APP_PASSWORD_NOT_FOUND' || e.code === 'FORBIDDEN')) {
          req.log.warn({ id: req.params.id.slice(0, 32) }, "app password delete refused: not this user's");
          return web.render(req, reply, s, {
            title: req.words.t('account.appPasswords.notFound.title'),
            nav: 'app-passwords',
            status: 404,
            body: notFoundBody(req.words),
          });
        }
        throw e;
      }
      return web.render(req, reply, s, {
        title: req.words.t('account.appPasswords.deleted.title'),
        nav: 'app-passwords',
        body: deletedBody(req.words),
      });
    },
  );
}
