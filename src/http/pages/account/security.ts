// Security info (/account): two-step verification's state, the verification methods, recovery codes,
// remembered devices, where the person is signed in, and the language of the pages. Also the actions
// of that page that need no form of their own: new recovery codes, forget remembered devices, sign out
// everywhere, and saving the language.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MethodView } from '../../../core/methods.js';
import { CATALOGUES, isLang, type Key, LANGUAGES, type Lang, type Words } from '../../i18n/index.js';
import { COOKIE } from '../../web.js';
import { guarded, pageOf } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import {
  button,
  definitionList,
  linkButton,
  notice,
  type page,
  pageHeader,
  postForm,
  secretBox,
  select,
  table,
  timeAgo,
} from '../layout.js';
import { LANGUAGE_COOKIE_SECONDS } from '../sign-in.js';
import { shortAgent } from '../sign-in-events.js';
import { type AccountContext, actorOf } from './index.js';

const DONE: Record<string, Key> = {
  'method-added': 'account.done.methodAdded',
  'method-removed': 'account.done.methodRemoved',
  'default-changed': 'account.done.defaultChanged',
  'devices-forgotten': 'account.done.devicesForgotten',
  'password-changed': 'account.done.passwordChanged',
  'language-changed': 'account.done.languageChanged',
};

/** The message of `?done=…` after a change, in the page's words. */
export function flashOf(w: Words, done: unknown): Parameters<typeof page>[0]['flash'] {
  const key = typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : undefined;
  return key === undefined ? null : { kind: 'success', text: w.t(key as 'account.done.methodAdded') };
}

const TWO_STEP: Record<string, Key> = {
  disabled: 'account.security.twoStep.disabled',
  enabled: 'account.security.twoStep.enabled',
  enforced: 'account.security.twoStep.enforced',
};

const KIND: Record<string, Key> = {
  totp: 'account.kind.totp',
  webauthn: 'account.kind.webauthn',
};

/** A kind of verification method, as a label ("Authenticator app"). */
export function kindLabel(w: Words, kind: string): string {
  const key = Object.hasOwn(KIND, kind) ? KIND[kind] : undefined;
  return key === undefined ? kind : w.t(key as 'account.kind.totp');
}

export interface SecurityView {
  now: number;
  csrf: string;
  twoStep: string;
  methods: MethodView[];
  recoveryCodes: { total: number; unused: number };
  /** The organization lets devices be remembered, or some still are. */
  showDevices: boolean;
  rememberedDevices: number;
  sessions: {
    userAgent: string | null;
    ip: string | null;
    createdAt: number;
    lastSeenAt: number | null;
    current: boolean;
  }[];
  /** The person's own choice of language; null: their browser's. */
  language: Lang | null;
}

function methodsSections(w: Words, v: SecurityView): SafeHtml {
  const rows = v.methods.map((m) => [
    html`<strong>${m.name}</strong>${m.isDefault ? html` <span class="badge">${w.t('account.security.methods.default')}</span>` : ''}`,
    kindLabel(w, m.kind),
    timeAgo(m.createdAt, v.now, w),
    timeAgo(m.lastUsedAt, v.now, w),
    html`<div class="row-actions">${
      m.isDefault
        ? ''
        : postForm(
            `/account/methods/${m.id}/default`,
            v.csrf,
            button(w.t('account.security.methods.makeDefault'), { kind: 'secondary' }),
            { class: 'inline' },
          )
    }${linkButton(`/account/methods/${m.id}/remove`, w.t('account.security.methods.remove'), 'danger')}</div>`,
  ]);
  const codes = v.recoveryCodes;
  return html`<section class="card-section" aria-labelledby="h-methods">
<h2 id="h-methods">${w.t('account.security.methods.heading')}</h2>
${table({
  caption: w.t('account.security.methods.caption'),
  head: [
    w.t('account.security.methods.name'),
    w.t('account.security.methods.type'),
    w.t('account.security.methods.added'),
    w.t('account.security.methods.lastUsed'),
    '',
  ],
  rows,
  empty: w.t('account.security.methods.empty'),
})}
<div class="actions">${linkButton('/account/methods/new?kind=totp', w.t('account.security.methods.addTotp'), 'primary')} ${linkButton('/account/methods/new?kind=webauthn', w.t('account.security.methods.addWebauthn'))}</div>
</section>
<section class="card-section" aria-labelledby="h-codes">
<h2 id="h-codes">${w.t('account.security.codes.heading')}</h2>
<p>${codes.total === 0 ? w.t('account.security.codes.none') : w.t('account.security.codes.left', { count: codes.total, unused: codes.unused })}</p>
${postForm('/account/recovery-codes', v.csrf, html`<div class="actions">${button(codes.total === 0 ? w.t('account.security.codes.get') : w.t('account.security.codes.getNew'), { kind: 'secondary' })}</div>`)}
</section>`;
}

