// OpenID Connect apps in a real Chromium against a real Latchkey on 127.0.0.1 (SQLite), every page
// watched for console errors and CSP violations:
//
//   1. An administrator registers an app on /admin/clients (name, redirect URI, scopes), sees its
//      client id, issuer and secret once, and copies the secret to the clipboard.
//   2. Erin signs in to that app: the app's authorization request, Latchkey's sign-in, the consent
//      page, Allow, back to the app's address on another origin (localhost instead of 127.0.0.1: the
//      same server, which answers 404 there). The browser must get there although the navigation began
//      with a form post and the pages' CSP says form-action 'self'.
//   3. Erin finds it under Apps with access, removes it (Remove → Yes → Close), and reads the sign-in
//      in Recent sign-ins.
//
// Screenshots go to docs/screenshots/ with LATCHKEY_SCREENSHOTS=1, else to a temporary directory.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../src/core/policy.js';
import { describeWithChromium, launchChromium } from './helpers/browser.js';
import { heading, newTab, screenshots, startWebServer, type Tab, type WebServer } from './helpers/e2e.js';

const SHOTS = screenshots('latchkey-e2e-apps-');
afterAll(() => SHOTS.cleanup());
const shot = SHOTS.shot;
const system: Actor = { kind: 'system', name: 'e2e', ip: null };
const PASSWORD = 'the apps are many but the key is one';
const TIMEOUT = 60_000;

describeWithChromium('e2e: registering an app, signing in to it, removing its access', () => {
  let browser: Browser | null = null;
  let server: WebServer;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startWebServer();
    await server.core.users.createUser(system, { username: 'ada', role: 'admin', password: PASSWORD });
    await server.core.users.createUser(system, {
      username: 'erin',
      displayName: 'Erin Example',
      email: 'erin@example.org',
      password: PASSWORD,
    });
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(tab: Tab, username: string): Promise<void> {
    await tab.page.getByLabel('Username or email', { exact: true }).fill(username);
    await tab.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await tab.page.getByRole('button', { name: 'Sign in' }).click();
    await tab.page.waitForLoadState('load');
  }

  it(
    'register → sign in through the app with consent → Apps with access → Remove',
    async () => {
      const callback = `${server.origin.replace('127.0.0.1', 'localhost')}/callback`;
      const ada = await newTab(browser!, server.origin, problems);
      await ada.page.goto('/admin/clients');
      await signIn(ada, 'ada');
      expect(await heading(ada.page)).toBe('Apps (OpenID Connect)');
      await ada.page.getByRole('link', { name: 'Register an app' }).click();
      await ada.page.getByLabel('Name', { exact: true }).fill('grafana');
      await ada.page.getByLabel('Redirect URIs', { exact: true }).fill(callback);
      await ada.page.getByLabel('groups: the groups they are in').uncheck();
      await shot(ada.page, 'admin-client-new');
      await ada.page.getByRole('button', { name: 'Register' }).click();
      expect(await heading(ada.page)).toBe('grafana is registered');
      const secret = (await ada.page.locator('#client-secret').innerText()).trim();
      expect(secret).toMatch(/^lkcs_/);
      await ada.page.getByRole('button', { name: 'Copy secret to clipboard' }).click();
      await expect.poll(() => ada.page.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
      await shot(ada.page, 'admin-client-registered');
      await ada.page.getByRole('link', { name: 'Close' }).click();
      expect(await heading(ada.page)).toBe('grafana');
      await ada.page.goto('/admin/clients');
      await shot(ada.page, 'admin-clients');

      // Erin opens the app, which sends her to Latchkey.
      const client = (await server.core.oidcClients.listClients(system))[0]!;
      const auth = new URL('/oidc/auth', server.origin);
      auth.search = new URLSearchParams({
        client_id: client.clientId,
        redirect_uri: callback,
        response_type: 'code',
        scope: 'openid profile email',
        state: 'e2e-state',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      }).toString();
      const erin = await newTab(browser!, server.origin, problems);
      // The app's address answers 404 here: the test stops where the app would take over.
      erin.expected.set('/callback', 404);
      erin.expected.set('/favicon.ico', 404);
      await erin.page.goto(auth.href);
      // The sign-in page says which app she is signing in to.
      expect(await heading(erin.page)).toBe('Sign in to continue to grafana');
      await shot(erin.page, 'sign-in-app');
      await signIn(erin, 'erin');
      expect(await heading(erin.page)).toBe('grafana wants to sign you in');
      await shot(erin.page, 'consent');
      await erin.page.getByRole('button', { name: 'Allow' }).click();
      await expect.poll(() => new URL(erin.page.url()).pathname).toBe('/callback');
      const back = new URL(erin.page.url());
      expect(back.searchParams.get('code')).toBeTruthy();
      expect(back.searchParams.get('state')).toBe('e2e-state');

      await erin.page.goto('/account/apps');
      expect(await heading(erin.page)).toBe('Apps with access');
      await expect.poll(() => erin.page.getByText('Your email address').isVisible()).toBe(true);
      await shot(erin.page, 'account-apps');
      await erin.page.getByRole('link', { name: 'Remove' }).click();
      expect(await heading(erin.page)).toBe('Remove grafana’s access?');
      await shot(erin.page, 'account-app-remove');
      await erin.page.getByRole('button', { name: 'Yes' }).click();
      expect(await heading(erin.page)).toBe('grafana no longer has access');
      await erin.page.getByRole('link', { name: 'Close' }).click();
      await expect
        .poll(() => erin.page.getByText('No app has access to your account.').isVisible())
        .toBe(true);

      await erin.page.goto('/account/sign-ins');
      await expect
        .poll(() => erin.page.getByText('Signed in to grafana (OpenID Connect).').isVisible())
        .toBe(true);
      await shot(erin.page, 'recent-sign-ins-apps');

      expect(problems).toEqual([]);
    },
    TIMEOUT,
  );
});
