// Verification methods: add an authenticator app or a security key, remove one, make one the default;
// and the check of sudo mode (/account/verify) that every change on these pages may ask for first.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import { formatSeed, totpUri } from '../../../crypto/totp.js';
import { errorText, type Words } from '../../i18n/index.js';
import { COOKIE } from '../../web.js';
import { guarded, pageOf } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { button, field, linkButton, notice, pageHeader, postForm } from '../layout.js';
import { challengeForm, otherMethods, pickMethod, qrCode } from '../sign-in.js';
import { type AccountContext, actorOf, safeJson } from './index.js';

export interface VerifyView {
  csrf: string;
  method: 'totp' | 'webauthn' | 'recovery' | 'password';
  webauthnOptions: unknown;
  /** The kinds of method the person has, for "Other ways to verify". */
  kinds: Set<string>;
  error: string | null;
}

export function verifyBody(w: Words, v: VerifyView): SafeHtml {
  return html`${pageHeader(w.t('account.verify.title'), v.method === 'password' ? w.t('account.verify.leadPassword') : w.t('account.verify.lead'))}
${challengeForm({ action: '/account/verify', csrf: v.csrf, method: v.method, webauthnOptions: v.webauthnOptions, error: v.error, rememberDays: 0, words: w })}
${v.method === 'password' ? '' : otherMethods('/account/verify', v.method, v.kinds, w)}
<p><a href="/account">${w.t('account.cancel')}</a></p>`;
}

export type NewMethodView =
  | { kind: 'webauthn'; csrf: string; options: unknown; state: string; name: string; error: string | null }
  | {
      kind: 'totp';
      csrf: string;
      /** The seed, sealed for the form, and as the person types it. */
      sealed: string;
      seed: string;
      /** The otpauth:// address the QR code holds. */
      uri: string;
      name: string;
      error: string | null;
    };

export function newMethodTitle(w: Words, kind: NewMethodView['kind']): string {
  return kind === 'webauthn'
    ? w.t('account.methods.new.webauthnTitle')
    : w.t('account.methods.new.totpTitle');
}

