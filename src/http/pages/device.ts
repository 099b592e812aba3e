// Device sign-in, the person's side (spec B8): /device asks for the code an app shows (or takes it from
// the link the app opened), then asks "Give <app> an app password?" with where and when the request
// came from. Approving needs a recent second step (sudo mode, B7) and is a form POST under the pages'
// CSRF protection; the app then receives the new app password when it next polls.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../core/browser.js';
import type { DeviceLoginView, Lookup } from '../../core/device-login.js';
import { isLatchkeyError } from '../../core/errors.js';
import type { Key } from '../i18n/index.js';
import type { Web } from '../web.js';
import { guarded, pageGuards, pageOf } from './guards.js';
import { html, type SafeHtml } from './html.js';
import {
  button,
  definitionList,
  field,
  linkButton,
  notice,
  pageHeader,
  postForm,
  timeAgo,
} from './layout.js';
import { shortAgent } from './sign-in-events.js';

/** The core's refusals of an approval, in words that say what the app got (nothing). */
const RULE_MESSAGE: Record<string, Key> = {
  APP_PASSWORDS_DISABLED: 'device.rule.appPasswordsDisabled',
  TWO_STEP_REQUIRED: 'device.rule.twoStepRequired',
  APP_PASSWORD_LIMIT: 'device.rule.appPasswordLimit',
};