function languageSection(w: Words, v: SecurityView): SafeHtml {
  return html`<section class="card-section" aria-labelledby="h-language">
<h2 id="h-language">${w.t('account.security.language.heading')}</h2>
${postForm(
  '/account/language',
  v.csrf,
  html`${select({
    name: 'lang',
    label: w.t('account.security.language.label'),
    hint: w.t('account.security.language.hint'),
    words: w,
    options: [
      { value: '', label: w.t('account.security.language.browser'), selected: v.language === null },
      ...LANGUAGES.map((l) => ({
        value: l,
        label: CATALOGUES[l]['language.name'],
        selected: v.language === l,
      })),
    ],
  })}
<div class="actions">${button(w.t('account.security.language.save'), { kind: 'secondary' })}</div>`,
)}
</section>`;
}

export function securityBody(w: Words, v: SecurityView): SafeHtml {
  const twoStepKey = Object.hasOwn(TWO_STEP, v.twoStep) ? TWO_STEP[v.twoStep] : undefined;
  const devices = v.rememberedDevices;
  return html`${pageHeader(w.t('account.security.title'), w.t('account.security.lead'))}
<section class="card-section" aria-labelledby="h-2sv">
<h2 id="h-2sv">${w.t('account.security.twoStep.heading')}</h2>
${definitionList([[w.t('account.security.twoStep.status'), twoStepKey ? w.t(twoStepKey as 'account.security.twoStep.disabled') : v.twoStep]])}
</section>
${v.twoStep === 'disabled' && v.methods.length === 0 ? '' : methodsSections(w, v)}
${
  v.showDevices
    ? html`<section class="card-section" aria-labelledby="h-devices">
<h2 id="h-devices">${w.t('account.security.devices.heading')}</h2>
<p>${devices === 0 ? w.t('account.security.devices.none') : w.t('account.security.devices.some', { count: devices })}</p>
${devices > 0 ? postForm('/account/devices/forget', v.csrf, html`<div class="actions">${button(w.t('account.security.devices.forget'), { kind: 'secondary' })}</div>`) : ''}
</section>`
    : ''
}
<section class="card-section" aria-labelledby="h-sessions">
<h2 id="h-sessions">${w.t('account.security.sessions.heading')}</h2>
${table({
  caption: w.t('account.security.sessions.caption'),
  head: [
    w.t('account.security.sessions.browser'),
    w.t('account.security.sessions.address'),
    w.t('account.security.sessions.signedIn'),
    w.t('account.security.sessions.lastActive'),
  ],
  rows: v.sessions.map((x) => [
    html`<span title="${x.userAgent ?? ''}">${shortAgent(x.userAgent, w)}</span>${x.current ? html` <span class="badge">${w.t('account.security.sessions.thisBrowser')}</span>` : ''}`,
    x.ip ?? '—',
    timeAgo(x.createdAt, v.now, w),
    timeAgo(x.lastSeenAt, v.now, w),
  ]),
  empty: w.t('account.security.sessions.empty'),
})}
${postForm('/account/sign-out-everywhere', v.csrf, html`<div class="actions">${button(w.t('account.security.sessions.signOutEverywhere'), { kind: 'secondary' })}</div>`)}
</section>
${languageSection(w, v)}`;
}

