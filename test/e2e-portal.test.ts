// The browser journey of issue 4 end to end: real Chromium (playwright-core, /usr/bin/chromium) against
// a real Latchkey HTTP server listening on 127.0.0.1, over a real SQLite store, with the LDAP door on
// the same core when OpenLDAP's ldapwhoami is installed.
//
//   1. An administrator turns two-step verification on for Erin in the admin pages.
//   2. Erin signs in, registers an authenticator app (the test reads the key from the page and
//      computes the code), saves her recovery codes, names her first device, copies the first app
//      password to the clipboard, and lands on Security info.
//   3. That app password opens /auth/basic over real HTTP, and an LDAP bind (ldapwhoami).
//   4. She creates app passwords up to the limit (Create → name → Next → shown → Close) and sees the
//      message asking her to delete one first.
//   5. She deletes one (Delete → Yes → Close); it stops working at once, over HTTP and LDAP.
//   5a. An Apple profile downloads once; the other account pages; signing in with a recovery code; she
//      changes her password (a wrong current one is refused) and her app passwords go with the old one.
//   6. A second server, on http://localhost (WebAuthn refuses IP addresses as relying party ids):
//      registration with a security key through Chromium's virtual authenticator, sign-out, sign-in
//      with the key, and an authenticator app added and removed from Security info.
//
// Both journeys run once per language of the pages (English, then Dutch), every step of them: each
// browser reads that language (its locale, so Accept-Language), and every word a step looks for on a
// page comes from that language's catalogue, never written out here, so the run proves the pages and
// the catalogue agree. Each page must say `<html lang>` is that language (headingIn, and
// Content-Language in newTab).
//
// Every page visited is watched for console errors, uncaught exceptions and CSP violations.
// Screenshots of each page go to docs/screenshots/ (the Dutch ones to docs/screenshots/nl/) when
// LATCHKEY_SCREENSHOTS=1 (to refresh the README's pictures), else to a temporary directory, so that
// CI never rewrites the docs.

import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Actor } from '../src/core/policy.js';
import { totpCode } from '../src/crypto/totp.js';
import { LANGUAGES, type Lang, type Words, wordsFor } from '../src/http/i18n/index.js';
import { describeWithChromium, launchChromium } from './helpers/browser.js';
import {
  ANY,
  BASE_DN,
  basic,
  DESKTOP,
  headingIn,
  newTab as openTab,
  PHONE,
  screenshots,
  sentence,
  startWebServer,
  type Tab,
  type WebServer,
} from './helpers/e2e.js';

/** What each journey needs of its language: its words, screenshots, and tabs and headings in it. */
function inLanguage(lang: Lang, prefix: string) {
  const shots = screenshots(`${prefix}${lang}-`, lang);
  return {
    w: wordsFor(lang),
    shot: shots.shot,
    cleanup: shots.cleanup,
    /** The page's h1, on a page in this language. */
    heading: (page: Page) => headingIn(page, lang),
    /** Refused sign-ins (401) and the app-password limit (409) are these pages' contract, not faults. */
    newTab: (browser: Browser, origin: string, problems: string[]) =>
      openTab(browser, origin, problems, new Set([401, 409]), lang),
  };
}

const system: Actor = { kind: 'system', name: 'e2e', ip: null };
const TIMEOUT = 60_000;

const HAVE_LDAP_TOOLS = spawnSync('ldapwhoami', ['-VV'], { stdio: 'ignore' }).error === undefined;
if (!HAVE_LDAP_TOOLS && process.env.CI === 'true') {
  throw new Error('ldap-utils (ldapwhoami) is required in CI: apt-get install ldap-utils');
}
if (!HAVE_LDAP_TOOLS) console.warn('ldapwhoami not installed: the e2e journey skips its LDAP binds.');

/** Runs ldapwhoami with a time limit; never throws on a non-zero exit. */
function ldapwhoami(url: string, dn: string, secret: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'ldapwhoami',
      ['-x', '-H', url, '-D', dn, '-w', secret],
      { timeout: 15_000, env: { ...process.env, LDAPCONF: '/dev/null' } },
      (err, stdout) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout });
      },
    );
  });
}

/** The key under "Can't scan it? Type this key instead", as a person would open and read it. */
async function readTotpKey(w: Words, page: Page): Promise<string> {
  await page.getByText(w.t('register.totp.manual')).click();
  const key = page.locator('details.manual-key .secret-value');
  await expect.poll(() => key.isVisible()).toBe(true);
  return (await key.innerText()).replace(/\s+/g, '');
}

