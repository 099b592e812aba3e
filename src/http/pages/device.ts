// Device sign-in, the person's side (spec B8): /device asks for the code an app shows (or takes it from
// the link the app opened), then asks "Give <app> an app password?" with where and when the request
// came from. Approving needs a recent second step (sudo mode, B7) and is a form POST under the pages'
// CSRF protection; the app then receives the new app password when it next polls.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../core/browser.js';
import type { DeviceLoginView, Lookup } from '../../core/device-login.js';
import { isLatchkeyError } from '../../core/errors.js';
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

const RULE_MESSAGE: Record<string, string> = {
  APP_PASSWORDS_DISABLED:
    'Your organization does not allow app passwords, so this app cannot get one. Nothing was given to it.',
  TWO_STEP_REQUIRED:
    'App passwords are for accounts with two-step verification. Yours is off, so your apps use your account password. Nothing was given to the app.',
  APP_PASSWORD_LIMIT:
    'You have reached the maximum number of app passwords. Delete one you no longer use in App passwords, then come back to this page and approve again. Nothing was given to the app yet.',
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
    return web.render(req, reply, s, {
      title: 'Connect a device',
      nav: null,
      status: o.status ?? 200,
      body: html`${pageHeader('Connect a device', 'An app on one of your devices is asking for an app password. Type the code it shows you.')}
${postForm(
  '/device',
  web.csrf(req, reply),
  html`${field({ name: 'code', label: 'Code', value: o.value ?? '', required: true, maxlength: 16, autofocus: true, spellcheck: false, autocomplete: 'off', error: o.error ?? null, hint: 'Eight letters, like BCDF-GHJK. Capitals and the dash do not matter. Check that it is the code your device shows.' })}
<div class="actions">${button('Next')} ${linkButton('/account', 'Cancel')}</div>`,
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
      body: html`${pageHeader(title)}${notice(kind, message)}<div class="actions">${linkButton('/account', 'Go to your account', 'primary')}</div>`,
    });
  }

  /** A request in a state other than pending: what happened to it, in words. */
  function settled(req: FastifyRequest, reply: FastifyReply, s: SessionView, d: DeviceLoginView) {
    switch (d.state) {
      case 'expired':
        return outcome(
          req,
          reply,
          s,
          'This code has expired',
          'Codes work for 10 minutes. Start again on the device to get a new code. Nothing was given to the app.',
          'warning',
          410,
        );
      case 'denied':
        return outcome(
          req,
          reply,
          s,
          'Request denied',
          html`<em>${d.app}</em> was told no and got nothing. If this was a mistake, start again on the device.`,
          'info',
        );
      default:
        return d.decidedByOther
          ? outcome(
              req,
              reply,
              s,
              'This request was already answered',
              'Nothing more to do here.',
              'info',
              409,
            )
          : outcome(
              req,
              reply,
              s,
              'Approved',
              html`<em>${d.app}</em> gets its own app password, named “${d.app}”. Go back to the device: it carries on by itself. You can delete the app password at any time in <a href="/account/app-passwords">App passwords</a>.`,
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
    const now = core.ctx.now();
    return web.render(req, reply, s, {
      title: `Give ${d.app} an app password?`,
      nav: null,
      status: o.status ?? 200,
      body: html`<div class="page-header"><h1>Give <em>${d.app}</em> an app password?</h1><p class="lead">The app will sign in as <strong>${s.user.username}</strong> with a new app password of its own, for mail, calendars, contacts and the other apps your organization connects to Latchkey.</p></div>
${o.error ? notice('error', o.error, { title: 'Not approved' }) : ''}
${notice('warning', 'Approve only if you started this yourself, on your own device, in the last few minutes. If someone sent you this link or code, or asked you to type it, choose Deny: whoever started it would get into your account.', { title: 'Did you start this?' })}
${definitionList([
  ['App', d.app],
  ['Requested from', d.ip],
  ['Requested', timeAgo(d.createdAt, now)],
  ['Software', d.userAgent ? shortAgent(d.userAgent) : 'Not said'],
  ['Code', d.userCode],
  ['Expires', timeAgo(d.expiresAt, now)],
])}
${postForm(
  '/device',
  web.csrf(req, reply),
  html`<input type="hidden" name="code" value="${d.userCode}">
<div class="actions">${button('Approve', { name: 'decision', value: 'approve' })} ${button('Deny', { kind: 'danger', name: 'decision', value: 'deny' })}</div>`,
)}`,
    });
  }

  function notFound(req: FastifyRequest, reply: FastifyReply, s: SessionView, r: Lookup, typed: string) {
    if (r.kind === 'throttled') {
      return outcome(
        req,
        reply,
        s,
        'Too many wrong codes',
        `For your security, codes are not checked for a while after several wrong ones. Try again in ${Math.ceil(r.retryAfterSeconds / 60)} minutes.`,
        'error',
        429,
      );
    }
    return codePage(req, reply, s, {
      value: typed.slice(0, 16),
      status: r.kind === 'malformed' ? 400 : 404,
      error:
        r.kind === 'malformed'
          ? 'Codes are eight letters, like BCDF-GHJK.'
          : 'No request has this code. Check the code on the device; codes work for 10 minutes.',
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
        error: RULE_MESSAGE[e.code]!,
        status: e.code === 'APP_PASSWORD_LIMIT' ? 409 : 403,
      });
    }
    if (r.kind !== 'found') return notFound(req, reply, s, r, typed);
    if (r.request.state === 'pending') return confirmPage(req, reply, s, r.request);
    return settled(req, reply, s, r.request);
  });
}
