// The administration pages through Fastify's inject(), signed in through the real sign-in page: the
// authorization matrix (admin, helpdesk, user × every page and action), the audit event each action
// writes, the helpdesk's "delete all app passwords" taking effect at once, the sign-in filters and
// their CSV, the CSV import's all-or-nothing report, CSRF and sudo mode.

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { cspClean, InjectBrowser } from './helpers/inject-browser.js';
import { storeKinds, type TestStore } from './helpers/stores.js';

const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery';

let t: TestStore;
let core: Core;
let app: FastifyInstance;
/** Added to the real time: moving it past 10 minutes ends sudo mode. */
let skew = 0;

/** One browser: its cookies, and the CSRF token of its session's forms. */
class Browser extends InjectBrowser {
  constructor() {
    super(() => app);
  }
}

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

async function signIn(username: string, password = PASSWORD): Promise<Browser> {
  const b = new Browser();
  const form = await b.get('/sign-in');
  b.csrf = csrfOf(form.body);
  const r = await b.post('/sign-in', { username, password });
  expect(r.statusCode, r.body).toBe(303);
  expect(b.cookies.has('lk_session')).toBe(true);
  b.csrf = csrfOf((await b.get('/account')).body);
  expect(b.csrf).not.toBe('');
  return b;
}

async function user(username: string, o: { role?: string; twoStep?: string; password?: boolean } = {}) {
  await core.users.createUser(system, {
    username,
    displayName: username.charAt(0).toUpperCase() + username.slice(1),
    email: `${username}@example.org`,
    role: o.role ?? 'user',
    password: o.password === false ? null : PASSWORD,
  });
  if (o.twoStep) await core.twoStep.setTwoStepState(system, username, o.twoStep);
}

async function appPasswords(username: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      (await core.appPasswords.createAppPassword(system, username, { label: `Device ${i + 1}` })).password,
    );
  }
  return out;
}

const count = async (username: string) => (await core.appPasswords.listAppPasswords(system, username)).length;

async function lastAudit(target: string) {
  return (await core.audit.listAudit(system, { target, limit: 1 }))[0];
}

let root: Browser;
let hd: Browser;
let bob: Browser;

beforeAll(async () => {
  const [sqlite] = await storeKinds();
  t = await sqlite!.open();
  core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0, now: () => Date.now() + skew });
  app = buildApp({ core, logLevel: 'silent' });
  await user('root', { role: 'admin' });
  await user('root2', { role: 'admin' });
  await user('hd', { role: 'helpdesk' });
  await user('bob');
  await user('alice', { twoStep: 'enforced' });
  root = await signIn('root');
  hd = await signIn('hd');
  bob = await signIn('bob');
});

afterAll(async () => {
  await app.close();
  await core.close();
  await t.cleanup();
});

