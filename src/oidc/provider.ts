// The OpenID Connect provider (spec §3, issue 10): oidc-provider, the certified reference
// implementation, configured for Latchkey. Its login is Latchkey's own browser sign-in (http/pages/
// oidc.ts), with two-step verification in the loop; its state lives in the store (adapter.ts); its
// clients are the ones an administrator registered; its signing keys are sealed in the store, so every
// node signs with the same keys.
//
// The issuer is LATCHKEY_PUBLIC_URL; discovery is at /.well-known/openid-configuration and every
// endpoint under /oidc/ (the root is the portal's, and /auth/basic is taken).

import { createHmac } from 'node:crypto';
import Provider, { type Configuration, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { Core } from '../core/index.js';
import { tokenDoor } from '../core/token-sign-ins.js';
import type { Door } from '../core/validate.js';
import { adapterFactory } from './adapter.js';
import { type AmrSession, accountClaims } from './claims.js';

export const OIDC_PREFIX = '/oidc';
/** The `acr` values Latchkey issues, weakest first (see docs/oidc.md). */
export const ACR_PASSWORD = 'urn:latchkey:acr:password';
export const ACR_TWO_STEP = 'urn:latchkey:acr:two-step';

export interface OidcOptions {
  /** Reads this browser's portal session from a request (cookie names differ under https). */
  portalSession(req: import('node:http').IncomingMessage): Promise<AmrSession | null>;
  /** Our error page, for errors the provider shows in the browser. */
  renderError(status: number, title: string, message: string): string;
  /** RP-initiated logout's question; `form` is the provider's hidden form the buttons submit. */
  renderLogout(form: string, app: string | null): string;
  /** After a logout without a return address to the app. */
  renderSignedOut(app: string | null): string;
  /**
   * The device grant's pages (RFC 8628): the code form (`error` when a code was wrong, expired or the
   * request was stopped), the confirmation naming the app and the code, and the end. `form` is the
   * provider's hidden form the buttons submit.
   */
  renderDeviceInput(form: string, error: 'code' | 'aborted' | 'other' | null): string;
  renderDeviceConfirm(form: string, app: string, userCode: string): string;
  renderDeviceDone(app: string | null): string;
  /** "Yes, sign me out": the portal session of this browser ends too (single logout). */
  signOutPortal(req: import('node:http').IncomingMessage, accountId: string): Promise<void>;
}

export async function createOidcProvider(core: Core, opts: OidcOptions): Promise<Provider> {
  const issuer = core.ctx.publicUrl.replace(/\/+$/, '');
  const jwks = await core.oidcKeys.signingKeys();
  // Cookie signing keys derived from the server's HMAC key: the same on every node, nothing stored.
  const cookieKey = createHmac('sha256', core.ctx.keys.hmac).update('oidc-cookies').digest('base64url');

  const policy = interactionPolicy.base();
  // The provider's session never outlives the portal's: signing out of the portal (or "sign out
  // everywhere", a password reset, a disabled account) means the next app asks for a sign-in again.
  policy.get('login')!.checks.add(
    new interactionPolicy.Check(
      'latchkey_session',
      'the Latchkey session ended or belongs to someone else',
      async (ctx: KoaContextWithOIDC) => {
        const s = await opts.portalSession(ctx.req);
        const { Check } = interactionPolicy;
        return s !== null && s.userId === ctx.oidc.session?.accountId
          ? Check.NO_NEED_TO_PROMPT
          : Check.REQUEST_PROMPT;
      },
    ),
  );

  const configuration: Configuration = {
    adapter: adapterFactory(core),
    jwks,
    cookies: { keys: [cookieKey], long: { signed: true }, short: { signed: true } },
    routes: {
      authorization: `${OIDC_PREFIX}/auth`,
      token: `${OIDC_PREFIX}/token`,
      userinfo: `${OIDC_PREFIX}/me`,
      jwks: `${OIDC_PREFIX}/jwks`,
      introspection: `${OIDC_PREFIX}/token/introspection`,
      revocation: `${OIDC_PREFIX}/token/revocation`,
      end_session: `${OIDC_PREFIX}/session/end`,
      device_authorization: `${OIDC_PREFIX}/device/auth`,
      code_verification: `${OIDC_PREFIX}/device`,
      pushed_authorization_request: `${OIDC_PREFIX}/request`,
      registration: `${OIDC_PREFIX}/reg`,
      backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
      challenge: `${OIDC_PREFIX}/challenge`,
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      // Confidential clients are resource servers an administrator registered (Dovecot): they may
      // introspect any token, whoever it was issued to. Public clients only their own (the library's
      // rule, stated here because it is a decision).
      introspection: {
        enabled: true,
        allowedPolicy: async (ctx, client, token) =>
          client.clientAuthMethod !== 'none' || token.clientId === ctx.oidc.client?.clientId,
      },
      revocation: { enabled: true },
      // The device grant's pages are ours, in the person's language (the library's own load web fonts
      // from another site, which the pages' CSP refuses, and speak English only).
      deviceFlow: {
        enabled: true,
        async userCodeInputSource(ctx, form, _out, err) {
          const e = err as (Error & { userCode?: unknown }) | undefined;
          ctx.type = 'html';
          ctx.body = opts.renderDeviceInput(
            form,
            !e
              ? null
              : e.userCode || e.name === 'NoCodeError'
                ? 'code'
                : e.name === 'AbortedError'
                  ? 'aborted'
                  : 'other',
          );
        },
        async userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
          ctx.type = 'html';
          ctx.body = opts.renderDeviceConfirm(form, client.clientName ?? client.clientId, userCode);
        },
        async successSource(ctx) {
          ctx.type = 'html';
          ctx.body = opts.renderDeviceDone(ctx.oidc.client?.clientName ?? null);
        },
      },
      backchannelLogout: { enabled: true },
      // An app's "sign out" (end_session) asks the person whether to sign out of Latchkey too; if
      // so the portal session ends, and apps registered with a back-channel logout URI are told.
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = opts.renderLogout(form, ctx.oidc.client?.clientName ?? null);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = opts.renderSignedOut(ctx.oidc.client?.clientName ?? null);
        },
      },
      // Dynamic client registration stays off: administrators register clients.
      registration: { enabled: false },
    },
    // `mail`: the token may open the person's mailbox (introspection names them only then).
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups', 'mail'],
    claims: {
      // How the person signed in travels with every ID token (RFC 8176 `amr`, and `acr`).
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    acrValues: [ACR_PASSWORD, ACR_TWO_STEP],
    // The provider's own outgoing requests (back-channel logout) refuse private and loopback
    // addresses by default, against server-side request forgery through registered URIs. Here only
    // administrators register clients, and their apps usually live on the organization's own
    // network: every address is allowed, with the library's 2.5 s timeout.
    fetch: (url, options) => {
      const { dispatcher: _ssrfGuard, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
    // The ID token carries the claims of the granted scopes too (names, address, groups), as apps
    // such as Nextcloud and Gitea expect, not only userinfo.
    conformIdTokenClaims: false,
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // Refresh tokens rotate at every use; a reused one revokes its grant (the library's rule).
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      DeviceCode: 600,
      Interaction: 900,
      Grant: 14 * 86_400,
      Session: 14 * 86_400,
      RefreshToken: 14 * 86_400,
    },
    async findAccount(_ctx, sub) {
      const claims = await accountClaims(core, sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => claims };
    },
    // Trusted (first-party) clients skip the consent page: their grant covers what they ask for.
    async loadExistingGrant(ctx) {
      const client = ctx.oidc.client!;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(client.clientId);
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant && grant.accountId === ctx.oidc.session!.accountId) return grant;
      }
      // Never for the device grant: a code typed on this browser may come from anyone (a link sent
      // by an attacker), so the person always sees which app they are letting in, and what it gets.
      const device = ctx.oidc.route === 'code_verification' || ctx.oidc.route === 'device_resume';
      if (client.metadata().latchkey_trusted === true && !device && ctx.oidc.session!.accountId) {
        const grant = new ctx.oidc.provider.Grant({
          clientId: client.clientId,
          accountId: ctx.oidc.session!.accountId,
        });
        grant.addOIDCScope(client.scope ?? 'openid');
        await grant.save();
        return grant;
      }
      return undefined;
    },
    extraClientMetadata: {
      properties: ['latchkey_trusted'],
      validator(_ctx, key, value, metadata) {
        if (key === 'latchkey_trusted') metadata.latchkey_trusted = value === true;
      },
    },
    async renderError(ctx, out, _error) {
      ctx.type = 'html';
      const description = typeof out.error_description === 'string' ? out.error_description : '';
      ctx.body = opts.renderError(
        ctx.status >= 400 ? ctx.status : 400,
        'The app could not sign you in',
        `${description || 'The request from the app was not valid.'} (${String(out.error)})`,
      );
    },
    // Errors, never secrets, in the log; the library's own console warnings are off in production.
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      requestObjectSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256', 'ES256'],
    },
  };

  const provider = new Provider(issuer, configuration);
  // The pages the provider renders itself (the device code pages, the logout question, its error page)
  // carry the portal pages' policy: never framed (a sibling subdomain is same-site, and could dress up
  // the device confirmation), no script or style from elsewhere, never cached. Set before the library
  // runs, so that form_post's auto-submitting script gets its hash added to script-src; no form-action,
  // since that form posts to the app's own site.
  provider.use(async (ctx, next) => {
    ctx.set(
      'content-security-policy',
      "default-src 'none';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';frame-ancestors 'none';base-uri 'none'",
    );
    ctx.set('x-frame-options', 'DENY');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('referrer-policy', 'no-referrer');
    await next();
    if (ctx.response.is('html') && !ctx.response.get('cache-control')) ctx.set('cache-control', 'no-store');
  });
  // "Yes, sign me out" at an app's logout: the portal session ends before the answer goes out, so
  // the browser's next page is signed out.
  provider.use(async (ctx, next) => {
    await next();
    const accountId = ctx.oidc?.session?.accountId;
    if (ctx.oidc?.route === 'end_session_confirm' && ctx.oidc.params?.logout && accountId) {
      await opts.signOutPortal(ctx.req, accountId).catch(() => {});
    }
  });
  // Client secrets are stored as keyed hashes (R4 for apps): compare the presented one that way.
  provider.Client.prototype.compareClientSecret = async function compare(
    this: { clientSecret?: string },
    actual: string,
  ) {
    return (
      typeof this.clientSecret === 'string' && core.oidcClients.checkClientSecret(this.clientSecret, actual)
    );
  };
  provider.use(introspectionAnswer(core));
  return provider;
}

