// The sign-in pages: password → (new password) → two-step check or registration → recovery codes →
// the first app password (R7) → the account. Each step is a plain form POST on a persisted flow
// (core/browser.ts); a GET of a step the flow is not at redirects to the step it is at.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderSVG } from 'uqr';
import {
  type Finished,
  FLOW_MINUTES,
  type FlowStep,
  type FlowView,
  type Verification,
} from '../../core/browser.js';
import { isLatchkeyError, LatchkeyError } from '../../core/errors.js';
import { MIN_PASSWORD_LENGTH } from '../../core/validate.js';
import { formatSeed } from '../../crypto/totp.js';
import { CATALOGUES, ENGLISH, errorText, isLang, type Words } from '../i18n/index.js';
import { COOKIE, type Web } from '../web.js';
import { html, raw, type SafeHtml } from './html.js';
import {
  button,
  checkbox,
  field,
  linkButton,
  notice,
  page,
  pageHeader,
  postForm,
  secretBox,
} from './layout.js';

export const STEP_PATH: Record<FlowStep, string> = {
  change_password: '/sign-in/new-password',
  two_step: '/sign-in/verify',
  password: '/account/verify',
  register: '/sign-in/register',
  recovery_codes: '/sign-in/recovery-codes',
  first_app_password: '/sign-in/app-password',
  first_app_password_shown: '/sign-in/app-password',
};

/** What a person who typed an app password into the sign-in form reads (in English). */
export const APP_PASSWORD_IN_BROWSER = ENGLISH.t('signIn.error.appPassword');

const DEVICE_DAYS_MAX = 400;
/** How long a chosen language is remembered in this browser: a year, renewed at each choice. */
/** How long this browser remembers a language chosen on it (the switcher, the portal setting). */
export const LANGUAGE_COOKIE_SECONDS = 365 * 86_400;

function flowStepPath(flow: FlowView): string {
  return flow.kind === 'sudo' ? '/account/verify' : STEP_PATH[flow.step];
}

/**
 * Sets the session cookie (a new one: sessions rotate at every sign-in), and the single sign-on cookie
 * for apps behind a proxy, and goes on: to the app the person came from (a checked absolute address),
 * else to the local path they were on, else to the account.
 */
export async function completeSignIn(
  web: Web,
  req: FastifyRequest,
  reply: FastifyReply,
  f: Finished,
): Promise<FastifyReply> {
  // The session that was open in this browser, if any, ends: one sign-in, one fresh session id.
  await web.core.browser.signOut(req.cookies[COOKIE.session]);
  web.setCookie(reply, COOKIE.session, f.sessionToken);
  web.clearCookie(reply, COOKIE.flow);
  web.clearCookie(reply, COOKIE.pre);
  if (f.deviceToken) {
    const days = Math.min((await web.core.settings.current()).rememberDeviceDays, DEVICE_DAYS_MAX);
    web.setCookie(reply, COOKIE.device, f.deviceToken, days * 86_400);
  }
  await web.sso.issueCookie(reply, f.sessionToken);
  const app = web.sso.returnAddress(f.returnTo);
  // Not a redirect straight to the app: browsers hold every redirect after a form post to the page's
  // CSP form-action ('self'). A page of our own takes the browser on, outside the form's navigation.
  if (app !== null) return reply.redirect(`/sign-in/continue?rd=${encodeURIComponent(app)}`, 303);
  return reply.redirect(web.localPath(f.returnTo, '/account'), 303);
}

function expired(web: Web, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  req.log.info({ url: req.url }, 'sign-in step refused: the flow expired, was finished, or never existed');
  web.clearCookie(reply, COOKIE.flow);
  const w = req.words;
  return web.html(
    reply,
    page({
      title: w.t('expired.title'),
      narrow: true,
      words: w,
      body: html`${pageHeader(w.t('expired.heading'), w.t('expired.lead', { minutes: FLOW_MINUTES }))}
<p class="muted">${w.markup('common.reference', { id: html`<code>${req.id}</code>` })}</p>
<div class="actions">${linkButton('/sign-in', w.t('expired.again'), 'primary')}</div>`,
    }),
    410,
  );
}

