// The OpenID Connect provider against a real relying party library (openid-client), over real HTTP on
// 127.0.0.1, on SQLite and PostgreSQL. The browser is a small cookie-keeping fetch loop that submits
// the sign-in and consent forms as a person would.

import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { totpCode } from '../src/crypto/totp.js';
import { consentScopes } from '../src/http/oidc.js';
import {
  Browser,
  type Client,
  clientConfig,
  codeGrant,
  csrfOf,
  type OidcServer,
  REDIRECT,
  startCodeFlow,
  startOidcServer,
} from './helpers/oidc.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';

describe.each(kinds)('OpenID Connect provider on $name', (kind) => {
  let server: OidcServer;
  let t: TestStore;
  let core: Core;
  let issuer = '';
  let trusted: Client;
  let thirdParty: Client;
  let publicApp: Client;
  let aliceId = '';
  const test = kind.available ? it : it.skip;

  beforeAll(async () => {
    if (!kind.available) return;
    server = await startOidcServer(kind, { oidcKeysPollMs: 200 });
    ({ t, core, issuer } = server);
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
    await server.stop();
  });

  const configFor = (c: Client) => clientConfig(issuer, c);

  const authorize = (config: oidc.Configuration, browser: Browser, extra: Record<string, string> = {}) =>
    startCodeFlow(config, browser, {
      scope: 'openid profile email groups offline_access',
      prompt: 'consent',
      ...extra,
    });

  const signIn = (browser: Browser, page: string, username = 'alice') =>
    browser.signIn(page, username, PASSWORD);

  /** The whole code flow for a person without two-step: the callback and the tokens for it. */
  async function signedInTokens(config: oidc.Configuration, browser: Browser, username = 'alice') {
    const flow = await authorize(config, browser);
    const done = await signIn(browser, flow.first.page, username);
    return { ...flow, callback: done.callback!, tokens: await codeGrant(config, done.callback!, flow) };
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
    const flow = await authorize(config, browser);
    // Not signed in: the app's request lands on Latchkey's own sign-in page.
    expect(flow.first.page).toContain('name="password"');
    expect(browser.pages).toContain('/sign-in');
    const done = await signIn(browser, flow.first.page);
    expect(done.callback, done.page.slice(0, 300)).not.toBeNull();
    const tokens = await codeGrant(config, done.callback!, flow);
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
    await signIn(browser, first.page);
    browser.pages = [];
    const again = await authorize(config, browser);
    expect(again.first.callback).not.toBeNull();
    expect(browser.pages).not.toContain('/sign-in');

    // Sign out of the portal: the provider's own session does not outlive it.
    const account = await browser.go('/account');
    await browser.go('/sign-out', { _csrf: csrfOf(account.page) });
    browser.pages = [];
    const after = await authorize(config, browser);
    expect(after.first.callback).toBeNull();
    expect(after.first.page).toContain('name="password"');
  });

  test('an app that is not trusted shows the consent page naming it and what it will see; Cancel refuses', async () => {
    const config = await configFor(thirdParty);
    const browser = new Browser(issuer);
    const { first, verifier, state } = await authorize(config, browser);
    const consent = await signIn(browser, first.page);
    expect(consent.page).toContain('grafana wants to sign you in');
    expect(consent.page).toContain('Your email address');
    const denied = await browser.go(browser.pages.at(-1)!, { _csrf: csrfOf(consent.page), decision: 'deny' });
    expect(denied.callback?.searchParams.get('error')).toBe('access_denied');

    const second = await authorize(config, browser);
    const allowed = await browser.go(browser.pages.at(-1)!, {
      _csrf: csrfOf(second.first.page),
      decision: 'allow',
    });
    expect(allowed.callback?.searchParams.get('code')).toBeTruthy();
    const tokens = await codeGrant(config, allowed.callback!, second);
    expect(tokens.claims()!.sub).toBe(aliceId);
    expect(verifier).not.toBe(second.verifier);
    expect(state).not.toBe(second.state);
  });

  test("response_mode=form_post: the provider's auto-submitting page runs under the pages' CSP with its script's hash", async () => {
    const config = await configFor(trusted);
    const browser = new Browser(issuer);
    const { first } = await authorize(config, browser, { response_mode: 'form_post' });
    const done = await signIn(browser, first.page);
    expect(done.page).toContain(`action="${REDIRECT}"`);
    expect(done.page).toMatch(/name="code" value="[^"]+"/);
    const csp = done.headers!.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('form-action');
    const script = /<script>([\s\S]*?)<\/script>/.exec(done.page)![1]!;
    const digest = createHash('sha256').update(script).digest('base64');
    expect(csp).toContain(`'sha256-${digest}'`);
  });

  test('bad requests get the errors the RFCs name, and the server goes on serving', async () => {
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
    const done = await signIn(browser, first.page);
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

    // Forged tokens: inactive at introspection, invalid_token at userinfo (RFC 6750).
    const forged = 'x'.repeat(43);
    expect(await oidc.tokenIntrospection(good, forged)).toMatchObject({ active: false });
    const me = await fetch(`${issuer}/oidc/me`, { headers: { authorization: `Bearer ${forged}` } });
    expect(me.status).toBe(401);
    expect(me.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);

    // Oversized input: a token request body of 1 MiB is refused before it is read whole; a code of 20 KB is no code.
    const huge = await fetch(`${issuer}/oidc/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${trusted.clientId}:${trusted.clientSecret}`).toString('base64')}`,
      },
      body: `grant_type=authorization_code&code=${'a'.repeat(1024 * 1024)}`,
    });
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    const longCode = await fetch(`${issuer}/oidc/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${trusted.clientId}:${trusted.clientSecret}`).toString('base64')}`,
      },
      body: `grant_type=authorization_code&redirect_uri=${encodeURIComponent(REDIRECT)}&code_verifier=${'v'.repeat(43)}&code=${'a'.repeat(20_000)}`,
    });
    expect(longCode.status).toBe(400);
    expect(((await longCode.json()) as { error: string }).error).toBe('invalid_grant');
    // …and everyone else is still served.
    expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
  });

  test('a code used twice is refused, and the tokens issued for it stop working', async () => {
    const config = await configFor(trusted);
    const browser = new Browser(issuer);
    const { callback, tokens, ...flow } = await signedInTokens(config, browser);
    await expect(codeGrant(config, callback, flow)).rejects.toMatchObject({ error: 'invalid_grant' });
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
    const flow = await authorize(config, browser);
    // Password, then registration of an authenticator app (the key is on the page), recovery codes,
    // the first app password (R7), and back to the app.
    const register = await signIn(browser, flow.first.page, 'bob');
    const seed = /class="secret-value small"[^>]*>([A-Z2-7 ]+)</.exec(register.page)![1]!.replace(/ /g, '');
    const codes = await browser.go('/sign-in/register', {
      _csrf: csrfOf(register.page),
      method: 'totp',
      code: totpCode(seed, Date.now()),
    });
    expect(codes.page).toContain('recovery codes');
    const appPassword = await browser.go('/sign-in/recovery-codes', { _csrf: csrfOf(codes.page) });
    expect(appPassword.page).toContain('first app password');
    const shown = await browser.go('/sign-in/app-password', {
      _csrf: csrfOf(appPassword.page),
      label: 'Laptop',
    });
    const done = await browser.go('/sign-in/done', { _csrf: csrfOf(shown.page) });
    expect(done.callback, done.page.slice(0, 200)).not.toBeNull();
    const tokens = await codeGrant(config, done.callback!, flow);
    const claims = tokens.claims()!;
    expect(claims.preferred_username).toBe('bob');
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe('urn:latchkey:acr:two-step');
    // An app password is never a way in here either (B10).
    const other = new Browser(issuer);
    const again = await authorize(config, other);
    const app = (await core.appPasswords.listAppPasswords(system, 'bob'))[0];
    expect(app?.label).toBe('Laptop');
    const refused = await other.signIn(again.first.page, 'bob', 'abcd efgh ijkl mnop qrst uvwx');
    expect(refused.callback).toBeNull();
  });

  test('prompt=login asks a signed-in person for a fresh check before the app gets its code', async () => {
    const config = await configFor(trusted);
    const browser = new Browser(issuer);
    const { first } = await authorize(config, browser);
    await signIn(browser, first.page);
    // Times are compared to the second (auth_time): a sign-in in the same second is a fresh one.
    await new Promise((r) => setTimeout(r, 1100));
    browser.pages = [];
    const fresh = await authorize(config, browser, { prompt: 'login' });
    // Signed in already, but the app wants a fresh sign-in: the confirmation step, not the code.
    expect(fresh.first.callback).toBeNull();
    expect(browser.pages).toContain('/account/verify');
    const confirmed = await browser.go('/account/verify', {
      _csrf: csrfOf(fresh.first.page),
      method: 'password',
      password: PASSWORD,
    });
    expect(confirmed.callback?.searchParams.get('code')).toBeTruthy();
    const tokens = await codeGrant(config, confirmed.callback!, fresh);
    expect(Math.abs(Number(tokens.claims()!.auth_time) - Date.now() / 1000)).toBeLessThan(30);
  });

  test('disabling the person or "sign out everywhere" ends every app token at once', async () => {
    await core.users.createUser(system, { username: 'carol', password: PASSWORD });
    const config = await configFor(trusted);
    const issue = async () => {
      const browser = new Browser(issuer);
      return { browser, tokens: (await signedInTokens(config, browser, 'carol')).tokens };
    };
    const a = await issue();
    expect(await oidc.tokenIntrospection(config, a.tokens.access_token)).toMatchObject({ active: true });
    const account = await a.browser.go('/account');
    await a.browser.go('/account/sign-out-everywhere', { _csrf: csrfOf(account.page) });
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
    const { tokens } = await signedInTokens(config, new Browser(issuer));
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
    const form = /<form[^>]*action="([^"]+)"[\s\S]*?<\/form>/.exec(confirm.page)!;
    const fields = Object.fromEntries(
      [...form[0].matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    const signInPage = await browser.go(form[1]!, { ...fields, confirm: 'yes' });
    expect(signInPage.page).toContain('name="password"');
    const consent = await signIn(browser, signInPage.page);
    // Not a trusted app: the person is asked, naming it.
    expect(consent.page).toContain('cli-tool wants to sign you in');
    const done = await browser.go(browser.pages.at(-1)!, { _csrf: csrfOf(consent.page), decision: 'allow' });
    expect(done.status).toBe(200);
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
    expect(tokens.claims()!.sub).toBe(aliceId);
  });

  test('the device grant asks for consent even for a trusted app: its code may come from anyone', async () => {
    // The attack: someone starts a device sign-in with the organization's own app and sends the
    // link; a person signed in to the portal must see what they are letting in, not just go through.
    const config = await configFor(trusted);
    const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile' });
    const browser = new Browser(issuer);
    const confirm = await browser.go(device.verification_uri_complete!);
    const form = /<form[^>]*action="([^"]+)"[\s\S]*?<\/form>/.exec(confirm.page)!;
    const fields = Object.fromEntries(
      [...form[0].matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    const signInPage = await browser.go(form[1]!, { ...fields, confirm: 'yes' });
    const consent = await signIn(browser, signInPage.page);
    expect(consent.page).toContain('wiki wants to sign you in');
    const refused = await browser.go(browser.pages.at(-1)!, {
      _csrf: csrfOf(consent.page),
      decision: 'deny',
    });
    expect(refused.status).toBeLessThan(500);
    await expect(oidc.pollDeviceAuthorizationGrant(config, device)).rejects.toMatchObject({
      error: 'access_denied',
    });
  });

  test('the device grant pages are ours, in the browser language, and say when a code is wrong', async () => {
    const nl = { 'accept-language': 'nl-NL,nl;q=0.9' };
    const form = await fetch(`${issuer}/oidc/device`, { headers: nl });
    expect(form.headers.get('content-language')).toBe('nl');
    const body = await form.text();
    expect(body).toContain('<html lang="nl"');
    expect(body).toContain('Typ de code die je apparaat of app laat zien.');
    expect(body).toContain('<label for="f-user_code">Code</label>');
    // Nothing from another site (the library's own page loads web fonts) and no inline handler; the
    // portal pages' policy, and never cached.
    expect(body).not.toMatch(/googleapis|onfocus=/);
    expect(form.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(form.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(form.headers.get('cache-control')).toBe('no-store');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(body)![1]!;
    const cookies = form.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const wrong = await fetch(`${issuer}/oidc/device`, {
      method: 'POST',
      headers: { ...nl, cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, user_code: 'BCDF-GHJK' }),
      redirect: 'manual',
    });
    const refused = await wrong.text();
    expect(refused).toContain('Die code klopt niet of is verlopen.');
    expect(refused).toContain('value="BCDF-GHJK"');
    // The English page for an English browser.
    const en = await (await fetch(`${issuer}/oidc/device`, { headers: { 'accept-language': 'en' } })).text();
    expect(en).toContain('Type the code that your device or app shows.');
  });

  test('the pages the provider renders itself are never framed', async () => {
    const device = await fetch(`${issuer}/oidc/device`);
    expect(device.headers.get('x-frame-options')).toBe('DENY');
    expect(device.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('the consent page', () => {
  it('names only our scopes, whatever else a request carries', () => {
    expect(consentScopes('openid email toString constructor __proto__ hasOwnProperty')).toEqual([
      'openid',
      'email',
    ]);
    expect(consentScopes(undefined)).toEqual(['openid']);
  });
});
