// A real Apache httpd with mod_auth_openidc as the relying party of a real Latchkey, configured with the
// block of docs/oidc-apache.md, and a real Chromium as the person: the protected page sends them to
// Latchkey's sign-in (password, then a code from their authenticator app), they come back and the page
// shows their REMOTE_USER; the access token is refreshed; once the person is disabled, the next refresh
// is refused and Apache ends its session, so the page is no longer served to them.
//
// Apache runs in the foreground (-X) from its own configuration in a temporary directory, on
// 127.0.0.1 only. Missing apache2, mod_auth_openidc or Chromium: skipped with a warning, except in CI
// (CI=true), where that is a failure.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/core/policy.js';
import { totpCode } from '../src/crypto/totp.js';
import { chromiumAvailable, launchChromium } from './helpers/browser.js';
import { startWebServer, type WebServer } from './helpers/e2e.js';
import {
  blockAfter,
  canConnect,
  freePort,
  readIfThere,
  replaceExactly,
  stopProcess,
} from './helpers/nginx.js';
import { tempDir } from './helpers/stores.js';

const run = promisify(execFile);
const APACHE = ['/usr/sbin/apache2', '/usr/local/sbin/apache2'].find((p) => existsSync(p)) ?? null;
const MODULES = '/usr/lib/apache2/modules';
const OPENIDC = existsSync(join(MODULES, 'mod_auth_openidc.so'));
const available = APACHE !== null && OPENIDC && chromiumAvailable;
if (!available) {
  const what = 'apache2, libapache2-mod-auth-openidc and chromium';
  if (process.env.CI === 'true') {
    throw new Error(
      `The Apache test needs ${what} in CI (CI=true): apt-get install -y apache2 libapache2-mod-auth-openidc chromium.`,
    );
  }
  console.warn(`${what} are not all installed: skipping test/oidc-apache.test.ts.`);
}

const DOC = 'docs/oidc-apache.md';
const MARKER = '<!-- test/oidc-apache.test.ts runs the next apache block -->';
const system: Actor = { kind: 'system', name: 'apache-test', ip: null };
const PASSWORD = 'alice has a long password';
const TIMEOUT = 60_000;