/**
 * What introspection (RFC 7662) adds to the library's answer, for resource servers such as a mail
 * server taking XOAUTH2/OAUTHBEARER logins: the person's current `username` (RFC 7662's member) and
 * `preferred_username`, and their `email` when the token was granted the `email` scope, read from the
 * account when asked rather than frozen into the token at issue; and `active: false` for a person who
 * may no longer sign in (disabling someone ends their tokens; this covers a check racing with it).
 *
 * A confidential client that puts `?door=imap` (or `pop3`, `smtp`) in its introspection URL — Dovecot's
 * `introspection_url` — has each answer recorded in the sign-in log as a login through that door. With
 * Dovecot's `send_auth_headers = yes`, the service it names (`X-Dovecot-Auth-Service`: imap, pop3,
 * smtp or submission) picks the door and the mail client's address (`X-Dovecot-Auth-Remote`) is the
 * source; otherwise the mail server's own address is.
 */
function introspectionAnswer(core: Core) {
  const path = `${OIDC_PREFIX}/token/introspection`;
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.path !== path || ctx.method !== 'POST' || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || typeof body.active !== 'boolean') return;
    const token = ctx.oidc?.entities.AccessToken ?? ctx.oidc?.entities.RefreshToken;
    const door = mailDoor(ctx);
    if (body.active === true && typeof body.sub === 'string' && token?.accountId) {
      const person = await core.directory.personById(token.accountId);
      const scopes = String(token.scope ?? '').split(' ');
      if (person === null || (door !== null && !scopes.includes('mail'))) {
        // A mail server asks (?door=): only a token the person gave the `mail` scope opens mail —
        // not any app's token, whatever it was granted for.
        ctx.body = { active: false };
      } else if (scopes.includes('mail')) {
        // The names a mail server matches the login against, only for a token meant for mail.
        body.username = person.username;
        body.preferred_username = person.username;
        if (person.email && scopes.includes('email')) body.email = person.email;
      }
    }
    const client = ctx.oidc?.client;
    if (door === null || !client || client.clientAuthMethod === 'none') return;
    const live = (ctx.body as { active: boolean }).active && token?.accountId;
    const presented = ctx.oidc?.params?.token;
    await core.tokenSignIns.record({
      door,
      ip: remoteOf(ctx.get('x-dovecot-auth-remote')) ?? ctx.ip,
      userAgent: ctx.get('user-agent') || null,
      result: live
        ? { active: true, accountId: token!.accountId! }
        : { active: false, presented: typeof presented === 'string' ? presented : null },
    });
  };
}

/** The door of a mail server's introspection: Dovecot's service header, else `?door=`. */
function mailDoor(ctx: KoaContextWithOIDC): Door | null {
  const named = tokenDoor(ctx.query.door);
  if (named === null) return null;
  const service = ctx.get('x-dovecot-auth-service');
  return tokenDoor(service === 'submission' ? 'smtp' : service) ?? named;
}

/** "192.0.2.1:143" or "[2001:db8::1]:143" (Dovecot's net_ipport2str) → the address. */
function remoteOf(header: string): string | null {
  if (!header) return null;
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  return m ? m[1]! : null;
}
