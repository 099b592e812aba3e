// My account: security info (methods, recovery codes, remembered devices, sessions), app passwords
// exactly as R4–R9 describe them, change password (B3), the person's own sign-ins in plain words, and
// help. Changes to methods, the password and new app passwords need a recent two-step check (sudo
// mode, B7): without one the page asks for it and then comes back.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../core/browser.js';
import { isLatchkeyError } from '../../core/errors.js';
import {
  deviceServices,
  issueAppleProfile,
  offerAppleProfile,
  profileOffered,
} from '../../core/mail-profile.js';
import type { MethodView } from '../../core/methods.js';
import { DOORS } from '../../core/validate.js';
import { type CmsSigner, createCmsSigner } from '../../crypto/cms-sign.js';
import { formatSeed, totpUri } from '../../crypto/totp.js';
import { COOKIE, type Web } from '../web.js';
import { registerAppAccessPages } from './apps.js';
import { guarded, named, pageGuards, pageOf } from './guards.js';
import { html, type SafeHtml } from './html.js';
import {
  button,
  checkbox,
  definitionList,
  field,
  linkButton,
  notice,
  page,
  pageHeader,
  postForm,
  secretBox,
  select,
  table,
  timeAgo,
} from './layout.js';
import { challengeForm, otherMethods, pickMethod, qrCode } from './sign-in.js';
import { describeSignIn, doorLabel, repeats, shortAgent } from './sign-in-events.js';

