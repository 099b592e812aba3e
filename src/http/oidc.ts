// The OpenID Connect door on the HTTP server (issue 10). oidc-provider (a Koa application) answers
// discovery and every endpoint under /oidc/; its login and consent interactions are pages of ours, in
// the pages' scope (cookies, CSRF, CSP), and ride on the portal's session: a person signed in to the
// portal is not asked again (single sign-on) unless the app asks for a fresh sign-in.
//
// Every sign-in to an app is its own event in the sign-in log (door `oidc`, with the app's name): the
// provider's `authorization.success`, which comes for every code it hands an app (after an interaction
// here, after a silent single sign-on, and at the end of the device grant), and a consent refused here.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { addressMatcher } from '../connections.js';
import type { Core } from '../core/index.js';
import { type AmrSession, amrOf, isTwoStep } from '../oidc/claims.js';
import { ACR_PASSWORD, ACR_TWO_STEP, createOidcProvider, OIDC_PREFIX } from '../oidc/provider.js';
import { ENGLISH, resolveLanguage, type Words, wordsFor } from './i18n/index.js';
import { SCOPE_WORDS } from './pages/apps.js';
import { html, raw, type SafeHtml } from './pages/html.js';
import { button, errorPage, field, linkButton, notice, page, pageHeader, postForm } from './pages/layout.js';
import { COOKIE, type Web } from './web.js';

export interface OidcDoor {
  /**
   * The provider of the current signing keys. oidc-provider reads its keys once, when it is built, so
   * the door builds a new one when the keys change (`latchkey keys rotate` on any node, or a rotated
   * key's time to sign coming): it checks every KEYS_POLL_MS.
   */
  current(): Promise<Provider>;
  close(): void;
  /** The words of the person at this browser, as the portal's pages decide them (web.ts). */
  wordsOf(req: IncomingMessage): Promise<Words>;
}

/**
 * The words of the request the provider is drawing a page for (the logout question, the signed-out
 * page): its render callbacks are handed no request, so the endpoint handler runs the provider inside
 * this store. English where none was set (the provider's JSON endpoints never draw a page).
 */
const pageWords = new AsyncLocalStorage<Words>();
const wordsHere = (): Words => pageWords.getStore() ?? ENGLISH;
/** The provider's endpoints a browser opens, whose pages (and redirects) are drawn in the person's words. */
const BROWSER_ENDPOINT = new RegExp(`^${OIDC_PREFIX}/(auth|session/end|device(?!/auth))(?:[/?]|$)`);

const KEYS_POLL_MS = 10_000;

/**
 * The scopes a consent page names: only ours, whatever else a request carries ("toString" and
 * "__proto__" are not scopes with words, though `in` would find them on every object).
 */
export function consentScopes(scope: unknown): (keyof typeof SCOPE_WORDS)[] {
  return String(scope ?? 'openid')
    .split(' ')
    .filter((x): x is keyof typeof SCOPE_WORDS => Object.hasOwn(SCOPE_WORDS, x));
}