export function newMethodBody(w: Words, v: NewMethodView): SafeHtml {
  let body: SafeHtml;
  if (v.kind === 'webauthn') {
    body = html`<form method="post" action="/account/methods/new" data-webauthn="register" data-options="${JSON.stringify(v.options)}">
<input type="hidden" name="_csrf" value="${v.csrf}">
<input type="hidden" name="kind" value="webauthn">
<input type="hidden" name="state" value="${v.state}">
<input type="hidden" name="response" value="">
${field({ name: 'name', label: w.t('register.webauthn.name.label'), value: v.name, maxlength: 64, required: true, hint: w.t('account.methods.new.keyNameHint'), words: w })}
${v.error ? notice('error', v.error) : ''}
<p class="status" data-webauthn-status role="status" aria-live="polite"></p>
<div class="actions">${button(w.t('register.webauthn.submit'))} ${linkButton('/account', w.t('account.cancel'))}</div>
</form>`;
  } else {
    body = html`<ol class="steps"><li>${w.t('account.methods.new.scan')}</li><li>${w.t('account.methods.new.typeCode')}</li></ol>
${qrCode(v.uri, w)}
<details class="manual-key"><summary>${w.t('register.totp.manual')}</summary><p class="secret-value small">${formatSeed(v.seed)}</p></details>
${postForm(
  '/account/methods/new',
  v.csrf,
  html`<input type="hidden" name="kind" value="totp"><input type="hidden" name="seed" value="${v.sealed}">
${field({ name: 'name', label: w.t('account.methods.new.name'), value: v.name, maxlength: 64, required: true, hint: w.t('account.methods.new.nameHint'), words: w })}
${field({ name: 'code', label: w.t('account.methods.new.code'), inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,7}', maxlength: 7, required: true, spellcheck: false, error: v.error, words: w })}
<div class="actions">${button(w.t('account.methods.new.add'))} ${linkButton('/account', w.t('account.cancel'))}</div>`,
)}`;
  }
  return html`${pageHeader(newMethodTitle(w, v.kind))}${body}`;
}

export function removeMethodBody(w: Words, v: { csrf: string; id: string; name: string }): SafeHtml {
  return html`${pageHeader(w.t('account.methods.remove.question', { name: v.name }), w.t('account.methods.remove.lead'))}
${postForm(`/account/methods/${v.id}/remove`, v.csrf, html`<div class="actions">${button(w.t('account.methods.remove.yes'), { kind: 'danger' })} ${linkButton('/account', w.t('account.methods.remove.no'))}</div>`)}`;
}

export function methodStaysBody(w: Words, message: string): SafeHtml {
  return html`${pageHeader(w.t('account.methods.stays.heading'))}${notice('error', message)}<div class="actions">${linkButton('/account', w.t('account.backToSecurity'), 'primary')}</div>`;
}

export function registerMethods(app: FastifyInstance, ctx: AccountContext): void {
  const { web } = ctx;
  const { core } = web;
  const { requireSession, requireSudo } = ctx.guards;

  /** The kind of method being added: from the address of the form, or from the form itself. */
  const methodKind = (req: FastifyRequest): 'webauthn' | 'totp' =>
    (req.method === 'GET' ? (req.query as Record<string, unknown>)?.kind : web.str(req.body, 'kind', 16)) ===
    'webauthn'
      ? 'webauthn'
      : 'totp';

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
      title: req.words.t('account.verify.title'),
      nav: null,
      status,
      scripts: method === 'webauthn' ? ['/static/simplewebauthn-browser.js', '/static/webauthn.js'] : [],
      body: verifyBody(req.words, {
        csrf: web.csrf(req, reply),
        method,
        webauthnOptions: options,
        kinds: new Set(flow.methods.map((m) => m.kind)),
        error,
      }),
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
        return verifyPage(req, reply, s, errorText(req.words, e), 400, { method: v.kind });
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
    kind: 'webauthn' | 'totp',
    error: string | null,
    status = 200,
    keep?: { seed?: string; name?: string },
  ) {
    const w = req.words;
    const csrf = web.csrf(req, reply);
    let view: NewMethodView;
    if (kind === 'webauthn') {
      const { options, state } = await core.browser.portalWebAuthnOptions(s);
      view = {
        kind,
        csrf,
        options,
        state,
        name: keep?.name ?? w.t('register.webauthn.name.default'),
        error,
      };
    } else {
      const sealed =
        keep?.seed && core.methods.openTotpSeed(s.user.id, keep.seed)
          ? keep.seed
          : core.methods.newSealedTotpSeed(s.user.id).sealed;
      const seed = core.methods.openTotpSeed(s.user.id, sealed)!;
      view = {
        kind,
        csrf,
        sealed,
        seed,
        uri: totpUri(seed, 'Latchkey', s.user.email ?? s.user.username),
        name: keep?.name ?? w.t('account.kind.totp'),
        error,
      };
    }
    return web.render(req, reply, s, {
      title: newMethodTitle(w, kind),
      nav: 'security',
      status,
      scripts: kind === 'webauthn' ? ['/static/simplewebauthn-browser.js', '/static/webauthn.js'] : [],
      body: newMethodBody(w, view),
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
      return newMethodPage(req, reply, s, methodKind(req), null);
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
          await core.methods.addTotpMethod(actorOf(req, s), s.user.id, {
            sealedSeed: web.str(req.body, 'seed', 600),
            code: web.str(req.body, 'code', 16),
            name,
          });
        }
      } catch (e) {
        if (isLatchkeyError(e) && e.status < 500) {
          return newMethodPage(req, reply, s, kind, errorText(req.words, e), 400, {
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
        title: req.words.t('account.methods.remove.title'),
        nav: 'security',
        body: removeMethodBody(req.words, { csrf: web.csrf(req, reply), id: m.id, name: m.name }),
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
        await core.methods.removeMethod(actorOf(req, s), s.user.id, req.params.id);
      } catch (e) {
        if (isLatchkeyError(e) && (e.code === 'LAST_METHOD' || e.code === 'METHOD_NOT_FOUND')) {
          return web.render(req, reply, s, {
            title: req.words.t('account.methods.stays.title'),
            nav: 'security',
            status: e.status,
            body: methodStaysBody(req.words, errorText(req.words, e)),
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
      await core.methods.setDefaultMethod(actorOf(req, s), s.user.id, req.params.id);
      return reply.redirect('/account?done=default-changed', 303);
    },
  );
}
