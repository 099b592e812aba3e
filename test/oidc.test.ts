// The OpenID Connect provider against a real relying party library (openid-client), over real HTTP on
// 127.0.0.1, on SQLite and PostgreSQL. The browser is a small cookie-keeping fetch loop that submits
// the sign-in and consent forms as a person would.

import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { totpCode } from '../src/crypto/totp.js';
import { buildApp } from '../src/http/app.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'http://127.0.0.1:9/callback';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A browser: keeps cookies by name, follows redirects on this server, stops at the app's callback. */
class Browser {
  readonly cookies = new Map<string, string>();
  pages: string[] = [];
  constructor(private readonly base: string) {}

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const gone =
        value === '' ||
        attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a.trim()));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const res = await fetch(new URL(url, this.base), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    this.keep(res);
    return res;
  }

  /** Follows redirects until a page (returned with its HTML) or the app's callback (its URL). */
  async go(
    url: string,
    init: { form?: Record<string, string> } = {},
  ): Promise<{ page: string | null; callback: URL | null; status: number }> {
    let res = await this.request(url, init);
    for (let hops = 0; hops < 20; hops++) {
      const loc = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !loc) {
        const page = await res.text();
        this.pages.push(new URL(res.url || url, this.base).pathname);
        return { page, callback: null, status: res.status };
      }
      const next = new URL(loc, this.base);
      if (next.href.startsWith(REDIRECT)) return { page: null, callback: next, status: res.status };
      this.pages.push(next.pathname);
      res = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }
}

const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