/** An attribute value as the library escaped it, back to text (our field escapes it again). */
function unescapeAttr(v: string): string {
  return v.replace(/&(lt|gt|quot|#39|#x27|amp);/g, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'amp' ? '&' : "'",
  );
}

/**
 * The client's address of each request handed to the provider, as Fastify read it (its trusted-proxy
 * rules); the provider's own `ctx.ip` would take the first X-Forwarded-For entry, which a client writes.
 */
const clientIps = new WeakMap<IncomingMessage, string>();

/** Reads a cookie from a raw request (the provider's checks see no Fastify request). */
function cookieOf(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function createOidcDoor(
  core: Core,
  opts: { secure: boolean; keysPollMs?: number; warn?: (obj: object, msg: string) => void },
): OidcDoor {
  const sessionCookie = opts.secure ? `__Host-${COOKIE.session}` : COOKIE.session;
  const langCookie = opts.secure ? `__Host-${COOKIE.lang}` : COOKIE.lang;
  async function wordsOf(req: IncomingMessage): Promise<Words> {
    const [s, settings] = await Promise.all([
      core.browser.session(cookieOf(req, sessionCookie)).catch(() => null),
      core.settings.current(),
    ]);
    const lang = resolveLanguage({
      account: s?.user.language ?? null,
      cookie: cookieOf(req, langCookie),
      acceptLanguage: req.headers['accept-language'],
      orgDefault: settings.defaultLanguage,
    });
    return wordsFor(lang, settings.timeZone);
  }
  const build = async () => {
    const version = await core.oidcKeys.keysVersion();
    const provider = await createOidcProvider(core, {
      async portalSession(req) {
        const s = await core.browser.session(cookieOf(req, sessionCookie));
        return s ? toAmrSession(s) : null;
      },
      // The provider's refusal in the browser (a wrong request from the app): the person's words, with
      // what the app was told (the protocol's English, for whoever looks after the app) as a detail.
      renderError: (status, _title, message) => {
        const w = wordsHere();
        return errorPage({
          status,
          title: w.t('consent.error.title'),
          message: w.markup('consent.error.message', { detail: html`<code>${message}</code>` }),
          words: w,
        });
      },
      renderLogout: (form, app) => {
        const w = wordsHere();
        return page({
          title: w.t('consent.logout.title'),
          narrow: true,
          words: w,
          body: html`${pageHeader(
            w.t('consent.logout.heading'),
            app ? w.t('consent.logout.lead', { app }) : w.t('consent.logout.leadUnknown'),
          )}
${raw(form)}
<div class="actions"><button type="submit" form="op.logoutForm" name="logout" value="yes" class="btn btn-primary">${w.t('consent.logout.yes')}</button><button type="submit" form="op.logoutForm" class="btn btn-secondary">${app ? w.t('consent.logout.no', { app }) : w.t('consent.logout.noUnknown')}</button></div>`,
        });
      },
      renderSignedOut: (app) => {
        const w = wordsHere();
        return page({
          title: w.t('consent.signedOut.title'),
          narrow: true,
          words: w,
          body: html`${pageHeader(
            w.t('consent.signedOut.heading'),
            app ? w.t('consent.signedOut.from', { app }) : w.t('consent.signedOut.plain'),
          )}
<div class="actions">${linkButton('/sign-in', w.t('expired.again'), 'primary')}</div>`,
        });
      },
      renderDeviceInput: (form, error) => {
        const w = wordsHere();
        // The library's form carries its action and anti-forgery token; the field is ours (a label, no
        // inline script, the page's own style).
        const action = /\baction="([^"]*)"/.exec(form)?.[1];
        const xsrf = /name="xsrf" value="([^"]*)"/.exec(form)?.[1];
        const code = /\bvalue="([^"]*)"[^>]*name="user_code"/.exec(form)?.[1];
        const errorText =
          error === 'code'
            ? w.t('consent.device.error.code')
            : error === 'aborted'
              ? w.t('consent.device.error.aborted')
              : error === 'other'
                ? w.t('consent.device.error.other')
                : null;
        const fields =
          action !== undefined && xsrf !== undefined
            ? html`<form id="op.deviceInputForm" method="post" action="${raw(action)}">
<input type="hidden" name="xsrf" value="${raw(xsrf)}">
${field({ name: 'user_code', label: w.t('consent.device.code.label'), hint: w.t('consent.device.code.hint'), value: code !== undefined ? unescapeAttr(code) : '', autocomplete: 'off', autofocus: true, spellcheck: false, maxlength: 64, error: errorText, words: w })}
</form>`
            : raw(form);
        return page({
          title: w.t('consent.device.title'),
          narrow: true,
          words: w,
          body: html`${pageHeader(w.t('consent.device.heading'), w.t('consent.device.lead'))}
${errorText && action === undefined ? notice('error', errorText) : ''}${fields}
<div class="actions"><button type="submit" form="op.deviceInputForm" class="btn btn-primary">${w.t('common.continue')}</button></div>`,
        });
      },
      renderDeviceConfirm: (form, app, userCode) => {
        const w = wordsHere();
        return page({
          title: w.t('consent.device.title'),
          narrow: true,
          words: w,
          body: html`${pageHeader(w.t('consent.device.confirm.heading'), w.t('consent.device.confirm.lead', { app }))}
<p class="user-code"><code>${userCode}</code></p>
${notice('warning', w.t('consent.device.confirm.warning'))}
${raw(form)}
<div class="actions"><button type="submit" form="op.deviceConfirmForm" class="btn btn-primary">${w.t('common.continue')}</button><button type="submit" form="op.deviceConfirmForm" name="abort" value="yes" class="btn btn-secondary">${w.t('consent.device.cancel')}</button></div>`,
        });
      },
      renderDeviceDone: (app) => {
        const w = wordsHere();
        return page({
          title: w.t('consent.device.title'),
          narrow: true,
          words: w,
          body: pageHeader(
            w.t('consent.device.done.heading'),
            app ? w.t('consent.device.done.lead', { app }) : w.t('consent.device.done.plain'),
          ),
        });
      },
      async signOutPortal(req, accountId) {
        // Only the session of the person being signed out: when someone else signed in on this
        // browser since (a shared computer), the library ends the previous person's provider
        // session, and the new person's portal session must stay.
        const token = cookieOf(req, sessionCookie);
        const s = await core.browser.session(token);
        if (s && s.user.id === accountId) await core.browser.signOut(token);
      },
    });
    // An app's back channel that did not answer 200: the operator should know (never a token).
    provider.on('backchannel.error', (_ctx, err, client) =>
      opts.warn?.(
        { client: client?.clientId, err: err instanceof Error ? err.message : String(err) },
        'back-channel logout failed',
      ),
    );
    // Refused requests, for the operator: the event, the error the RFCs name, its description and the
    // app — never a parameter the app sent (codes, secrets, tokens are in those).
    for (const event of [
      'authorization.error',
      'grant.error',
      'introspection.error',
      'revocation.error',
      'userinfo.error',
      'end_session.error',
      'device_authorization.error',
      'server_error',
    ] as const) {
      // (The library's typings list each event apart; they share this shape.)
      (provider as unknown as NodeJS.EventEmitter).on(
        event,
        (ctx: { oidc?: { client?: { clientId?: string } } }, err: unknown) => {
          const e = err as { error?: string; error_description?: string; message?: string };
          opts.warn?.(
            {
              event,
              error: e?.error ?? 'server_error',
              description: e?.error_description ?? (event === 'server_error' ? e?.message : undefined),
              client: ctx?.oidc?.client?.clientId,
            },
            'OpenID Connect request refused',
          );
        },
      );
    }
    // Last use of each app, for the administrators' list (written at most once a minute).
    provider.on('grant.success', (ctx) => {
      const id = ctx.oidc.client?.clientId;
      if (id) void core.oidcClients.touchClient(id);
    });
    // Each sign-in to an app in the sign-in log. The library's events are not awaited, so the write is
    // kept on the request and awaited before its answer leaves: the log has it when the app has its code.
    const logWrites = new WeakMap<object, Promise<void>>();
    provider.on('authorization.success', (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return;
      const write = (async () => {
        const s = await core.browser.session(cookieOf(ctx.req, sessionCookie));
        await core.oidcAccess.recordAppSignIn({
          userId: accountId,
          clientId,
          ip: clientIps.get(ctx.req) ?? ctx.ip,
          userAgent: ctx.get('user-agent') || null,
          method: s && s.user.id === accountId ? s.method : null,
        });
      })();
      // A sign-in does not fail because its log line could not be written; the store's outage shows
      // everywhere else.
      logWrites.set(
        ctx,
        write.catch(() => {}),
      );
    });
    provider.use(async (ctx, next) => {
      await next();
      await logWrites.get(ctx);
    });
    return { version, provider };
  };
  let current = build();
  // Failures surface where the provider is awaited (ready(), a request), not as unhandled rejections.
  current.catch(() => {});
  let checking = false;
  const timer = setInterval(async () => {
    if (checking) return;
    checking = true;
    try {
      const [{ version }, now] = await Promise.all([current, core.oidcKeys.keysVersion()]);
      if (now !== version) {
        const next = build();
        await next;
        current = next;
      }
    } catch {
      // The store is away for a moment: the keys in use stay, the next poll tries again.
    } finally {
      checking = false;
    }
  }, opts.keysPollMs ?? KEYS_POLL_MS);
  timer.unref();
  return {
    current: async () => (await current).provider,
    close: () => clearInterval(timer),
    wordsOf,
  };
}

