// Single sign-on behind a real nginx, with a real Chromium: the configuration of docs/sso-proxy.md,
// run as written (only ports, upstream addresses and host names rewritten), in front of a tiny app that
// shows the Remote-User it receives. Chromium resolves *.example.test to 127.0.0.1, so that the app
// (wiki.example.test, through nginx) and the portal (id.example.test, Latchkey itself) are sibling
// hosts under the cookie domain example.test, as in production. Everything listens on 127.0.0.1.
// nginx or Chromium missing: skipped, saying so — except in CI (CI=true), where that is a failure.

import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { CHROMIUM_PATH, chromiumAvailable } from './helpers/browser.js';
import { DESKTOP, watch } from './helpers/e2e.js';
import {
  findNginx,
  freePort,
  nginxBlockAfter,
  type RunningNginx,
  replaceExactly,
  startNginx,
} from './helpers/nginx.js';
import { storeKinds, type TestStore } from './helpers/stores.js';

const NGINX = findNginx();
const CI = process.env.CI === 'true';
if (NGINX === null || !chromiumAvailable) {
  if (CI) {
    throw new Error(
      'nginx and Chromium are required in CI (apt-get install nginx chromium): test/sso-nginx.test.ts.',
    );
  }
  console.warn('nginx or Chromium not found: skipping test/sso-nginx.test.ts.');
}

const DOC = 'docs/sso-proxy.md';
const MARKER = '<!-- test/sso-nginx.test.ts runs the next nginx block -->';
const admin: Actor = { kind: 'system', name: 'sso-nginx-test', ip: null };
const TIMEOUT = 60_000;

let t: TestStore;
let core: Core;
let latchkey: ReturnType<typeof buildApp>;
let portal: string;
let upstream: Server;
const seen: IncomingHttpHeaders[] = [];
let nginx: RunningNginx;
let wiki: string;
let browser: Browser;
let mailPassword: string;

/**
 * A separate browser with one watched tab (console errors, CSP violations, failed requests). Not
 * e2e.ts's newTab: it grants clipboard permissions, which Chromium refuses for plain-http hosts
 * other than localhost.
 */
async function newTab(allowed: ReadonlySet<number> = new Set()) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  await context.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  );
  const page = await context.newPage();
  const all: string[] = [];
  watch(page, all, new Map(), allowed);
  // Plain http on a name other than localhost: Chromium ignores the portal's Cross-Origin-Opener-Policy
  // and origin-keying there, and says so. Under https (production) it does not.
  const httpOnly = /Cross-Origin-Opener-Policy header has been ignored|origin-keyed agent cluster/;
  return { context, page, problems: () => all.filter((p) => !httpOnly.test(p)) };
}

