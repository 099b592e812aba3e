// The browser door through inject(): sign-in with two-step verification, registration that ends with
// the first app password (R7), the account portal (R4–R9, B1–B3, B7, B10) and the bad input the issue
// lists (expired and replayed flows, reused codes, wrong CSRF tokens, forged ids, over-long names).

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { totpCode } from '../src/crypto/totp.js';
import { buildApp } from '../src/http/app.js';
import { describeSignIn, shortAgent } from '../src/http/pages/sign-in-events.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';
import { text, WebClient } from './helpers/web-client.js';

const admin: Actor = { kind: 'system', name: 'test', ip: null };
const kinds: StoreKind[] = await storeKinds();

function seedFrom(html: string): string {
  const m = /class="secret-value small"[^>]*>([A-Z2-7 ]+)</.exec(html);
  if (!m) throw new Error('no TOTP key on the page');
  return m[1]!.replace(/ /g, '');
}

function appPasswordFrom(html: string): string {
  const m = /id="app-password">([a-z ]+)</.exec(html);
  if (!m) throw new Error('no app password on the page');
  return m[1]!;
}

describe.each(kinds)('browser sign-in and portal on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let clock = Date.UTC(2026, 10, 22, 9, 0, 0);
  const now = () => clock;
  const tick = (ms: number) => {
    clock += ms;
  };

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0, now });
    app = buildApp({ core, logLevel: 'silent' });
    await core.users.createUser(admin, {
      username: 'erin',
      email: 'erin@example.org',
      displayName: 'Erin',
      password: 'erin password 1',
    });
    await core.users.createUser(admin, { username: 'frank', password: 'frank password 1' });
    await core.twoStep.setTwoStepState(admin, 'erin', 'enabled');
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await core.close();
    await t.cleanup();
  });

  /** Registers TOTP for an `enabled` user through the pages; returns the seed and first app password. */
  async function register(c: WebClient, username: string, password: string, label = 'Phone') {
    let r = await c.signIn(username, password);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/sign-in/register');
    r = await c.follow();
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<svg');
    const seed = seedFrom(r.body);
    r = await c.post('/sign-in/register', { method: 'totp', code: totpCode(seed, clock) });
    expect(r.headers.location).toBe('/sign-in/recovery-codes');
    r = await c.follow();
    const codes = /id="recovery-codes">([^<]+)</.exec(r.body)![1]!.split('\n');
    expect(codes).toHaveLength(10);
    r = await c.post('/sign-in/recovery-codes');
    expect(r.headers.location).toBe('/sign-in/app-password');
    r = await c.follow();
    r = await c.post('/sign-in/app-password', { label });
    expect(r.statusCode).toBe(200);
    const first = appPasswordFrom(r.body);
    expect(text(r.body)).toContain('Copy password to clipboard');
    r = await c.post('/sign-in/done');
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/account');
    await c.follow();
    return { seed, codes, first };
  }

  it.runIf(kind.available)(
    'registration: enabled → TOTP → recovery codes → first app password (R7) → enforced',
    async () => {
      const c = new WebClient(app);
      const { first } = await register(c, 'erin', 'erin password 1');
      expect((await core.users.getUser(admin, 'erin')).twoStep).toBe('enforced');
      // The first app password opens the mail door at once; the primary password no longer does (R2).
      expect((await core.signIn({ username: 'erin', secret: first, door: 'imap' })).ok).toBe(true);
      expect(await core.signIn({ username: 'erin', secret: 'erin password 1', door: 'imap' })).toEqual({
        ok: false,
        reason: 'app_password_required',
      });
      const page = await c.get('/account');
      expect(page.statusCode).toBe(200);
      expect(text(page.body)).toContain('Authenticator app');
      expect(text(page.body)).toContain('10 of 10 codes left');
      const audit = await core.audit.listAudit(admin, { limit: 50 });
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['two_step.method_added', 'two_step.state_changed', 'app_password.created']),
      );
    },
  );

  it.runIf(kind.available)(
    'unknown users and wrong passwords get the same page; an app password gets the B10 sentence',
    async () => {
      const c = new WebClient(app);
      const wrong = await c.signIn('erin', 'not her password');
      const unknown = await c.signIn('nobody-here', 'not her password');
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      const msg = (b: string) => /class="notice[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(b)?.[1];
      expect(msg(wrong.body)).toBe(msg(unknown.body));
      const ap = (await core.appPasswords.createAppPassword(admin, 'erin', { label: 'Tablet' })).password;
      const typed = await c.signIn('erin', ap);
      expect(typed.statusCode).toBe(401);
      expect(text(typed.body)).toContain(
        'App passwords are only for apps that cannot do two-step verification',
      );
      expect(c.cookies.has('lk_session')).toBe(false);
      const log = await core.signInLog.listSignIns(admin, { username: 'erin', door: 'browser', limit: 10 });
      expect(log.map((e) => e.reason)).toEqual(
        expect.arrayContaining(['app_password_in_browser', 'invalid_credentials']),
      );
    },
  );

  it.runIf(kind.available)(
    'the second step: wrong code refused and logged, right code signs in, a reused code is refused',
    async () => {
      const seedPage = await core.methods.listMethods(admin, 'erin');
      expect(seedPage.methods).toHaveLength(1);
      tick(60_000);
      const c = new WebClient(app);
      let r = await c.signIn('erin', 'erin password 1');
      expect(r.headers.location).toBe('/sign-in/verify');
      r = await c.follow();
      expect(text(r.body)).toContain('Code from your authenticator app');
      r = await c.post('/sign-in/verify', { method: 'totp', code: '000000' });
      expect(r.statusCode).toBe(400);
      expect(text(r.body)).toContain('That code is not right');
      expect(c.cookies.has('lk_session')).toBe(false);
      const log = await core.signInLog.listSignIns(admin, {
        username: 'erin',
        reason: 'two_step_failed',
        limit: 5,
      });
      expect(log.length).toBeGreaterThan(0);
    },
  );

  it.runIf(kind.available)(
    'TOTP codes work once; recovery codes work once; flows cannot be replayed',
    async () => {
      await core.users.createUser(admin, {
        username: 'gina',
        password: 'gina password 1',
        twoStep: 'enabled',
      });
      const c = new WebClient(app);
      const { seed, codes } = await register(c, 'gina', 'gina password 1');
      tick(31_000);
      const code = totpCode(seed, clock);
      const a = new WebClient(app);
      await a.signIn('gina', 'gina password 1');
      await a.follow();
      expect((await a.post('/sign-in/verify', { method: 'totp', code })).headers.location).toBe('/account');
      const b = new WebClient(app);
      await b.signIn('gina', 'gina password 1');
      await b.follow();
      const again = await b.post('/sign-in/verify', { method: 'totp', code });
      expect(again.statusCode).toBe(400);
      expect(b.cookies.has('lk_session')).toBe(false);
      // Recovery code: once.
      const r1 = await b.post('/sign-in/verify', { method: 'recovery', code: codes[0]! });
      expect(r1.headers.location).toBe('/account');
      const d = new WebClient(app);
      await d.signIn('gina', 'gina password 1');
      await d.follow();
      const r2 = await d.post('/sign-in/verify', { method: 'recovery', code: codes[0]! });
      expect(r2.statusCode).toBe(400);
      expect(text(r2.body)).toContain('already used');
      // A finished flow's steps cannot be posted again (the flow cookie of `a` is gone; reuse its value).
      const e = new WebClient(app);
      await e.signIn('gina', 'gina password 1');
      await e.follow();
      const flow = e.cookies.get('lk_flow')!;
      tick(31_000);
      await e.post('/sign-in/verify', { method: 'totp', code: totpCode(seed, clock) });
      e.cookies.set('lk_flow', flow);
      e.cookies.delete('lk_session');
      const replay = await e.post('/sign-in/verify', { method: 'totp', code: totpCode(seed, clock) });
      expect(replay.statusCode).toBe(410);
      expect(text(replay.body)).toContain('This sign-in has expired');
    },
  );

  it.runIf(kind.available)('an unfinished flow expires after 15 minutes', async () => {
    const c = new WebClient(app);
    await c.signIn('erin', 'erin password 1');
    tick(16 * 60_000);
    const r = await c.get('/sign-in/verify');
    expect(r.statusCode).toBe(410);
    expect(text(r.body)).toContain('Sign in again');
  });

  it.runIf(kind.available)('web security: CSP, cookies, no-store, CSRF', async () => {
    const c = new WebClient(app);
    const page = await c.get('/sign-in');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(page.body).not.toMatch(/\sstyle=/);
    const noCsrf = await c.post('/sign-in', {
      _csrf: 'x'.repeat(24),
      username: 'erin',
      password: 'erin password 1',
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(c.cookies.has('lk_flow')).toBe(false);
    const ok = await c.signIn('frank', 'frank password 1');
    expect(ok.statusCode).toBe(303);
    const set = String(ok.headers['set-cookie']);
    expect(set).toMatch(/lk_session=[^;]+;.*HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
  });

  it.runIf(kind.available)(
    'app passwords page: create with sudo, limit message, delete with confirmation stops it at once',
    async () => {
      await core.users.createUser(admin, {
        username: 'hana',
        password: 'hana password 1',
        twoStep: 'enabled',
      });
      await core.settings.updateSettings(admin, { maxAppPasswordsPerUser: 3 });
      const c = new WebClient(app);
      const { seed, first } = await register(c, 'hana', 'hana password 1', 'Laptop');
      let r = await c.get('/account/app-passwords');
      expect(text(r.body)).toContain('one app password per device, not per app');
      expect(text(r.body)).toContain('Laptop');
      // Sudo: registration just happened, so creating works without asking again.
      r = await c.get('/account/app-passwords/new');
      expect(r.statusCode).toBe(200);
      r = await c.post('/account/app-passwords/new', {
        label: 'Phone',
        scope: ['imap', 'smtp'],
        expires: '90d',
      });
      expect(r.statusCode).toBe(200);
      const phone = appPasswordFrom(r.body);
      expect((await core.signIn({ username: 'hana', secret: phone, door: 'imap' })).ok).toBe(true);
      expect((await core.signIn({ username: 'hana', secret: phone, door: 'ldap' })).ok).toBe(false);
      // An over-long name: a message, nothing created.
      await c.get('/account/app-passwords/new');
      r = await c.post('/account/app-passwords/new', { label: 'x'.repeat(200) });
      expect(r.statusCode).toBe(400);
      expect(text(r.body)).toContain('1–64 printable characters');
      await c.get('/account/app-passwords/new');
      await c.post('/account/app-passwords/new', { label: 'Tablet' });
      r = await c.get('/account/app-passwords/new');
      expect(r.statusCode).toBe(409);
      expect(text(r.body)).toContain('Delete one you no longer use');
      expect(await core.appPasswords.listAppPasswords(admin, 'hana')).toHaveLength(3);
      // Sudo expires after 10 minutes: the page asks for a code and comes back.
      tick(11 * 60_000);
      r = await c.get('/account/app-passwords/new');
      expect(r.headers.location).toBe('/account/verify');
      await c.follow();
      r = await c.post('/account/verify', { method: 'totp', code: totpCode(seed, clock) });
      expect(r.headers.location).toBe('/account/app-passwords/new');
      // Delete → Yes → Close.
      const list = await core.appPasswords.listAppPasswords(admin, 'hana');
      const laptop = list.find((a) => a.label === 'Laptop')!;
      r = await c.get(`/account/app-passwords/${laptop.id}/delete`);
      expect(text(r.body)).toContain('Delete “Laptop”?');
      r = await c.post(`/account/app-passwords/${laptop.id}/delete`);
      expect(r.statusCode).toBe(200);
      expect(text(r.body)).toContain('App password deleted');
      expect(r.body).toContain('Close');
      expect(await core.signIn({ username: 'hana', secret: first, door: 'imap' })).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
    },
  );

  it.runIf(kind.available)('forged ids and wrong CSRF tokens change nothing', async () => {
    const erinAp = (await core.appPasswords.listAppPasswords(admin, 'erin'))[0]!;
    const c = new WebClient(app);
    // hana is signed in (two-step on); tries to delete erin's app password by id.
    await core.users.setPassword(admin, 'hana', 'hana password 2');
    await core.twoStep.setTwoStepState(admin, 'hana', 'disabled');
    await core.settings.updateSettings(admin, { requireAppPasswordsForNonBrowser: true });
    await c.signIn('hana', 'hana password 2');
    await c.get('/account/app-passwords');
    const forged = await c.post(`/account/app-passwords/${erinAp.id}/delete`);
    expect(forged.statusCode).toBe(404);
    expect((await core.appPasswords.listAppPasswords(admin, 'erin')).map((a) => a.id)).toContain(erinAp.id);
    const ownAp = await core.appPasswords.createAppPassword(admin, 'hana', { label: 'Kept' });
    const wrong = await c.post(`/account/app-passwords/${ownAp.id}/delete`, { _csrf: 'A'.repeat(24) });
    expect(wrong.statusCode).toBe(403);
    expect(text(wrong.body)).toContain('Nothing was changed');
    expect((await core.appPasswords.listAppPasswords(admin, 'hana')).map((a) => a.id)).toContain(ownAp.id);
    await core.settings.updateSettings(admin, { requireAppPasswordsForNonBrowser: false });
  });

  it.runIf(kind.available)('change password: sudo, B3 checkbox, other sessions end', async () => {
    await core.settings.updateSettings(admin, { revokeAppPasswordsOnPasswordChange: false });
    await core.users.createUser(admin, { username: 'ivan', password: 'ivan password 1', twoStep: 'enabled' });
    const c = new WebClient(app);
    const { first } = await register(c, 'ivan', 'ivan password 1');
    const other = new WebClient(app, '203.0.113.9');
    await other.signIn('ivan', 'ivan password 1');
    let r = await c.get('/account/password');
    expect(text(r.body)).toContain('Also delete my app passwords');
    expect(r.body).toMatch(/name="revoke"[^>]*checked/);
    r = await c.post('/account/password', {
      current: 'wrong one',
      password: 'ivan password 2',
      confirm: 'ivan password 2',
      revoke: 'on',
    });
    expect(r.statusCode).toBe(400);
    expect(text(r.body)).toContain('current password is not right');
    r = await c.post('/account/password', {
      current: 'ivan password 1',
      password: 'ivan password 2',
      confirm: 'ivan password 2',
      revoke: 'on',
    });
    expect(r.headers.location).toBe('/account?done=password-changed');
    expect((await c.get('/account')).statusCode).toBe(200);
    expect((await other.get('/account')).statusCode).toBe(303);
    expect((await core.signIn({ username: 'ivan', secret: first, door: 'imap' })).ok).toBe(false);
    await core.settings.updateSettings(admin, { revokeAppPasswordsOnPasswordChange: true });
  });

  it.runIf(kind.available)('one-time passwords must be replaced at the first sign-in', async () => {
    await core.users.createUser(admin, { username: 'jo', twoStep: 'disabled' });
    const { generated } = await core.users.setPassword(admin, 'jo', null);
    const c = new WebClient(app);
    let r = await c.signIn('jo', generated!);
    expect(r.headers.location).toBe('/sign-in/new-password');
    await c.follow();
    r = await c.post('/sign-in/new-password', { password: 'jo password 1', confirm: 'jo password 2' });
    expect(text(r.body)).toContain('not the same');
    r = await c.post('/sign-in/new-password', { password: 'jo password 1', confirm: 'jo password 1' });
    expect(r.headers.location).toBe('/account');
    expect((await new WebClient(app).signIn('jo', generated!)).statusCode).toBe(401);
  });

  it.runIf(kind.available)(
    'remember this device skips the second step until an admin revokes it (R10)',
    async () => {
      await core.settings.updateSettings(admin, { rememberDeviceDays: 30 });
      await core.users.createUser(admin, { username: 'kim', password: 'kim password 1', twoStep: 'enabled' });
      const c = new WebClient(app);
      const { seed } = await register(c, 'kim', 'kim password 1');
      await c.post('/sign-out');
      tick(31_000);
      await c.signIn('kim', 'kim password 1');
      await c.follow();
      let r = await c.post('/sign-in/verify', {
        method: 'totp',
        code: totpCode(seed, clock),
        remember: 'on',
      });
      expect(r.statusCode, text(r.body)).toBe(303);
      expect(String(r.headers['set-cookie'])).toContain('lk_device=');
      await c.follow();
      await c.post('/sign-out');
      r = await c.signIn('kim', 'kim password 1');
      expect(r.headers.location).toBe('/account');
      // Remembered devices never count as a fresh second step.
      r = await c.get('/account/password');
      expect(r.headers.location).toBe('/account/verify');
      await c.get('/account');
      await core.methods.revokeRememberedDevices(admin, 'kim');
      await c.post('/sign-out');
      r = await c.signIn('kim', 'kim password 1');
      expect(r.headers.location).toBe('/sign-in/verify');
      await core.settings.updateSettings(admin, { rememberDeviceDays: 0 });
    },
  );

  it.runIf(kind.available)('recent sign-ins say in plain words what a mail app needs', async () => {
    await core.signIn({ username: 'erin', secret: 'erin password 1', door: 'imap', ip: '192.0.2.4' });
    const events = await core.signInLog.listSignIns(admin, { username: 'erin', limit: 20 });
    const sentence = events.map((e) => describeSignIn(e)).find((x) => x.includes('needs an app password'));
    expect(sentence).toBe(
      'Mail (IMAP): an app used your account password; it needs an app password. Create one for that device and type it into the app instead.',
    );
    // The person's own page (frank: two-step off, so the password alone signs in).
    await core.signIn({ username: 'frank', secret: 'not it', door: 'smtp', ip: '192.0.2.5' });
    const c = new WebClient(app);
    expect((await c.get('/account/sign-ins')).statusCode).toBe(303);
    await c.signIn('frank', 'frank password 1');
    const page = text((await c.get('/account/sign-ins')).body);
    expect(page).toContain('Sending mail (SMTP): wrong password or app password.');
    expect(page).toContain('Signed in on the web');
    expect(page).not.toContain('erin');
  });

  it.runIf(kind.available)(
    'security info: add an authenticator app after a pause, make it default, remove it',
    async () => {
      await core.users.createUser(admin, { username: 'lea', password: 'lea password 1', twoStep: 'enabled' });
      const c = new WebClient(app);
      await register(c, 'lea', 'lea password 1');
      let r = await c.get('/account/methods/new?kind=totp');
      expect(r.statusCode).toBe(200);
      const seed = seedFrom(r.body);
      // A person takes longer than the settings cache lives: the add must not wait on itself (it once
      // read the settings through the connection its own transaction held, and hung).
      tick(2_000);
      r = await c.post('/account/methods/new', {
        kind: 'totp',
        seed: /name="seed" value="([^"]+)"/.exec(r.body)![1]!,
        name: 'Tablet',
        code: totpCode(seed, clock),
      });
      expect(r.headers.location).toBe('/account?done=method-added');
      r = await c.follow();
      expect(text(r.body)).toContain('Tablet');
      const { methods } = await core.methods.listMethods(admin, 'lea');
      expect(methods).toHaveLength(2);
      const tablet = methods.find((m) => m.name === 'Tablet')!;
      tick(2_000);
      r = await c.post(`/account/methods/${tablet.id}/default`);
      expect(r.headers.location).toBe('/account?done=default-changed');
      await c.follow();
      tick(2_000);
      await c.get(`/account/methods/${tablet.id}/remove`);
      r = await c.post(`/account/methods/${tablet.id}/remove`);
      expect(r.headers.location).toBe('/account?done=method-removed');
      await c.follow();
      const last = (await core.methods.listMethods(admin, 'lea')).methods[0]!;
      expect(last.isDefault).toBe(true);
      await c.get(`/account/methods/${last.id}/remove`);
      r = await c.post(`/account/methods/${last.id}/remove`);
      expect(r.statusCode).toBe(409);
      expect(text(r.body)).toContain('last verification method');
    },
  );

  it.runIf(kind.available)('sign out, then sign in again from the same page', async () => {
    const c = new WebClient(app);
    await c.signIn('frank', 'frank password 1');
    await c.follow();
    let r = await c.post('/sign-out');
    expect(r.headers.location).toBe('/sign-in?signed-out=1');
    r = await c.follow();
    expect(text(r.body)).toContain('You are signed out.');
    r = await c.post('/sign-in', { username: 'frank', password: 'frank password 1' });
    expect(r.headers.location).toBe('/account');
  });

  it('user agents read as people name their browsers', () => {
    const cases: [string | null, string][] = [
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
        'Firefox on Windows',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        'Safari on iPhone',
      ],
      [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        'Chrome on Linux',
      ],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
        'Edge on Windows',
      ],
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
        'Safari on macOS',
      ],
      ['WebClient/1.0', 'WebClient/1.0'],
      [null, 'Unknown browser'],
    ];
    for (const [ua, name] of cases) expect(shortAgent(ua)).toBe(name);
  });

  it.runIf(kind.available)('two-step disabled: no app passwords page, straight to the account', async () => {
    const c = new WebClient(app);
    const r = await c.signIn('frank', 'frank password 1');
    expect(r.headers.location).toBe('/account');
    const page = await c.get('/account');
    expect(page.body).not.toContain('href="/account/app-passwords"');
    expect((await c.get('/account/app-passwords')).statusCode).toBe(404);
  });
});
