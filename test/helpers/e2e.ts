// What the Chromium journeys share: a real Latchkey listening on 127.0.0.1 (with the LDAP door if
// asked), separate browsers (contexts) with one watched tab each, set to a language, and the docs'
// screenshots (docs/screenshots/ in English, docs/screenshots/<lang>/ in another language).

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Core, createCore } from '../../src/core/index.js';
import { buildApp } from '../../src/http/app.js';
import { DEFAULT_LANG, type Lang } from '../../src/http/i18n/index.js';
import { createLdapServer, type LdapServer } from '../../src/ldap/server.js';
import { freePort } from './nginx.js';
import { storeKinds, type TestStore, tempDir } from './stores.js';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const BASE_DN = 'dc=example,dc=org';

/** The browser locale a journey in each language runs with: Chromium sends it as Accept-Language. */
const LOCALES: Partial<Record<Lang, string>> = { en: 'en-GB', nl: 'nl-NL' };

export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Path → status of pages this tab is meant to be refused (a 403 page the test opens on purpose). */
  expected: Map<string, number>;
}

/**
 * Collects what a tab complained about: console errors and warnings (CSP violations among them),
 * uncaught exceptions, failed requests. Chromium reports a page answered with a deliberate 4xx as a
 * failed load: such a status is let through when it is one of `allowed` (the pages' contract, such as
 * 401 for a refused sign-in) or the one `expected` for that path.
 */
export function watch(
  page: Page,
  problems: string[],
  expected: Map<string, number>,
  allowed: ReadonlySet<number> = new Set(),
): void {
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const failed = /^Failed to load resource: the server responded with a status of (\d{3})\b/.exec(m.text());
    if (failed) {
      const status = Number(failed[1]);
      const at = new URL(m.location().url || page.url());
      if (allowed.has(status) || expected.get(at.pathname) === status) return;
    }
    problems.push(`${m.type()} on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror on ${page.url()}: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A click that navigates cancels what the old page was still fetching (its favicon): not a fault.
    const why = r.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') problems.push(`request failed on ${page.url()}: ${r.url()} ${why}`);
  });
}

/**
 * A separate browser (its own cookies, storage and permissions), with one watched tab, whose person
 * reads `lang`: every page it is served must say so (Content-Language, which `<html lang>` follows),
 * else the page is one of `problems`.
 */
export async function newTab(
  browser: Browser,
  origin: string,
  problems: string[],
  allowed: ReadonlySet<number> = new Set(),
  lang: Lang = DEFAULT_LANG,
): Promise<Tab> {
  const context = await browser.newContext({
    baseURL: origin,
    viewport: DESKTOP,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    locale: LOCALES[lang] ?? lang,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  // Injected by the DevTools protocol, so the page's own CSP does not apply to this listener; it also
  // catches violations a page might swallow.
  await context.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  );
  const page = await context.newPage();
  const expected = new Map<string, number>();
  watch(page, problems, expected, allowed);
  page.on('response', (r) => {
    const type = r.headers()['content-type'] ?? '';
    if (!r.request().isNavigationRequest() || !type.startsWith('text/html')) return;
    const said = r.headers()['content-language'];
    if (said !== lang) problems.push(`${r.url()} was served in ${said ?? 'no language'}, not ${lang}`);
  });
  return { context, page, expected };
}

export interface WebServer {
  t: TestStore;
  core: Core;
  app: ReturnType<typeof buildApp>;
  origin: string;
  ldap: LdapServer | null;
  ldapUrl: string;
  stop(): Promise<void>;
}

/**
 * A Latchkey on 127.0.0.1 whose public URL is the exact origin the browser uses (`localhost` for
 * WebAuthn, which refuses IP addresses as relying-party ids). The port is chosen first, because the
 * public URL is part of the core.
 */
export async function startWebServer(
  o: { host?: '127.0.0.1' | 'localhost'; ldap?: boolean } = {},
): Promise<WebServer> {
  const [sqlite] = await storeKinds();
  const t = await sqlite!.open();
  const port = await freePort();
  const origin = `http://${o.host ?? '127.0.0.1'}:${port}`;
  // The write-behind of "last used" runs as in production, so the pages show it.
  const core = await createCore({ store: t.store, keys: t.keys, publicUrl: origin, flushIntervalMs: 100 });
  const app = buildApp({ core, logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port });
  let ldap: LdapServer | null = null;
  let ldapUrl = '';
  if (o.ldap) {
    ldap = createLdapServer({ core, baseDn: BASE_DN, domain: 'example.org' });
    ldapUrl = `ldap://127.0.0.1:${await ldap.listen(0, '127.0.0.1')}`;
  }
  return {
    t,
    core,
    app,
    origin,
    ldap,
    ldapUrl,
    async stop() {
      await ldap?.close();
      await app.close();
      await core.close();
      await t.cleanup();
    },
  };
}

/**
 * Where screenshots go: docs/screenshots/ with LATCHKEY_SCREENSHOTS=1 (to refresh the README's
 * pictures; the pages in another language under docs/screenshots/<lang>/, same names), else a
 * temporary directory that `cleanup()` removes, so that CI never rewrites the docs.
 */
export function screenshots(prefix: string, lang: Lang = DEFAULT_LANG) {
  const toDocs = process.env.LATCHKEY_SCREENSHOTS === '1';
  const docs = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
  const dir = toDocs ? (lang === DEFAULT_LANG ? docs : join(docs, lang)) : tempDir(prefix);
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    /** The whole page at the current viewport width, nothing focused, no caret. */
    async shot(page: Page, name: string): Promise<void> {
      await page.evaluate(
        'document.activeElement && document.activeElement.blur && document.activeElement.blur()',
      );
      await page.screenshot({
        path: join(dir, `${name}.png`),
        fullPage: true,
        caret: 'hide',
        animations: 'disabled',
      });
    },
    cleanup(): void {
      if (!toDocs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The page's h1, once it is there. */
export async function heading(page: Page): Promise<string> {
  const h1 = page.getByRole('heading', { level: 1 });
  await h1.waitFor();
  return (await h1.innerText()).trim();
}

/** The page's h1, once it is there, on a page that says `<html lang>` is `lang` (else it throws). */
export async function headingIn(page: Page, lang: Lang): Promise<string> {
  const h1 = await heading(page);
  const said = await page.evaluate<string>('document.documentElement.lang');
  if (said !== lang) throw new Error(`${page.url()} says <html lang="${said}">, not "${lang}" ("${h1}")`);
  return h1;
}

/** Stands for a placeholder a test does not fill: `sentence()` matches any text there. */
export const ANY = '\u0001';

/**
 * A catalogue sentence as a pattern, its ANY placeholders matching any text: for a sentence whose
 * filling (a door, a person) the test does not pin down, e.g.
 * `sentence(w.t('events.accepted.appPassword', { door: ANY, appPassword: ANY }))`.
 */
export function sentence(text: string): RegExp {
  const parts = text.split(ANY).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('.+?'));
}