export function recoveryCodesBody(w: Words, codes: string[]): SafeHtml {
  return html`${pageHeader(w.t('account.recoveryCodes.title'), w.t('account.recoveryCodes.lead'))}
${secretBox({ id: 'recovery-codes', label: w.t('account.recoveryCodes.label'), secret: codes.join('\n'), copyLabel: w.t('recovery.copy'), words: w })}
${notice('warning', w.t('account.recoveryCodes.once'))}
<div class="actions">${linkButton('/account', w.t('account.close'), 'primary')}</div>`;
}

export function languageRefusedBody(w: Words): SafeHtml {
  return html`${pageHeader(w.t('account.language.refused.title'))}${notice('error', w.t('account.language.refused.message'))}
<div class="actions">${linkButton('/account', w.t('account.backToSecurity'), 'primary')}</div>`;
}

export function registerSecurity(app: FastifyInstance, ctx: AccountContext): void {
  const { web } = ctx;
  const { core } = web;
  const { requireSession, requireSudo } = ctx.guards;

  app.get('/account', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    const w = req.words;
    const settings = await core.settings.current();
    const info = await core.methods.summary(s.user.id);
    const view: SecurityView = {
      now: core.now(),
      csrf: web.csrf(req, reply),
      twoStep: (await core.users.getUser(s.actor, s.user.username)).twoStepEffective,
      methods: info.methods,
      recoveryCodes: info.recoveryCodes,
      showDevices: settings.rememberDeviceDays > 0 || info.rememberedDevices.length > 0,
      rememberedDevices: info.rememberedDevices.length,
      sessions: (await core.browser.listSessions(s.user.id)).map((x) => ({
        userAgent: x.user_agent,
        ip: x.ip,
        createdAt: x.created_at,
        lastSeenAt: x.last_seen_at,
        current: x.id === s.id,
      })),
      language: isLang(s.user.language) ? s.user.language : null,
    };
    return web.render(req, reply, s, {
      title: w.t('account.security.title'),
      nav: 'security',
      body: securityBody(w, view),
      flash: flashOf(w, (req.query as Record<string, unknown>)?.done),
    });
  });

  app.post(
    '/account/recovery-codes',
    guarded(requireSession, requireSudo('/account')),
    async (req, reply) => {
      const s = pageOf(req).session;
      const codes = await core.methods.newRecoveryCodes(actorOf(req, s), s.user.id);
      return web.render(req, reply, s, {
        title: req.words.t('account.recoveryCodes.title'),
        nav: 'security',
        body: recoveryCodesBody(req.words, codes),
      });
    },
  );

  app.post('/account/devices/forget', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    await core.methods.revokeRememberedDevices(actorOf(req, s), s.user.username);
    web.clearCookie(reply, COOKIE.device);
    return reply.redirect('/account?done=devices-forgotten', 303);
  });

  app.post('/account/sign-out-everywhere', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    await core.browser.signOutEverywhere({ ...s, actor: actorOf(req, s) });
    web.clearCookie(reply, COOKIE.session);
    return reply.redirect('/sign-in', 303);
  });

  // The language of the pages, remembered on the account (the same core call as the sign-in page's
  // switcher): "" is "my browser's". A code we do not have changes nothing and says so.
  app.post('/account/language', guarded(requireSession), async (req: FastifyRequest, reply) => {
    const s = pageOf(req).session;
    const lang = web.str(req.body, 'lang', 16);
    if (lang !== '' && !isLang(lang)) {
      req.log.info('language not saved: not one of ours');
      return web.render(req, reply, s, {
        title: req.words.t('account.language.refused.title'),
        nav: 'security',
        status: 400,
        body: languageRefusedBody(req.words),
      });
    }
    await core.users.setUserLanguage(s.actor, s.user.username, lang === '' ? null : lang);
    // This browser remembers it too, so the sign-in page speaks it after signing out; "the language of
    // my browser" forgets this browser's choice as well.
    if (lang === '') web.clearCookie(reply, COOKIE.lang);
    else web.setCookie(reply, COOKIE.lang, lang, LANGUAGE_COOKIE_SECONDS);
    return reply.redirect('/account?done=language-changed', 303);
  });
}