export function registerDevicePages(app: FastifyInstance, web: Web): void {
  const { core } = web;

  // Signed in, else the sign-in page, which comes back to this very page and code. Sudo mode is asked
  // for in the POST handler, only once a pending request is found (denying, or a code that is unknown or
  // already answered, needs none).
  const { requireSession } = pageGuards(web);

  const actor = (req: FastifyRequest, s: SessionView) => ({ ...s.actor, ip: req.ip });
  const back = (code: string) => `/device?code=${encodeURIComponent(code)}`;

  function codePage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: { error?: string | null; value?: string; status?: number } = {},
  ) {
    const w = req.words;
    return web.render(req, reply, s, {
      title: w.t('device.code.title'),
      nav: null,
      status: o.status ?? 200,
      body: html`${pageHeader(w.t('device.code.title'), w.t('device.code.lead'))}
${postForm(
  '/device',
  web.csrf(req, reply),
  html`${field({ name: 'code', label: w.t('device.code.label'), value: o.value ?? '', required: true, maxlength: 16, autofocus: true, spellcheck: false, autocomplete: 'off', error: o.error ?? null, hint: w.t('device.code.hint'), words: w })}
<div class="actions">${button(w.t('device.code.next'))} ${linkButton('/account', w.t('device.cancel'))}</div>`,
)}`,
    });
  }

  function outcome(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    title: string,
    message: SafeHtml | string,
    kind: 'success' | 'info' | 'warning' | 'error',
    status = 200,
  ) {
    return web.render(req, reply, s, {
      title,
      nav: null,
      status,
      body: html`${pageHeader(title)}${notice(kind, message)}<div class="actions">${linkButton('/account', req.words.t('errorPage.toAccount'), 'primary')}</div>`,
    });
  }

  /** A request in a state other than pending: what happened to it, in words. */
  function settled(req: FastifyRequest, reply: FastifyReply, s: SessionView, d: DeviceLoginView) {
    const w = req.words;
    const app = html`<em>${d.app}</em>`;
    switch (d.state) {
      case 'expired':
        return outcome(
          req,
          reply,
          s,
          w.t('device.expired.title'),
          w.t('device.expired.message'),
          'warning',
          410,
        );
      case 'denied':
        return outcome(
          req,
          reply,
          s,
          w.t('device.denied.title'),
          w.markup('device.denied.message', { app }),
          'info',
        );
      default:
        return d.decidedByOther
          ? outcome(req, reply, s, w.t('device.answered.title'), w.t('device.answered.message'), 'info', 409)
          : outcome(
              req,
              reply,
              s,
              w.t('device.approved.title'),
              w.markup('device.approved.message', {
                app,
                name: d.app,
                link: html`<a href="/account/app-passwords">${w.t('nav.appPasswords')}</a>`,
              }),
              'success',
            );
    }
  }

  function confirmPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    d: DeviceLoginView,
    o: { error?: string | null; status?: number } = {},
  ) {
    const now = core.now();
    const w = req.words;
    return web.render(req, reply, s, {
      title: w.t('device.confirm.title', { app: d.app }),
      nav: null,
      status: o.status ?? 200,
      body: html`<div class="page-header"><h1>${w.markup('device.confirm.title', { app: html`<em>${d.app}</em>` })}</h1><p class="lead">${w.markup('device.confirm.lead', { username: html`<strong>${s.user.username}</strong>` })}</p></div>
${o.error ? notice('error', o.error, { title: w.t('device.confirm.notApproved') }) : ''}
${notice('warning', w.t('device.confirm.warning'), { title: w.t('device.confirm.warning.title') })}
${definitionList([
  [w.t('device.fact.app'), d.app],
  [w.t('device.fact.from'), d.ip],
  [w.t('device.fact.requested'), timeAgo(d.createdAt, now, w)],
  [w.t('device.fact.software'), d.userAgent ? shortAgent(d.userAgent, w) : w.t('device.fact.notSaid')],
  [w.t('device.code.label'), d.userCode],
  [w.t('device.fact.expires'), timeAgo(d.expiresAt, now, w)],
])}
${postForm(
  '/device',
  web.csrf(req, reply),
  html`<input type="hidden" name="code" value="${d.userCode}">
<div class="actions">${button(w.t('device.approve'), { name: 'decision', value: 'approve' })} ${button(w.t('device.deny'), { kind: 'danger', name: 'decision', value: 'deny' })}</div>`,
)}`,
    });
  }

  function notFound(req: FastifyRequest, reply: FastifyReply, s: SessionView, r: Lookup, typed: string) {
    const w = req.words;
    if (r.kind === 'throttled') {
      return outcome(
        req,
        reply,
        s,
        w.t('device.throttled.title'),
        w.t('device.throttled.message', { count: Math.ceil(r.retryAfterSeconds / 60) }),
        'error',
        429,
      );
    }
    return codePage(req, reply, s, {
      value: typed.slice(0, 16),
      status: r.kind === 'malformed' ? 400 : 404,
      error: w.t(r.kind === 'malformed' ? 'device.error.malformed' : 'device.error.unknown'),
    });
  }

  // The link an app shows (verificationUriComplete) only fills in the field: codes are looked up, and
  // wrong ones counted, on the CSRF-checked POST alone, so that another site cannot spend the person's
  // wrong-code budget by sending their browser through links.
  app.get('/device', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    const typed = (req.query as Record<string, unknown>)?.code;
    return codePage(req, reply, s, { value: typeof typed === 'string' ? typed.slice(0, 16) : '' });
  });

  app.post('/device', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    const typed = web.str(req.body, 'code', 32);
    const asked = web.str(req.body, 'decision', 16);
    if (asked === '') {
      // "Next" on the code form: the question, after sudo mode (B7), so that Approve does what it says.
      const r = await core.deviceLogin.find(actor(req, s), typed);
      if (r.kind !== 'found') return notFound(req, reply, s, r, typed);
      if (r.request.state !== 'pending') return settled(req, reply, s, r.request);
      if (!(await web.sudo(reply, s, back(r.request.userCode)))) return reply;
      return confirmPage(req, reply, s, r.request);
    }
    const decision = asked === 'approve' ? 'approve' : 'deny';
    if (decision === 'approve' && !core.browser.isSudo(s)) {
      // A request already answered or expired says so; a pending one needs the check first, which comes
      // back to the question (not to this POST): the person then presses Approve again.
      const r = await core.deviceLogin.find(actor(req, s), typed);
      if (r.kind !== 'found') return notFound(req, reply, s, r, typed);
      if (r.request.state !== 'pending') return settled(req, reply, s, r.request);
      if (!(await web.sudo(reply, s, back(r.request.userCode)))) return reply;
    }
    let r: Lookup;
    try {
      r = await core.deviceLogin.decide(actor(req, s), typed, decision);
    } catch (e) {
      if (!isLatchkeyError(e) || !(e.code in RULE_MESSAGE)) throw e;
      req.log.info({ code: e.code }, 'device sign-in not approved');
      const again = await core.deviceLogin.find(actor(req, s), typed);
      if (again.kind !== 'found') return notFound(req, reply, s, again, typed);
      return confirmPage(req, reply, s, again.request, {
        error: req.words.t(RULE_MESSAGE[e.code] as 'device.rule.appPasswordLimit'),
        status: e.code === 'APP_PASSWORD_LIMIT' ? 409 : 403,
      });
    }
    if (r.kind !== 'found') return notFound(req, reply, s, r, typed);
    if (r.request.state === 'pending') return confirmPage(req, reply, s, r.request);
    return settled(req, reply, s, r.request);
  });
}