describe.each(kinds)('OpenID Connect provider on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let issuer = '';
  let trusted: { clientId: string; clientSecret: string | null };
  let thirdParty: { clientId: string; clientSecret: string | null };
  let publicApp: { clientId: string; clientSecret: string | null };
  let aliceId = '';
  const test = kind.available ? it : it.skip;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0, publicUrl: issuer });
    app = buildApp({ core, logLevel: 'silent', oidcKeysPollMs: 200 });
    await app.listen({ port, host: '127.0.0.1' });
    await core.users.createUser(system, {
      username: 'alice',
      email: 'alice@example.org',
      displayName: 'Alice Example',
      password: PASSWORD,
    });
    aliceId = (await core.users.getUser(system, 'alice')).id;
    trusted = await core.oidcClients.addClient(system, {
      name: 'wiki',
      redirectUris: [REDIRECT],
      trusted: true,
    });
    thirdParty = await core.oidcClients.addClient(system, { name: 'grafana', redirectUris: [REDIRECT] });
    publicApp = await core.oidcClients.addClient(system, {
      name: 'cli-tool',
      redirectUris: [REDIRECT],
      public: true,
    });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await core.close();
    await t.cleanup();
  });

  const configFor = (c: { clientId: string; clientSecret: string | null }) =>
    oidc.discovery(
      new URL(issuer),
      c.clientId,
      c.clientSecret ?? undefined,
      c.clientSecret ? undefined : oidc.None(),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );

  async function authorize(config: oidc.Configuration, browser: Browser, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email groups offline_access',
      prompt: 'consent',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...extra,
    });
    const first = await browser.go(url.href);
    return { first, verifier, state };
  }

  /** Fills in the sign-in form on `page` and posts it where the form says (with its ?return=). */
  async function signIn(browser: Browser, page: string, username = 'alice') {
    const action = /<form method="post" action="([^"]*\/sign-in[^"]*)"/.exec(page)?.[1] ?? '/sign-in';
    return browser.go(action.replace(/&amp;/g, '&'), {
      form: { _csrf: csrfOf(page), username, password: PASSWORD },
    });
  }

  test('discovery names the issuer, the endpoints under /oidc and what is supported', async () => {
    const r = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(r.status).toBe(200);
    const d = (await r.json()) as Record<string, unknown>;
    expect(d.issuer).toBe(issuer);
    expect(d.authorization_endpoint).toBe(`${issuer}/oidc/auth`);
    expect(d.token_endpoint).toBe(`${issuer}/oidc/token`);
    expect(d.jwks_uri).toBe(`${issuer}/oidc/jwks`);
    expect(d.introspection_endpoint).toBe(`${issuer}/oidc/token/introspection`);
    expect(d.revocation_endpoint).toBe(`${issuer}/oidc/token/revocation`);
    expect(d.end_session_endpoint).toBe(`${issuer}/oidc/session/end`);
    expect(d.device_authorization_endpoint).toBe(`${issuer}/oidc/device/auth`);
    expect(d.code_challenge_methods_supported).toContain('S256');
    expect(d.grant_types_supported).toEqual(
      expect.arrayContaining([
        'authorization_code',
        'refresh_token',
        'urn:ietf:params:oauth:grant-type:device_code',
      ]),
    );
    expect(d.registration_endpoint).toBeUndefined();
    const jwks = (await (await fetch(`${issuer}/oidc/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    // Public keys only.
    for (const k of jwks.keys) expect(k.d).toBeUndefined();
  });

  test('code + PKCE through the Latchkey sign-in: tokens, claims, userinfo, refresh with rotation, introspection, revocation', async () => {
    const config = await configFor(trusted);
    const browser = new Browser(issuer);
    const { first, verifier, state } = await authorize(config, browser);
    // Not signed in: the app's request lands on Latchkey's own sign-in page.
    expect(first.page).toContain('name="password"');
    expect(browser.pages).toContain('/sign-in');
    const done = await signIn(browser, first.page!);
    expect(done.callback, done.page?.slice(0, 300)).not.toBeNull();
    const tokens = await oidc.authorizationCodeGrant(config, done.callback!, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(aliceId);
    expect(claims.sub).not.toBe('alice');
    expect(claims.preferred_username).toBe('alice');
    expect(claims.email).toBe('alice@example.org');
    expect(claims.name).toBe('Alice Example');
    expect(claims.groups).toEqual(['users']);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.acr).toBe('urn:latchkey:acr:password');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, aliceId);
    expect(info).toMatchObject({ sub: aliceId, preferred_username: 'alice', email: 'alice@example.org' });

    const active = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(active).toMatchObject({ active: true, sub: aliceId, client_id: trusted.clientId });

    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // A rotated refresh token used again is refused.
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    await oidc.tokenRevocation(config, refreshed.access_token);
    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toMatchObject({ active: false });
  });

  test('single sign-on: signed in to the portal, the next app does not ask again; signed out, it does', async () => {
    const config = await configFor(trusted);
    const browser = new Browser(issuer);
    const { first } = await authorize(config, browser);
    await signIn(browser, first.page!);
    browser.pages = [];
    const again = await authorize(config, browser);
    expect(again.first.callback).not.toBeNull();
    expect(browser.pages).not.toContain('/sign-in');

    // Sign out of the portal: the provider's own session does not outlive it.
    const account = await browser.go('/account');
    await browser.go('/sign-out', { form: { _csrf: csrfOf(account.page!) } });
    browser.pages = [];
    const after = await authorize(config, browser);
    expect(after.first.callback).toBeNull();
    expect(after.first.page).toContain('name="password"');
  });

  test('an app that is not trusted shows the consent page naming it and what it will see; Cancel refuses', async () => {
    const config = await configFor(thirdParty);
    const browser = new Browser(issuer);
    const { first, verifier, state } = await authorize(config, browser);
    const consent = await signIn(browser, first.page!);
    expect(consent.page).toContain('grafana wants to sign you in');
    expect(consent.page).toContain('Your email address');
    const denied = await browser.go(browser.pages.at(-1)!, {
      form: { _csrf: csrfOf(consent.page!), decision: 'deny' },
    });
    expect(denied.callback?.searchParams.get('error')).toBe('access_denied');

    const second = await authorize(config, browser);
    const allowed = await browser.go(browser.pages.at(-1)!, {
      form: { _csrf: csrfOf(second.first.page!), decision: 'allow' },
    });
    expect(allowed.callback?.searchParams.get('code')).toBeTruthy();
    const tokens = await oidc.authorizationCodeGrant(config, allowed.callback!, {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
    });
    expect(tokens.claims()!.sub).toBe(aliceId);
    expect(verifier).not.toBe(second.verifier);
    expect(state).not.toBe(second.state);
  });

  test('bad requests get the errors the RFCs name, and no secret reaches the log', async () => {
    // A public client without PKCE: refused at the authorization endpoint, back at the app.
    const pub = await configFor(publicApp);
    const noPkce = oidc.buildAuthorizationUrl(pub, { redirect_uri: REDIRECT, scope: 'openid', state: 'x' });
    const b = new Browser(issuer);
    const r = await b.go(noPkce.href);
    expect(r.callback?.searchParams.get('error')).toBe('invalid_request');

    // A redirect URI that is not registered: never redirected there; an error page instead.
    const wrong = new URL(`${issuer}/oidc/auth`);
    wrong.search = new URLSearchParams({
      client_id: trusted.clientId,
      redirect_uri: 'https://evil.example/cb',
      response_type: 'code',
      scope: 'openid',
    }).toString();
    const w = await fetch(wrong, { redirect: 'manual' });
    expect(w.status).toBe(400);
    expect(w.headers.get('location')).toBeNull();
    expect(await w.text()).toContain('redirect_uri');

    // A wrong client secret: invalid_client.
    const bad = await configFor({ clientId: trusted.clientId, clientSecret: 'lkcs_wrong' });
    const browser = new Browser(issuer);
    const { first, verifier } = await authorize(await configFor(trusted), browser);
    const done = await signIn(browser, first.page!);
    await expect(
      oidc.authorizationCodeGrant(bad, done.callback!, {
        pkceCodeVerifier: verifier,
        expectedState: oidc.skipStateCheck,
      }),
    ).rejects.toMatchObject({ error: 'invalid_client' });

    // A PKCE verifier that does not match the challenge: invalid_grant.
    const good = await configFor(trusted);
    await expect(
      oidc.authorizationCodeGrant(good, done.callback!, {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: oidc.skipStateCheck,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('a code used twice is refused, and the tokens issued for it stop working', async () => {
    const config = await configFor(trusted);
    const browser = new Browser(issuer);
    const { first, verifier, state } = await authorize(config, browser);
    const done = await signIn(browser, first.page!);
    const tokens = await oidc.authorizationCodeGrant(config, done.callback!, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    await expect(
      oidc.authorizationCodeGrant(config, done.callback!, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: false });
  });

  test('two-step in the loop: registration when enabled ends with the first app password, then acr/amr say which step', async () => {
    await core.users.createUser(system, {
      username: 'bob',
      email: 'bob@example.org',
      password: PASSWORD,
      twoStep: 'enabled',
    });
    const config = await configFor(trusted);
    const browser = new Browser(issuer);
    const { first, verifier, state } = await authorize(config, browser);
    // Password, then registration of an authenticator app (the key is on the page), recovery codes,
    // the first app password (R7), and back to the app.
    const register = await signIn(browser, first.page!, 'bob');
    const seed = /class="secret-value small"[^>]*>([A-Z2-7 ]+)</.exec(register.page!)![1]!.replace(/ /g, '');
    const codes = await browser.go('/sign-in/register', {
      form: { _csrf: csrfOf(register.page!), method: 'totp', code: totpCode(seed, Date.now()) },
    });
    expect(codes.page).toContain('recovery codes');
    const appPassword = await browser.go('/sign-in/recovery-codes', { form: { _csrf: csrfOf(codes.page!) } });
    expect(appPassword.page).toContain('first app password');
    const shown = await browser.go('/sign-in/app-password', {
      form: { _csrf: csrfOf(appPassword.page!), label: 'Laptop' },
    });
    const done = await browser.go('/sign-in/done', { form: { _csrf: csrfOf(shown.page!) } });
    expect(done.callback, done.page?.slice(0, 200)).not.toBeNull();
    const tokens = await oidc.authorizationCodeGrant(config, done.callback!, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims()!;
    expect(claims.preferred_username).toBe('bob');
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe('urn:latchkey:acr:two-step');
    // An app password is never a way in here either (B10).
    const other = new Browser(issuer);
    const again = await authorize(config, other);
    const app = (await core.appPasswords.listAppPasswords(system, 'bob'))[0];
    expect(app?.label).toBe('Laptop');
    const refused = await other.go(
      (
        /<form method="post" action="([^"]*\/sign-in[^"]*)"/.exec(again.first.page!)?.[1] ?? '/sign-in'
      ).replace(/&amp;/g, '&'),
      {
        form: {
          _csrf: csrfOf(again.first.page!),
          username: 'bob',
          password: 'abcd efgh ijkl mnop qrst uvwx',
        },
      },
    );
    expect(refused.callback).toBeNull();
  });

  test('prompt=login asks a signed-in person for a fresh check before the app gets its code', async () => {
    const config = await configFor(trusted);
    const browser = new Browser(issuer);
    const { first } = await authorize(config, browser);
    await signIn(browser, first.page!);
    // Times are compared to the second (auth_time): a sign-in in the same second is a fresh one.
    await new Promise((r) => setTimeout(r, 1100));
    browser.pages = [];
    const fresh = await authorize(config, browser, { prompt: 'login' });
    // Signed in already, but the app wants a fresh sign-in: the confirmation step, not the code.
    expect(fresh.first.callback).toBeNull();
    expect(browser.pages).toContain('/account/verify');
    const confirmed = await browser.go('/account/verify', {
      form: { _csrf: csrfOf(fresh.first.page!), method: 'password', password: PASSWORD },
    });
    expect(confirmed.callback?.searchParams.get('code')).toBeTruthy();
    const tokens = await oidc.authorizationCodeGrant(config, confirmed.callback!, {
      pkceCodeVerifier: fresh.verifier,
      expectedState: fresh.state,
    });
    expect(Math.abs(Number(tokens.claims()!.auth_time) - Date.now() / 1000)).toBeLessThan(30);
  });

  test('disabling the person or "sign out everywhere" ends every app token at once', async () => {
    await core.users.createUser(system, { username: 'carol', password: PASSWORD });
    const config = await configFor(trusted);
    const issue = async () => {
      const browser = new Browser(issuer);
      const { first, verifier, state } = await authorize(config, browser);
      const done = await signIn(browser, first.page!, 'carol');
      return {
        browser,
        tokens: await oidc.authorizationCodeGrant(config, done.callback!, {
          pkceCodeVerifier: verifier,
          expectedState: state,
        }),
      };
    };
    const a = await issue();
    expect(await oidc.tokenIntrospection(config, a.tokens.access_token)).toMatchObject({ active: true });
    const account = await a.browser.go('/account');
    await a.browser.go('/account/sign-out-everywhere', { form: { _csrf: csrfOf(account.page!) } });
    expect(await oidc.tokenIntrospection(config, a.tokens.access_token)).toMatchObject({ active: false });
    await expect(oidc.refreshTokenGrant(config, a.tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    const b = await issue();
    await core.users.setUserDisabled(system, 'carol', true);
    expect(await oidc.tokenIntrospection(config, b.tokens.access_token)).toMatchObject({ active: false });
    await expect(oidc.refreshTokenGrant(config, b.tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  test('a rotated key is published at once and signs only later; tokens keep verifying', async () => {
    const jwks = async () =>
      ((await (await fetch(`${issuer}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map(
        (k) => k.kid,
      );
    const before = await jwks();
    const { kid } = await core.oidcKeys.rotateKeys(system);
    let after = await jwks();
    for (let i = 0; i < 40 && !after.includes(kid); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await jwks();
    }
    expect(after).toEqual(expect.arrayContaining([...before, kid]));
    // Signing goes on with the old key until the new one's time comes (an hour later).
    const config = await configFor(trusted);
    const browser = new Browser(issuer);
    const { first, verifier, state } = await authorize(config, browser);
    const done = await signIn(browser, first.page!);
    const tokens = await oidc.authorizationCodeGrant(config, done.callback!, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()) as {
      kid: string;
    };
    expect(header.kid).not.toBe(kid);
    expect(before).toContain(header.kid);
  });

  test('housekeeping removes expired provider rows and nothing live', async () => {
    const count = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('oidc_payloads')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    await t.store.db
      .insertInto('oidc_payloads')
      .values({
        model: 'AccessToken',
        id: 'expired-one',
        payload: '{}',
        grant_id: null,
        user_code: null,
        uid: null,
        client_id: null,
        account_id: null,
        expires_at: Date.now() - 1000,
        consumed_at: null,
      })
      .execute();
    const before = await count();
    const r = await core.oidcState.prune();
    expect(r.payloads).toBeGreaterThanOrEqual(1);
    expect(await count()).toBe(before - r.payloads);
    expect(
      await t.store.db.selectFrom('oidc_payloads').select('id').where('id', '=', 'expired-one').execute(),
    ).toEqual([]);
    // The provider still works after it.
    expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
  });

  test('the device grant (RFC 8628): a code typed in the browser, the sign-in, then the device gets tokens', async () => {
    const config = await configFor(publicApp);
    const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile' });
    expect(device.user_code).toBeTruthy();
    expect(device.verification_uri).toBe(`${issuer}/oidc/device`);
    const browser = new Browser(issuer);
    // The page for the code, prefilled by verification_uri_complete: confirm it.
    const confirm = await browser.go(device.verification_uri_complete!);
    const form = /<form[^>]*action="([^"]+)"[\s\S]*?<\/form>/.exec(confirm.page!)!;
    const fields = Object.fromEntries(
      [...form[0].matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    const signInPage = await browser.go(form[1]!, { form: { ...fields, confirm: 'yes' } });
    expect(signInPage.page).toContain('name="password"');
    const consent = await signIn(browser, signInPage.page!);
    // Not a trusted app: the person is asked, naming it.
    expect(consent.page).toContain('cli-tool wants to sign you in');
    const done = await browser.go(browser.pages.at(-1)!, {
      form: { _csrf: csrfOf(consent.page!), decision: 'allow' },
    });
    expect(done.status).toBe(200);
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
    expect(tokens.claims()!.sub).toBe(aliceId);
  });
});