/** The flow this browser is in, or a redirect/expiry page. `step` is where this page expects it. */
async function flowAt(
  web: Web,
  req: FastifyRequest,
  reply: FastifyReply,
  steps: FlowStep[],
): Promise<FlowView | null> {
  let flow: FlowView;
  try {
    flow = await web.core.browser.getFlow(req.cookies[COOKIE.flow]);
  } catch (e) {
    if (isLatchkeyError(e) && e.code === 'FLOW_EXPIRED') {
      expired(web, req, reply);
      return null;
    }
    throw e;
  }
  if (flow.kind !== 'sign_in' || !steps.includes(flow.step)) {
    reply.redirect(flowStepPath(flow), 303);
    return null;
  }
  return flow;
}

function who(w: Words, flow: FlowView): SafeHtml {
  return html`<p class="signing-in-as">${w.markup('flow.signingInAs', { name: html`<strong>${flow.user.displayName ?? flow.user.username}</strong>` })} · <a href="/sign-in?restart=1">${w.t('flow.notYou')}</a></p>`;
}

export function qrCode(uri: string, w: Words = ENGLISH): SafeHtml {
  // uqr draws with presentation attributes only (no style attribute): it passes the strict CSP.
  return html`<div class="qr" role="img" aria-label="${w.t('totp.qrLabel')}">${raw(renderSVG(uri, { border: 2 }))}</div>`;
}

/**
 * The language switcher of the sign-in page: one button per other language, each in its own words and
 * marked with its language, posting to /language (remembered in a cookie, and on the account once
 * signed in). A form, not links: it changes state, so it carries the CSRF token like every form.
 */
function languageSwitcher(w: Words, csrf: string, returnTo: string): SafeHtml {
  const others = (Object.keys(CATALOGUES) as (keyof typeof CATALOGUES)[]).filter((l) => l !== w.lang);
  return html`<form method="post" action="/language" class="language-switch" aria-label="${w.t('language.choose')}">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="return" value="${returnTo}">
<p class="muted small">${w.t('language.choose')}: <strong>${w.t('language.name')}</strong>${others.map(
    (l) =>
      html` · <button type="submit" name="lang" value="${l}" lang="${l}" class="btn btn-link">${CATALOGUES[l]['language.name']}</button>`,
  )}</p>
</form>`;
}

/** The form for one way of passing the second step; shared by sign-in and sudo. */
export function challengeForm(o: {
  action: string;
  csrf: string;
  method: 'totp' | 'webauthn' | 'recovery' | 'password';
  webauthnOptions: unknown;
  error: string | null;
  rememberDays: number;
  /** The request's words (req.words); English without them. */
  words?: Words;
}): SafeHtml {
  const w = o.words ?? ENGLISH;
  const remember =
    o.rememberDays > 0
      ? checkbox({
          name: 'remember',
          label: w.t('challenge.remember', { count: o.rememberDays }),
          hint: w.t('challenge.rememberHint'),
        })
      : '';
  if (o.method === 'webauthn') {
    return html`<form method="post" action="${o.action}" data-webauthn="authenticate" data-options="${JSON.stringify(o.webauthnOptions)}">
<input type="hidden" name="_csrf" value="${o.csrf}">
<input type="hidden" name="method" value="webauthn">
<input type="hidden" name="response" value="">
<p>${w.t('challenge.webauthn.prompt')}</p>
${o.error ? notice('error', o.error) : ''}
<p class="status" data-webauthn-status role="status" aria-live="polite"></p>
${remember}
<div class="actions">${button(w.t('challenge.webauthn.submit'))}</div>
</form>`;
  }
  if (o.method === 'password') {
    return postForm(
      o.action,
      o.csrf,
      html`<input type="hidden" name="method" value="password">
${field({ name: 'password', label: w.t('challenge.password.label'), type: 'password', autocomplete: 'current-password', required: true, autofocus: true, error: o.error, words: w })}
<div class="actions">${button(w.t('challenge.confirm'))}</div>`,
    );
  }
  const recovery = o.method === 'recovery';
  return postForm(
    o.action,
    o.csrf,
    html`<input type="hidden" name="method" value="${o.method}">
${
  recovery
    ? field({
        name: 'code',
        label: w.t('challenge.recovery.label'),
        hint: w.t('challenge.recovery.hint'),
        words: w,
        autocomplete: 'off',
        spellcheck: false,
        required: true,
        autofocus: true,
        maxlength: 32,
        error: o.error,
      })
    : field({
        name: 'code',
        label: w.t('challenge.totp.label'),
        hint: w.t('challenge.totp.hint'),
        words: w,
        inputmode: 'numeric',
        autocomplete: 'one-time-code',
        pattern: '[0-9 ]{6,7}',
        maxlength: 7,
        required: true,
        autofocus: true,
        spellcheck: false,
        error: o.error,
      })
}
${recovery ? '' : remember}
<div class="actions">${button(w.t('challenge.verify'))}</div>`,
  );
}