async function signIn(w: Words, page: Page, username: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await fillSignIn(w, page, username, password);
  await page.waitForLoadState('load');
}

/** The sign-in form's two fields, then Sign in. */
async function fillSignIn(w: Words, page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel(w.t('signIn.username.label'), { exact: true }).fill(username);
  await page.getByLabel(w.t('signIn.password.label'), { exact: true }).fill(password);
  await page.getByRole('button', { name: w.t('signIn.submit') }).click();
}

/**
 * A person reads the page and types for a moment before submitting. The test is otherwise faster than
 * any person, which hides what happens when caches (the settings are cached for a second) go stale
 * between a page and its form post.
 */
async function think(page: Page): Promise<void> {
  await page.waitForTimeout(1_200);
}

/**
 * Sign out, then back to a fresh sign-in page by the header's Latchkey link, as a person would.
 * Typing straight into the "You are signed out." page does not work yet: its form carries a CSRF token
 * made from the session cookie that the same response deletes, so the next sign-in is refused with
 * "This form has expired" (src/http/pages/sign-in.ts, POST /sign-out).
 */
async function signOut(w: Words, page: Page): Promise<void> {
  await page.getByRole('button', { name: w.t('layout.signOut'), exact: true }).click();
  await page.getByText(w.t('signIn.signedOut')).waitFor();
  await page.getByRole('link', { name: 'Latchkey' }).click();
  await expect.poll(() => path(page)).toBe('/sign-in');
}