function toAmrSession(s: {
  user: { id: string };
  method: string | null;
  createdAt: number;
  strongAt: number | null;
}): AmrSession {
  return { userId: s.user.id, method: s.method, authTime: Math.max(s.createdAt, s.strongAt ?? 0) };
}

/**
 * The provider's own endpoints: the raw request goes to the Koa application untouched (it parses its
 * own bodies). X-Forwarded-* headers are passed on only from trusted proxies.
 */
export function registerOidcEndpoints(
  app: FastifyInstance,
  door: OidcDoor,
  trustedProxies: readonly string[],
): void {
  const trusted = addressMatcher(trustedProxies);
  const callbacks = new WeakMap<Provider, ReturnType<Provider['callback']>>();
  const callbackOf = (provider: Provider) => {
    let cb = callbacks.get(provider);
    if (!cb) {
      provider.proxy = trustedProxies.length > 0;
      cb = provider.callback();
      callbacks.set(provider, cb);
    }
    return cb;
  };
  app.addHook('onClose', async () => door.close());
  app.register(async (scope) => {
    await door.current();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const peer = req.socket.remoteAddress ?? '';
      if (!trusted(peer)) {
        for (const h of Object.keys(req.raw.headers))
          if (h.startsWith('x-forwarded-')) delete req.raw.headers[h];
      }
      const callback = callbackOf(await door.current());
      clientIps.set(req.raw, req.ip);
      // Only the endpoints a browser opens draw pages of ours in the provider (an app's logout, and a
      // refusal at the authorization endpoint); the token and other endpoints, which programs call
      // often, look up no session for words.
      const forBrowser = BROWSER_ENDPOINT.test(req.url);
      const words = forBrowser ? await door.wordsOf(req.raw) : ENGLISH;
      reply.hijack();
      // Its pages (and the redirects between them) say their language, as the portal's pages do.
      if (forBrowser) reply.raw.setHeader('content-language', words.lang);
      pageWords.run(words, () => callback(req.raw, reply.raw));
    };
    scope.all('/.well-known/openid-configuration', { schema: { hide: true } }, handler);
    scope.all(`${OIDC_PREFIX}/*`, { schema: { hide: true } }, handler);
  });
}