export function otherMethods(
  base: string,
  current: string,
  kinds: Set<string>,
  w: Words = ENGLISH,
): SafeHtml {
  const links: SafeHtml[] = [];
  if (current !== 'totp' && kinds.has('totp'))
    links.push(html`<li><a href="${base}?method=totp">${w.t('challenge.other.totp')}</a></li>`);
  if (current !== 'webauthn' && kinds.has('webauthn'))
    links.push(html`<li><a href="${base}?method=webauthn">${w.t('challenge.other.webauthn')}</a></li>`);
  if (current !== 'recovery')
    links.push(html`<li><a href="${base}?method=recovery">${w.t('challenge.other.recovery')}</a></li>`);
  return html`<details class="other-methods"><summary>${w.t('challenge.other')}</summary><ul>${links}</ul></details>`;
}

function verificationOf(web: Web, body: unknown): Verification {
  const method = web.str(body, 'method', 16);
  if (method === 'webauthn') {
    let response: unknown = null;
    try {
      response = JSON.parse(web.str(body, 'response', 12_000));
    } catch {
      response = null;
    }
    return { kind: 'webauthn', response };
  }
  if (method === 'recovery') return { kind: 'recovery', code: web.str(body, 'code', 64) };
  if (method === 'password') return { kind: 'password', password: web.str(body, 'password', 1100) };
  return { kind: 'totp', code: web.str(body, 'code', 16) };
}

export function pickMethod(query: unknown, methods: { kind: string }[]): 'totp' | 'webauthn' | 'recovery' {
  const asked = query && typeof query === 'object' ? (query as Record<string, unknown>).method : undefined;
  const kinds = new Set(methods.map((m) => m.kind));
  if (asked === 'recovery') return 'recovery';
  if ((asked === 'totp' || asked === 'webauthn') && kinds.has(asked)) return asked;
  const first = methods[0]?.kind;
  return first === 'webauthn' ? 'webauthn' : first === 'totp' ? 'totp' : 'recovery';
}