/** One request through nginx as a non-browser client would send it. */
function get(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: nginx.port,
        path,
        headers: { host: `wiki.example.test:${nginx.port}`, ...headers },
        agent: false,
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from nginx for ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf((NGINX === null || !chromiumAvailable) && !CI)(
  'single sign-on behind nginx with Chromium (docs/sso-proxy.md)',
  () => {
    beforeAll(async () => {
      const [sqlite] = await storeKinds();
      t = await sqlite!.open();
      const port = await freePort();
      portal = `http://id.example.test:${port}`;
      core = await createCore({ store: t.store, keys: t.keys, publicUrl: portal, flushIntervalMs: 0 });
      await core.users.createUser(admin, { username: 'nina', password: 'nina password 1' });
      await core.users.createUser(admin, { username: 'mail', password: 'mail password 1' });
      await core.twoStep.setTwoStepState(admin, 'mail', 'enforced');
      mailPassword = (await core.appPasswords.createAppPassword(admin, 'mail', { label: 'Laptop' })).password;
      latchkey = buildApp({
        core,
        logLevel: 'silent',
        trustedProxies: ['127.0.0.1'],
        sso: { cookieDomain: 'example.test', domains: ['*.example.test'] },
      });
      await latchkey.listen({ host: '127.0.0.1', port });

      // The app behind nginx: it believes Remote-User, as such apps do, and says whom it sees.
      upstream = createServer((req, res) => {
        seen.push(req.headers);
        const who = String(req.headers['remote-user'] ?? '');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>Wiki</title><h1>Hello ${who.replace(/[^a-z0-9._-]/g, '')}</h1>`);
      });
      await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
      const appPort = (upstream.address() as { port: number }).port;

      if (NGINX === null) throw new Error('nginx is not installed');
      const site = nginxBlockAfter(DOC, MARKER);
      nginx = await startNginx(NGINX, (listen) => {
        let s = replaceExactly(site, 'listen 80;', `listen 127.0.0.1:${listen};`, 1);
        s = replaceExactly(s, 'server_name wiki.example.org;', 'server_name wiki.example.test;', 1);
        s = replaceExactly(s, '127.0.0.1:8080', `127.0.0.1:${port}`, 1);
        return replaceExactly(s, '127.0.0.1:3000', `127.0.0.1:${appPort}`, 2);
      });
      wiki = `http://wiki.example.test:${nginx.port}`;

      if (!chromiumAvailable)
        throw new Error(`Chromium is required in CI but ${CHROMIUM_PATH} does not exist.`);
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          // The app and the portal are sibling hosts of example.test, both on 127.0.0.1.
          '--host-resolver-rules=MAP *.example.test 127.0.0.1',
        ],
      });
    }, TIMEOUT);

    afterAll(async () => {
      await browser?.close();
      await nginx?.stop();
      await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(null)));
      await latchkey?.close();
      await core?.close();
      await t?.cleanup();
    });

    it(
      'Chromium opens the app, signs in at the portal, comes back, and the app sees Remote-User',
      async () => {
        // The administrators-only location answers nina 403 on purpose.
        const { context, page, problems } = await newTab(new Set([403]));
        try {
          const asked = `${wiki}/pages/start?view=full`;
          await page.goto(asked);
          // nginx turned Latchkey's 401 into a redirect to the portal, with the page to come back to.
          expect(page.url()).toBe(`${portal}/sign-in?rd=${encodeURIComponent(asked)}`);
          expect(seen).toHaveLength(0);
          await page.getByLabel('Username or email').fill('nina');
          await page.getByLabel('Password').fill('nina password 1');
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.waitForURL(asked);
          await expect.poll(() => page.locator('h1').innerText()).toBe('Hello nina');
          expect(seen.at(-1)?.['remote-user']).toBe('nina');
          expect(seen.at(-1)?.['remote-groups']).toBe('users');
          // The app received lk_sso with everything else (see the guide): never the portal's cookie.
          expect(String(seen.at(-1)?.cookie)).toMatch(/\blk_sso=/);
          expect(String(seen.at(-1)?.cookie)).not.toMatch(/lk_session/);
          const cookies = await context.cookies();
          expect(cookies.find((c) => c.name === 'lk_sso')).toMatchObject({
            domain: '.example.test',
            httpOnly: true,
            sameSite: 'Lax',
          });
          expect(cookies.find((c) => c.name === 'lk_session')?.domain).toBe('id.example.test');

          // Another page of the app: no detour.
          await page.goto(`${wiki}/pages/other`);
          expect(page.url()).toBe(`${wiki}/pages/other`);
          await expect.poll(() => page.locator('h1').innerText()).toBe('Hello nina');

          // Administrators only: nina is refused, and the app never sees the request.
          const before = seen.length;
          const refused = await page.goto(`${wiki}/admin/`);
          expect(refused?.status()).toBe(403);
          expect(seen).toHaveLength(before);

          // Signing out of the portal ends the single sign-on.
          await page.goto(`${portal}/account`);
          await page.getByRole('button', { name: 'Sign out' }).first().click();
          await page.waitForURL(/\/sign-in\?signed-out=1$/);
          await page.goto(asked);
          expect(page.url()).toBe(`${portal}/sign-in?rd=${encodeURIComponent(asked)}`);
          expect(problems()).toEqual([]);
        } finally {
          await context.close();
        }
      },
      TIMEOUT,
    );

    it(
      'a return address on another domain is refused: the sign-in ends in the portal',
      async () => {
        const { context, page, problems } = await newTab();
        try {
          await page.goto(`${portal}/sign-in?rd=${encodeURIComponent('http://evil.example.com/')}`);
          await page.getByLabel('Username or email').fill('nina');
          await page.getByLabel('Password').fill('nina password 1');
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.waitForURL(`${portal}/account`);
          // A look-alike host under another domain fares no better once signed in.
          await page.goto(`${portal}/sign-in?rd=${encodeURIComponent('http://wiki.example.test.evil.com/')}`);
          expect(page.url()).toBe(`${portal}/account`);
          expect(problems()).toEqual([]);
        } finally {
          await context.close();
        }
      },
      TIMEOUT,
    );

    it('non-browser clients on the same location: an app password opens it, a forged header does not', async () => {
      const before = seen.length;
      const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
      const ok = await get('/pages/start', {
        authorization: basic('mail', mailPassword),
        'remote-user': 'nina',
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('Hello mail');
      // The app sees who signed in, not the client's claim, and never the app password.
      expect(seen.at(-1)?.['remote-user']).toBe('mail');
      expect(seen.at(-1)?.authorization).toBeUndefined();
      const wrong = await get('/pages/start', { authorization: basic('mail', 'abcdabcdabcdabcdabcdabcd') });
      expect(wrong.status).toBe(302);
      expect(wrong.headers.location).toBe(
        `${portal}/sign-in?rd=${encodeURIComponent(`${wiki}/pages/start`)}`,
      );
      const nobody = await get('/pages/start', { 'remote-user': 'nina' });
      expect(nobody.status).toBe(302);
      expect(seen).toHaveLength(before + 1);
    });
  },
);