describe.skipIf(!available)('Apache mod_auth_openidc signs people in through Latchkey', () => {
  let server: WebServer;
  let browser: Browser | null = null;
  let context: BrowserContext;
  let page: Page;
  let apache: ChildProcess;
  let dir = '';
  let port = 0;
  let seed = '';
  let aliceId = '';
  let stderr = '';
  const cspViolations: string[] = [];

  const errorLog = () => `${stderr}${readIfThere(join(dir, 'error.log'))}`;

  beforeAll(async () => {
    server = await startWebServer();
    const { core } = server;
    const alice = await core.users.createUser(system, {
      username: 'alice',
      email: 'alice@example.org',
      displayName: 'Alice Example',
      password: PASSWORD,
    });
    // Alice's authenticator app, registered as the pages do; the code proving it belongs to the
    // previous 30-second step, so the current one is still unused when she signs in.
    await core.twoStep.setTwoStepState(system, 'alice', 'enabled');
    aliceId = alice.id;
    const made = core.methods.newSealedTotpSeed(alice.id);
    seed = made.seed;
    const added = await core.methods.addTotpMethod(system, alice.id, {
      sealedSeed: made.sealed,
      code: totpCode(seed, Date.now() - 30_000),
      name: 'Phone',
    });
    expect(added.finishedRegistration).toBe(true);

    port = await freePort();
    const site = `http://127.0.0.1:${port}`;
    const client = await core.oidcClients.addClient(system, {
      name: 'intranet',
      redirectUris: [`${site}/protected/redirect_uri`],
      trusted: true,
    });

    dir = tempDir('latchkey-apache-');
    // Run as root, Apache serves as www-data, who must read the pages.
    chmodSync(dir, 0o755);
    for (const sub of ['two-step', 'password-only'])
      mkdirSync(join(dir, 'htdocs', 'protected', sub), { recursive: true });
    // The page shows what Apache hands an app: REMOTE_USER, and a claim.
    for (const sub of ['', 'two-step', 'password-only'])
      writeFileSync(
        join(dir, 'htdocs', 'protected', sub, 'index.shtml'),
        '<!doctype html><title>Intranet</title>\n' +
          '<p id="user"><!--#echo var="REMOTE_USER" --></p>\n' +
          '<p id="email"><!--#echo var="OIDC_CLAIM_email" --></p>\n',
      );

    let oidc = blockAfter(DOC, MARKER, 'apache');
    oidc = replaceExactly(oidc, 'https://id.example.org', server.origin, 1);
    oidc = replaceExactly(oidc, 'https://intranet.example.org', site, 1);
    oidc = replaceExactly(oidc, 'lkc_APACHE_CLIENT_ID', client.clientId, 1);
    oidc = replaceExactly(oidc, 'lkcs_APACHE_CLIENT_SECRET', client.clientSecret!, 1);
    oidc = replaceExactly(
      oidc,
      'REPLACE_WITH_A_LONG_RANDOM_PASSPHRASE',
      'test-passphrase-of-the-apache-test',
      1,
    );
    // Refresh once the access token is a second old rather than a minute, so the test need not wait.
    oidc = replaceExactly(
      oidc,
      'OIDCRefreshAccessTokenBeforeExpiry 3540',
      'OIDCRefreshAccessTokenBeforeExpiry 3599',
      1,
    );

    const root = process.getuid?.() === 0;
    const load = (name: string, file: string) => `LoadModule ${name}_module ${MODULES}/${file}`;
    const conf = [
      '# Written by test/oidc-apache.test.ts',
      `ServerRoot ${dir}`,
      `DefaultRuntimeDir ${dir}`,
      `PidFile ${dir}/httpd.pid`,
      `ErrorLog ${dir}/error.log`,
      'LogLevel warn auth_openidc:info',
      `Mutex file:${dir} default`,
      load('mpm_event', 'mod_mpm_event.so'),
      load('authn_core', 'mod_authn_core.so'),
      load('authz_core', 'mod_authz_core.so'),
      load('authz_user', 'mod_authz_user.so'),
      load('mime', 'mod_mime.so'),
      load('dir', 'mod_dir.so'),
      load('include', 'mod_include.so'),
      load('auth_openidc', 'mod_auth_openidc.so'),
      ...(root ? ['User www-data', 'Group www-data'] : []),
      // Only the test's page: no system mime.types needed.
      `TypesConfig ${dir}/mime.types`,
      'AddType text/html .shtml',
      `Listen 127.0.0.1:${port}`,
      'ServerName 127.0.0.1',
      `DocumentRoot ${dir}/htdocs`,
      `<Directory ${dir}/htdocs>`,
      '    Options +Includes',
      '    AddOutputFilter INCLUDES .shtml',
      '    DirectoryIndex index.shtml',
      '</Directory>',
      oidc,
      // docs/oidc-apache.md: an app that needs two-step verification requires the acr claim.
      '<Location /protected/two-step>',
      '    Require claim acr:urn:latchkey:acr:two-step',
      '</Location>',
      '<Location /protected/password-only>',
      '    Require claim acr:urn:latchkey:acr:password',
      '</Location>',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'httpd.conf'), conf);
    writeFileSync(join(dir, 'mime.types'), '');
    await run(APACHE!, ['-t', '-f', join(dir, 'httpd.conf')]).catch((e: { stderr?: string }) => {
      throw new Error(`apache2 -t refused the configuration:\n${e.stderr}\n${conf}`);
    });
    apache = spawn(APACHE!, ['-X', '-f', join(dir, 'httpd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    apache.stderr?.on('data', (c) => {
      stderr += c;
    });
    const deadline = Date.now() + 15_000;
    while (!(await canConnect(port))) {
      if (apache.exitCode !== null || Date.now() > deadline) {
        throw new Error(`apache2 did not start on 127.0.0.1:${port}:\n${errorLog()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }

    browser = await launchChromium();
    context = await browser!.newContext({ locale: 'en-GB' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    // Apache's pages have no favicon (a 404 is fine); a page refused by a CSP is not.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
    });
  }, TIMEOUT);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (apache) await stopProcess(apache, 'SIGTERM');
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, TIMEOUT);

  const site = () => `http://127.0.0.1:${port}`;

  it(
    'the protected page sends Alice to Latchkey: password, authenticator code, back with REMOTE_USER=alice',
    async () => {
      await page.goto(`${site()}/protected/`);
      // Latchkey's own sign-in page, not Apache's.
      expect(page.url().startsWith(server.origin)).toBe(true);
      await page.getByLabel('Username or email', { exact: true }).fill('alice');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/sign-in/verify');
      await page.getByLabel('Code from your authenticator app').fill(totpCode(seed, Date.now()));
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
      // Through Latchkey's "You are signed in" page (a form's redirects may not leave the site).
      await page.waitForURL((u) => u.href.startsWith(`${site()}/protected/`));
      expect((await page.locator('#user').innerText()).trim(), errorLog()).toBe('alice');
      expect((await page.locator('#email').innerText()).trim()).toBe('alice@example.org');
      // Single sign-on: Apache's session gone, Latchkey's kept, the app's sign-in is a chain of
      // redirects the app began, with no page on the way.
      await context.clearCookies({ name: /^mod_auth_openidc_session/ });
      const seen: string[] = [];
      const onResponse = (r: { url(): string; status(): number }) => {
        seen.push(`${r.status()} ${r.url()}`);
      };
      page.on('response', onResponse);
      await page.goto(`${site()}/protected/`);
      page.off('response', onResponse);
      expect((await page.locator('#user').innerText()).trim()).toBe('alice');
      expect(seen.some((r) => r.includes(`${server.origin}/oidc/auth`))).toBe(true);
      expect(seen.filter((r) => r.startsWith('200 ') && r.includes(server.origin))).toEqual([]);
      // She signed in with two-step verification, and the app can require it (acr).
      const strong = await page.goto(`${site()}/protected/two-step/`);
      expect(strong?.status()).toBe(200);
      expect((await page.locator('#user').innerText()).trim()).toBe('alice');
      const weak = await page.goto(`${site()}/protected/password-only/`);
      expect(weak?.status()).toBe(401);
      expect(cspViolations).toEqual([]);
      // The sign-in log has the browser sign-in with its second step.
      const log = await server.core.signInLog.listSignIns(system, { username: 'alice', limit: 5 });
      expect(log.find((e) => e.door === 'browser' && e.result === 'accepted')).toMatchObject({
        credential: 'totp',
      });
    },
    TIMEOUT,
  );

  it(
    'a refresh: Apache renews the access token with the refresh token and keeps serving her',
    async () => {
      const accessTokens = async () =>
        (
          await server.t.store.db
            .selectFrom('oidc_payloads')
            .select('id')
            .where('model', '=', 'AccessToken')
            .where('account_id', '=', aliceId)
            .execute()
        ).length;
      const before = await accessTokens();
      // A second later the token is due for a refresh (the test's 3599 of 3600 seconds).
      await new Promise((r) => setTimeout(r, 1500));
      await page.goto(`${site()}/protected/`);
      expect(page.url().startsWith(`${site()}/protected/`)).toBe(true);
      expect((await page.locator('#user').innerText()).trim(), errorLog()).toBe('alice');
      // Apache got a new access token from Latchkey on the way.
      expect(await accessTokens()).toBe(before + 1);
    },
    TIMEOUT,
  );

  it(
    'once Alice is disabled, the next refresh is refused and Apache stops serving her the page',
    async () => {
      await server.core.users.setUserDisabled(system, 'alice', true);
      await new Promise((r) => setTimeout(r, 1500));
      await page.goto(`${site()}/protected/`);
      // mod_auth_openidc 2.4.12 answers the request whose refresh failed with its own "Logged Out"
      // page: not the app, and no REMOTE_USER.
      expect(await page.locator('#user').count(), errorLog()).toBe(0);
      expect(await page.locator('body').innerText()).toContain('Logged Out');
      expect(errorLog()).toMatch(/access_token could not be refreshed, logout=1/);
      // Its session is gone: the page sends her to Latchkey again, which no longer lets her in.
      await page.goto(`${site()}/protected/`);
      expect(page.url().startsWith(server.origin)).toBe(true);
      await page.getByLabel('Username or email', { exact: true }).fill('alice');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForLoadState();
      expect(page.url().startsWith(server.origin)).toBe(true);
      expect(await page.locator('#user').count()).toBe(0);
      const log = await server.core.signInLog.listSignIns(system, { username: 'alice', limit: 5 });
      expect(log[0]).toMatchObject({ door: 'browser', result: 'refused', reason: 'user_disabled' });
    },
    TIMEOUT,
  );
});