/** The login and consent interactions: pages in the portal's scope. */
export function oidcPages(door: OidcDoor) {
  return (scope: FastifyInstance, web: Web): void => {
    scope.register(async (inner) => {
      await door.current();
      const path = (uid: string) => `${OIDC_PREFIX}/interaction/${encodeURIComponent(uid)}`;

      async function details(req: FastifyRequest, reply: FastifyReply) {
        const provider = await door.current();
        try {
          return await provider.interactionDetails(req.raw, reply.raw);
        } catch {
          return null;
        }
      }

      function expired(req: FastifyRequest, reply: FastifyReply) {
        const w = req.words;
        return web.html(
          reply,
          errorPage({
            status: 410,
            title: w.t('expired.heading'),
            message: w.t('consent.expired.message'),
            words: w,
          }),
          410,
        );
      }

      /**
       * Hands the interaction's result to the provider and goes on to the app. Browsers hold every
       * redirect of a navigation that began with a form post to the page's CSP form-action ('self'),
       * and the provider's last redirect goes to the app, on another origin: so a navigation that began
       * on this site (the sign-in, the confirmation step, the consent form) goes on from a page of ours,
       * by its Refresh header, outside the form's navigation. One that began at the app (single
       * sign-on), and programs, get the redirect.
       */
      async function finish(req: FastifyRequest, reply: FastifyReply, result: InteractionResults) {
        const provider = await door.current();
        const returnTo = await provider.interactionResult(req.raw, reply.raw, result, {
          mergeWithLastSubmission: true,
        });
        if (req.headers['sec-fetch-site'] !== 'same-origin') return reply.redirect(returnTo, 303);
        reply.header('refresh', `0;url=${returnTo}`);
        const w = req.words;
        return web.html(
          reply,
          page({
            title: w.t('consent.back.title'),
            narrow: true,
            body: html`${pageHeader(w.t('consent.back.heading'))}
<div class="actions">${linkButton(returnTo, w.t('common.continue'), 'primary')}</div>`,
            words: w,
          }),
        );
      }

      inner.get<{ Params: { uid: string } }>(`${OIDC_PREFIX}/interaction/:uid`, async (req, reply) => {
        const d = await details(req, reply);
        if (!d || d.uid !== req.params.uid) return expired(req, reply);
        const s = await web.session(req);
        const here = path(d.uid);
        if (d.prompt.name === 'login') {
          if (!s) return reply.redirect(`/sign-in?return=${encodeURIComponent(here)}`, 303);
          const amr = toAmrSession(s);
          const started = (d.iat ?? 0) * 1000;
          const wantsFresh =
            d.prompt.reasons.includes('login_prompt') || d.prompt.reasons.includes('max_age');
          const acrValues = typeof d.params.acr_values === 'string' ? d.params.acr_values.split(' ') : [];
          const wantsTwoStep =
            acrValues.length > 0 && !acrValues.includes(ACR_PASSWORD) && acrValues.includes(ACR_TWO_STEP);
          // A fresh second step (or, for people without methods, the password) proves the person is
          // at the keyboard now: the portal's confirmation step, sent back here afterwards. It is
          // asked once: the check it makes is newer than this interaction.
          const checkedSince = (s.strongAt ?? 0) >= started;
          if (
            !checkedSince &&
            ((wantsFresh && amr.authTime < started) || (wantsTwoStep && !isTwoStep(s.method)))
          ) {
            const f = await web.core.browser.startSudo(s, here);
            web.setCookie(reply, COOKIE.flow, f.flowToken);
            return reply.redirect('/account/verify', 303);
          }
          return finish(req, reply, {
            login: {
              accountId: s.user.id,
              amr: amrOf(s.method),
              acr: isTwoStep(s.method) ? ACR_TWO_STEP : ACR_PASSWORD,
              ts: Math.floor(Math.min(checkedSince ? s.strongAt! : amr.authTime, web.core.now()) / 1000),
              remember: true,
            },
          });
        }
        if (d.prompt.name === 'consent') {
          if (!s || s.user.id !== d.session?.accountId)
            return reply.redirect(`/sign-in?return=${encodeURIComponent(here)}`, 303);
          const client = await (await door.current()).Client.find(String(d.params.client_id));
          if (!client) return expired(req, reply);
          // A first-party app asked for consent (prompt=consent, as offline_access needs): allowed.
          // Never for the device grant (provider.ts, loadExistingGrant): its code may be anyone's.
          const device = String(d.returnTo ?? '').includes(`${OIDC_PREFIX}/device/`);
          if (client.metadata().latchkey_trusted === true && !device) return allow(req, reply, d, s.user.id);
          const scopes = consentScopes(d.params.scope);
          return web.render(req, reply, s, {
            title: req.words.t('consent.title', { app: client.clientName ?? client.clientId }),
            nav: null,
            body: consentView({
              app: client.clientName ?? client.clientId,
              scopes,
              action: here,
              csrf: web.csrf(req, reply),
              words: req.words,
            }),
          });
        }
        return expired(req, reply);
      });

      inner.post<{ Params: { uid: string } }>(`${OIDC_PREFIX}/interaction/:uid`, async (req, reply) => {
        const d = await details(req, reply);
        if (!d || d.uid !== req.params.uid || d.prompt.name !== 'consent') return expired(req, reply);
        const s = await web.session(req);
        if (!s || s.user.id !== d.session?.accountId) return expired(req, reply);
        if (web.str(req.body, 'decision', 16) !== 'allow') {
          await web.core.oidcAccess.recordAppSignIn({
            userId: s.user.id,
            clientId: String(d.params.client_id),
            ip: req.ip,
            userAgent: req.headers['user-agent'] ?? null,
            method: s.method,
            refused: true,
          });
          return finish(req, reply, {
            error: 'access_denied',
            error_description: 'The person did not allow the app to sign them in.',
          });
        }
        return allow(req, reply, d, s.user.id);
      });

      /** Grants what the app asked for and goes back to it. */
      async function allow(
        req: FastifyRequest,
        reply: FastifyReply,
        d: Awaited<ReturnType<Provider['interactionDetails']>>,
        accountId: string,
      ) {
        const provider = await door.current();
        const grant = d.grantId
          ? await provider.Grant.find(d.grantId)
          : new provider.Grant({ accountId, clientId: String(d.params.client_id) });
        if (!grant) return expired(req, reply);
        const missing = d.prompt.details as {
          missingOIDCScope?: string[];
          missingOIDCClaims?: string[];
          missingResourceScopes?: Record<string, string[]>;
        };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
          grant.addResourceScope(indicator, scopes.join(' '));
        }
        const grantId = await grant.save();
        return finish(req, reply, { consent: d.grantId ? {} : { grantId } });
      }
    });
  };
}

function consentView(o: {
  app: string;
  scopes: string[];
  action: string;
  csrf: string;
  words: Words;
}): SafeHtml {
  const w = o.words;
  const scope = (s: string) => {
    const key = SCOPE_WORDS[s as keyof typeof SCOPE_WORDS];
    return key ? w.t(key as 'consent.scope.openid') : s;
  };
  return html`${pageHeader(w.t('consent.heading', { app: o.app }), w.t('consent.willSee'))}
<ul class="consent-scopes">${o.scopes.map((s) => html`<li>${scope(s)}</li>`)}</ul>
${notice('info', w.markup('consent.note', { link: html`<a href="/account/apps">${w.t('nav.apps')}</a>` }))}
${postForm(
  o.action,
  o.csrf,
  html`<div class="actions">${button(w.t('consent.allow'), { name: 'decision', value: 'allow' })}${button(w.t('consent.cancel'), { name: 'decision', value: 'deny', kind: 'secondary' })}</div>`,
)}`;
}
