// The helpdesk journey of issue 5 end to end (R10): real Chromium (playwright-core, /usr/bin/chromium)
// against a real Latchkey HTTP server listening on 127.0.0.1, over a real SQLite store.
//
//   "My app passwords don't work."
//   1. Dora (two-step enforced, an authenticator app) has two app passwords; they open /auth/basic.
//   2. Hugo, of the helpdesk, signs in, finds Dora under Users, opens her page (names, never a
//      secret), deletes all her app passwords (Delete all → Yes) and sees the success message.
//   3. Both old app passwords are refused by /auth/basic at once; the audit log names Hugo.
//   4. In another browser Dora signs in with her password and a code from her app, creates a new app
//      password (Create → name → Next → Copy → Close), and it opens /auth/basic.
//   5. Hugo cannot open the settings, and is not shown a link to them.
//   6. An administrator's views of the same story: the sign-in log filtered to Dora, the settings and
//      the audit log.
//   7. "I'm locked out and forgot my password": wrong passwords lock Dora out; Hugo unlocks her, resets
//      her password (the one-time password shown once, her app password deleted with the old one), and
//      she signs in with it, chooses her own and gives her second step.
//
// The whole journey runs once per language of the pages (English, then Dutch): every browser reads
// that language (its locale, so Accept-Language), and every word a step looks for on a page comes from
// that language's catalogue, never written out here, so the run proves the pages and the catalogue
// agree. Each page must say `<html lang>` is that language (headingIn, and Content-Language in newTab).
//
// Every page visited is watched for console errors, uncaught exceptions and CSP violations.
// Screenshots go to docs/screenshots/ (the Dutch ones to docs/screenshots/nl/) when
// LATCHKEY_SCREENSHOTS=1 (to refresh the docs' pictures), else to a temporary directory, so that CI
// never rewrites the docs.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../src/core/policy.js';
import { totpCode } from '../src/crypto/totp.js';
import { LANGUAGES, type Words, wordsFor } from '../src/http/i18n/index.js';
import { describeWithChromium, launchChromium } from './helpers/browser.js';
import {
  ANY,
  basic,
  headingIn,
  newTab as openTab,
  screenshots,
  sentence,
  startWebServer,
  type Tab,
  type WebServer,
} from './helpers/e2e.js';

const system: Actor = { kind: 'system', name: 'e2e-helpdesk', ip: null };
const TIMEOUT = 60_000;

const PASSWORDS = {
  hugo: 'hugo helps people all day',
  dora: 'dora explores the map room',
  doraNew: 'dora draws a new map',
  root: 'root keeps the keys safe',
} as const;

const pathOf = (page: Page) => new URL(page.url()).pathname;