async function path(page: Page): Promise<string> {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

describeWithChromium.each(LANGUAGES)(
  'e2e (%s): two-step registration, the first app password, and app passwords',
  (lang) => {
    const { w, shot, cleanup, heading, newTab } = inLanguage(lang, 'latchkey-e2e-shots-');
    let browser: Browser | null = null;
    let server: WebServer;
    const problems: string[] = [];
    let erin: Tab;
    const ERIN_PASSWORD = 'erin walks the long road';
    const ADA_PASSWORD = 'ada counts the stars';
    let firstAppPassword = '';
    let recoveryCodes: string[] = [];

    const authBasic = (secret: string) =>
      fetch(`${server.origin}/auth/basic`, { headers: { authorization: basic('erin', secret) } });

    beforeAll(async () => {
      browser = await launchChromium();
      if (!browser) return;
      server = await startWebServer({ ldap: HAVE_LDAP_TOOLS });
      await server.core.users.createUser(system, {
        username: 'ada',
        email: 'ada@example.org',
        displayName: 'Ada Lovelace',
        role: 'admin',
        password: ADA_PASSWORD,
      });
      await server.core.users.createUser(system, {
        username: 'erin',
        email: 'erin@example.org',
        displayName: 'Erin Example',
        password: ERIN_PASSWORD,
      });
      for (const [username, displayName] of [
        ['bruno', 'Bruno Díaz'],
        ['chen', 'Chen Wei'],
        ['dana', 'Dana Okafor'],
      ] as const) {
        await server.core.users.createUser(system, {
          username,
          displayName,
          email: `${username}@example.org`,
          password: `${username} has a long password`,
        });
      }
      await server.core.twoStep.setTwoStepState(system, 'chen', 'enforced');
      await server.core.settings.updateSettings(system, { maxAppPasswordsPerUser: 3 });
      erin = await newTab(browser, server.origin, problems);
    }, TIMEOUT);

    beforeEach(() => {
      problems.length = 0;
    });

    afterAll(async () => {
      await erin?.context.close();
      await browser?.close();
      await server?.stop();
      cleanup();
    });

    it(
      'an administrator turns two-step verification on for Erin in the admin pages',
      async (ctx) => {
        if (!browser) return ctx.skip();
        // Step 1 of the journey goes through the admin pages (/admin/users/:name exists).
        const ada = await newTab(browser, server.origin, problems);
        try {
          const { page } = ada;
          await signIn(w, page, 'ada', ADA_PASSWORD);
          expect(await path(page)).toBe('/account');
          await page.getByRole('link', { name: w.t('nav.adminUsers'), exact: true }).click();
          await expect.poll(() => path(page)).toBe('/admin/users');
          expect(await heading(page)).toBe(w.t('admin.users.title'));
          await page.getByRole('link', { name: 'erin', exact: true }).click();
          await expect.poll(() => path(page)).toBe('/admin/users/erin');
          const twoStep = page.getByRole('combobox', { name: w.t('admin.common.twoStep') });
          const choice = page.locator('form', { has: twoStep });
          await choice.getByRole('combobox', { name: w.t('admin.common.twoStep') }).selectOption('enabled');
          await choice.getByRole('button', { name: w.t('admin.user.change') }).click();
          expect(await heading(page)).toBe(
            w.t('admin.user.twoStep.question.enabled', { name: 'Erin Example' }),
          );
          // admin-users.png and admin-user.png come from test/e2e-helpdesk.test.ts; this is the step itself.
          await shot(page, 'admin-two-step-confirm');
          await think(page);
          await page.getByRole('button', { name: w.t('admin.common.yes'), exact: true }).click();
          await expect.poll(() => path(page)).toMatch(/^\/admin\/users\/erin\?done=two-step/);
          expect(await page.getByRole('status').first().innerText()).toContain(
            w.t('admin.user.done.twoStep', { name: 'Erin Example' }),
          );
          expect((await server.core.users.getUser(system, 'erin')).twoStep).toBe('enabled');
          await page.getByRole('button', { name: w.t('layout.signOut'), exact: true }).click();
          await page.getByText(w.t('signIn.signedOut')).waitFor();
        } finally {
          await ada.context.close();
        }
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'Erin signs in, registers an authenticator app, saves her recovery codes and gets her first app password',
      async (ctx) => {
        if (!browser) return ctx.skip();
        const { page, context } = erin;
        await page.goto('/sign-in');
        expect(await heading(page)).toBe(w.t('signIn.title'));
        await shot(page, 'sign-in');
        await page.setViewportSize(PHONE);
        await shot(page, 'sign-in-phone');
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
          PHONE.width,
        );
        await page.setViewportSize(DESKTOP);

        await fillSignIn(w, page, 'erin', ERIN_PASSWORD);
        await expect.poll(() => path(page)).toBe('/sign-in/register');
        expect(await heading(page)).toBe(w.t('register.title'));
        expect(await page.getByRole('img', { name: w.t('totp.qrLabel') }).isVisible()).toBe(true);
        const seed = await readTotpKey(w, page);
        expect(seed).toMatch(/^[A-Z2-7]{32}$/);
        await shot(page, 'register-totp');
        await think(page);
        await page.getByLabel(w.t('register.totp.code')).fill(totpCode(seed, Date.now()));
        await page.getByRole('button', { name: w.t('register.totp.submit') }).click();

        await expect.poll(() => path(page)).toBe('/sign-in/recovery-codes');
        expect(await heading(page)).toBe(w.t('recovery.title'));
        recoveryCodes = (await page.locator('#recovery-codes').innerText()).trim().split(/\s+/);
        expect(recoveryCodes).toHaveLength(10);
        await shot(page, 'recovery-codes');
        await page.getByRole('button', { name: w.t('recovery.copy') }).click();
        await expect
          .poll(() => page.evaluate<string>('navigator.clipboard.readText()'))
          .toBe(recoveryCodes.join('\n'));
        await page.getByRole('button', { name: w.t('recovery.saved') }).click();

        await expect.poll(() => path(page)).toBe('/sign-in/app-password');
        expect(await heading(page)).toBe(w.t('firstApp.heading'));
        await page.getByLabel(w.t('firstApp.label')).fill('Phone');
        await page.getByRole('button', { name: w.t('firstApp.next') }).click();
        expect(await heading(page)).toBe(w.t('appPassword.heading', { label: 'Phone' }));
        const shown = (await page.locator('#app-password').innerText()).trim();
        expect(shown).toMatch(/^[a-z]{4}( [a-z]{4}){5}$/);
        await shot(page, 'first-app-password');
        await page.getByRole('button', { name: w.t('secret.copyPassword') }).click();
        const copy = page.locator('button[data-copy]');
        await expect.poll(() => copy.innerText()).not.toBe(w.t('secret.copyPassword'));
        // The button says so in the page's language (clipboard.js reads its words from the button).
        expect(await copy.innerText()).toBe(w.t('secret.copied'));
        firstAppPassword = await page.evaluate<string>('navigator.clipboard.readText()');
        expect(firstAppPassword).toBe(shown);
        await page.getByRole('button', { name: w.t('common.done') }).click();

        await expect.poll(() => path(page)).toBe('/account');
        expect(await heading(page)).toBe(w.t('account.security.title'));
        expect((await server.core.users.getUser(system, 'erin')).twoStep).toBe('enforced');
        const main = page.locator('main');
        expect(await main.innerText()).toContain(
          w.t('account.security.codes.left', { unused: 10, count: 10 }),
        );
        expect(
          await main.getByRole('table', { name: w.t('account.security.methods.caption') }).innerText(),
        ).toContain(w.t('account.kind.totp'));
        await shot(page, 'security-info');
        // The session cookie is the browser's only credential, and scripts cannot read it.
        const cookies = await context.cookies();
        expect(cookies.find((c) => c.name === 'lk_session')).toMatchObject({
          httpOnly: true,
          sameSite: 'Lax',
        });
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'the first app password, pasted from the clipboard, opens /auth/basic and the LDAP door; the account password no longer does',
      async (ctx) => {
        if (!browser || !firstAppPassword) return ctx.skip();
        const ok = await authBasic(firstAppPassword);
        expect(ok.status).toBe(200);
        expect(ok.headers.get('remote-user')).toBe('erin');
        expect(ok.headers.get('remote-email')).toBe('erin@example.org');
        expect(ok.headers.get('remote-name')).toBe('Erin Example');
        // R2: two-step is enforced now, so an app that sends the account password is refused.
        const primary = await authBasic(ERIN_PASSWORD);
        expect(primary.status).toBe(401);
        expect(primary.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        if (server.ldap) {
          const bound = await ldapwhoami(server.ldapUrl, `uid=erin,ou=people,${BASE_DN}`, firstAppPassword);
          expect(bound).toEqual({ code: 0, stdout: `dn:uid=erin,ou=people,${BASE_DN}\n` });
          expect((await ldapwhoami(server.ldapUrl, 'erin@example.org', ERIN_PASSWORD)).code).toBe(49);
        }
        // B10: the same app password typed into the web sign-in page is refused with the explanation.
        const other = await newTab(browser, server.origin, problems);
        try {
          await signIn(w, other.page, 'erin', firstAppPassword);
          expect(await path(other.page)).toBe('/sign-in');
          expect(await other.page.locator('.notice-error').innerText()).toContain(
            w.t('signIn.error.appPassword'),
          );
          expect(await heading(other.page)).toBe(w.t('signIn.title'));
          expect((await other.context.cookies()).some((c) => c.name === 'lk_session')).toBe(false);
        } finally {
          await other.context.close();
        }
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'app passwords: Create → name → Next → shown → Close up to the limit, then the message to delete one first',
      async (ctx) => {
        if (!browser || !firstAppPassword) return ctx.skip();
        const { page } = erin;
        // "Last used" is written behind; wait for it so the list shows where the password was used.
        await expect
          .poll(async () => (await server.core.appPasswords.listAppPasswords(system, 'erin'))[0]?.lastUsedAt)
          .not.toBeNull();
        await page
          .getByRole('navigation', { name: w.t('nav.account') })
          .getByRole('link', { name: w.t('nav.appPasswords') })
          .click();
        await expect.poll(() => path(page)).toBe('/account/app-passwords');
        expect(await heading(page)).toBe(w.t('account.appPasswords.title'));
        const main = page.locator('main');
        expect(await main.innerText()).toContain(w.t('account.appPasswords.perDevice'));
        expect(await page.getByRole('row', { name: /Phone/ }).innerText()).toContain('127.0.0.1');

        const created: Record<string, string> = {};
        const labels = ['Laptop', 'Tablet'];
        for (const label of labels) {
          await page.getByRole('link', { name: w.t('account.appPasswords.create'), exact: true }).click();
          await expect.poll(() => path(page)).toBe('/account/app-passwords/new');
          expect(await heading(page)).toBe(w.t('account.appPasswords.new.title'));
          await page.getByLabel(w.t('account.appPasswords.name'), { exact: true }).fill(label);
          if (label === 'Tablet') {
            // B2: an expiry and a door scope, chosen under "More options".
            await page.getByText(w.t('account.appPasswords.new.more')).click();
            await page.getByLabel(w.t('account.appPasswords.new.expires')).selectOption('90d');
            await page.getByLabel(w.t('events.door.http')).check();
            await page.getByLabel(w.t('events.door.imap')).check();
            await shot(page, 'app-password-create');
          }
          await page.getByRole('button', { name: w.t('firstApp.next') }).click();
          expect(await heading(page)).toBe(w.t('account.appPasswords.created.heading', { label }));
          created[label] = (await page.locator('#app-password').innerText()).trim();
          if (label === 'Laptop') await shot(page, 'app-password-created');
          await page.getByRole('link', { name: w.t('account.close') }).click();
          await expect.poll(() => path(page)).toBe('/account/app-passwords');
        }
        for (const label of labels) expect((await authBasic(created[label]!)).status).toBe(200);
        await expect
          .poll(async () =>
            (await server.core.appPasswords.listAppPasswords(system, 'erin')).every(
              (a) => a.lastUsedAt !== null,
            ),
          )
          .toBe(true);
        await page.reload();
        const tablet = await page.getByRole('row', { name: /Tablet/ }).innerText();
        expect(tablet).toMatch(sentence(w.t('account.appPasswords.onlyFor', { doors: ANY })));
        expect(tablet).toContain(w.t('events.door.http'));
        expect(tablet).toContain(w.t('events.door.imap'));

        // At the limit the list says so, and Create explains what to do instead of asking for a name.
        expect(await main.locator('.notice-warning').innerText()).toContain(
          w.t('account.appPasswords.atLimit', { count: 3 }),
        );
        expect(await main.innerText()).toContain(w.t('account.appPasswords.used', { used: 3, count: 3 }));
        await shot(page, 'app-passwords');
        await page.setViewportSize(PHONE);
        await shot(page, 'app-passwords-phone');
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
          PHONE.width,
        );
        await page.setViewportSize(DESKTOP);
        await page.getByRole('link', { name: w.t('account.appPasswords.create'), exact: true }).click();
        expect(await main.locator('.notice-error').innerText()).toContain(
          w.t('account.appPasswords.limit.create', { count: 3 }),
        );
        expect(await page.getByLabel(w.t('account.appPasswords.name'), { exact: true }).count()).toBe(0);
        await shot(page, 'app-password-limit');
        await page.getByRole('link', { name: w.t('account.appPasswords.back') }).click();
        await expect.poll(() => path(page)).toBe('/account/app-passwords');
        expect(await server.core.appPasswords.listAppPasswords(system, 'erin')).toHaveLength(3);
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'Delete → Yes → Close: the deleted app password stops working at once',
      async (ctx) => {
        if (!browser || !firstAppPassword) return ctx.skip();
        const { page } = erin;
        await page.goto('/account/app-passwords');
        expect((await authBasic(firstAppPassword)).status).toBe(200);
        await page
          .getByRole('row', { name: /Phone/ })
          .getByRole('link', { name: w.t('account.appPasswords.delete') })
          .click();
        expect(await heading(page)).toBe(w.t('account.appPasswords.delete.question', { label: 'Phone' }));
        await shot(page, 'app-password-delete');
        await think(page);
        await page.getByRole('button', { name: w.t('account.yes'), exact: true }).click();
        expect(await heading(page)).toBe(w.t('account.appPasswords.deleted.title'));
        // At once: the very next request, on every door.
        const refused = await authBasic(firstAppPassword);
        expect(refused.status).toBe(401);
        expect(refused.headers.get('remote-user')).toBeNull();
        if (server.ldap) {
          expect((await ldapwhoami(server.ldapUrl, 'erin', firstAppPassword)).code).toBe(49);
        }
        await page.getByRole('link', { name: w.t('account.close') }).click();
        await expect.poll(() => path(page)).toBe('/account/app-passwords');
        expect(await page.getByRole('row', { name: /Phone/ }).count()).toBe(0);
        expect(await page.locator('main .notice-warning').count()).toBe(0);
        expect(await page.locator('main').innerText()).toContain(
          w.t('account.appPasswords.used', { used: 2, count: 3 }),
        );
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'Set up an iPhone, iPad or Mac: the profile downloads once, its app password works, a second try is refused',
      async (ctx) => {
        if (!browser || !firstAppPassword) return ctx.skip();
        const { page } = erin;
        await server.core.settings.updateSettings(system, {
          organizationName: 'Example',
          mailDomains: 'example.org',
          imapHost: 'mail.example.org',
          smtpHost: 'mail.example.org',
          calDavUrl: 'https://dav.example.org/',
        });
        await page.goto('/account/app-passwords');
        await page.getByRole('link', { name: w.t('account.apple.title') }).click();
        await expect.poll(() => path(page)).toBe('/account/app-passwords/apple');
        expect(await heading(page)).toBe(w.t('account.apple.title'));
        expect(await page.locator('main .notice-warning').innerText()).toContain(
          w.t('account.apple.warning'),
        );
        await page.getByLabel(w.t('account.apple.device')).fill('iPhone');
        await shot(page, 'apple-profile');
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: w.t('account.apple.download') }).click(),
        ]);
        expect(download.suggestedFilename()).toBe('iPhone.mobileconfig');
        const file = await download.path();
        const profile = parsePlist(readFileSync(file, 'utf8')) as {
          PayloadContent: Record<string, unknown>[];
        };
        expect(profile.PayloadContent.map((p) => p.PayloadType)).toEqual([
          'com.apple.mail.managed',
          'com.apple.caldav.account',
        ]);
        const secret = profile.PayloadContent[0]!.IncomingPassword as string;
        expect((await authBasic(secret)).status).toBe(200);
        // The browser stayed on the form; sending it again gives no second file and no second password.
        erin.expected.set('/account/app-passwords/apple', 409);
        await page.getByRole('button', { name: w.t('account.apple.download') }).click();
        expect(await heading(page)).toBe(w.t('account.apple.used.heading'));
        await page.getByRole('link', { name: w.t('account.appPasswords.back') }).click();
        expect(await page.getByRole('row', { name: /iPhone/ }).count()).toBe(1);
        expect(await page.locator('main').innerText()).toContain(
          w.t('account.appPasswords.used', { used: 3, count: 3 }),
        );
        // Back to where the next steps expect Erin to be.
        const iphone = (await server.core.appPasswords.listAppPasswords(system, 'erin')).find(
          (a) => a.label === 'iPhone',
        )!;
        await server.core.appPasswords.deleteAppPassword(system, 'erin', iphone.id);
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'the rest of the portal: change password, recent sign-ins, help; signing in again with a recovery code',
      async (ctx) => {
        if (!browser || !firstAppPassword) return ctx.skip();
        const { page } = erin;
        const nav = page.getByRole('navigation', { name: w.t('nav.account') });
        await nav.getByRole('link', { name: w.t('nav.password'), exact: true }).click();
        await expect.poll(() => path(page)).toBe('/account/password');
        expect(await heading(page)).toBe(w.t('account.password.title'));
        await shot(page, 'change-password');
        await nav.getByRole('link', { name: w.t('nav.signIns') }).click();
        await expect.poll(() => path(page)).toBe('/account/sign-ins');
        expect(await heading(page)).toBe(w.t('account.signIns.title'));
        const log = await page.getByRole('table', { name: w.t('account.signIns.caption') }).innerText();
        expect(log).toMatch(sentence(w.t('events.refused.appPasswordRequired.self', { door: ANY })));
        expect(log).toContain(w.t('events.accepted.web', { method: w.t('events.method.totp') }));
        await shot(page, 'recent-sign-ins');
        await nav.getByRole('link', { name: w.t('nav.help') }).click();
        await expect.poll(() => path(page)).toBe('/help');
        expect(await heading(page)).toBe(w.t('account.help.title'));
        expect(
          await page.getByRole('heading', { name: w.t('account.help.appPasswords.heading') }).count(),
        ).toBe(1);
        await shot(page, 'help');

        await signOut(w, page);
        await fillSignIn(w, page, 'erin', ERIN_PASSWORD);
        await expect.poll(() => path(page)).toBe('/sign-in/verify');
        expect(await heading(page)).toBe(w.t('verify.title'));
        expect(await page.getByLabel(w.t('challenge.totp.label')).isVisible()).toBe(true);
        await shot(page, 'two-step-verify');
        // The phone is not at hand: a recovery code, once.
        await page.getByText(w.t('challenge.other')).click();
        await page.getByRole('link', { name: w.t('challenge.other.recovery') }).click();
        await page.getByLabel(w.t('challenge.recovery.label')).fill(recoveryCodes[0]!);
        await page.getByRole('button', { name: w.t('challenge.verify'), exact: true }).click();
        await expect.poll(() => path(page)).toBe('/account');
        expect(await heading(page)).toBe(w.t('account.security.title'));
        expect(await page.locator('main').innerText()).toContain(
          w.t('account.security.codes.left', { unused: 9, count: 10 }),
        );
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'Erin changes her password: a wrong current one changes nothing; then her app passwords go with the old one, and only the new one signs in',
      async (ctx) => {
        if (!browser || !firstAppPassword) return ctx.skip();
        const { page, expected } = erin;
        const NEW_PASSWORD = 'erin takes the scenic route';
        expect(await server.core.appPasswords.listAppPasswords(system, 'erin')).toHaveLength(2);
        const nav = page.getByRole('navigation', { name: w.t('nav.account') });
        await nav.getByRole('link', { name: w.t('nav.password'), exact: true }).click();
        await expect.poll(() => path(page)).toBe('/account/password');
        expect(await heading(page)).toBe(w.t('account.password.title'));
        const main = page.locator('main');
        // The organisation deletes app passwords with every password change (the default): it says so.
        expect(await main.innerText()).toContain(w.t('account.password.revokeForced'));
        const fill = async (current: string) => {
          await page.getByLabel(w.t('account.password.current'), { exact: true }).fill(current);
          await page.getByLabel(w.t('newPassword.label'), { exact: true }).fill(NEW_PASSWORD);
          await page.getByLabel(w.t('account.password.confirm'), { exact: true }).fill(NEW_PASSWORD);
          await page.getByRole('button', { name: w.t('account.password.submit') }).click();
        };
        expected.set('/account/password', 400);
        await fill('not my password at all');
        expect(await main.locator('.notice-error').innerText()).toContain(w.t('error.passwordWrong'));
        expect(await heading(page)).toBe(w.t('account.password.title'));
        expect(await server.core.appPasswords.listAppPasswords(system, 'erin')).toHaveLength(2);
        expected.delete('/account/password');
        await think(page);
        await fill(ERIN_PASSWORD);
        await expect.poll(() => path(page)).toBe('/account?done=password-changed');
        expect(await heading(page)).toBe(w.t('account.security.title'));
        expect(await page.getByRole('status').first().innerText()).toContain(
          w.t('account.done.passwordChanged'),
        );
        expect(await server.core.appPasswords.listAppPasswords(system, 'erin')).toEqual([]);

        const other = await newTab(browser, server.origin, problems);
        try {
          await signIn(w, other.page, 'erin', ERIN_PASSWORD);
          expect(await path(other.page)).toBe('/sign-in');
          expect(await other.page.locator('.notice-error').innerText()).toContain(w.t('signIn.error.wrong'));
          await fillSignIn(w, other.page, 'erin', NEW_PASSWORD);
          await expect.poll(() => path(other.page)).toBe('/sign-in/verify');
          expect(await heading(other.page)).toBe(w.t('verify.title'));
        } finally {
          await other.context.close();
        }
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );
  },
);

describeWithChromium.each(LANGUAGES)(
  'e2e (%s): security keys and passkeys through Chromium’s virtual authenticator',
  (lang) => {
    const { w, shot, cleanup, heading, newTab } = inLanguage(lang, 'latchkey-e2e-keys-');
    let browser: Browser | null = null;
    let server: WebServer;
    const problems: string[] = [];
    let tab: { context: BrowserContext; page: Page };
    const WES_PASSWORD = 'wes keeps a key on a string';

    beforeAll(async () => {
      browser = await launchChromium();
      if (!browser) return;
      // WebAuthn takes the relying party id from the host name, and browsers refuse IP addresses as
      // relying party ids: this server is reached as http://localhost (a secure context too).
      server = await startWebServer({ host: 'localhost' });
      await server.core.users.createUser(system, {
        username: 'wes',
        email: 'wes@example.org',
        displayName: 'Wes Keyholder',
        password: WES_PASSWORD,
      });
      // Through the core here: the admin pages' path to `enabled` is covered by the journey above.
      await server.core.twoStep.setTwoStepState(system, 'wes', 'enabled');
      tab = await newTab(browser, server.origin, problems);
      const cdp = await tab.context.newCDPSession(tab.page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
    }, TIMEOUT);

    beforeEach(() => {
      problems.length = 0;
    });

    afterAll(async () => {
      await tab?.context.close();
      await browser?.close();
      await server?.stop();
      cleanup();
    });

    it(
      'registers a passkey, signs out, signs in with it, and adds then removes an authenticator app',
      async (ctx) => {
        if (!browser) return ctx.skip();
        const { page } = tab;
        await signIn(w, page, 'wes', WES_PASSWORD);
        await expect.poll(() => path(page)).toBe('/sign-in/register');
        await page.getByRole('link', { name: w.t('register.useWebauthn') }).click();
        await expect.poll(() => path(page)).toBe('/sign-in/register?method=webauthn');
        expect(await heading(page)).toBe(w.t('register.title'));
        await page.getByLabel(w.t('register.webauthn.name.label')).fill('Laptop passkey');
        await shot(page, 'register-webauthn');
        await page.getByRole('button', { name: w.t('register.webauthn.submit') }).click();
        await expect.poll(() => path(page)).toBe('/sign-in/recovery-codes');
        const methods = await server.core.methods.listMethods(system, 'wes');
        expect(methods.methods.map((m) => [m.kind, m.name])).toEqual([['webauthn', 'Laptop passkey']]);
        await page.getByRole('button', { name: w.t('recovery.saved') }).click();
        await expect.poll(() => path(page)).toBe('/sign-in/app-password');
        await page.getByRole('button', { name: w.t('firstApp.skip') }).click();
        await expect.poll(() => path(page)).toBe('/account');
        expect((await server.core.users.getUser(system, 'wes')).twoStep).toBe('enforced');

        await signOut(w, page);
        await fillSignIn(w, page, 'wes', WES_PASSWORD);
        await expect.poll(() => path(page)).toBe('/sign-in/verify');
        expect(await heading(page)).toBe(w.t('verify.title'));
        await shot(page, 'two-step-verify-webauthn');
        await page.getByRole('button', { name: w.t('challenge.webauthn.submit') }).click();
        await expect.poll(() => path(page)).toBe('/account');
        const log = await server.core.signInLog.listSignIns(system, {
          username: 'wes',
          door: 'browser',
          limit: 1,
        });
        expect(log[0]).toMatchObject({ result: 'accepted', credential: 'webauthn' });

        // A second method from Security info: an authenticator app (sudo is fresh from the key).
        await page.getByRole('link', { name: w.t('account.security.methods.addTotp') }).click();
        await expect.poll(() => path(page)).toBe('/account/methods/new?kind=totp');
        expect(await heading(page)).toBe(w.t('account.methods.new.totpTitle'));
        const seed = await readTotpKey(w, page);
        await page.getByLabel(w.t('account.methods.new.name'), { exact: true }).fill('Phone app');
        await think(page);
        await page.getByLabel(w.t('account.methods.new.code')).fill(totpCode(seed, Date.now()));
        await shot(page, 'add-authenticator-app');
        await page.getByRole('button', { name: w.t('account.methods.new.add'), exact: true }).click();
        await expect.poll(() => path(page)).toBe('/account?done=method-added');
        expect(await page.getByRole('status').first().innerText()).toContain(w.t('account.done.methodAdded'));
        const table = page.getByRole('table', { name: w.t('account.security.methods.caption') });
        expect(await table.innerText()).toContain('Phone app');
        await shot(page, 'security-info-two-methods');

        await table
          .getByRole('row', { name: /Phone app/ })
          .getByRole('link', { name: w.t('account.security.methods.remove') })
          .click();
        expect(await heading(page)).toBe(w.t('account.methods.remove.question', { name: 'Phone app' }));
        await think(page);
        await page.getByRole('button', { name: w.t('account.methods.remove.yes') }).click();
        await expect.poll(() => path(page)).toBe('/account?done=method-removed');
        expect(await page.getByRole('status').first().innerText()).toContain(
          w.t('account.done.methodRemoved'),
        );
        expect(await table.innerText()).not.toContain('Phone app');
        expect((await server.core.methods.listMethods(system, 'wes')).methods).toHaveLength(1);
        // The last method stays while two-step verification is required.
        await table
          .getByRole('row', { name: /Laptop passkey/ })
          .getByRole('link', { name: w.t('account.security.methods.remove') })
          .click();
        await page.getByRole('button', { name: w.t('account.methods.remove.yes') }).click();
        expect(await heading(page)).toBe(w.t('account.methods.stays.heading'));
        await page.getByRole('link', { name: w.t('account.backToSecurity') }).click();
        await expect.poll(() => path(page)).toBe('/account');
        expect((await server.core.methods.listMethods(system, 'wes')).methods).toHaveLength(1);
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );
  },
);
