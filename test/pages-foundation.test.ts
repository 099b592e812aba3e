// The foundation of every browser page: escaping in html``, the page shell and its components under a
// strict CSP (no inline script, handler or style), the navigation each role sees, the static file
// route, and one real Chromium run of the copy-to-clipboard box under that CSP.

import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attrs, escapeHtml, html, raw, SafeHtml } from '../src/http/pages/html.js';
import {
  button,
  checkbox,
  definitionList,
  errorPage,
  field,
  linkButton,
  notice,
  type PageUser,
  page,
  pageHeader,
  postForm,
  secretBox,
  select,
  table,
  timeAgo,
} from '../src/http/pages/layout.js';
import { registerStatic } from '../src/http/static.js';
import { describeWithChromium, launchChromium } from './helpers/browser.js';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; connect-src 'self'";

const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(2)>'\`&`;
const alice: PageUser = { username: 'alice', displayName: 'Alice Ångström', role: 'user' };
const helpdesk: PageUser = { username: 'hd', displayName: null, role: 'helpdesk' };
const admin: PageUser = { username: 'root', displayName: 'Ada Admin', role: 'admin' };

/** Markup the CSP would block or that would let a hostile string out of its attribute. */
function assertCspClean(doc: string): void {
  expect(doc).not.toMatch(/<style[\s>]/i);
  // Escaped text has no "<", so these are the real tags; with quoted values blanked, what is left is
  // attribute names and unquoted values — where a hostile string that broke out would show up.
  for (const [tag] of doc.matchAll(/<[a-z][^>]*>/gi)) {
    const bare = tag.replace(/"[^"]*"/g, '""');
    expect(bare, tag).not.toMatch(/\sstyle\s*=/i);
    expect(bare, tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(bare, tag).not.toMatch(/'/);
  }
  expect(doc).not.toMatch(/javascript:/i);
  // Every <script> has a src and nothing between its tags.
  for (const m of doc.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    expect(m[1]).toMatch(/\ssrc="\/static\/[a-z0-9.-]+\.js"/);
    expect(m[2]).toBe('');
  }
}

/** A page with every option and every component set, fed hostile strings wherever a person types. */
function everythingPage(user: PageUser, nav: Parameters<typeof page>[0]['nav'] = 'security'): string {
  return page({
    title: HOSTILE,
    user: { ...user, displayName: HOSTILE },
    nav,
    csrf: HOSTILE,
    showAppPasswords: true,
    flash: { kind: 'error', text: HOSTILE },
    scripts: ['/static/webauthn.js', 'https://evil.example/x.js', '/static/../x.js'],
    body: html`${pageHeader(HOSTILE, HOSTILE)}
${notice('warning', HOSTILE, { title: HOSTILE })}
${postForm(
  '/account/app-passwords',
  HOSTILE,
  html`${field({ name: 'label', label: HOSTILE, value: HOSTILE, hint: HOSTILE, error: HOSTILE, required: true, maxlength: 64, autofocus: true, spellcheck: false })}
${checkbox({ name: 'scope', value: 'imap', label: HOSTILE, checked: true, hint: HOSTILE })}
${select({ name: 'expires', label: HOSTILE, options: [{ value: HOSTILE, label: HOSTILE, selected: true }], hint: HOSTILE })}
${button(HOSTILE, { kind: 'danger', name: 'action', value: HOSTILE, dataset: { confirmName: HOSTILE } })}
${linkButton('/account', HOSTILE, 'link')}`,
)}
${table({ caption: HOSTILE, head: [HOSTILE, html`<abbr title="Internet Protocol">IP</abbr>`, ''], rows: [[HOSTILE, null, raw('<b>ok</b>')]], empty: HOSTILE })}
${secretBox({ id: 'new-password', secret: 'abcd efgh ijkl mnop qrst uvwx', label: HOSTILE })}
${definitionList([[HOSTILE, HOSTILE]])}
${timeAgo(Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 1, 0, 3))}`,
  });
}

describe('html``', () => {
  it('escapes interpolated strings, including quotes and backticks', () => {
    expect(html`<p title="${HOSTILE}">${HOSTILE}</p>`.value).toBe(
      `<p title="${escapeHtml(HOSTILE)}">${escapeHtml(HOSTILE)}</p>`,
    );
    expect(escapeHtml(`<>&"'\``)).toBe('&lt;&gt;&amp;&quot;&#39;&#96;');
    expect(html`${HOSTILE}`.value).not.toMatch(/[<>"'`]/);
  });

  it('inserts SafeHtml raw, flattens arrays by the same rules, and drops null, undefined and booleans', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(inner).toBeInstanceOf(SafeHtml);
    expect(html`${inner}`.value).toBe('<b>&lt;i&gt;</b>');
    expect(html`${['<a>', raw('<br>'), [html`<i>${'&'}</i>`, 2]]}`.value).toBe('&lt;a&gt;<br><i>&amp;</i>2');
    expect(html`[${null}${undefined}${false}${true}${0}]`.value).toBe('[0]');
    expect(String(html`<p>${1.5}</p>`)).toBe('<p>1.5</p>');
  });

  it('attrs() escapes values, keeps true as a bare attribute and omits false, null and undefined', () => {
    const a = attrs({
      value: HOSTILE,
      required: true,
      disabled: false,
      title: null,
      id: undefined,
      maxlength: 5,
    });
    expect(a.value).toBe(` value="${escapeHtml(HOSTILE)}" required maxlength="5"`);
    expect(() => attrs({ onclick: 'x' })).toThrow();
    expect(() => attrs({ style: 'x' })).toThrow();
    expect(() => attrs({ 'a b': 'x' })).toThrow();
  });
});

describe('components', () => {
  it('field() links label, hint and error, marks the error, escapes the value and never echoes a password', () => {
    const f = field({
      name: 'label',
      label: 'Name',
      value: HOSTILE,
      hint: 'The device',
      error: 'Too long',
    }).value;
    expect(f).toContain('<label for="f-label">Name</label>');
    expect(f).toContain('id="f-label"');
    expect(f).toContain('aria-describedby="f-label-hint f-label-error"');
    expect(f).toContain('aria-invalid="true"');
    expect(f).toContain(`value="${escapeHtml(HOSTILE)}"`);
    expect(f).not.toContain('<script>');
    const p = field({ name: 'password', label: 'Password', type: 'password', value: 'hunter2' }).value;
    expect(p).not.toContain('hunter2');
    expect(p).not.toContain('aria-invalid');
    expect(p).not.toContain('aria-describedby');
  });

  it('table() escapes cells, labels them from the head for phones, and shows the empty text without rows', () => {
    const t = table({
      head: ['Name', html`Last <em>used</em>`],
      rows: [[HOSTILE, null]],
      empty: 'None yet',
    }).value;
    expect(t).toContain(`<td data-label="Name">${escapeHtml(HOSTILE)}</td>`);
    expect(t).toContain('data-label="Last used"');
    expect(t).not.toContain('<script>');
    expect(table({ head: ['Name'], rows: [], empty: 'None yet' }).value).toContain('None yet');
  });

  it('secretBox() shows the secret as given with a copy button wired by data-copy', () => {
    const s = secretBox({
      id: 'pw',
      secret: 'abcd efgh ijkl mnop qrst uvwx',
      label: 'Your app password',
    }).value;
    expect(s).toContain('id="pw">abcd efgh ijkl mnop qrst uvwx<');
    expect(s).toMatch(/<button type="button"[^>]*data-copy="#pw"[^>]*>Copy password to clipboard<\/button>/);
  });

  it('timeAgo() gives relative words with the exact UTC time, and Never for null', () => {
    const now = Date.UTC(2025, 4, 6, 12, 0, 0);
    expect(timeAgo(now - 3 * 60_000, now).value).toBe(
      '<time datetime="2025-05-06T11:57:00.000Z" title="2025-05-06 11:57:00 UTC">3 minutes ago</time>',
    );
    expect(timeAgo(now - 10_000, now).value).toContain('just now');
    expect(timeAgo(now - 59.8 * 60_000, now).value).toContain('1 hour ago');
    expect(timeAgo(now + 5 * 86_400_000, now).value).toContain('in 5 days');
    expect(timeAgo(null, now).value).toBe('Never');
  });
});

describe('page()', () => {
  it('is a complete document with nothing the CSP would block, whatever the options', () => {
    for (const user of [alice, helpdesk, admin]) assertCspClean(everythingPage(user));
    const narrow = page({
      title: 'Sign in',
      body: html`<p>x</p>`,
      narrow: true,
      flash: { kind: 'info', text: 'Hi' },
    });
    assertCspClean(narrow);
    assertCspClean(
      errorPage({ status: 500, title: 'Something went wrong', message: HOSTILE, requestId: HOSTILE }),
    );
    const doc = everythingPage(admin);
    expect(doc.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(doc).toContain(`<title>${escapeHtml(HOSTILE)} · Latchkey</title>`);
    expect(doc).toContain('<link rel="stylesheet" href="/static/style.css">');
    expect(doc).toContain('<meta name="color-scheme" content="light dark">');
    expect(doc).toContain('<a class="skip-link" href="#main">Skip to content</a>');
    expect(doc).toContain('<main id="main" tabindex="-1">');
    expect(doc).toContain('<script src="/static/webauthn.js" defer></script>');
    expect(doc).not.toContain('evil.example');
    expect(doc).not.toContain('/static/../');
    expect(doc).not.toContain('<script>alert');
    expect(doc).not.toMatch(/<img src=x/);
  });

  it('shows account links to everyone, Users and Sign-ins to helpdesk and admins, Settings to admins only', () => {
    const links = (d: string) => [...d.matchAll(/<a href="(\/[^"]*)"/g)].map((m) => m[1]);
    const user = page({ title: 'T', body: html``, user: alice, nav: 'security', csrf: 't' });
    expect(user).toContain('<nav class="nav-group" aria-label="Account">');
    expect(user).not.toContain('aria-label="Administration"');
    expect(links(user)).toEqual([
      '/account',
      '/account/apps',
      '/account/password',
      '/account/sign-ins',
      '/help',
      '/help',
    ]);
    expect(user).toContain('<a href="/account" aria-current="page">Security info</a>');
    expect(user).toMatch(
      /<form method="post" action="\/sign-out"[^>]*><input type="hidden" name="_csrf" value="t">/,
    );

    const hd = page({ title: 'T', body: html``, user: helpdesk, nav: 'admin-users', showAppPasswords: true });
    expect(hd).toContain('aria-label="Administration"');
    expect(links(hd)).toContain('/account/app-passwords');
    expect(links(hd)).toContain('/admin/sign-ins');
    expect(hd).not.toContain('/admin/settings');
    expect(hd).not.toContain('/admin/clients');
    expect(hd).toContain('<a href="/admin/users" aria-current="page">Users</a>');
    expect(hd.match(/aria-current/g)).toHaveLength(1);

    const ad = page({ title: 'T', body: html``, user: admin, nav: 'admin-settings' });
    for (const href of [
      '/admin/users',
      '/admin/sign-ins',
      '/admin/audit',
      '/admin/import',
      '/admin/tokens',
      '/admin/clients',
    ])
      expect(links(ad)).toContain(href);
    expect(ad).toContain('<a href="/admin/settings" aria-current="page">Settings</a>');
    expect(ad).toContain('Ada Admin');
  });

  it('renders the narrow card without navigation, the flash with the right role, and the error reference', () => {
    const n = page({
      title: 'Sign in',
      body: html`<p>x</p>`,
      narrow: true,
      flash: { kind: 'success', text: 'Done' },
    });
    expect(n).not.toContain('<nav');
    expect(n).toContain('<main id="main" tabindex="-1" class="card">');
    expect(n).toContain('role="status">Done</div>');
    expect(n).toContain('<a class="brand" href="/sign-in">');
    const e = errorPage({ status: 404, title: 'Not found', message: 'No such page.', requestId: 'req-7' });
    expect(e).toContain('Reference: <code>req-7</code>');
    expect(e).toContain('No such page.');
    const err = page({ title: 'T', body: html``, user: alice, flash: { kind: 'error', text: 'Nope' } });
    expect(err).toContain('role="alert">Nope</div>');
  });
});

describe('GET /static/:file', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify({ logger: false });
    registerStatic(app);
    await app.ready();
  });
  afterAll(() => app.close());

  it('serves the stylesheet with type, nosniff, caching and an ETag, and 304 when it matches', async () => {
    const r = await app.inject({ method: 'GET', url: '/static/style.css' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('public, max-age=3600');
    const etag = r.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(r.body).toContain('prefers-color-scheme: dark');
    const again = await app.inject({
      method: 'GET',
      url: '/static/style.css',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const weak = await app.inject({
      method: 'GET',
      url: '/static/style.css',
      headers: { 'if-none-match': `"other", W/${etag}` },
    });
    expect(weak.statusCode).toBe(304);
    const stale = await app.inject({
      method: 'GET',
      url: '/static/style.css',
      headers: { 'if-none-match': '"x"' },
    });
    expect(stale.statusCode).toBe(200);
  });

  it('serves the scripts and the favicon with their types', async () => {
    const bundle = await app.inject({ method: 'GET', url: '/static/simplewebauthn-browser.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.body).toContain('SimpleWebAuthnBrowser');
    const clip = await app.inject({ method: 'GET', url: '/static/clipboard.js' });
    expect(clip.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const icon = await app.inject({ method: 'GET', url: '/static/favicon.svg' });
    expect(icon.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
  });

  it('answers 404 to anything outside the allow-list, traversal included', async () => {
    for (const url of [
      '/static/../package.json',
      '/static/%2e%2e%2fpackage.json',
      '/static/..%2Fpackage.json',
      '/static/%2e%2e/%2e%2e/package.json',
      '/static/nope.css',
      '/static/style.css.map',
      '/static/',
      '/static/STYLE.CSS',
    ]) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
    }
  });
});

// The tsconfig has no DOM library, so code that runs in the page is passed to evaluate() as a string.
describeWithChromium('in Chromium, under the strict CSP', () => {
  let browser: Browser | null = null;
  let server: FastifyInstance;
  let origin: string;
  const secret = 'abcd efgh ijkl mnop qrst uvwx';

  beforeAll(async () => {
    browser = await launchChromium();
    server = Fastify({ logger: false });
    server.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', CSP);
      return payload;
    });
    registerStatic(server);
    server.get('/', (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(
        page({
          title: 'App passwords',
          user: admin,
          nav: 'app-passwords',
          csrf: 'token',
          showAppPasswords: true,
          flash: { kind: 'success', text: 'App password created.' },
          body: html`${pageHeader('Your new app password', 'Paste it into the app now: it will not be shown again.')}
<section class="card">${secretBox({ id: 'new-password', secret, label: 'App password for Laptop' })}</section>
${table({
  head: ['Name', 'Created', 'Last used', ''],
  rows: [
    ['Laptop', timeAgo(Date.now() - 3 * 60_000, Date.now()), null, button('Delete', { kind: 'danger' })],
  ],
  empty: 'No app passwords yet.',
})}`,
        }),
      ),
    );
    origin = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('copies the secret as shown, says Copied, and logs no error or CSP violation', async (ctx) => {
    if (!browser) return ctx.skip();
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      const tab = await context.newPage();
      const problems: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      tab.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
      const res = await tab.goto(origin, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);

      expect(await tab.evaluate<boolean>("document.documentElement.classList.contains('js')")).toBe(true);
      // Nothing wider than a 360px phone.
      expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
      // The stylesheet applied (a blocked one would leave the skip link on screen).
      expect(
        await tab
          .locator('.skip-link')
          .boundingBox()
          .then((b) => (b ? b.y + b.height : 0)),
      ).toBeLessThanOrEqual(0);

      // Keyboard first: Tab reaches the skip link, which moves focus to main.
      await tab.keyboard.press('Tab');
      expect(await tab.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');
      await tab.keyboard.press('Enter');
      expect(await tab.evaluate<string>('document.activeElement.id')).toBe('main');

      await tab.getByRole('button', { name: 'Copy password to clipboard' }).click();
      // Found by its wiring, not its name: the name is what changes.
      await expect.poll(() => tab.locator('button[data-copy]').textContent()).toBe('Copied');
      expect(await tab.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
      await tab.screenshot({ path: '/tmp/latchkey-pages-foundation-360.png', fullPage: true });
      await tab.setViewportSize({ width: 1280, height: 800 });
      await tab.screenshot({ path: '/tmp/latchkey-pages-foundation-1280.png', fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
