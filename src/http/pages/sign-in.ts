// The sign-in pages: password → (new password) → two-step check or registration → recovery codes →
// the first app password (R7) → the account. Each step is a plain form POST on a persisted flow
// (core/browser.ts); a GET of a step the flow is not at redirects to the step it is at.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderSVG } from 'uqr';
import type { Finished, FlowStep, FlowView, Verification } from '../../core/browser.js';
import { isLatchkeyError, LatchkeyError } from '../../core/errors.js';
import { formatSeed } from '../../crypto/totp.js';
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

export const APP_PASSWORD_IN_BROWSER =
  'That is an app password. App passwords are only for apps that cannot do two-step verification, such as mail apps on your phone or computer; they never open this page. Sign in with your account password.';
const WRONG_PASSWORD = 'The username or password is not right. Check them and try again.';
const THROTTLED =
  'Too many sign-in attempts are coming from your network right now, so this one was not checked. Wait a minute and try again.';

const DEVICE_DAYS_MAX = 400;

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
    const days = Math.min((await web.core.ctx.settings.get()).rememberDeviceDays, DEVICE_DAYS_MAX);
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
  return web.html(
    reply,
    page({
      title: 'Sign-in expired',
      narrow: true,
      body: html`${pageHeader('This sign-in has expired', 'For your security, each sign-in must be finished within 15 minutes, and each step can be used once.')}
<p class="muted">Reference: <code>${req.id}</code></p>
<div class="actions">${linkButton('/sign-in', 'Sign in again', 'primary')}</div>`,
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

function who(flow: FlowView): SafeHtml {
  return html`<p class="signing-in-as">Signing in as <strong>${flow.user.displayName ?? flow.user.username}</strong> · <a href="/sign-in?restart=1">Not you?</a></p>`;
}

export function qrCode(uri: string): SafeHtml {
  // uqr draws with presentation attributes only (no style attribute): it passes the strict CSP.
  return html`<div class="qr" role="img" aria-label="QR code for your authenticator app">${raw(renderSVG(uri, { border: 2 }))}</div>`;
}

/** The form for one way of passing the second step; shared by sign-in and sudo. */
export function challengeForm(o: {
  action: string;
  csrf: string;
  method: 'totp' | 'webauthn' | 'recovery' | 'password';
  webauthnOptions: unknown;
  error: string | null;
  rememberDays: number;
}): SafeHtml {
  const remember =
    o.rememberDays > 0
      ? checkbox({
          name: 'remember',
          label: `Don't ask again on this device for ${o.rememberDays} day${o.rememberDays === 1 ? '' : 's'}`,
          hint: 'Only on a device that is yours alone.',
        })
      : '';
  if (o.method === 'webauthn') {
    return html`<form method="post" action="${o.action}" data-webauthn="authenticate" data-options="${JSON.stringify(o.webauthnOptions)}">
<input type="hidden" name="_csrf" value="${o.csrf}">
<input type="hidden" name="method" value="webauthn">
<input type="hidden" name="response" value="">
<p>Use your security key or passkey: insert or touch it, or follow your device's prompt.</p>
${o.error ? notice('error', o.error) : ''}
<p class="status" data-webauthn-status role="status" aria-live="polite"></p>
${remember}
<div class="actions">${button('Use security key or passkey')}</div>
</form>`;
  }
  if (o.method === 'password') {
    return postForm(
      o.action,
      o.csrf,
      html`<input type="hidden" name="method" value="password">
${field({ name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password', required: true, autofocus: true, error: o.error })}
<div class="actions">${button('Confirm')}</div>`,
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
        label: 'Recovery code',
        hint: 'One of the ten codes you saved when you set up two-step verification, like abcde-fghij. Each works once.',
        autocomplete: 'off',
        spellcheck: false,
        required: true,
        autofocus: true,
        maxlength: 32,
        error: o.error,
      })
    : field({
        name: 'code',
        label: 'Code from your authenticator app',
        hint: 'Open the app and type the 6-digit code it shows for Latchkey.',
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
<div class="actions">${button('Verify')}</div>`,
  );
}

export function otherMethods(base: string, current: string, kinds: Set<string>): SafeHtml {
  const links: SafeHtml[] = [];
  if (current !== 'totp' && kinds.has('totp'))
    links.push(html`<li><a href="${base}?method=totp">Use a code from your authenticator app</a></li>`);
  if (current !== 'webauthn' && kinds.has('webauthn'))
    links.push(html`<li><a href="${base}?method=webauthn">Use your security key or passkey</a></li>`);
  if (current !== 'recovery')
    links.push(html`<li><a href="${base}?method=recovery">Use a recovery code</a></li>`);
  return html`<details class="other-methods"><summary>Other ways to verify</summary><ul>${links}</ul></details>`;
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
        title: 'Sign in',
        narrow: true,
        flash: o.info ? { kind: 'info', text: o.info } : null,
        body: html`${pageHeader(
          goingTo ? `Sign in to continue to ${goingTo}` : 'Sign in',
          'Use your account name and password. You may be asked for a second step next.',
        )}
${o.error ? notice('error', o.error) : ''}
${postForm(
  returnTo
    ? `/sign-in?return=${encodeURIComponent(returnTo)}`
    : rd
      ? `/sign-in?rd=${encodeURIComponent(rd)}`
      : '/sign-in',
  csrf,
  html`${field({ name: 'username', label: 'Username or email', autocomplete: 'username', required: true, autofocus: !o.username, value: o.username ?? '', spellcheck: false, maxlength: 254 })}
${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true, autofocus: !!o.username, maxlength: 1024 })}
<div class="actions">${button('Sign in')}</div>`,
)}
<p class="muted small">Setting up a mail app or another app that asks for your password? Sign in here and create an app password for it.</p>`,
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
    return signInPage(req, reply, { info: q?.['signed-out'] ? 'You are signed out.' : null });
  });

  // After a sign-in for an app behind a forward-auth proxy (completeSignIn): on to the app, by the
  // Refresh header, with a link for browsers that do not follow it.
  app.get('/sign-in/continue', async (req, reply) => {
    const rd = web.sso.returnAddress((req.query as Record<string, unknown>)?.rd);
    if (rd === null) return reply.redirect('/account', 303);
    if (!(await web.session(req))) return reply.redirect(`/sign-in?rd=${encodeURIComponent(rd)}`, 303);
    reply.header('refresh', `0;url=${rd}`);
    return web.html(
      reply,
      page({
        title: 'Signed in',
        narrow: true,
        body: html`${pageHeader('You are signed in', `Taking you back to ${new URL(rd).host}…`)}
<div class="actions">${linkButton(rd, 'Continue', 'primary')}</div>`,
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
      const error =
        r.reason === 'app_password_in_browser'
          ? APP_PASSWORD_IN_BROWSER
          : r.reason === 'throttled'
            ? THROTTLED
            : WRONG_PASSWORD;
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
    return web.html(
      reply,
      page({
        title: 'Choose your password',
        narrow: true,
        body: html`${pageHeader('Choose your password', 'You signed in with a one-time password. Choose your own now; the one-time password stops working.')}
${who(flow)}
${error ? notice('error', error) : ''}
${postForm(
  '/sign-in/new-password',
  web.csrf(req, reply),
  html`<input type="text" name="username" value="${flow.user.username}" autocomplete="username" class="visually-hidden" tabindex="-1" aria-hidden="true" readonly>
${field({ name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8, maxlength: 1024, autofocus: true, hint: 'At least 8 characters. A few unrelated words make a strong password that is easy to type.' })}
${field({ name: 'confirm', label: 'Type it again', type: 'password', autocomplete: 'new-password', required: true, maxlength: 1024 })}
<div class="actions">${button('Save password')}</div>`,
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
        return newPasswordPage(req, reply, flow, e.message, 400);
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
    const settings = await core.ctx.settings.get();
    return web.html(
      reply,
      page({
        title: 'Two-step verification',
        narrow: true,
        scripts: method === 'webauthn' ? ['/static/simplewebauthn-browser.js', '/static/webauthn.js'] : [],
        body: html`${pageHeader('Two-step verification', 'Your account is protected with a second step. Prove it is you.')}
${who(flow)}
${challengeForm({ action: '/sign-in/verify', csrf: web.csrf(req, reply), method, webauthnOptions: options, error, rememberDays: settings.rememberDeviceDays })}
${otherMethods('/sign-in/verify', method, new Set(flow.methods.map((m) => m.kind)))}`,
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
        return verifyPage(req, reply, flow, e.message, 400, { method: v.kind });
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
    let body: SafeHtml;
    if (kind === 'webauthn') {
      const options = await core.browser.webAuthnRegistration(req.cookies[COOKIE.flow]);
      body = html`<h2>Security key or passkey</h2>
<form method="post" action="/sign-in/register" data-webauthn="register" data-options="${JSON.stringify(options)}">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="method" value="webauthn">
<input type="hidden" name="response" value="">
${field({ name: 'name', label: 'Name this key', value: 'Security key', maxlength: 64, required: true, hint: 'So you can tell your keys apart later, for example "Blue key" or "Laptop passkey".' })}
${error ? notice('error', error) : ''}
<p class="status" data-webauthn-status role="status" aria-live="polite"></p>
<div class="actions">${button('Register security key or passkey')}</div>
</form>
<p><a href="/sign-in/register?method=totp">Use an authenticator app instead</a></p>`;
    } else {
      const setup = await core.browser.totpSetup(req.cookies[COOKIE.flow]);
      body = html`<h2>Authenticator app</h2>
<ol class="steps">
<li>Install an authenticator app on your phone if you have none (for example Microsoft Authenticator, Google Authenticator, 2FAS or Aegis).</li>
<li>In the app, add an account and scan this QR code.</li>
</ol>
${qrCode(setup.uri)}
<details class="manual-key"><summary>Can't scan it? Type this key instead</summary>
<p>Account: <strong>${flow.user.email ?? flow.user.username}</strong>, time-based.</p>
<p class="secret-value small" id="totp-seed">${formatSeed(setup.seed)}</p>
</details>
${postForm(
  '/sign-in/register',
  csrf,
  html`<input type="hidden" name="method" value="totp">
${field({ name: 'code', label: 'Type the 6-digit code the app shows', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,7}', maxlength: 7, required: true, spellcheck: false, error })}
<div class="actions">${button('Verify and continue')}</div>`,
)}
<p><a href="/sign-in/register?method=webauthn">Use a security key or passkey instead</a></p>`;
    }
    return web.html(
      reply,
      page({
        title: 'Set up two-step verification',
        narrow: true,
        scripts: kind === 'webauthn' ? ['/static/simplewebauthn-browser.js', '/static/webauthn.js'] : [],
        body: html`${pageHeader('Set up two-step verification', 'Your organization asks for a second step when you sign in. Set it up now; it takes a minute.')}
${who(flow)}
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
          { kind, code: web.str(req.body, 'code', 16) },
          web.client(req),
        );
      }
      return reply.redirect('/sign-in/recovery-codes', 303);
    } catch (e) {
      if (
        isLatchkeyError(e) &&
        ['CODE_INVALID', 'SECURITY_KEY_FAILED', 'METHOD_NAME_INVALID'].includes(e.code)
      ) {
        return registerPage(req, reply, flow, e.message, 400, kind);
      }
      throw e;
    }
  });

  // ---- recovery codes, shown once

  app.get('/sign-in/recovery-codes', async (req, reply) => {
    const flow = await flowAt(web, req, reply, ['recovery_codes']);
    if (!flow) return reply;
    const codes = await core.browser.recoveryCodes(req.cookies[COOKIE.flow]);
    return web.html(
      reply,
      page({
        title: 'Save your recovery codes',
        narrow: true,
        body: html`${pageHeader('Save your recovery codes', 'If you lose your phone or security key, each of these codes lets you sign in once. Keep them somewhere safe, away from your devices: print them, or store them in a password manager.')}
${secretBox({ id: 'recovery-codes', label: 'Your recovery codes', secret: codes.join('\n'), copyLabel: 'Copy codes to clipboard' })}
<p class="muted small">You will not see these codes again. You can make new ones in your account at any time.</p>
${postForm('/sign-in/recovery-codes', web.csrf(req, reply), html`<div class="actions">${button("I've saved them, continue")}</div>`)}`,
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
    return web.html(
      reply,
      page({
        title: 'Your first app password',
        narrow: true,
        body: html`${pageHeader('Two-step verification is on', 'From now on, apps that cannot ask for a second step — mail apps, calendars, anything that only asks for a password — need an app password instead of your account password.')}
${
  already
    ? html`${notice('info', 'Your first app password was already shown. You can create more in your account.')}
${postForm('/sign-in/done', csrf, html`<div class="actions">${button('Done')}</div>`)}`
    : html`<h2>Create your first app password</h2>
${postForm(
  '/sign-in/app-password',
  csrf,
  html`${field({ name: 'label', label: 'Name the device you will use it on', hint: 'One app password per device, not per app: for example "Phone" or "Work laptop".', required: true, maxlength: 64, autofocus: true, error })}
<div class="actions">${button('Next')}</div>`,
)}
${postForm('/sign-in/done', csrf, html`<div class="actions">${button('Skip for now', { kind: 'link' })}</div>`)}`
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
        return firstAppPasswordPage(req, reply, flow, e.message, 400);
      }
      throw e;
    }
    return web.html(
      reply,
      page({
        title: 'Your app password',
        narrow: true,
        body: html`${pageHeader(`App password for ${created.label}`, 'Type or paste it into the app on that device where it asks for your password. Spaces do not matter.')}
${secretBox({ id: 'app-password', label: 'Your new app password', secret: created.password })}
${notice('warning', 'This is the only time you will see it. You do not need to remember it: if you need one again, create a new one.')}
${postForm('/sign-in/done', web.csrf(req, reply), html`<div class="actions">${button('Done')}</div>`)}`,
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
}

export { LatchkeyError };