export function registerSignInPages(app: FastifyInstance, web: Web): void {
  const { core } = web;

  async function signInPage(
    req: FastifyRequest,
    reply: FastifyReply,
    o: { username?: string; error?: string | null; status?: number; info?: string | null },
  ) {
    const w = req.words;
    const csrf = web.csrf(req, reply);
    const q = req.query as Record<string, unknown>;
    const returnTo = web.localPath(q?.return, '');
    // An app behind a forward-auth proxy sent the browser here; only a checked address travels on.
    const rd = returnTo ? null : web.sso.returnAddress(q?.rd);
    // Where the person is going, in their words: an OpenID Connect app by its name, a proxied app by
    // its host.
    const interaction = /^\/oidc\/interaction\/([\w-]+)$/.exec(returnTo)?.[1];
    const goingTo = interaction
      ? await core.oidcState.appOfInteraction(interaction)
      : rd
        ? new URL(rd).host
        : null;
    return web.html(
      reply,
      page({
        title: w.t('signIn.title'),
        narrow: true,
        words: w,
        flash: o.info ? { kind: 'info', text: o.info } : null,
        body: html`${pageHeader(
          goingTo ? w.t('signIn.continueTo', { app: goingTo }) : w.t('signIn.title'),
          w.t('signIn.lead'),
        )}
${o.error ? notice('error', o.error) : ''}
${postForm(
  returnTo
    ? `/sign-in?return=${encodeURIComponent(returnTo)}`
    : rd
      ? `/sign-in?rd=${encodeURIComponent(rd)}`
      : '/sign-in',
  csrf,
  html`${field({ name: 'username', label: w.t('signIn.username.label'), autocomplete: 'username', required: true, autofocus: !o.username, value: o.username ?? '', spellcheck: false, maxlength: 254, words: w })}
${field({ name: 'password', label: w.t('signIn.password.label'), type: 'password', autocomplete: 'current-password', required: true, autofocus: !!o.username, maxlength: 1024, words: w })}
<div class="actions">${button(w.t('signIn.submit'))}</div>`,
)}
<p class="muted small">${w.t('signIn.appHint')}</p>
${languageSwitcher(w, csrf, req.url.length < 512 ? req.url : '/sign-in')}`,
      }),
      o.status ?? 200,
    );
  }

  app.get('/', async (req, reply) => reply.redirect((await web.session(req)) ? '/account' : '/sign-in', 303));

  app.get('/sign-in', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    if (q?.restart) web.clearCookie(reply, COOKIE.flow);
    else if (await web.session(req)) {
      // Signed in already, and an app sent the browser here: its single sign-on cookie is missing (made
      // before LATCHKEY_COOKIE_DOMAIN was set, or deleted). A new one, and back to the app.
      const rd = web.sso.returnAddress(q?.rd);
      if (rd === null) return reply.redirect('/account', 303);
      await web.sso.issueCookie(reply, req.cookies[COOKIE.session]!);
      return reply.redirect(rd, 303);
    }
    return signInPage(req, reply, { info: q?.['signed-out'] ? req.words.t('signIn.signedOut') : null });
  });

  // After a sign-in for an app behind a forward-auth proxy (completeSignIn): on to the app, by the
  // Refresh header, with a link for browsers that do not follow it.
  app.get('/sign-in/continue', async (req, reply) => {
    const rd = web.sso.returnAddress((req.query as Record<string, unknown>)?.rd);
    if (rd === null) return reply.redirect('/account', 303);
    if (!(await web.session(req))) return reply.redirect(`/sign-in?rd=${encodeURIComponent(rd)}`, 303);
    reply.header('refresh', `0;url=${rd}`);
    const w = req.words;
    return web.html(
      reply,
      page({
        title: w.t('continue.title'),
        narrow: true,
        words: w,
        body: html`${pageHeader(w.t('continue.heading'), w.t('continue.lead', { host: new URL(rd).host }))}
<div class="actions">${linkButton(rd, w.t('common.continue'), 'primary')}</div>`,
      }),
    );
  });

  app.post('/sign-in', async (req, reply) => {
    const username = web.str(req.body, 'username', 300);
    const password = web.str(req.body, 'password', 1100);
    const q = req.query as Record<string, unknown>;
    const returnTo = web.localPath(q?.return, '') || web.sso.returnAddress(q?.rd);
    const r = await core.browser.start(
      { username, password, deviceToken: req.cookies[COOKIE.device] ?? null, returnTo },
      web.client(req),
    );
    if (!r.ok) {
      const error = req.words.t(
        r.reason === 'app_password_in_browser'
          ? 'signIn.error.appPassword'
          : r.reason === 'throttled'
            ? 'signIn.error.throttled'
            : 'signIn.error.wrong',
      );
      const status = r.reason === 'throttled' ? 429 : 401;
      return signInPage(req, reply, { username: username.slice(0, 254), error, status });
    }
    if ('done' in r) return completeSignIn(web, req, reply, r);
    web.setCookie(reply, COOKIE.flow, r.flowToken);
    return reply.redirect(STEP_PATH[r.step], 303);
  });

  // ---- one-time password → a password of the person's own

  function newPasswordPage(
    req: FastifyRequest,
    reply: FastifyReply,
    flow: FlowView,
    error: string | null,
    status = 200,
  ) {
    const w = req.words;
    return web.html(
      reply,
      page({
        title: w.t('newPassword.title'),
        narrow: true,
        words: w,
        body: html`${pageHeader(w.t('newPassword.title'), w.t('newPassword.lead'))}
${who(w, flow)}
${error ? notice('error', error) : ''}
${postForm(
  '/sign-in/new-password',
  web.csrf(req, reply),
  html`<input type="text" name="username" value="${flow.user.username}" autocomplete="username" class="visually-hidden" tabindex="-1" aria-hidden="true" readonly>
${field({ name: 'password', label: w.t('newPassword.label'), type: 'password', autocomplete: 'new-password', required: true, minlength: MIN_PASSWORD_LENGTH, maxlength: 1024, autofocus: true, hint: w.t('newPassword.hint', { count: MIN_PASSWORD_LENGTH }), words: w })}
${field({ name: 'confirm', label: w.t('newPassword.confirm'), type: 'password', autocomplete: 'new-password', required: true, maxlength: 1024, words: w })}
<div class="actions">${button(w.t('newPassword.save'))}</div>`,
)}`,
      }),
      status,
    );
  }

  app.get('/sign-in/new-password', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['change_password']);
    return flow ? newPasswordPage(req, reply, flow, null) : reply;
  });

  app.post('/sign-in/new-password', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['change_password']);
    if (!flow) return reply;
    try {
      const r = await core.browser.changePassword(
        req.cookies[COOKIE.flow],
        {
          password: web.str(req.body, 'password', 1100),
          confirm: web.str(req.body, 'confirm', 1100),
          deviceToken: req.cookies[COOKIE.device] ?? null,
        },
        web.client(req),
      );
      if ('done' in r) return completeSignIn(web, req, reply, r);
      return reply.redirect(STEP_PATH[r.step], 303);
    } catch (e) {
      if (isLatchkeyError(e) && e.status < 500 && e.code !== 'FLOW_EXPIRED' && e.code !== 'FLOW_STEP') {
        return newPasswordPage(req, reply, flow, errorText(req.words, e), 400);
      }
      throw e;
    }
  });

  // ---- the second step

  async function verifyPage(
    req: FastifyRequest,
    reply: FastifyReply,
    flow: FlowView,
    error: string | null,
    status = 200,
    asked?: unknown,
  ) {
    const method = pickMethod(asked ?? req.query, flow.methods);
    const options =
      method === 'webauthn' ? await core.browser.webAuthnChallenge(req.cookies[COOKIE.flow]) : null;
    const settings = await core.settings.current();
    const w = req.words;
    return web.html(
      reply,
      page({
        title: w.t('verify.title'),
        narrow: true,
        words: w,
        scripts: method === 'webauthn' ? ['/static/simplewebauthn-browser.js', '/static/webauthn.js'] : [],
        body: html`${pageHeader(w.t('verify.title'), w.t('verify.lead'))}
${who(w, flow)}
${challengeForm({ action: '/sign-in/verify', csrf: web.csrf(req, reply), method, webauthnOptions: options, error, rememberDays: settings.rememberDeviceDays, words: w })}
${otherMethods('/sign-in/verify', method, new Set(flow.methods.map((m) => m.kind)), w)}`,
      }),
      status,
    );
  }

  app.get('/sign-in/verify', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['two_step']);
    return flow ? verifyPage(req, reply, flow, null) : reply;
  });

  app.post('/sign-in/verify', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['two_step']);
    if (!flow) return reply;
    const v = verificationOf(web, req.body);
    try {
      const r = await core.browser.verifyTwoStep(req.cookies[COOKIE.flow], v, web.client(req), {
        remember: web.str(req.body, 'remember', 8) === 'on',
      });
      if ('sudo' in r) return reply.redirect('/account', 303);
      return completeSignIn(web, req, reply, r);
    } catch (e) {
      if (
        isLatchkeyError(e) &&
        (e.code === 'CODE_INVALID' || e.code === 'RECOVERY_CODE_INVALID' || e.code === 'SECURITY_KEY_FAILED')
      ) {
        return verifyPage(req, reply, flow, errorText(req.words, e), 400, { method: v.kind });
      }
      if (isLatchkeyError(e) && e.code === 'FLOW_EXPIRED') return expired(web, req, reply);
      throw e;
    }
  });

  // ---- registration of the first method

  async function registerPage(
    req: FastifyRequest,
    reply: FastifyReply,
    flow: FlowView,
    error: string | null,
    status = 200,
    asked?: string,
  ) {
    const q = req.query as Record<string, unknown>;
    const kind = (asked ?? q?.method) === 'webauthn' ? 'webauthn' : 'totp';
    const csrf = web.csrf(req, reply);
    const w = req.words;
    let body: SafeHtml;
    if (kind === 'webauthn') {
      const options = await core.browser.webAuthnRegistration(req.cookies[COOKIE.flow]);
      body = html`<h2>${w.t('register.webauthn.heading')}</h2>
<form method="post" action="/sign-in/register" data-webauthn="register" data-options="${JSON.stringify(options)}">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="method" value="webauthn">
<input type="hidden" name="response" value="">
${field({ name: 'name', label: w.t('register.webauthn.name.label'), value: w.t('register.webauthn.name.default'), maxlength: 64, required: true, hint: w.t('register.webauthn.name.hint'), words: w })}
${error ? notice('error', error) : ''}
<p class="status" data-webauthn-status role="status" aria-live="polite"></p>
<div class="actions">${button(w.t('register.webauthn.submit'))}</div>
</form>
<p><a href="/sign-in/register?method=totp">${w.t('register.useTotp')}</a></p>`;
    } else {
      const setup = await core.browser.totpSetup(req.cookies[COOKIE.flow]);
      body = html`<h2>${w.t('register.totp.heading')}</h2>
<ol class="steps">
<li>${w.t('register.totp.install')}</li>
<li>${w.t('register.totp.scan')}</li>
</ol>
${qrCode(setup.uri, w)}
<details class="manual-key"><summary>${w.t('register.totp.manual')}</summary>
<p>${w.markup('register.totp.account', { account: html`<strong>${flow.user.email ?? flow.user.username}</strong>` })}</p>
<p class="secret-value small" id="totp-seed">${formatSeed(setup.seed)}</p>
</details>
${postForm(
  '/sign-in/register',
  csrf,
  html`<input type="hidden" name="method" value="totp">
${field({ name: 'code', label: w.t('register.totp.code'), inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,7}', maxlength: 7, required: true, spellcheck: false, error, words: w })}
<div class="actions">${button(w.t('register.totp.submit'))}</div>`,
)}
<p><a href="/sign-in/register?method=webauthn">${w.t('register.useWebauthn')}</a></p>`;
    }
    return web.html(
      reply,
      page({
        title: w.t('register.title'),
        narrow: true,
        words: w,
        scripts: kind === 'webauthn' ? ['/static/simplewebauthn-browser.js', '/static/webauthn.js'] : [],
        body: html`${pageHeader(w.t('register.title'), w.t('register.lead'))}
${who(w, flow)}
${body}`,
      }),
      status,
    );
  }

  app.get('/sign-in/register', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['register']);
    return flow ? registerPage(req, reply, flow, null) : reply;
  });

  app.post('/sign-in/register', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['register']);
    if (!flow) return reply;
    const kind = web.str(req.body, 'method', 16) === 'webauthn' ? 'webauthn' : 'totp';
    try {
      if (kind === 'webauthn') {
        let response: unknown = null;
        try {
          response = JSON.parse(web.str(req.body, 'response', 12_000));
        } catch {
          response = null;
        }
        await core.browser.register(
          req.cookies[COOKIE.flow],
          { kind, response, name: web.str(req.body, 'name', 200) },
          web.client(req),
        );
      } else {
        await core.browser.register(
          req.cookies[COOKIE.flow],
          // Named in the person's language, as the account page names one added later.
          { kind, code: web.str(req.body, 'code', 16), name: req.words.t('account.kind.totp') },
          web.client(req),
        );
      }
      return reply.redirect('/sign-in/recovery-codes', 303);
    } catch (e) {
      if (
        isLatchkeyError(e) &&
        ['CODE_INVALID', 'SECURITY_KEY_FAILED', 'METHOD_NAME_INVALID'].includes(e.code)
      ) {
        return registerPage(req, reply, flow, errorText(req.words, e), 400, kind);
      }
      throw e;
    }
  });

  // ---- recovery codes, shown once

  app.get('/sign-in/recovery-codes', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['recovery_codes']);
    if (!flow) return reply;
    const codes = await core.browser.recoveryCodes(req.cookies[COOKIE.flow]);
    const w = req.words;
    return web.html(
      reply,
      page({
        title: w.t('recovery.title'),
        narrow: true,
        words: w,
        body: html`${pageHeader(w.t('recovery.title'), w.t('recovery.lead'))}
${secretBox({ id: 'recovery-codes', label: w.t('recovery.label'), secret: codes.join('\n'), copyLabel: w.t('recovery.copy'), words: w })}
<p class="muted small">${w.t('recovery.once')}</p>
${postForm('/sign-in/recovery-codes', web.csrf(req, reply), html`<div class="actions">${button(w.t('recovery.saved'))}</div>`)}`,
      }),
    );
  });

  app.post('/sign-in/recovery-codes', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['recovery_codes']);
    if (!flow) return reply;
    const r = await core.browser.recoveryCodesSaved(req.cookies[COOKIE.flow], web.client(req));
    if ('done' in r) return completeSignIn(web, req, reply, r);
    return reply.redirect(STEP_PATH[r.step], 303);
  });

  // ---- R7: the first app password at the end of registration

  function firstAppPasswordPage(
    req: FastifyRequest,
    reply: FastifyReply,
    flow: FlowView,
    error: string | null,
    status = 200,
  ) {
    const csrf = web.csrf(req, reply);
    const already = flow.step === 'first_app_password_shown';
    const w = req.words;
    return web.html(
      reply,
      page({
        title: w.t('firstApp.title'),
        narrow: true,
        words: w,
        body: html`${pageHeader(w.t('firstApp.heading'), w.t('firstApp.lead'))}
${
  already
    ? html`${notice('info', w.t('firstApp.already'))}
${postForm('/sign-in/done', csrf, html`<div class="actions">${button(w.t('common.done'))}</div>`)}`
    : html`<h2>${w.t('firstApp.create')}</h2>
${postForm(
  '/sign-in/app-password',
  csrf,
  html`${field({ name: 'label', label: w.t('firstApp.label'), hint: w.t('firstApp.hint'), required: true, maxlength: 64, autofocus: true, error, words: w })}
<div class="actions">${button(w.t('firstApp.next'))}</div>`,
)}
${postForm('/sign-in/done', csrf, html`<div class="actions">${button(w.t('firstApp.skip'), { kind: 'link' })}</div>`)}`
}`,
      }),
      status,
    );
  }

  app.get('/sign-in/app-password', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['first_app_password', 'first_app_password_shown']);
    return flow ? firstAppPasswordPage(req, reply, flow, null) : reply;
  });

  app.post('/sign-in/app-password', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['first_app_password', 'first_app_password_shown']);
    if (!flow) return reply;
    if (flow.step === 'first_app_password_shown') return firstAppPasswordPage(req, reply, flow, null, 409);
    let created: { password: string; label: string };
    try {
      created = await core.browser.firstAppPassword(
        req.cookies[COOKIE.flow],
        { label: web.str(req.body, 'label', 300) },
        web.client(req),
      );
    } catch (e) {
      if (isLatchkeyError(e) && (e.code === 'LABEL_INVALID' || e.code === 'APP_PASSWORD_LIMIT')) {
        return firstAppPasswordPage(req, reply, flow, errorText(req.words, e), 400);
      }
      throw e;
    }
    const w = req.words;
    return web.html(
      reply,
      page({
        title: w.t('appPassword.title'),
        narrow: true,
        words: w,
        body: html`${pageHeader(w.t('appPassword.heading', { label: created.label }), w.t('appPassword.lead'))}
${secretBox({ id: 'app-password', label: w.t('appPassword.label'), secret: created.password, words: w })}
${notice('warning', w.t('appPassword.once'))}
${postForm('/sign-in/done', web.csrf(req, reply), html`<div class="actions">${button(w.t('common.done'))}</div>`)}`,
      }),
    );
  });

  app.post('/sign-in/done', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['first_app_password', 'first_app_password_shown']);
    if (!flow) return reply;
    return completeSignIn(
      web,
      req,
      reply,
      await core.browser.finishRegistration(req.cookies[COOKIE.flow], web.client(req)),
    );
  });

  app.post('/sign-out', async (req, reply) => {
    await core.browser.signOut(req.cookies[COOKIE.session]);
    web.clearCookie(reply, COOKIE.session);
    web.clearCookie(reply, COOKIE.flow);
    // Its token ended with the session; the cookie goes too.
    web.sso.clearCookie(reply);
    // A redirect, so that the next form is built without the cookies just deleted, and a reload does
    // not post again.
    return reply.redirect('/sign-in?signed-out=1', 303);
  });

  // The language switcher: this browser remembers the choice in a cookie; a signed-in person's account
  // remembers it too, so it follows them to other browsers. A language we do not have changes nothing.
  app.post('/language', async (req, reply) => {
    const lang = web.str(req.body, 'lang', 16);
    const back = web.localPath(web.str(req.body, 'return', 600), '/sign-in');
    if (!isLang(lang)) return reply.redirect(back, 303);
    web.setCookie(reply, COOKIE.lang, lang, LANGUAGE_COOKIE_SECONDS);
    const s = await web.session(req);
    if (s) await core.users.setUserLanguage(s.actor, s.user.username, lang);
    return reply.redirect(back, 303);
  });
}

export { LatchkeyError };