/** "mail, calendars and contacts": what a profile from these settings sets up. */
function describeServices(d: ReturnType<typeof deviceServices>): string {
  const parts = [
    ...(d.imap && d.smtp ? ['mail'] : []),
    ...(d.calDav ? ['calendars'] : []),
    ...(d.cardDav ? ['contacts'] : []),
  ];
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

const KIND_LABEL: Record<string, string> = { totp: 'Authenticator app', webauthn: 'Security key or passkey' };

export interface AccountPagesOptions {
  /** The server's TLS certificate and key (PEM): Apple profiles are signed with them when set. */
  tls?: { cert: Buffer; key: Buffer } | null;
}

export function registerAccountPages(app: FastifyInstance, web: Web, opts: AccountPagesOptions = {}): void {
  const { core } = web;
  // Read once, at the first profile: a certificate that cannot sign leaves profiles unsigned, and says why.
  let signer: Promise<CmsSigner | null> | null = null;
  const profileSigner = (): Promise<CmsSigner | null> => {
    const tls = opts.tls ?? null;
    signer ??=
      tls === null
        ? Promise.resolve(null)
        : createCmsSigner(tls.cert.toString('utf8'), tls.key.toString('utf8')).catch((e: Error) => {
            app.log.warn(
              { reason: e.message },
              'Apple profiles go out unsigned: the TLS certificate cannot sign',
            );
            return null;
          });
    return signer;
  };
  registerAppAccessPages(app, web);

  const { requireSession, requireSudo } = pageGuards(web);

  /**
   * The app-password pages exist for this person only when their organization allows app passwords
   * and they have a use for them (two-step on, or app passwords required for every app); else a 404
   * that says why.
   */
  const requireAppPasswords = named('app-passwords', async (req, reply) => {
    const s = pageOf(req).session;
    if (await web.showAppPasswords(s)) return;
    const settings = await core.ctx.settings.get();
    await web.render(req, reply, s, {
      title: 'App passwords',
      nav: null,
      status: 404,
      body: html`${pageHeader('App passwords')}${notice('info', settings.allowAppPasswords ? 'App passwords are for accounts with two-step verification. Yours is off, so your apps use your account password.' : 'Your organization does not allow app passwords.')}`,
    });
    return reply;
  });

  /** The kind of method being added: from the address of the form, or from the form itself. */
  const methodKind = (req: FastifyRequest): 'webauthn' | 'totp' =>
    (req.method === 'GET' ? (req.query as Record<string, unknown>)?.kind : web.str(req.body, 'kind', 16)) ===
    'webauthn'
      ? 'webauthn'
      : 'totp';

  function actor(req: FastifyRequest, s: SessionView) {
    return { ...s.actor, ip: req.ip };
  }

  const flashOf = (req: FastifyRequest): Parameters<typeof page>[0]['flash'] => {
    const done = (req.query as Record<string, unknown>)?.done;
    const text: Record<string, string> = {
      'method-added': 'Your new verification method is ready.',
      'method-removed': 'The verification method was removed.',
      'default-changed': 'Your default verification method was changed.',
      'devices-forgotten': 'Remembered devices will ask for the second step again.',
      'password-changed': 'Your password was changed. Other browsers were signed out.',
    };
    return typeof done === 'string' && text[done] ? { kind: 'success', text: text[done]! } : null;
  };

  // ---- security info

  app.get('/account', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    const csrf = web.csrf(req, reply);
    const now = core.ctx.now();
    const settings = await core.ctx.settings.get();
    const info = await core.methods.summary(s.user.id);
    const state = (await core.users.getUser(s.actor, s.user.username)).twoStepEffective;
    const stateText: Record<string, string> = {
      disabled: 'Off. Your administrator turns it on for your account.',
      enabled: 'On: set up your methods at your next sign-in.',
      enforced: 'On. Apps that cannot ask for a second step need app passwords.',
    };
    const methodRows = info.methods.map((m: MethodView) => [
      html`<strong>${m.name}</strong>${m.isDefault ? html` <span class="badge">Default</span>` : ''}`,
      KIND_LABEL[m.kind] ?? m.kind,
      timeAgo(m.createdAt, now),
      timeAgo(m.lastUsedAt, now),
      html`<div class="row-actions">${
        m.isDefault
          ? ''
          : postForm(
              `/account/methods/${m.id}/default`,
              csrf,
              button('Make default', { kind: 'secondary' }),
              { class: 'inline' },
            )
      }${linkButton(`/account/methods/${m.id}/remove`, 'Remove', 'danger')}</div>`,
    ]);
    const body = html`${pageHeader('Security info', 'The ways you prove it is you when you sign in.')}
<section class="card-section" aria-labelledby="h-2sv">
<h2 id="h-2sv">Two-step verification</h2>
${definitionList([['Status', stateText[state] ?? state]])}
</section>
${
  state === 'disabled' && info.methods.length === 0
    ? ''
    : html`<section class="card-section" aria-labelledby="h-methods">
<h2 id="h-methods">Verification methods</h2>
${table({ caption: 'Your verification methods', head: ['Name', 'Type', 'Added', 'Last used', ''], rows: methodRows, empty: 'You have no verification method yet.' })}
<div class="actions">${linkButton('/account/methods/new?kind=totp', 'Add authenticator app', 'primary')} ${linkButton('/account/methods/new?kind=webauthn', 'Add security key or passkey')}</div>
</section>
<section class="card-section" aria-labelledby="h-codes">
<h2 id="h-codes">Recovery codes</h2>
<p>${info.recoveryCodes.total === 0 ? 'You have no recovery codes.' : `${info.recoveryCodes.unused} of ${info.recoveryCodes.total} codes left.`} Each code signs you in once when you do not have your phone or key.</p>
${postForm('/account/recovery-codes', csrf, html`<div class="actions">${button(info.recoveryCodes.total === 0 ? 'Get recovery codes' : 'Get new codes', { kind: 'secondary' })}</div>`)}
</section>`
}
${
  settings.rememberDeviceDays > 0 || info.rememberedDevices.length > 0
    ? html`<section class="card-section" aria-labelledby="h-devices">
<h2 id="h-devices">Remembered devices</h2>
<p>${info.rememberedDevices.length === 0 ? 'No device skips the second step.' : `${info.rememberedDevices.length} device${info.rememberedDevices.length === 1 ? '' : 's'} can skip the second step at sign-in.`}</p>
${info.rememberedDevices.length > 0 ? postForm('/account/devices/forget', csrf, html`<div class="actions">${button('Forget all remembered devices', { kind: 'secondary' })}</div>`) : ''}
</section>`
    : ''
}
<section class="card-section" aria-labelledby="h-sessions">
<h2 id="h-sessions">Where you are signed in</h2>
${table({
  caption: 'Browser sessions',
  head: ['Browser', 'Address', 'Signed in', 'Last active'],
  rows: (await core.browser.listSessions(s.user.id)).map((x) => [
    html`<span title="${x.user_agent ?? ''}">${shortAgent(x.user_agent)}</span>${x.id === s.id ? html` <span class="badge">This browser</span>` : ''}`,
    x.ip ?? '—',
    timeAgo(x.created_at, now),
    timeAgo(x.last_seen_at, now),
  ]),
  empty: 'No sessions.',
})}
${postForm('/account/sign-out-everywhere', csrf, html`<div class="actions">${button('Sign out everywhere', { kind: 'secondary' })}</div>`)}
</section>`;
    return web.render(req, reply, s, { title: 'Security info', nav: 'security', body, flash: flashOf(req) });
  });

  // ---- sudo mode (B7)

  async function verifyPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    error: string | null,
    status = 200,
    asked?: unknown,
  ) {
    let flow: Awaited<ReturnType<typeof core.browser.getFlow>>;
    try {
      flow = await core.browser.getFlow(req.cookies[COOKIE.flow]);
    } catch {
      return reply.redirect('/account', 303);
    }
    if (flow.kind !== 'sudo' || flow.user.id !== s.user.id) return reply.redirect('/account', 303);
    const method = flow.step === 'password' ? 'password' : pickMethod(asked ?? req.query, flow.methods);
    const options =
      method === 'webauthn' ? await core.browser.webAuthnChallenge(req.cookies[COOKIE.flow]) : null;
    return web.render(req, reply, s, {
      title: 'Confirm it is you',
      nav: null,
      status,
      scripts: method === 'webauthn' ? ['/static/simplewebauthn-browser.js', '/static/webauthn.js'] : [],
      body: html`${pageHeader('Confirm it is you', method === 'password' ? 'Type your password to make this change.' : 'This change needs a fresh second step. You will not be asked again for 10 minutes.')}
${challengeForm({ action: '/account/verify', csrf: web.csrf(req, reply), method, webauthnOptions: options, error, rememberDays: 0 })}
${method === 'password' ? '' : otherMethods('/account/verify', method, new Set(flow.methods.map((m) => m.kind)))}
<p><a href="/account">Cancel</a></p>`,
    });
  }

  app.get('/account/verify', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    return s ? verifyPage(req, reply, s, null) : reply;
  });

  app.post('/account/verify', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    const method = web.str(req.body, 'method', 16);
    const v =
      method === 'webauthn'
        ? { kind: 'webauthn' as const, response: safeJson(web.str(req.body, 'response', 12_000)) }
        : method === 'recovery'
          ? { kind: 'recovery' as const, code: web.str(req.body, 'code', 64) }
          : method === 'password'
            ? { kind: 'password' as const, password: web.str(req.body, 'password', 1100) }
            : { kind: 'totp' as const, code: web.str(req.body, 'code', 16) };
    try {
      const flow = await core.browser.getFlow(req.cookies[COOKIE.flow]);
      if (flow.kind !== 'sudo' || flow.user.id !== s.user.id) return reply.redirect('/account', 303);
      const r = await core.browser.verifyTwoStep(req.cookies[COOKIE.flow], v, web.client(req));
      web.clearCookie(reply, COOKIE.flow);
      return reply.redirect(web.localPath('returnTo' in r ? r.returnTo : null, '/account'), 303);
    } catch (e) {
      if (
        isLatchkeyError(e) &&
        ['CODE_INVALID', 'RECOVERY_CODE_INVALID', 'SECURITY_KEY_FAILED', 'PASSWORD_WRONG'].includes(e.code)
      ) {
        return verifyPage(req, reply, s, e.message, 400, { method: v.kind });
      }
      if (isLatchkeyError(e) && (e.code === 'FLOW_EXPIRED' || e.code === 'FLOW_STEP')) {
        web.clearCookie(reply, COOKIE.flow);
        return reply.redirect('/account', 303);
      }
      throw e;
    }
  });

  // ---- methods

  async function newMethodPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    kind: string,
    error: string | null,
    status = 200,
    keep?: { seed?: string; name?: string },
  ) {
    const csrf = web.csrf(req, reply);
    let body: SafeHtml;
    if (kind === 'webauthn') {
      const { options, state } = await core.browser.portalWebAuthnOptions(s);
      body = html`<form method="post" action="/account/methods/new" data-webauthn="register" data-options="${JSON.stringify(options)}">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="kind" value="webauthn">
<input type="hidden" name="state" value="${state}">
<input type="hidden" name="response" value="">
${field({ name: 'name', label: 'Name this key', value: keep?.name ?? 'Security key', maxlength: 64, required: true, hint: 'For example "Blue key" or "Laptop passkey".' })}
${error ? notice('error', error) : ''}
<p class="status" data-webauthn-status role="status" aria-live="polite"></p>
<div class="actions">${button('Register security key or passkey')} ${linkButton('/account', 'Cancel')}</div>
</form>`;
    } else {
      const sealed =
        keep?.seed && core.methods.openTotpSeed(s.user.id, keep.seed)
          ? keep.seed
          : core.methods.newSealedTotpSeed(s.user.id).sealed;
      const seed = core.methods.openTotpSeed(s.user.id, sealed)!;
      body = html`<ol class="steps"><li>In your authenticator app, add an account and scan this QR code.</li><li>Type the code the app shows.</li></ol>
${qrCode(totpUri(seed, 'Latchkey', s.user.email ?? s.user.username))}
<details class="manual-key"><summary>Can't scan it? Type this key instead</summary><p class="secret-value small">${formatSeed(seed)}</p></details>
${postForm(
  '/account/methods/new',
  csrf,
  html`<input type="hidden" name="kind" value="totp"><input type="hidden" name="seed" value="${sealed}">
${field({ name: 'name', label: 'Name', value: keep?.name ?? 'Authenticator app', maxlength: 64, required: true, hint: 'For example the phone it is on.' })}
${field({ name: 'code', label: 'Code from the app', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,7}', maxlength: 7, required: true, spellcheck: false, error })}
<div class="actions">${button('Add')} ${linkButton('/account', 'Cancel')}</div>`,
)}`;
    }
    return web.render(req, reply, s, {
      title: kind === 'webauthn' ? 'Add a security key or passkey' : 'Add an authenticator app',
      nav: 'security',
      status,
      scripts: kind === 'webauthn' ? ['/static/simplewebauthn-browser.js', '/static/webauthn.js'] : [],
      body: html`${pageHeader(kind === 'webauthn' ? 'Add a security key or passkey' : 'Add an authenticator app')}${body}`,
    });
  }

  app.get(
    '/account/methods/new',
    guarded(
      requireSession,
      requireSudo((req) => `/account/methods/new?kind=${methodKind(req)}`),
    ),
    async (req, reply) => {
      const s = pageOf(req).session;
      const kind = methodKind(req);
      return newMethodPage(req, reply, s, kind, null);
    },
  );

  app.post(
    '/account/methods/new',
    guarded(
      requireSession,
      requireSudo((req) => `/account/methods/new?kind=${methodKind(req)}`),
    ),
    async (req, reply) => {
      const s = pageOf(req).session;
      const kind = methodKind(req);
      const name = web.str(req.body, 'name', 200);
      try {
        if (kind === 'webauthn') {
          await core.browser.portalAddWebAuthn(
            s,
            web.str(req.body, 'state', 600),
            safeJson(web.str(req.body, 'response', 12_000)),
            name,
          );
        } else {
          await core.methods.addTotpMethod(actor(req, s), s.user.id, {
            sealedSeed: web.str(req.body, 'seed', 600),
            code: web.str(req.body, 'code', 16),
            name,
          });
        }
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500) {
          return newMethodPage(req, reply, s, kind, e.message, 400, {
            seed: web.str(req.body, 'seed', 600),
            name,
          });
        }
        throw e;
      }
      return reply.redirect('/account?done=method-added', 303);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/account/methods/:id/remove',
    guarded(
      requireSession,
      requireSudo((req) => req.url),
    ),
    async (req, reply) => {
      const s = pageOf(req).session;
      const m = (await core.methods.summary(s.user.id)).methods.find((x) => x.id === req.params.id);
      if (!m) return reply.redirect('/account', 303);
      return web.render(req, reply, s, {
        title: 'Remove verification method',
        nav: 'security',
        body: html`${pageHeader(`Remove “${m.name}”?`, 'You will no longer be able to use it to sign in.')}
${postForm(`/account/methods/${m.id}/remove`, web.csrf(req, reply), html`<div class="actions">${button('Yes, remove it', { kind: 'danger' })} ${linkButton('/account', 'No, keep it')}</div>`)}`,
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/account/methods/:id/remove',
    guarded(
      requireSession,
      requireSudo(
        (req) => `/account/methods/${encodeURIComponent((req.params as { id: string }).id)}/remove`,
      ),
    ),
    async (req, reply) => {
      const s = pageOf(req).session;
      try {
        await core.methods.removeMethod(actor(req, s), s.user.id, req.params.id);
      } catch (e) {
        if (isLatchkeyError(e) && (e.code === 'LAST_METHOD' || e.code === 'METHOD_NOT_FOUND')) {
          return web.render(req, reply, s, {
            title: 'Cannot remove this method',
            nav: 'security',
            status: e.status,
            body: html`${pageHeader('This method stays')}${notice('error', e.message)}<div class="actions">${linkButton('/account', 'Back to security info', 'primary')}</div>`,
          });
        }
        throw e;
      }
      return reply.redirect('/account?done=method-removed', 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/account/methods/:id/default',
    guarded(requireSession, requireSudo('/account')),
    async (req, reply) => {
      const s = pageOf(req).session;
      await core.methods.setDefaultMethod(actor(req, s), s.user.id, req.params.id);
      return reply.redirect('/account?done=default-changed', 303);
    },
  );

  app.post(
    '/account/recovery-codes',
    guarded(requireSession, requireSudo('/account')),
    async (req, reply) => {
      const s = pageOf(req).session;
      const codes = await core.methods.newRecoveryCodes(actor(req, s), s.user.id);
      return web.render(req, reply, s, {
        title: 'Your new recovery codes',
        nav: 'security',
        body: html`${pageHeader('Your new recovery codes', 'Your old codes no longer work. Keep these somewhere safe; each one signs you in once.')}
${secretBox({ id: 'recovery-codes', label: 'Recovery codes', secret: codes.join('\n'), copyLabel: 'Copy codes to clipboard' })}
${notice('warning', 'This is the only time you will see these codes.')}
<div class="actions">${linkButton('/account', 'Close', 'primary')}</div>`,
      });
    },
  );

  app.post('/account/devices/forget', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    await core.methods.revokeRememberedDevices(actor(req, s), s.user.username);
    web.clearCookie(reply, COOKIE.device);
    return reply.redirect('/account?done=devices-forgotten', 303);
  });

  app.post('/account/sign-out-everywhere', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    await core.browser.signOutEverywhere({ ...s, actor: actor(req, s) });
    web.clearCookie(reply, COOKIE.session);
    return reply.redirect('/sign-in', 303);
  });

  // ---- app passwords (R4–R9, B1, B2)

  app.get('/account/app-passwords', guarded(requireSession, requireAppPasswords), async (req, reply) => {
    const s = pageOf(req).session;
    const now = core.ctx.now();
    const list = await core.appPasswords.listAppPasswords(s.actor, s.user.username);
    const settings = await core.ctx.settings.get();
    const atLimit = list.length >= settings.maxAppPasswordsPerUser;
    const t = (iso: string | null) => timeAgo(iso === null ? null : Date.parse(iso), now);
    const body = html`${pageHeader('App passwords', 'Apps that cannot ask for a second step — mail, calendars, contacts, anything that only asks for a password — sign in with an app password instead of your account password.')}
${notice('info', 'Create one app password per device, not per app: one for your phone, one for your laptop. When a device is lost or gone, delete its app password.')}
${atLimit ? notice('warning', `You have ${list.length} app passwords, the most you can have. Delete one you no longer use before you create a new one.`) : ''}
<div class="actions">${linkButton('/account/app-passwords/new', 'Create', 'primary')}</div>
${table({
  caption: 'Your app passwords',
  head: ['Name', 'Created', 'Last used', 'Last used from', ''],
  rows: list.map((a) => [
    html`<strong>${a.label}</strong>${a.expiresAt ? html`<br><span class="muted small">Expires ${t(a.expiresAt)}</span>` : ''}${a.scopes ? html`<br><span class="muted small">Only for ${a.scopes.map((d) => doorLabel(d)).join(', ')}</span>` : ''}`,
    t(a.createdAt),
    t(a.lastUsedAt),
    a.lastUsedAt
      ? `${a.lastUsedDoor ? doorLabel(a.lastUsedDoor) : ''}${a.lastUsedIp ? ` · ${a.lastUsedIp}` : ''}`
      : '—',
    linkButton(`/account/app-passwords/${a.id}/delete`, 'Delete', 'danger'),
  ]),
  empty: 'You have no app passwords.',
})}
<p class="muted small">${list.length} of ${settings.maxAppPasswordsPerUser} used.</p>
${
  profileOffered(deviceServices(settings))
    ? html`<section class="device-setup"><h2>Set up an iPhone, iPad or Mac</h2>
<p>Download a profile that sets up ${describeServices(deviceServices(settings))} on an Apple device, with a new app password inside: nothing to type or paste.</p>
<div class="actions">${linkButton('/account/app-passwords/apple', 'Set up an iPhone, iPad or Mac')}</div></section>`
    : ''
}`;
    return web.render(req, reply, s, { title: 'App passwords', nav: 'app-passwords', body });
  });

  async function createPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: { error?: string | null; label?: string; status?: number } = {},
  ) {
    const list = await core.appPasswords.listAppPasswords(s.actor, s.user.username);
    const settings = await core.ctx.settings.get();
    if (list.length >= settings.maxAppPasswordsPerUser) {
      return web.render(req, reply, s, {
        title: 'Create an app password',
        nav: 'app-passwords',
        status: o.status ?? 409,
        body: html`${pageHeader('Create an app password')}
${notice('error', `You have reached the maximum of ${settings.maxAppPasswordsPerUser} app passwords. Delete one you no longer use, then create a new one.`)}
<div class="actions">${linkButton('/account/app-passwords', 'Back to app passwords', 'primary')}</div>`,
      });
    }
    const csrf = web.csrf(req, reply);
    return web.render(req, reply, s, {
      title: 'Create an app password',
      nav: 'app-passwords',
      status: o.status ?? 200,
      body: html`${pageHeader('Create an app password')}
${postForm(
  '/account/app-passwords/new',
  csrf,
  html`${field({ name: 'label', label: 'Name', value: o.label ?? '', required: true, maxlength: 64, autofocus: true, error: o.error ?? null, hint: 'The device you will use it on, for example "Phone" or "Work laptop". One app password per device, not per app.' })}
<details class="advanced"><summary>More options</summary>
${select({
  name: 'expires',
  label: 'Expires',
  options: [
    { value: '', label: 'Never', selected: true },
    { value: '30d', label: 'In 30 days' },
    { value: '90d', label: 'In 90 days' },
    { value: '365d', label: 'In a year' },
  ],
})}
<fieldset class="scopes"><legend>Only for these kinds of apps</legend><p class="hint">Leave all unticked to allow every kind.</p>
${DOORS.map((d) => checkbox({ name: 'scope', value: d, label: doorLabel(d) }))}
</fieldset>
</details>
<div class="actions">${button('Next')} ${linkButton('/account/app-passwords', 'Cancel')}</div>`,
)}`,
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
        created = await core.appPasswords.createAppPassword(actor(req, s), s.user.username, {
          label,
          expires: web.str(req.body, 'expires', 16) || null,
          scopes: scopes.length > 0 ? scopes : null,
        });
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500) {
          req.log.info({ code: e.code }, 'app password not created');
          return createPage(req, reply, s, {
            error: e.message,
            label: label.slice(0, 64),
            status: e.code === 'APP_PASSWORD_LIMIT' ? 409 : 400,
          });
        }
        throw e;
      }
      return web.render(req, reply, s, {
        title: 'Your new app password',
        nav: 'app-passwords',
        body: html`${pageHeader(`App password for ${created.label}`, 'Type or paste it into the app on that device, where it asks for your password. Spaces do not matter.')}
${secretBox({ id: 'app-password', label: 'Your new app password', secret: created.password })}
${notice('warning', 'This is the only time you will see it. You do not need to remember it: if you ever need one again, create a new one.')}
<div class="actions">${linkButton('/account/app-passwords', 'Close', 'primary')}</div>`,
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
        title: 'Delete app password',
        nav: 'app-passwords',
        body: html`${pageHeader(`Delete “${a.label}”?`, 'Apps using it stop signing in at once. You can create a new one later.')}
${postForm(`/account/app-passwords/${a.id}/delete`, web.csrf(req, reply), html`<div class="actions">${button('Yes', { kind: 'danger' })} ${linkButton('/account/app-passwords', 'No')}</div>`)}`,
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/account/app-passwords/:id/delete',
    guarded(requireSession, requireAppPasswords),
    async (req, reply) => {
      const s = pageOf(req).session;
      try {
        await core.appPasswords.deleteAppPassword(actor(req, s), s.user.username, req.params.id);
      } catch (e) {
        // Another person's id, or one already gone: nothing of theirs is touched, and nothing is said about it.
        if (isLatchkeyError(e) && (e.code === 'APP_PASSWORD_NOT_FOUND' || e.code === 'FORBIDDEN')) {
          req.log.warn({ id: req.params.id.slice(0, 32) }, "app password delete refused: not this user's");
          return web.render(req, reply, s, {
            title: 'App password not found',
            nav: 'app-passwords',
            status: 404,
            body: html`${pageHeader('App password not found')}${notice('error', 'It may have been deleted already. Nothing was changed.')}<div class="actions">${linkButton('/account/app-passwords', 'Close', 'primary')}</div>`,
          });
        }
        throw e;
      }
      return web.render(req, reply, s, {
        title: 'App password deleted',
        nav: 'app-passwords',
        body: html`${pageHeader('App password deleted', 'It no longer works anywhere. If a device still needs access, create a new app password for it.')}
<div class="actions">${linkButton('/account/app-passwords', 'Close', 'primary')}</div>`,
      });
    },
  );

  // ---- Apple configuration profile (B8): a new app password, inside a file offered once

  const APPLE = '/account/app-passwords/apple';

  async function applePage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: { error?: string | null; device?: string; status?: number } = {},
  ) {
    const settings = await core.ctx.settings.get();
    const services = deviceServices(settings);
    const title = 'Set up an iPhone, iPad or Mac';
    if (!profileOffered(services)) {
      return web.render(req, reply, s, {
        title,
        nav: 'app-passwords',
        status: 404,
        body: html`${pageHeader(title)}${notice('info', 'Your organization has not set up mail, calendar or contacts servers for devices yet.')}<div class="actions">${linkButton('/account/app-passwords', 'Back to app passwords', 'primary')}</div>`,
      });
    }
    const list = await core.appPasswords.listAppPasswords(s.actor, s.user.username);
    if (list.length >= settings.maxAppPasswordsPerUser) {
      return web.render(req, reply, s, {
        title,
        nav: 'app-passwords',
        status: o.status ?? 409,
        body: html`${pageHeader(title)}
${notice('error', `You have reached the maximum of ${settings.maxAppPasswordsPerUser} app passwords. Delete one you no longer use, then set up the device.`)}
<div class="actions">${linkButton('/account/app-passwords', 'Back to app passwords', 'primary')}</div>`,
      });
    }
    const token = await offerAppleProfile(core.ctx, s.user.id);
    return web.render(req, reply, s, {
      title,
      nav: 'app-passwords',
      status: o.status ?? 200,
      body: html`${pageHeader(title, html`Download a configuration profile that sets up ${describeServices(services)} on the device, then open it there to install it (on an iPhone or iPad: Settings → Profile Downloaded).`)}
${notice('warning', 'The file holds a new app password for this device. It is offered once: download it on the device itself, or send it there privately, and delete the file once the profile is installed. Anyone who has the file can use these accounts as you until you delete the app password.')}
${postForm(
  APPLE,
  web.csrf(req, reply),
  html`<input type="hidden" name="offer" value="${token}">
${field({ name: 'device', label: 'Device name', value: o.device ?? '', required: true, maxlength: 64, autofocus: true, error: o.error ?? null, hint: 'For example "iPhone" or "Work Mac". The app password gets this name; delete it to turn the device’s accounts off.' })}
<div class="actions">${button('Download profile')} ${linkButton('/account/app-passwords', 'Cancel')}</div>`,
)}`,
    });
  }

  app.get(APPLE, guarded(requireSession, requireAppPasswords, requireSudo(APPLE)), async (req, reply) => {
    const s = pageOf(req).session;
    return applePage(req, reply, s);
  });

  app.post(APPLE, guarded(requireSession, requireAppPasswords, requireSudo(APPLE)), async (req, reply) => {
    const s = pageOf(req).session;
    const device = web.str(req.body, 'device', 300);
    let profile: Awaited<ReturnType<typeof issueAppleProfile>>;
    try {
      profile = await issueAppleProfile(
        core.ctx,
        actor(req, s),
        {
          userId: s.user.id,
          username: s.user.username,
          email: s.user.email,
          displayName: s.user.display_name,
        },
        device,
        web.str(req.body, 'offer', 64),
        await profileSigner(),
      );
    } catch (e) {
      if (isLatchkeyError(e) && (e.code === 'FLOW_STEP' || e.code === 'FLOW_EXPIRED')) {
        req.log.info({ code: e.code }, 'Apple profile refused: its form was used already or is old');
        return web.render(req, reply, s, {
          title: 'Profile already downloaded',
          nav: 'app-passwords',
          status: e.code === 'FLOW_STEP' ? 409 : 410,
          body: html`${pageHeader(e.code === 'FLOW_STEP' ? 'This profile was already downloaded' : 'This form has expired')}
${notice('info', e.code === 'FLOW_STEP' ? 'Each profile is offered once, and this one has been. If the download did not reach the device, delete its app password and set the device up again.' : 'Nothing was created. Set the device up again.')}
<div class="actions">${linkButton('/account/app-passwords', 'Back to app passwords', 'primary')} ${linkButton(APPLE, 'Set up a device')}</div>`,
        });
      }
      if (isLatchkeyError(e) && e.status < 500) {
        req.log.info({ code: e.code }, 'Apple profile not created');
        return applePage(req, reply, s, {
          error: e.message,
          device: device.slice(0, 64),
          status: e.code === 'APP_PASSWORD_LIMIT' ? 409 : 400,
        });
      }
      throw e;
    }
    req.log.info(
      { appPasswordId: profile.appPassword.id, signed: profile.signed },
      'Apple configuration profile issued',
    );
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${profile.filename}"`)
      .header('x-content-type-options', 'nosniff')
      .type('application/x-apple-aspen-config')
      .send(profile.body);
  });

  // ---- change password (B3)

  async function passwordPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    error: string | null,
    status = 200,
  ) {
    const settings = await core.ctx.settings.get();
    const forced = settings.revokeAppPasswordsOnPasswordChange;
    return web.render(req, reply, s, {
      title: 'Change password',
      nav: 'password',
      status,
      body: html`${pageHeader('Change password', 'Your account password is for signing in on the web. Apps that cannot ask for a second step use app passwords.')}
${error ? notice('error', error) : ''}
${postForm(
  '/account/password',
  web.csrf(req, reply),
  html`<input type="text" name="username" value="${s.user.username}" autocomplete="username" class="visually-hidden" tabindex="-1" aria-hidden="true" readonly>
${field({ name: 'current', label: 'Current password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 1024 })}
${field({ name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8, maxlength: 1024, hint: 'At least 8 characters.' })}
${field({ name: 'confirm', label: 'Type the new password again', type: 'password', autocomplete: 'new-password', required: true, maxlength: 1024 })}
${
  forced
    ? html`<p class="hint">Your app passwords will be deleted too: your organization requires it. Create new ones for your devices afterwards.</p><input type="hidden" name="revoke" value="on">`
    : checkbox({
        name: 'revoke',
        label: 'Also delete my app passwords',
        checked: true,
        hint: 'Recommended if someone else may know your password: every app will need a new app password.',
      })
}
<div class="actions">${button('Change password')}</div>`,
)}`,
    });
  }

  app.get(
    '/account/password',
    guarded(requireSession, requireSudo('/account/password')),
    async (req, reply) => {
      const s = pageOf(req).session;
      return passwordPage(req, reply, s, null);
    },
  );

  app.post(
    '/account/password',
    guarded(requireSession, requireSudo('/account/password')),
    async (req, reply) => {
      const s = pageOf(req).session;
      const current = web.str(req.body, 'current', 1100);
      const next = web.str(req.body, 'password', 1100);
      try {
        await core.browser.changeOwnPassword(s, {
          current,
          password: next,
          confirm: web.str(req.body, 'confirm', 1100),
          revokeAppPasswords: web.str(req.body, 'revoke', 8) === 'on',
          ip: req.ip,
        });
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500) return passwordPage(req, reply, s, e.message, 400);
        throw e;
      }
      return reply.redirect('/account?done=password-changed', 303);
    },
  );

  // ---- recent sign-ins (B4, the person's own)

  app.get('/account/sign-ins', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    const now = core.ctx.now();
    const events = await core.signInLog.listSignIns(s.actor, { username: s.user.username, limit: 50 });
    const body = html`${pageHeader('Recent sign-ins', 'Your last 50 sign-ins, on the web and from apps. Something you do not recognize? Change your password and delete your app passwords.')}
${table({
  caption: 'Your recent sign-ins',
  head: ['When', 'What happened', 'From', 'Result'],
  rows: events.map((e) => [
    html`${timeAgo(Date.parse(e.lastAt), now)}${e.count > 1 ? html`<br><span class="muted small">${repeats(e, now)}</span>` : ''}`,
    describeSignIn(e),
    e.ip ?? '—',
    e.result === 'accepted'
      ? html`<span class="badge badge-ok">Success</span>`
      : html`<span class="badge badge-bad">Refused</span>`,
  ]),
  empty: 'No sign-ins yet.',
})}`;
    return web.render(req, reply, s, { title: 'Recent sign-ins', nav: 'sign-ins', body });
  });

  // ---- help

  app.get('/help', async (req, reply) => {
    const s = await web.session(req);
    const body = html`${pageHeader('Help')}
<section class="card-section" aria-labelledby="h-ap">
<h2 id="h-ap">If your app passwords aren't working</h2>
<ol class="steps">
<li><strong>Type it again.</strong> Copy it exactly; spaces and capital letters do not matter. Make sure you typed it where the app asks for the <em>password</em>, with your usual username.</li>
<li><strong>Create a new one.</strong> App passwords are shown only once, so if you no longer have it, delete the old one in <a href="/account/app-passwords">App passwords</a> and create a new one for that device.</li>
<li><strong>Check your recent sign-ins.</strong> <a href="/account/sign-ins">Recent sign-ins</a> says why an app was refused, for example when it used your account password instead of an app password.</li>
<li><strong>Ask your helpdesk.</strong> They can delete all your app passwords so that you can start again with new ones.</li>
</ol>
</section>
<section class="card-section" aria-labelledby="h-what">
<h2 id="h-what">What are app passwords for?</h2>
<p>When two-step verification is on, apps that only know how to ask for a password — mail apps using IMAP or SMTP, calendar and contact apps, older Exchange clients — cannot show you a second step. An app password is a long password that Latchkey makes for one device. It only works in apps, never on the web sign-in page, and you can delete it any time without changing your account password.</p>
</section>
<section class="card-section" aria-labelledby="h-lost">
<h2 id="h-lost">If you lost your phone or security key</h2>
<p>Sign in with one of your recovery codes, then remove the lost method in <a href="/account">Security info</a> and add a new one. No recovery codes left? Your helpdesk can ask you to set up two-step verification again.</p>
</section>`;
    if (!s) return web.html(reply, page({ title: 'Help', body, narrow: false }));
    return web.render(req, reply, s, { title: 'Help', nav: 'help', body });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