/** The password step of the sign-in page, as a person reading `w`'s language fills it in. */
async function signIn(w: Words, page: Page, username: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel(w.t('signIn.username.label'), { exact: true }).fill(username);
  await page.getByLabel(w.t('signIn.password.label'), { exact: true }).fill(password);
  await page.getByRole('button', { name: w.t('signIn.submit'), exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/sign-in');
}

describeWithChromium.each(LANGUAGES)(
  'e2e (%s): the helpdesk deletes all app passwords, the user creates a new one',
  (lang) => {
    const w = wordsFor(lang);
    const SHOTS = screenshots(`latchkey-e2e-helpdesk-${lang}-`, lang);
    const shot = SHOTS.shot;
    /** The page's h1, on a page in this run's language. */
    const heading = (page: Page) => headingIn(page, lang);
    const newTab = (browser: Browser, origin: string, problems: string[]) =>
      openTab(browser, origin, problems, new Set(), lang);
    let browser: Browser | null = null;
    let server: WebServer;
    const problems: string[] = [];
    let hugo: Tab;
    let doraSeed = '';
    const doraOld: string[] = [];
    let deleted = false;
    /** Dora's app password from step 4, as she pasted it into her app. */
    let doraNew = '';

    const authBasic = (username: string, secret: string) =>
      fetch(`${server.origin}/auth/basic`, {
        headers: { authorization: basic(username, secret) },
        signal: AbortSignal.timeout(10_000),
      });

    beforeAll(async () => {
      browser = await launchChromium();
      if (!browser) return;
      server = await startWebServer();
      const { core } = server;
      await core.users.createUser(system, {
        username: 'root',
        email: 'root@example.org',
        displayName: 'Rosa Admin',
        role: 'admin',
        password: PASSWORDS.root,
      });
      await core.users.createUser(system, {
        username: 'hugo',
        email: 'hugo@example.org',
        displayName: 'Hugo Helpdesk',
        role: 'helpdesk',
        password: PASSWORDS.hugo,
      });
      const dora = await core.users.createUser(system, {
        username: 'dora',
        email: 'dora@example.org',
        displayName: 'Dora Marquez',
        password: PASSWORDS.dora,
      });
      // Others, so that the list and the search have something to tell apart.
      for (const [username, displayName] of [
        ['bruno', 'Bruno Díaz'],
        ['chen', 'Chen Wei'],
        ['dorian', 'Dorian Gray'],
        ['dora.lopez', 'Dora López'],
      ] as const) {
        await core.users.createUser(system, {
          username,
          displayName,
          email: `${username}@example.org`,
          password: `${username} has a long password`,
        });
      }

      // Dora's authenticator app, registered as the pages do. The code proving it belongs to the
      // previous 30-second step (accepted: one step either side), so the code of the current step is
      // still unused when she signs in below — no waiting for the next step.
      await core.twoStep.setTwoStepState(system, 'dora', 'enabled');
      const { seed, sealed } = core.methods.newSealedTotpSeed(dora.id);
      const added = await core.methods.addTotpMethod(system, dora.id, {
        sealedSeed: sealed,
        code: totpCode(seed, Date.now() - 30_000),
        name: 'Phone',
      });
      expect(added.finishedRegistration).toBe(true);
      expect((await core.users.getUser(system, 'dora')).twoStep).toBe('enforced');
      doraSeed = seed;
      for (const label of ['Laptop mail', 'Phone mail']) {
        doraOld.push((await core.appPasswords.createAppPassword(system, 'dora', { label })).password);
      }
      hugo = await newTab(browser, server.origin, problems);
    }, TIMEOUT);

    afterAll(async () => {
      await hugo?.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
      SHOTS.cleanup();
    }, TIMEOUT);

    it(
      'before: both of Dora’s app passwords open /auth/basic, her account password does not',
      async (ctx) => {
        if (!browser) return ctx.skip();
        expect(doraOld).toHaveLength(2);
        for (const secret of doraOld) {
          const r = await authBasic('dora', secret);
          expect(r.status).toBe(200);
          expect(r.headers.get('remote-user')).toBe('dora');
        }
        // Two-step is enforced: apps need app passwords (R2).
        expect((await authBasic('dora', PASSWORDS.dora)).status).toBe(401);
      },
      TIMEOUT,
    );

    it(
      'Hugo finds Dora, sees her app passwords by name only, and deletes them all: they stop at once',
      async (ctx) => {
        if (!browser) return ctx.skip();
        const { page } = hugo;
        await signIn(w, page, 'hugo', PASSWORDS.hugo);
        expect(pathOf(page)).toBe('/account');
        const adminNav = page.getByRole('navigation', { name: w.t('nav.administration') });
        await adminNav.getByRole('link', { name: w.t('nav.adminUsers'), exact: true }).click();
        await page.waitForURL('**/admin/users');
        expect(await heading(page)).toBe(w.t('admin.users.title'));

        await page.getByLabel(w.t('admin.users.search.label'), { exact: true }).fill('dora');
        await page.getByRole('button', { name: w.t('admin.users.search.submit'), exact: true }).click();
        await page.waitForURL('**/admin/users?q=dora');
        const list = page.getByRole('table', {
          name: w.t('admin.users.caption.matching', { search: 'dora' }),
        });
        const names = (await list.locator('tbody tr td:first-child').allInnerTexts()).map((x) => x.trim());
        expect(names).toEqual(['dora', 'dora.lopez']);
        await shot(page, 'admin-users');

        await list.getByRole('link', { name: 'dora', exact: true }).click();
        await page.waitForURL('**/admin/users/dora');
        expect(await heading(page)).toBe('Dora Marquez');
        const apps = page.getByRole('table', {
          name: w.t('admin.user.appPasswords.caption', { username: 'dora' }),
        });
        const appsText = await apps.innerText();
        expect(appsText).toContain('Laptop mail');
        expect(appsText).toContain('Phone mail');
        // Names and dates only: no secret, whole or grouped, anywhere on the page.
        const whole = await page.content();
        for (const secret of doraOld) {
          expect(whole).not.toContain(secret);
          expect(whole).not.toContain(secret.replace(/\s+/g, ''));
          expect(whole).not.toContain(secret.replace(/\s+/g, '').slice(0, 8));
        }
        // The helpdesk's tools are there; the administrator's are not.
        const main = page.locator('main');
        expect(await main.getByRole('link', { name: w.t('admin.user.resetPassword.title') }).count()).toBe(1);
        expect(await main.getByRole('link', { name: w.t('admin.user.disable.title') }).count()).toBe(0);
        expect(await main.getByRole('combobox', { name: w.t('admin.common.head.role') }).count()).toBe(0);
        await shot(page, 'admin-user');

        await main.getByRole('link', { name: w.t('admin.user.deleteApps.title') }).click();
        await page.waitForURL('**/admin/users/dora/delete-app-passwords');
        expect(await heading(page)).toBe(w.t('admin.user.deleteApps.question.two', { name: 'Dora Marquez' }));
        expect(await main.innerText()).toContain(
          w.t('admin.user.deleteApps.detail', { name: 'Dora Marquez' }),
        );
        // Nothing happens until Yes.
        expect(await server.core.appPasswords.listAppPasswords(system, 'dora')).toHaveLength(2);
        await shot(page, 'admin-confirm-delete-all');

        await main.getByRole('button', { name: w.t('admin.user.deleteApps.yes') }).click();
        await page.waitForURL('**/admin/users/dora?done=app-passwords-deleted&n=2');
        deleted = true;
        // At once: the very next request.
        const refused = await Promise.all(doraOld.map((secret) => authBasic('dora', secret)));
        expect(refused.map((r) => r.status)).toEqual([401, 401]);
        for (const r of refused) {
          expect(r.headers.get('remote-user')).toBeNull();
          expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        }
        expect(await page.getByRole('status').first().innerText()).toContain(
          w.t('admin.user.done.appPasswordsDeleted', { count: 2, name: 'Dora Marquez' }),
        );
        // An empty list is a sentence, not a table.
        expect(await apps.count()).toBe(0);
        expect(await main.locator('#h-app-passwords').locator('..').innerText()).toContain(
          w.t('admin.user.deleteApps.none', { name: 'Dora Marquez' }),
        );
        expect(await main.getByRole('link', { name: w.t('admin.user.deleteApps.title') }).count()).toBe(0);

        const events = await server.core.audit.listAudit(system, { target: 'dora', limit: 50 });
        const e = events.find((x) => x.action === 'app_password.deleted_all');
        expect(e).toMatchObject({ actor: 'user:hugo', actorIp: '127.0.0.1', details: { count: 2 } });
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'Dora, in another browser, signs in with a code and creates a new app password that works',
      async (ctx) => {
        if (!browser || !deleted) return ctx.skip();
        const dora = await newTab(browser, server.origin, problems);
        try {
          const { page } = dora;
          await signIn(w, page, 'dora', PASSWORDS.dora);
          expect(pathOf(page)).toBe('/sign-in/verify');
          expect(await heading(page)).toBe(w.t('verify.title'));
          await page.getByLabel(w.t('challenge.totp.label')).fill(totpCode(doraSeed, Date.now()));
          await page.getByRole('button', { name: w.t('challenge.verify'), exact: true }).click();
          await page.waitForURL('**/account');
          expect(await heading(page)).toBe(w.t('account.security.title'));

          const nav = page.getByRole('navigation', { name: w.t('nav.account') });
          await nav.getByRole('link', { name: w.t('nav.appPasswords') }).click();
          await page.waitForURL('**/account/app-passwords');
          const main = page.locator('main');
          expect(await main.locator('p.empty').innerText()).toBe(w.t('account.appPasswords.empty'));
          // No administration for Dora.
          expect(await page.getByRole('navigation', { name: w.t('nav.administration') }).count()).toBe(0);

          await main.getByRole('link', { name: w.t('account.appPasswords.create'), exact: true }).click();
          // The sign-in a moment ago was a two-step check: no second one is asked for (sudo mode).
          await page.waitForURL('**/account/app-passwords/new');
          expect(await heading(page)).toBe(w.t('account.appPasswords.new.title'));
          await page.getByLabel(w.t('account.appPasswords.name'), { exact: true }).fill('New phone');
          await page.getByRole('button', { name: w.t('firstApp.next'), exact: true }).click();
          await page
            .getByRole('heading', {
              level: 1,
              name: w.t('account.appPasswords.created.heading', { label: 'New phone' }),
            })
            .waitFor();
          expect(await heading(page)).toBe(
            w.t('account.appPasswords.created.heading', { label: 'New phone' }),
          );
          const shown = (await page.locator('#app-password').innerText()).trim();
          expect(shown).toMatch(/^[a-z]{4}( [a-z]{4}){5}$/);
          await page.getByRole('button', { name: w.t('secret.copyPassword') }).click();
          const copy = page.locator('button[data-copy]');
          await expect.poll(() => copy.innerText()).not.toBe(w.t('secret.copyPassword'));
          // The button says so in the page's language (clipboard.js reads its words from the button).
          expect(await copy.innerText()).toBe(w.t('secret.copied'));
          const copied = await page.evaluate<string>('navigator.clipboard.readText()');
          expect(copied).toBe(shown);
          doraNew = copied;
          await main.getByRole('link', { name: w.t('account.close'), exact: true }).click();
          await page.waitForURL('**/account/app-passwords');
          expect(await page.getByRole('row', { name: /New phone/ }).count()).toBe(1);
          // The page never shows it again.
          expect(await page.content()).not.toContain(shown);

          // Pasted from the clipboard into the app: it works; the old ones still do not.
          const ok = await authBasic('dora', copied);
          expect(ok.status).toBe(200);
          expect(ok.headers.get('remote-user')).toBe('dora');
          expect(ok.headers.get('remote-email')).toBe('dora@example.org');
          for (const secret of doraOld) expect((await authBasic('dora', secret)).status).toBe(401);
          const left = await server.core.appPasswords.listAppPasswords(system, 'dora');
          expect(left.map((x) => x.label)).toEqual(['New phone']);
        } finally {
          await dora.context.close();
        }
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'Hugo cannot open the settings and is not shown a link to them',
      async (ctx) => {
        if (!browser || !deleted) return ctx.skip();
        const { page, expected } = hugo;
        await page.goto('/admin/users');
        const adminNav = page.getByRole('navigation', { name: w.t('nav.administration') });
        expect((await adminNav.getByRole('link').allInnerTexts()).map((x) => x.trim())).toEqual([
          w.t('nav.adminUsers'),
          w.t('nav.adminSignIns'),
        ]);
        expect(await page.getByRole('link', { name: w.t('nav.adminSettings') }).count()).toBe(0);
        expect(await page.locator('a[href="/admin/settings"]').count()).toBe(0);

        expected.set('/admin/settings', 403);
        const r = await page.goto('/admin/settings');
        expect(r?.status()).toBe(403);
        expect(await heading(page)).toBe(w.t('admin.error.title.forbidden'));
        const text = await page.locator('main').innerText();
        expect(text).toContain(w.t('admin.error.helpdeskLimits'));
        expect(text).toContain(w.t('admin.common.nothingChanged'));
        expect(await page.getByRole('link', { name: w.t('nav.adminSettings') }).count()).toBe(0);
        expected.delete('/admin/settings');
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'an administrator sees the story in the sign-in log and the audit log, and opens the settings',
      async (ctx) => {
        if (!browser || !deleted) return ctx.skip();
        const root = await newTab(browser, server.origin, problems);
        try {
          const { page } = root;
          await signIn(w, page, 'root', PASSWORDS.root);
          expect(pathOf(page)).toBe('/account');
          const adminNav = page.getByRole('navigation', { name: w.t('nav.administration') });

          await adminNav.getByRole('link', { name: w.t('nav.adminSignIns'), exact: true }).click();
          await page.waitForURL('**/admin/sign-ins');
          expect(await heading(page)).toBe(w.t('admin.signIns.title'));
          await page.getByLabel(w.t('admin.signIns.user.label'), { exact: true }).fill('dora');
          await page.getByRole('button', { name: w.t('admin.signIns.show'), exact: true }).click();
          // A GET form: every filter is in the address, the empty ones too.
          await page.waitForURL(
            (u) => u.pathname === '/admin/sign-ins' && u.searchParams.get('user') === 'dora',
          );
          const log = page.getByRole('table', { name: w.t('admin.signIns.caption.all') });
          const logText = await log.innerText();
          expect(logText).toContain(w.t('admin.signIns.appPassword', { label: 'Laptop mail' }));
          expect(logText).toContain(w.t('admin.signIns.appPassword', { label: 'New phone' }));
          expect(logText).toContain(w.t('admin.common.reason.invalidCredentials'));
          expect(logText).toContain(w.t('admin.common.credential.totp'));
          expect(await log.locator('tbody tr td:nth-child(2)').allInnerTexts()).not.toContain('hugo');
          await shot(page, 'admin-sign-ins');

          await adminNav.getByRole('link', { name: w.t('nav.adminSettings'), exact: true }).click();
          // A password-only sign-in a moment ago counts as fresh: no second check.
          await page.waitForURL('**/admin/settings');
          expect(await heading(page)).toBe(w.t('admin.settings.title'));
          expect(
            await page.getByLabel(w.t('admin.common.setting.allowAppPasswords'), { exact: true }).isChecked(),
          ).toBe(true);
          await shot(page, 'admin-settings');

          await adminNav.getByRole('link', { name: w.t('nav.adminAudit'), exact: true }).click();
          await page.waitForURL('**/admin/audit');
          expect(await heading(page)).toBe(w.t('admin.audit.title'));
          const audit = page.getByRole('table', { name: w.t('admin.audit.caption.all') });
          const row = audit.getByRole('row', {
            name: sentence(w.t('admin.audit.did.appPasswordDeletedAll', { who: ANY, target: ANY })),
          });
          expect(await row.count()).toBe(1);
          const rowText = await row.innerText();
          expect(rowText).toContain('hugo');
          expect(rowText).toContain(w.t('admin.audit.fromIp', { ip: '127.0.0.1' }));
          expect(rowText).toContain('dora');
          await shot(page, 'admin-audit');
        } finally {
          await root.context.close();
        }
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'Dora is locked out; Hugo unlocks her and resets her password; she signs in with the one-time password and chooses her own',
      async (ctx) => {
        if (!browser || !doraNew) return ctx.skip();
        const { core } = server;
        await core.settings.updateSettings(system, { lockoutThreshold: 3 });
        // The settings are cached for a second.
        await new Promise((r) => setTimeout(r, 1_200));
        for (const n of [1, 2, 3])
          expect((await authBasic('dora', `not the password ${n}`)).status).toBe(401);
        expect((await core.lockout.lockoutStatus(system, 'dora')).some((c) => c.lockedUntil !== null)).toBe(
          true,
        );

        const { page } = hugo;
        await page.goto('/admin/users/dora');
        expect(await heading(page)).toBe('Dora Marquez');
        const main = page.locator('main');
        const lockout = main.locator('#h-lockout').locator('..');
        expect(await lockout.locator('.notice-warning').innerText()).toMatch(
          sentence(w.t('admin.user.lockout.locked', { time: ANY })),
        );
        const counters = lockout.getByRole('table', { name: w.t('admin.user.lockout.caption') });
        const cleared = await counters.locator('tbody tr').count();
        expect(cleared).toBeGreaterThan(0);
        await shot(page, 'admin-user-locked');
        await lockout.getByRole('button', { name: w.t('admin.user.unlock.button') }).click();
        await page.waitForURL(
          (u) => u.pathname === '/admin/users/dora' && u.searchParams.get('done') === 'unlocked',
        );
        expect(await page.getByRole('status').first().innerText()).toContain(
          w.t('admin.user.done.unlocked', { name: 'Dora Marquez', count: cleared }),
        );
        expect(await lockout.innerText()).toContain(w.t('admin.user.lockout.noFailures'));
        expect(await core.lockout.lockoutStatus(system, 'dora')).toEqual([]);

        await main.getByRole('link', { name: w.t('admin.user.resetPassword.title') }).click();
        await page.waitForURL('**/admin/users/dora/reset-password');
        expect(await heading(page)).toBe(w.t('admin.user.resetPassword.question', { name: 'Dora Marquez' }));
        expect(await main.innerText()).toContain(w.t('admin.user.resetPassword.detailApps', { count: 1 }));
        // Nothing happens until Yes.
        expect((await authBasic('dora', doraNew)).status).toBe(200);
        await main.getByRole('button', { name: w.t('admin.user.resetPassword.yes') }).click();
        expect(await heading(page)).toBe(
          w.t('admin.user.resetPassword.done.heading', { name: 'Dora Marquez' }),
        );
        const oneTime = (await page.locator('#one-time-password').innerText()).trim();
        expect(oneTime.length).toBeGreaterThanOrEqual(8);
        expect(await main.innerText()).toContain(
          w.t('admin.user.resetPassword.done.appsDeleted', { count: 1, name: 'Dora Marquez' }),
        );
        await shot(page, 'admin-one-time-password');
        // The app password went with the old password (the organisation's default rule).
        expect((await authBasic('dora', doraNew)).status).toBe(401);
        await main.getByRole('link', { name: w.t('admin.common.close'), exact: true }).click();
        await page.waitForURL('**/admin/users/dora');
        expect(await main.innerText()).toContain(w.t('admin.user.password.oneTime'));
        // Once: the page never shows it again.
        expect(await page.content()).not.toContain(oneTime);

        const dora = await newTab(browser, server.origin, problems);
        try {
          const { page } = dora;
          await signIn(w, page, 'dora', oneTime);
          expect(pathOf(page)).toBe('/sign-in/new-password');
          expect(await heading(page)).toBe(w.t('newPassword.title'));
          await page.getByLabel(w.t('newPassword.label'), { exact: true }).fill(PASSWORDS.doraNew);
          await page.getByLabel(w.t('newPassword.confirm'), { exact: true }).fill(PASSWORDS.doraNew);
          await page.getByRole('button', { name: w.t('newPassword.save') }).click();
          await page.waitForURL('**/sign-in/verify');
          expect(await heading(page)).toBe(w.t('verify.title'));
          // The next 30-second step's code (one step of drift is allowed): this step's was used above.
          await page.getByLabel(w.t('challenge.totp.label')).fill(totpCode(doraSeed, Date.now() + 30_000));
          await page.getByRole('button', { name: w.t('challenge.verify'), exact: true }).click();
          await page.waitForURL('**/account');
          expect(await heading(page)).toBe(w.t('account.security.title'));
        } finally {
          await dora.context.close();
        }
        expect((await core.users.getUser(system, 'dora')).passwordMustChange).toBe(false);
        expect(problems).toEqual([]);
      },
      TIMEOUT,
    );
  },
);