describe('who may enter', () => {
  it('sends a visitor without a session to the sign-in page and back', async () => {
    const r = await new Browser().get('/admin/users?q=al');
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/sign-in?return=${encodeURIComponent('/admin/users?q=al')}`);
  });

  const GETS = [
    '/admin',
    '/admin/users',
    '/admin/users/alice',
    '/admin/new-user',
    '/admin/users/alice/disable',
    '/admin/users/alice/reset-password',
    '/admin/users/alice/two-step?state=disabled',
    '/admin/users/alice/role?role=admin',
    '/admin/users/alice/reregister',
    '/admin/users/alice/forget-devices',
    '/admin/users/alice/delete-app-passwords',
    '/admin/settings',
    '/admin/sign-ins',
    '/admin/sign-ins.csv',
    '/admin/audit',
    '/admin/import',
    '/admin/tokens',
    '/admin/tokens/new',
    '/admin/clients',
    '/admin/new-client',
    '/admin/clients/grafana',
    '/admin/clients/grafana/delete',
    '/admin/clients/grafana/rotate-secret',
    '/admin/keys/rotate',
    '/admin/users/alice/apps/lkc_x/remove',
    '/admin/no-such-page',
  ];
  const POSTS: [string, Record<string, string>][] = [
    ['/admin/new-user', { username: 'mallory' }],
    ['/admin/users/alice/disable', {}],
    ['/admin/users/alice/enable', {}],
    ['/admin/users/alice/reset-password', {}],
    ['/admin/users/alice/two-step', { state: 'disabled' }],
    ['/admin/users/bob/role', { role: 'admin' }],
    ['/admin/users/alice/reregister', {}],
    ['/admin/users/alice/forget-devices', {}],
    ['/admin/users/alice/delete-app-passwords', {}],
    ['/admin/users/alice/unlock', {}],
    ['/admin/settings', { allowAppPasswords: 'false' }],
    ['/admin/import', { csv: 'username\nmallory\n' }],
    ['/admin/tokens/new', { role: 'admin', label: 'x', expires: '30d' }],
    ['/admin/tokens/abc/revoke', {}],
    ['/admin/new-client', { name: 'mallory', redirectUris: 'https://evil.example/cb' }],
    ['/admin/clients/grafana/delete', {}],
    ['/admin/clients/grafana/rotate-secret', {}],
    ['/admin/keys/rotate', {}],
    ['/admin/users/alice/apps/lkc_x/remove', {}],
  ];

  it('gives a person with the user role a 403 page on every /admin route, and changes nothing', async () => {
    await appPasswords('alice', 1);
    const before = await core.audit.listAudit(system, { limit: 1 });
    for (const url of GETS) {
      const r = await bob.get(url);
      expect(r.statusCode, url).toBe(403);
      expect(r.headers['content-type'], url).toMatch(/^text\/html/);
      expect(r.body, url).toContain('This page is for administrators');
    }
    for (const [url, form] of POSTS) {
      const r = await bob.post(url, form);
      expect(r.statusCode, url).toBe(403);
    }
    expect(await core.audit.listAudit(system, { limit: 1 })).toEqual(before);
    expect((await core.users.getUser(system, 'bob')).role).toBe('user');
    expect((await core.settings.getSettings(system)).allowAppPasswords).toBe(true);
    expect(await count('alice')).toBe(1);
    await expect(core.users.getUser(system, 'mallory')).rejects.toThrow();
    // The account pages show no administration links to a user.
    expect((await bob.get('/account')).body).not.toContain('/admin/users');
  });

  it('keeps the helpdesk out of settings, audit, import, tokens, user creation and admin-only actions', async () => {
    for (const url of [
      '/admin/settings',
      '/admin/audit',
      '/admin/import',
      '/admin/tokens',
      '/admin/tokens/new',
      '/admin/new-user',
      '/admin/users/alice/disable',
      '/admin/users/alice/two-step?state=disabled',
      '/admin/users/alice/role?role=admin',
    ]) {
      const r = await hd.get(url);
      expect(r.statusCode, url).toBe(403);
      expect(r.body, url).toContain('You are not allowed to do this');
    }
    const before = await core.audit.listAudit(system, { limit: 1 });
    // Even by posting directly, with a valid form token.
    for (const [url, form] of [
      ['/admin/settings', { allowAppPasswords: 'false', lockoutThreshold: '3' }],
      ['/admin/users/hd/role', { role: 'admin' }],
      ['/admin/users/alice/role', { role: 'helpdesk' }],
      ['/admin/users/alice/disable', {}],
      ['/admin/users/alice/two-step', { state: 'disabled' }],
      ['/admin/import', { csv: 'username,role\nmallory,admin\n' }],
      ['/admin/tokens/new', { role: 'admin', label: 'sneaky', expires: '30d' }],
      ['/admin/new-user', { username: 'mallory', role: 'admin' }],
    ] as [string, Record<string, string>][]) {
      const r = await hd.post(url, form);
      expect(r.statusCode, url).toBe(403);
    }
    expect(await core.audit.listAudit(system, { limit: 1 })).toEqual(before);
    const settings = await core.settings.getSettings(system);
    expect(settings.allowAppPasswords).toBe(true);
    expect(settings.lockoutThreshold).toBe(10);
    expect((await core.users.getUser(system, 'hd')).role).toBe('helpdesk');
    expect((await core.users.getUser(system, 'alice')).role).toBe('user');
    expect((await core.users.getUser(system, 'alice')).status).toBe('active');
    expect(await core.tokens.listTokens(system)).toEqual([]);
    await expect(core.users.getUser(system, 'mallory')).rejects.toThrow();
  });

  it('shows the helpdesk the pages and actions it may use, and only those', async () => {
    for (const url of ['/admin/users', '/admin/users/alice', '/admin/sign-ins', '/admin/sign-ins.csv']) {
      expect((await hd.get(url)).statusCode, url).toBe(200);
    }
    const nav = (await hd.get('/admin/users')).body;
    expect(nav).toContain('href="/admin/sign-ins"');
    expect(nav).not.toContain('href="/admin/settings"');
    expect(nav).not.toContain('href="/admin/new-user"');
    const page = (await hd.get('/admin/users/alice')).body;
    cspClean(page);
    expect(page).toContain('/admin/users/alice/delete-app-passwords');
    expect(page).toContain('/admin/users/alice/reset-password');
    expect(page).toContain('/admin/users/alice/reregister');
    expect(page).not.toContain('/admin/users/alice/disable');
    expect(page).not.toContain('/admin/users/alice/role');
    expect(page).not.toContain('/admin/users/alice/two-step');
  });

  it('lets the helpdesk look at an administrator but not act on one', async () => {
    await core.twoStep.setTwoStepState(system, 'root2', 'enforced');
    await appPasswords('root2', 2);
    const page = await hd.get('/admin/users/root2');
    expect(page.statusCode).toBe(200);
    for (const slug of [
      'delete-app-passwords',
      'reset-password',
      'reregister',
      'unlock',
      'forget-devices',
      'disable',
    ]) {
      expect(page.body, slug).not.toContain(`/admin/users/root2/${slug}`);
      if (slug !== 'unlock') expect((await hd.get(`/admin/users/root2/${slug}`)).statusCode, slug).toBe(403);
      expect((await hd.post(`/admin/users/root2/${slug}`)).statusCode, slug).toBe(403);
    }
    expect(await count('root2')).toBe(2);
    expect((await core.users.getUser(system, 'root2')).twoStep).toBe('enforced');
    const ok = await core.signIn({ username: 'root2', secret: PASSWORD, door: 'ldap' });
    // The password was not reset: it is still refused only because two-step is enforced.
    expect(ok).toMatchObject({ ok: false, reason: 'app_password_required' });
  });

  it('answers an unknown user with a 404 page', async () => {
    const r = await root.get('/admin/users/nobody');
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('No such user.');
    expect((await root.get('/admin/users/NOT%20a%20name')).statusCode).toBe(400);
  });
});

describe('helpdesk support actions', () => {
  it('deletes all app passwords after a plain-words confirmation; they stop working at once', async () => {
    await user('dora', { twoStep: 'enforced' });
    const [first] = await appPasswords('dora', 3);
    expect(await core.signIn({ username: 'dora', secret: first!, door: 'imap' })).toMatchObject({ ok: true });

    const confirm = await hd.get('/admin/users/dora/delete-app-passwords');
    expect(confirm.statusCode).toBe(200);
    cspClean(confirm.body);
    expect(confirm.body).toContain('Delete all 3 app passwords of Dora?');
    expect(confirm.body).toContain('stop signing in');
    expect(confirm.body).toMatch(/>Yes, delete them</);
    expect(await count('dora')).toBe(3);

    const r = await hd.post('/admin/users/dora/delete-app-passwords');
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/admin/users/dora?done=app-passwords-deleted&n=3');
    expect(await count('dora')).toBe(0);
    expect(await core.signIn({ username: 'dora', secret: first!, door: 'imap' })).toMatchObject({
      ok: false,
    });
    const back = await hd.get(r.headers.location as string);
    expect(back.body).toContain('3 app passwords of Dora deleted');

    const e = await lastAudit('dora');
    expect(e).toMatchObject({ actor: 'user:hd', action: 'app_password.deleted_all', details: { count: 3 } });
    expect(e!.actorIp).toBe('127.0.0.1');
  });

  it('resets a password to a one-time password shown once', async () => {
    await user('erin');
    const confirm = await hd.get('/admin/users/erin/reset-password');
    expect(confirm.body).toContain('Reset Erin&#39;s password?');
    const r = await hd.post('/admin/users/erin/reset-password');
    expect(r.statusCode).toBe(200);
    const otp = /<div class="secret-value" id="one-time-password">([^<]+)<\/div>/.exec(r.body)?.[1];
    expect(otp).toBeTruthy();
    // A one-time password is right, and only for the web sign-in: apps are told to wait for a real one.
    expect(await core.signIn({ username: 'erin', secret: otp!, door: 'imap' })).toMatchObject({
      ok: false,
      reason: 'password_change_required',
    });
    expect(await core.signIn({ username: 'erin', secret: PASSWORD, door: 'imap' })).toMatchObject({
      ok: false,
    });
    expect((await core.users.getUser(system, 'erin')).passwordMustChange).toBe(true);
    expect(await lastAudit('erin')).toMatchObject({ actor: 'user:hd', action: 'user.password_set' });
  });

  it('unlocks, requires re-registration and revokes remembered devices, each audited', async () => {
    await user('finn', { twoStep: 'enabled' });
    for (let i = 0; i < 3; i++)
      await core.signIn({ username: 'finn', secret: 'wrong', door: 'imap', ip: '192.0.2.9' });
    expect((await hd.get('/admin/users/finn')).body).toContain('/admin/users/finn/unlock');
    let r = await hd.post('/admin/users/finn/unlock');
    expect(r.headers.location).toMatch(/^\/admin\/users\/finn\?done=unlocked&n=\d+$/);
    expect(await lastAudit('finn')).toMatchObject({ actor: 'user:hd', action: 'user.unlocked' });
    expect(await core.lockout.lockoutStatus(system, 'finn')).toEqual([]);

    r = await hd.post('/admin/users/finn/reregister');
    expect(r.headers.location).toBe('/admin/users/finn?done=reregister&n=0');
    expect(await lastAudit('finn')).toMatchObject({ action: 'two_step.reregistration_required' });

    r = await hd.post('/admin/users/finn/forget-devices');
    expect(r.headers.location).toBe('/admin/users/finn?done=devices-forgotten&n=0');
    expect(await lastAudit('finn')).toMatchObject({ action: 'devices.revoked' });
  });
});

describe('administrator actions', () => {
  it('creates a user and shows the one-time password once', async () => {
    const form = await root.get('/admin/new-user');
    expect(form.statusCode).toBe(200);
    cspClean(form.body);
    const bad = await root.post('/admin/new-user', { username: 'bad name', email: '', role: 'user' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Usernames are 1–64 characters');
    const taken = await root.post('/admin/new-user', { username: 'alice' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('already exists');

    const r = await root.post('/admin/new-user', {
      username: 'Gina',
      email: 'gina@example.org',
      displayName: 'Gina Ruiz',
      role: 'helpdesk',
      twoStep: 'enabled',
    });
    expect(r.statusCode).toBe(200);
    const otp = /id="one-time-password">([^<]+)</.exec(r.body)?.[1];
    expect(otp).toBeTruthy();
    expect(await core.users.getUser(system, 'gina')).toMatchObject({
      role: 'helpdesk',
      twoStep: 'enabled',
      displayName: 'Gina Ruiz',
      passwordMustChange: true,
    });
    // A one-time password is right, and only for the web sign-in: apps are told to wait for a real one.
    expect(await core.signIn({ username: 'gina', secret: otp!, door: 'imap' })).toMatchObject({
      ok: false,
      reason: 'password_change_required',
    });
    const actions = (await core.audit.listAudit(system, { target: 'gina', limit: 5 })).map((e) => e.action);
    // One transaction, one event: the user never exists without their one-time password.
    expect(actions).toEqual(['user.created']);
  });

  it('disables and enables, changes two-step state and role, each audited', async () => {
    await user('hank', { twoStep: 'enforced' });
    const [ap] = await appPasswords('hank', 2);

    expect((await root.get('/admin/users/hank/disable')).body).toContain('Disable Hank&#39;s account?');
    let r = await root.post('/admin/users/hank/disable');
    expect(r.headers.location).toBe('/admin/users/hank?done=disabled');
    expect(await lastAudit('hank')).toMatchObject({ actor: 'user:root', action: 'user.disabled' });
    expect(await core.signIn({ username: 'hank', secret: ap!, door: 'imap' })).toMatchObject({ ok: false });
    expect((await root.get('/admin/users/hank')).body).toContain('/admin/users/hank/enable');
    r = await root.post('/admin/users/hank/enable');
    expect(r.headers.location).toBe('/admin/users/hank?done=enabled');
    expect(await lastAudit('hank')).toMatchObject({ action: 'user.enabled' });

    const off = await root.get('/admin/users/hank/two-step?state=disabled');
    expect(off.body).toContain('Turn two-step verification off for Hank?');
    expect(off.body).toContain('2 app passwords will be deleted');
    r = await root.post('/admin/users/hank/two-step', { state: 'disabled' });
    expect(r.headers.location).toBe('/admin/users/hank?done=two-step-off&n=2');
    expect(await count('hank')).toBe(0);
    expect((await core.audit.listAudit(system, { target: 'hank', limit: 2 })).map((e) => e.action)).toEqual([
      'app_password.deleted_all',
      'two_step.state_changed',
    ]);
    // The same state again changes nothing.
    expect((await root.get('/admin/users/hank/two-step?state=disabled')).headers.location).toBe(
      '/admin/users/hank?done=unchanged',
    );
    expect((await root.get('/admin/users/hank/two-step?state=sometimes')).statusCode).toBe(400);

    expect((await root.get('/admin/users/hank/role?role=admin')).body).toContain(
      'Make Hank an administrator?',
    );
    r = await root.post('/admin/users/hank/role', { role: 'admin' });
    expect(r.headers.location).toBe('/admin/users/hank?done=role');
    expect(await lastAudit('hank')).toMatchObject({
      action: 'user.role_changed',
      details: { before: 'user', after: 'admin' },
    });
    expect((await root.post('/admin/users/hank/role', { role: 'owner' })).statusCode).toBe(400);
  });

  it('shows a user with methods, app passwords, lockout and recent sign-ins, without secrets', async () => {
    await user('ivy', { twoStep: 'enforced' });
    const [ap] = await appPasswords('ivy', 1);
    await core.signIn({ username: 'ivy', secret: ap!, door: 'imap', ip: '198.51.100.4' });
    await core.signIn({ username: 'ivy', secret: 'nope', door: 'smtp', ip: '198.51.100.5' });
    const r = await root.get('/admin/users/ivy');
    expect(r.statusCode).toBe(200);
    cspClean(r.body);
    for (const text of [
      'Two-step verification',
      'Device 1',
      'Recent sign-ins',
      'Failure counters',
      'Wrong password',
    ]) {
      expect(r.body).toContain(text);
    }
    expect(r.body).not.toContain(ap!);
  });

  it('saves settings all at once, or nothing with the errors beside the fields', async () => {
    const form = await root.get('/admin/settings');
    expect(form.statusCode).toBe(200);
    cspClean(form.body);
    expect(form.body).toContain('name="maxAppPasswordsPerUser"');
    expect(form.body).toMatch(/name="lockoutThreshold"[^>]*min="1"[^>]*max="1000"/);
    expect(form.body).not.toContain('(R12)');

    const bad = await root.post('/admin/settings', {
      allowAppPasswords: 'false',
      lockoutThreshold: '0',
      maxAppPasswordsPerUser: '12',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Nothing was saved');
    expect(bad.body).toContain('Enter a whole number from 1 to 1000.');
    const unchanged = await core.settings.getSettings(system);
    expect(unchanged.allowAppPasswords).toBe(true);
    expect(unchanged.maxAppPasswordsPerUser).toBe(40);

    // A ticked box sends the hidden "false" and then "true".
    const r = await root.post('/admin/settings', {
      allowAppPasswords: ['false', 'true'],
      requireTwoStepForEveryone: 'false',
      maxAppPasswordsPerUser: '12',
      lockoutThreshold: '10',
    });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/admin/settings?done=saved&n=1');
    const s = await core.settings.getSettings(system);
    expect(s.maxAppPasswordsPerUser).toBe(12);
    expect(s.allowAppPasswords).toBe(true);
    expect(await lastAudit('maxAppPasswordsPerUser')).toMatchObject({
      actor: 'user:root',
      action: 'settings.changed',
      details: { before: 40, after: 12 },
    });
    expect((await root.get(r.headers.location as string)).body).toContain('Settings saved: 1 change.');
    await core.settings.updateSettings(system, { maxAppPasswordsPerUser: 40 });
  });

  it('creates an API token shown once, lists it, and revokes it after confirmation', async () => {
    const r = await root.post('/admin/tokens/new', {
      role: 'helpdesk',
      label: 'Provisioning',
      expires: '30d',
    });
    expect(r.statusCode).toBe(200);
    const token = /id="api-token">([^<]+)</.exec(r.body)?.[1];
    expect(token).toMatch(/^lkt_/);
    const api = () => app.inject({ url: '/api/v1/users', headers: { authorization: `Bearer ${token}` } });
    expect((await api()).statusCode).toBe(200);
    const [x] = await core.tokens.listTokens(system);
    expect(await lastAudit(`token:${x!.id}`)).toMatchObject({ action: 'token.created', actor: 'user:root' });

    const list = await root.get('/admin/tokens');
    cspClean(list.body);
    expect(list.body).toContain('Provisioning');
    expect(list.body).not.toContain(token!);
    expect((await root.get(`/admin/tokens/${x!.id}/revoke`)).body).toContain(
      'Revoke the API token “Provisioning”?',
    );
    const done = await root.post(`/admin/tokens/${x!.id}/revoke`);
    expect(done.headers.location).toBe('/admin/tokens?done=revoked');
    expect((await api()).statusCode).toBe(401);
    expect(await lastAudit(`token:${x!.id}`)).toMatchObject({ action: 'token.revoked' });
    expect(
      (await root.post('/admin/tokens/new', { role: 'helpdesk', label: 'x', expires: 'soon' })).statusCode,
    ).toBe(400);
  });

  it('shows the audit log with who, what, to whom, from where and before/after', async () => {
    const r = await root.get('/admin/audit?target=hank');
    expect(r.statusCode).toBe(200);
    cspClean(r.body);
    expect(r.body).toContain('changed the role of');
    expect(r.body).toContain('href="/admin/users/root"');
    expect(r.body).toContain('from 127.0.0.1');
    expect(r.body).toMatch(/<del>.*User.*<\/del>.*<ins>.*Administrator.*<\/ins>/s);
  });
});

describe('users list', () => {
  it('searches by the start of a name or email and pages by username', async () => {
    for (let i = 0; i < 55; i++) await user(`zz${String(i).padStart(3, '0')}`, { password: false });
    const first = await hd.get('/admin/users?q=zz');
    expect(first.statusCode).toBe(200);
    cspClean(first.body);
    expect(first.body).toContain('href="/admin/users/zz000"');
    expect(first.body).toContain('href="/admin/users/zz049"');
    expect(first.body).not.toContain('href="/admin/users/zz050"');
    expect(first.body).toContain('href="/admin/users?q=zz&amp;after=zz049"');
    const next = await hd.get('/admin/users?q=zz&after=zz049');
    expect(next.body).toContain('href="/admin/users/zz054"');
    expect(next.body).not.toContain('href="/admin/users/zz049"');
    expect((await hd.get('/admin/users?q=alice%40example')).body).toContain('href="/admin/users/alice"');
    expect((await hd.get('/admin/users?q=nobody-here')).body).toContain('No username or email starts with');
  });
});

describe('sign-ins', () => {
  it('filters, and answers bad filters with the message and a 400', async () => {
    await core.signIn({ username: 'alice', secret: 'wrong', door: 'imap', ip: '203.0.113.7' });
    const ok = await hd.get('/admin/sign-ins?user=alice&door=imap&result=refused&since=2020-01-01');
    expect(ok.statusCode).toBe(200);
    cspClean(ok.body);
    expect(ok.body).toContain('203.0.113.7');
    expect(ok.body).toContain(
      '/admin/sign-ins.csv?user=alice&amp;door=imap&amp;result=refused&amp;since=2020-01-01',
    );
    for (const [query, message] of [
      ['since=yesterday', 'since must be a date or time'],
      ['door=telnet', 'Unknown door.'],
      ['reason=bored', 'reason must be one of'],
      ['result=maybe', 'result must be accepted or refused'],
      ['since=2026-01-02&until=2026-01-01', 'until must be after since'],
    ]) {
      const r = await hd.get(`/admin/sign-ins?${query}`);
      expect(r.statusCode, query).toBe(400);
      expect(r.body, query).toContain(message);
      expect(r.body, query).toContain('These filters cannot be used');
      expect((await hd.get(`/admin/sign-ins.csv?${query}`)).statusCode, query).toBe(400);
    }
  });

  it('pages to older sign-ins, keeping the filters', async () => {
    // Names that cannot exist cost no password hash: 105 quick refusals.
    for (let i = 0; i < 105; i++) {
      await core.signIn({ username: `Not A Name ${i}`, secret: 'x', door: 'smtp', ip: '192.0.2.201' });
    }
    const first = await root.get('/admin/sign-ins?door=smtp');
    const older = /href="(\/admin\/sign-ins\?door=smtp&amp;before=[^"]+)"/.exec(first.body)?.[1];
    expect(older).toBeTruthy();
    const next = await root.get(older!.replace(/&amp;/g, '&'));
    expect(next.statusCode).toBe(200);
    expect(next.body).toContain('Older matching sign-ins');
    // The page before held the newest 100; the next one starts where it ended.
    const names = (b: string) => [...b.matchAll(/>Not A Name (\d+)[< ]/g)].map((m) => Number(m[1]));
    expect(new Set([...names(first.body), ...names(next.body)]).size).toBe(105);
  });

  it('downloads the same filters as CSV with formulas defused', async () => {
    await core.signIn({ username: '=HYPERLINK("http://evil.example")', secret: 'x', door: 'imap' });
    const r = await hd.get('/admin/sign-ins.csv?result=refused&reason=unknown_user');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toMatch(
      /^attachment; filename="sign-ins-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = r.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^at,lastAt,count,username/);
    expect(lines.length).toBeGreaterThan(1);
    expect(r.body).toMatch(/"'=hyperlink\(""http:\/\/evil\.example""\)"/i);
    for (const line of lines) expect(line).not.toMatch(/(^|,)"?[=+@]/);
  });
});

describe('import', () => {
  it('reports a broken row by line and imports nothing', async () => {
    const before = await core.audit.listAudit(system, { limit: 1 });
    const r = await root.post('/admin/import', {
      csv: 'username,email,role\r\njoe,joe@example.org,user\r\nkim,not-an-email,user\r\n',
    });
    expect(r.statusCode).toBe(400);
    cspClean(r.body);
    expect(r.body).toContain('Nothing was imported');
    expect(r.body).toMatch(/<td data-label="Line">3<\/td>/);
    expect(r.body).toContain('EMAIL_INVALID');
    // The text stays in the box to be fixed.
    expect(r.body).toContain('kim,not-an-email,user');
    await expect(core.users.getUser(system, 'joe')).rejects.toThrow();
    expect(await core.audit.listAudit(system, { limit: 1 })).toEqual(before);

    const header = await root.post('/admin/import', { csv: 'name,mail\r\njoe,joe@example.org\r\n' });
    expect(header.statusCode).toBe(400);
    expect(header.body).toContain('The header must name columns');
  });

  it('imports a good file, says what it did, and changes nothing the second time', async () => {
    const csv = `username,email,display_name,role,two_step\r\njoe,joe@example.org,Joe,user,enabled\r\nkim,kim@example.org,Kim,helpdesk,\r\n${'x'.repeat(0)}`;
    const r = await root.post('/admin/import', { csv });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('2 users created, 0 users updated, 0 users unchanged');
    expect((await core.users.getUser(system, 'kim')).role).toBe('helpdesk');
    expect(await lastAudit('joe')).toMatchObject({ action: 'user.created', actor: 'user:root' });
    const again = await root.post('/admin/import', { csv });
    expect(again.body).toContain('0 users created, 0 users updated, 2 users unchanged');
  });

  it('takes a paste larger than an ordinary form', async () => {
    const rows = Array.from({ length: 800 }, (_, i) => `bulk${i},bulk${i}@example.org,Bulk User ${i}`);
    const csv = `username,email,display_name\r\n${rows.join('\r\n')}\r\n`;
    expect(csv.length).toBeGreaterThan(16 * 1024);
    const r = await root.post('/admin/import', { csv });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('800 users created');
  });
});

describe('in Dutch', () => {
  it('shows the helpdesk a user, a refusal and a missing page in Dutch, with every route as in English', async () => {
    await user('nina', { twoStep: 'enforced' });
    const nl = await signIn('hd');
    nl.cookies.set('lk_lang', 'nl');
    const page = await nl.get('/admin/users/nina');
    expect(page.statusCode).toBe(200);
    cspClean(page.body);
    expect(page.body).toContain('<html lang="nl"');
    for (const text of [
      'Verificatie in twee stappen',
      'Nina heeft geen app-wachtwoorden.',
      'Recente aanmeldingen',
    ]) {
      expect(page.body).toContain(text);
    }
    expect(page.body).toContain('/admin/users/nina/reset-password');
    const none = await nl.get('/admin/users/nina/delete-app-passwords');
    expect(none.statusCode).toBe(409);
    expect(none.body).toContain('Nina heeft geen app-wachtwoorden. Er is niets gewijzigd.');
    const refused = await nl.get('/admin/settings');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Dit mag je niet doen');
    expect(refused.body).toContain('De helpdesk kan gebruikers opzoeken');
    const missing = await nl.get('/admin/no-such-page');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Deze pagina bestaat niet');
    const list = await nl.get('/admin/users?q=nina');
    expect(list.body).toContain('Gebruikers die passen bij “nina”');
  });
});

describe('form protection', () => {
  it('refuses a post without or with a wrong CSRF token and changes nothing', async () => {
    await user('lena', { twoStep: 'enforced' });
    await appPasswords('lena', 2);
    const before = await core.audit.listAudit(system, { limit: 1 });
    for (const csrf of [null, 'x'.repeat(24), hd.csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const r = await root.post('/admin/users/lena/delete-app-passwords', {}, { csrf });
      expect(r.statusCode).toBe(403);
      expect(r.body).toContain('This form has expired');
      const s = await root.post('/admin/settings', { allowAppPasswords: 'false' }, { csrf });
      expect(s.statusCode).toBe(403);
    }
    // Another person's token does not work either.
    expect(
      (await root.post('/admin/users/lena/delete-app-passwords', {}, { csrf: hd.csrf })).statusCode,
    ).toBe(403);
    expect(await count('lena')).toBe(2);
    expect((await core.settings.getSettings(system)).allowAppPasswords).toBe(true);
    expect(await core.audit.listAudit(system, { limit: 1 })).toEqual(before);
  });

  it('asks for a fresh check after 10 minutes before any change, then comes back', async () => {
    await user('root3', { role: 'admin' });
    const admin = await signIn('root3');
    skew += 11 * 60_000;
    try {
      expect((await admin.get('/admin/settings')).headers.location).toBe('/account/verify');
      // Reading needs no fresh check.
      expect((await admin.get('/admin/users/lena')).statusCode).toBe(200);
      const r = await admin.post('/admin/users/lena/delete-app-passwords');
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/account/verify');
      expect(admin.cookies.has('lk_flow')).toBe(true);
      expect(await count('lena')).toBe(2);

      // The check returns to the confirmation page, whose Yes now works.
      expect((await admin.get('/account/verify')).statusCode).toBe(200);
      const back = await admin.post('/account/verify', { method: 'password', password: PASSWORD });
      expect(back.statusCode).toBe(303);
      expect(back.headers.location).toBe('/admin/users/lena/delete-app-passwords');
      const confirm = await admin.get('/admin/users/lena/delete-app-passwords');
      expect(confirm.body).toContain('Delete both app passwords of Lena?');
      expect((await admin.post('/admin/users/lena/delete-app-passwords')).statusCode).toBe(303);
      expect(await count('lena')).toBe(0);
    } finally {
      skew = 0;
    }
  });
});
