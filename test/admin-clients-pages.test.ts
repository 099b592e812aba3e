// The administrators' pages for OpenID Connect apps and signing keys, through Fastify's inject(), signed
// in through the real sign-in page, on SQLite and PostgreSQL: register (the secret shown once, and
// working), refusals that store nothing, a client's page, a new secret and delete behind their
// confirmations, the keys and "Rotate keys", each with its audit event; the helpdesk and users kept
// out; and the portal's "Apps with access" for someone without apps. No page carries inline script or
// style.

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { cspClean, InjectBrowser } from './helpers/inject-browser.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery';

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
const textOf = (page: string) =>
  page
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe.each(kinds)('admin pages for apps and keys on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  const test = kind.available ? it : it.skip;

  /** One browser: its cookies, and the CSRF token of its session's forms. */
  class Browser extends InjectBrowser {
    constructor() {
      super(() => app);
    }
  }

  async function signIn(username: string): Promise<Browser> {
    const b = new Browser();
    b.csrf = csrfOf((await b.get('/sign-in')).body);
    const r = await b.post('/sign-in', { username, password: PASSWORD });
    expect(r.statusCode, r.body).toBe(303);
    b.csrf = csrfOf((await b.get('/account')).body);
    return b;
  }

  let root: Browser;
  let hd: Browser;
  let bob: Browser;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({
      store: t.store,
      keys: t.keys,
      flushIntervalMs: 0,
      publicUrl: 'https://id.example.org',
    });
    app = buildApp({ core, logLevel: 'silent' });
    await app.ready();
    for (const [username, role] of [
      ['root', 'admin'],
      ['hd', 'helpdesk'],
      ['bob', 'user'],
    ] as const) {
      await core.users.createUser(system, { username, role, password: PASSWORD });
    }
    root = await signIn('root');
    hd = await signIn('hd');
    bob = await signIn('bob');
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await core.close();
    await t.cleanup();
  });

  test('register an app: its client id, issuer and secret, once; the secret works', async () => {
    const empty = await root.get('/admin/clients');
    expect(empty.statusCode).toBe(200);
    cspClean(empty.body);
    expect(empty.body).toContain('No app is registered yet.');
    expect(empty.body).toContain('<a href="/admin/clients" aria-current="page">Apps</a>');
    expect(empty.body).toContain('href="/admin/new-client"');

    const form = await root.get('/admin/new-client');
    expect(form.statusCode).toBe(200);
    cspClean(form.body);
    for (const scope of ['openid', 'profile', 'email', 'groups', 'offline_access'])
      expect(form.body).toMatch(new RegExp(`name="scope" value="${scope}" checked`));

    const r = await root.post('/admin/new-client', {
      name: 'Grafana',
      redirectUris:
        'https://grafana.example.org/login/generic_oauth\r\n\r\nhttps://grafana.example.org/alt\n',
      postLogoutRedirectUris: '',
      trusted: 'on',
      scope: ['openid', 'profile', 'email'],
    });
    expect(r.statusCode, r.body).toBe(200);
    cspClean(r.body);
    const [c] = await core.oidcClients.listClients(system);
    expect(c).toMatchObject({
      name: 'grafana',
      public: false,
      trusted: true,
      scopes: ['openid', 'profile', 'email'],
      redirectUris: ['https://grafana.example.org/login/generic_oauth', 'https://grafana.example.org/alt'],
      postLogoutRedirectUris: [],
    });
    const text = textOf(r.body);
    expect(text).toContain('grafana is registered');
    expect(text).toContain('https://id.example.org');
    expect(text).toContain(c!.clientId);
    const secret = /<div class="secret-value" id="client-secret">([^<]+)<\/div>/.exec(r.body)?.[1];
    expect(secret).toMatch(/^lkcs_/);
    expect(r.body).toContain('data-copy="#client-secret"');
    expect(text).toContain('This is the only time the secret is shown');
    const meta = await core.oidcClients.clientMetadata(c!.clientId);
    expect(core.oidcClients.checkClientSecret(meta!.client_secret!, secret!)).toBe(true);
    expect((await core.audit.listAudit(system, { limit: 1 }))[0]).toMatchObject({
      action: 'oidc_client.created',
      actor: 'user:root',
    });

    // The list and the app's own page never show the secret again.
    const list = await root.get('/admin/clients');
    expect(list.body).not.toContain(secret);
    expect(textOf(list.body)).toContain('Confidential (secret)');
    expect(textOf(list.body)).toContain('Trusted apps are your organization’s own');
    const show = await root.get('/admin/clients/grafana');
    expect(show.statusCode).toBe(200);
    cspClean(show.body);
    expect(show.body).not.toContain(secret);
    expect(show.body).toContain('href="/admin/clients/grafana/rotate-secret"');
    expect(show.body).toContain('href="/admin/clients/grafana/delete"');

    // A public app: no secret, and nothing to rotate.
    const pub = await root.post('/admin/new-client', {
      name: 'cli-tool',
      redirectUris: 'http://127.0.0.1/callback',
      public: 'on',
      scope: ['openid'],
    });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).not.toContain('id="client-secret"');
    expect(textOf(pub.body)).toContain('A public app has no secret');
    expect((await root.get('/admin/clients/cli-tool')).body).not.toContain('/rotate-secret');
  });

  test('a refused form keeps what was typed, says what is wrong, and stores nothing', async () => {
    const before = await core.oidcClients.listClients(system);
    const bad = await root.post('/admin/new-client', {
      name: 'notes',
      redirectUris: 'http://notes.example.org/cb',
      scope: ['openid'],
    });
    expect(bad.statusCode).toBe(400);
    cspClean(bad.body);
    expect(bad.body).toContain('must use https');
    expect(bad.body).toContain('value="notes"');
    expect(bad.body).toContain('http://notes.example.org/cb</textarea>');
    expect(bad.body).toMatch(/name="scope" value="openid" checked/);
    expect(bad.body).not.toMatch(/name="scope" value="email" checked/);
    expect(bad.body).toMatch(/<textarea[^>]*name="redirectUris"[^>]*aria-invalid="true"/);
    // A refused post-logout address is marked at its own field, not at the redirect URIs.
    const badLogout = await root.post('/admin/new-client', {
      name: 'notes',
      redirectUris: 'https://notes.example.org/cb',
      postLogoutRedirectUris: 'http://notes.example.org/bye',
      scope: ['openid'],
    });
    expect(badLogout.statusCode).toBe(400);
    expect(badLogout.body).toMatch(/<textarea[^>]*name="postLogoutRedirectUris"[^>]*aria-invalid="true"/);
    expect(badLogout.body).not.toMatch(/<textarea[^>]*name="redirectUris"[^>]*aria-invalid="true"/);

    const taken = await root.post('/admin/new-client', {
      name: 'grafana',
      redirectUris: 'https://x.example.org/cb',
      scope: ['openid'],
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('already exists');
    const none = await root.post('/admin/new-client', {
      name: 'empty',
      redirectUris: 'https://x.example.org/cb',
    });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Tick at least one');
    expect(await core.oidcClients.listClients(system)).toEqual(before);
  });

  test('a new secret and delete, each behind a confirmation, each in the audit log', async () => {
    const c = await core.oidcClients.getClient(system, 'grafana');
    const oldHash = (await core.oidcClients.clientMetadata(c.clientId))!.client_secret!;
    const ask = await root.get('/admin/clients/grafana/rotate-secret');
    expect(ask.statusCode).toBe(200);
    cspClean(ask.body);
    expect(textOf(ask.body)).toContain('Give grafana a new secret?');
    const r = await root.post('/admin/clients/grafana/rotate-secret');
    expect(r.statusCode).toBe(200);
    const secret = /<div class="secret-value" id="client-secret">([^<]+)<\/div>/.exec(r.body)?.[1];
    const meta = await core.oidcClients.clientMetadata(c.clientId);
    expect(meta!.client_secret).not.toBe(oldHash);
    expect(core.oidcClients.checkClientSecret(meta!.client_secret!, secret!)).toBe(true);
    expect((await core.audit.listAudit(system, { limit: 1 }))[0]?.action).toBe('oidc_client.secret_rotated');

    const del = await root.get('/admin/clients/grafana/delete');
    expect(textOf(del.body)).toContain('Delete grafana?');
    expect(await core.oidcClients.getClient(system, 'grafana')).toBeTruthy();
    const gone = await root.post('/admin/clients/grafana/delete');
    expect(gone.statusCode).toBe(303);
    expect(gone.headers.location).toBe('/admin/clients?done=deleted');
    await expect(core.oidcClients.getClient(system, 'grafana')).rejects.toMatchObject({
      code: 'CLIENT_NOT_FOUND',
    });
    expect((await core.audit.listAudit(system, { limit: 1 }))[0]?.action).toBe('oidc_client.deleted');
    const after = await root.get('/admin/clients?done=deleted');
    expect(textOf(after.body)).toContain('The app was deleted');
    expect((await root.get('/admin/clients/grafana')).statusCode).toBe(404);

    // The audit log says it in words.
    const audit = textOf((await root.get('/admin/audit')).body);
    expect(audit).toContain('registered the app grafana (OpenID Connect)');
    expect(audit).toContain('gave the app grafana a new secret');
    expect(audit).toContain('deleted the app grafana (OpenID Connect)');
  });

  test('the signing keys, and Rotate keys behind a confirmation', async () => {
    const before = await core.oidcKeys.listKeys(system);
    expect(before.length).toBeGreaterThan(0);
    const list = await root.get('/admin/clients');
    expect(list.body).toContain(`<code>${before[0]!.kid}</code>`);
    expect(textOf(list.body)).toContain('Signs tokens now');
    expect(list.body).toContain('href="/admin/keys/rotate"');
    const ask = await root.get('/admin/keys/rotate');
    expect(ask.statusCode).toBe(200);
    cspClean(ask.body);
    expect(textOf(ask.body)).toContain('Rotate the signing keys?');
    const r = await root.post('/admin/keys/rotate');
    expect(r.statusCode).toBe(303);
    const keys = await core.oidcKeys.listKeys(system);
    expect(keys).toHaveLength(before.length + 1);
    expect(keys[0]!.state).toBe('next');
    expect(keys.find((k) => k.kid === before[0]!.kid)?.state).toBe('signing');
    expect(r.headers.location).toBe(`/admin/clients?done=keys-rotated&kid=${keys[0]!.kid}`);
    const after = await root.get(r.headers.location as string);
    const text = textOf(after.body);
    expect(text).toContain(`New signing key ${keys[0]!.kid}: published now`);
    expect(text).toContain('Published; signs later');
    expect((await core.audit.listAudit(system, { limit: 1 }))[0]).toMatchObject({
      action: 'oidc_keys.rotated',
      actor: 'user:root',
    });
  });

  test('only administrators: the helpdesk and users are refused, and see no link', async () => {
    const count = (await core.audit.listAudit(system, { limit: 500 })).length;
    const hdNav = (await hd.get('/admin/users')).body;
    expect(hdNav).not.toContain('href="/admin/clients"');
    for (const url of [
      '/admin/clients',
      '/admin/new-client',
      '/admin/clients/cli-tool',
      '/admin/keys/rotate',
    ]) {
      const r = await hd.get(url);
      expect(r.statusCode, url).toBe(403);
      expect(r.body, url).toContain('You are not allowed to do this');
      expect((await bob.get(url)).statusCode, url).toBe(403);
    }
    for (const [url, form] of [
      ['/admin/new-client', { name: 'sneaky', redirectUris: 'https://evil.example/cb', scope: 'openid' }],
      ['/admin/clients/cli-tool/delete', {}],
      ['/admin/keys/rotate', {}],
    ] as [string, Record<string, string>][]) {
      expect((await hd.post(url, form)).statusCode, url).toBe(403);
      expect((await bob.post(url, form)).statusCode, url).toBe(403);
    }
    expect((await core.audit.listAudit(system, { limit: 500 })).length).toBe(count);
    expect((await core.oidcClients.listClients(system)).map((c) => c.name)).toEqual(['cli-tool']);
  });

  test('Apps with access: a person without apps reads what the page is for', async () => {
    const r = await bob.get('/account/apps');
    expect(r.statusCode).toBe(200);
    cspClean(r.body);
    expect(r.body).toContain('<a href="/account/apps" aria-current="page">Apps with access</a>');
    expect(textOf(r.body)).toContain('No app has access to your account.');
    // Someone else's app id, or none: back to the list, nothing changed.
    const c = await core.oidcClients.getClient(system, 'cli-tool');
    const confirm = await bob.get(`/account/apps/${c.clientId}/remove`);
    expect(confirm.statusCode).toBe(303);
    expect(confirm.headers.location).toBe('/account/apps');
    const post = await bob.post(`/account/apps/${c.clientId}/remove`);
    expect(post.statusCode).toBe(404);
    expect(textOf(post.body)).toContain('Nothing was changed');
    // Signed out: to the sign-in page and back.
    const anon = await app.inject({ method: 'GET', url: '/account/apps' });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe(`/sign-in?return=${encodeURIComponent('/account/apps')}`);
  });
});
