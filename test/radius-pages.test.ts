// The administrators' RADIUS pages (issue 13), through Fastify's inject(), signed in through the real
// sign-in page, on SQLite and PostgreSQL: register a NAS (the shared secret shown once, and opening
// the door's packets), the Message-Authenticator opt-out and its warning, refusals that store nothing,
// delete behind a confirmation, the reply rules; CSRF; the helpdesk and users kept out. No page
// carries inline script or style.

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

describe.each(kinds)('admin pages for RADIUS on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  const test = kind.available ? it : it.skip;

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
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
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

  test('register a NAS: the shared secret once, and it is the one the door uses', async () => {
    const empty = await root.get('/admin/radius');
    expect(empty.statusCode).toBe(200);
    cspClean(empty.body);
    expect(empty.body).toContain('<a href="/admin/radius" aria-current="page">RADIUS</a>');
    expect(textOf(empty.body)).toContain('No RADIUS client is registered yet.');
    expect(textOf(empty.body)).toContain('No reply rule');

    const form = await root.get('/admin/new-radius-client');
    expect(form.statusCode).toBe(200);
    cspClean(form.body);
    expect(textOf(form.body)).toContain('BlastRADIUS');

    const r = await root.post('/admin/new-radius-client', { name: 'Office-VPN', address: '192.0.2.7' });
    expect(r.statusCode, r.body).toBe(200);
    cspClean(r.body);
    expect(r.headers['cache-control']).toBe('no-store');
    const secret = /<div class="secret-value" id="radius-secret">([^<]+)<\/div>/.exec(r.body)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(textOf(r.body)).toContain('This is the only time the shared secret is shown');
    expect(textOf(r.body)).not.toContain('open to forged answers');
    const [entry] = await core.radiusClients.forDoor();
    expect(entry).toMatchObject({
      name: 'office-vpn',
      address: '192.0.2.7/32',
      requireMessageAuthenticator: true,
    });
    expect(entry!.secret.toString()).toBe(secret);
    expect((await core.audit.listAudit(system, { limit: 1 }))[0]).toMatchObject({
      action: 'radius_client.created',
      actor: 'user:root',
    });

    // The list never shows the secret again.
    const list = await root.get('/admin/radius');
    expect(list.body).not.toContain(secret);
    expect(textOf(list.body)).toContain('office-vpn');
    expect(textOf(list.body)).toContain('192.0.2.7/32');
    expect(textOf(list.body)).toContain('Required');
  });

  test('the Message-Authenticator opt-out is said on the secret page and on the list', async () => {
    const r = await root.post('/admin/new-radius-client', {
      name: 'old-ap',
      address: '10.0.0.0/24',
      noMessageAuthenticator: 'on',
    });
    expect(r.statusCode).toBe(200);
    expect(textOf(r.body)).toContain('open to forged answers (BlastRADIUS, CVE-2024-3596)');
    const c = (await core.radiusClients.listRadiusClients(system)).find((x) => x.name === 'old-ap');
    expect(c?.requireMessageAuthenticator).toBe(false);
    const list = textOf((await root.get('/admin/radius')).body);
    expect(list).toContain('Not required: open to BlastRADIUS');
    expect(list).toContain('old-ap: requests accepted without Message-Authenticator');
  });

  test('a refused form keeps what was typed, says what is wrong, and stores nothing', async () => {
    const before = await core.radiusClients.listRadiusClients(system);
    const bad = await root.post('/admin/new-radius-client', { name: 'printer', address: '10.0.0.300' });
    expect(bad.statusCode).toBe(400);
    cspClean(bad.body);
    expect(textOf(bad.body)).toContain('The address must be an IP address or a range');
    expect(bad.body).toContain('value="printer"');
    const taken = await root.post('/admin/new-radius-client', { name: 'office-vpn', address: '192.0.2.8' });
    expect(taken.statusCode).toBe(409);
    expect(textOf(taken.body)).toContain('already exists');
    const badRule = await root.post('/admin/new-radius-reply', {
      group: 'users',
      attribute: 'Tunnel-Private-Group-Id',
      value: '5000',
      client: '',
    });
    expect(badRule.statusCode).toBe(400);
    cspClean(badRule.body);
    expect(textOf(badRule.body)).toContain('VLAN id from 1 to 4094');
    expect(badRule.body).toContain('value="5000"');
    expect(await core.radiusClients.listRadiusClients(system)).toEqual(before);
    expect(await core.radiusClients.listReplyRules(system)).toEqual([]);
  });

  test('reply rules: added and deleted from the page, for every client or for one', async () => {
    const form = await root.get('/admin/new-radius-reply');
    expect(form.statusCode).toBe(200);
    cspClean(form.body);
    expect(form.body).toContain('<option value="office-vpn">office-vpn</option>');
    expect(form.body).toContain('value="Tunnel-Private-Group-Id"');
    const add = await root.post('/admin/new-radius-reply', {
      group: 'admins',
      attribute: 'Tunnel-Private-Group-Id',
      value: '20',
      client: 'office-vpn',
    });
    expect(add.statusCode, add.body).toBe(303);
    expect(add.headers.location).toBe('/admin/radius?done=reply-added');
    const [rule] = await core.radiusClients.listReplyRules(system);
    expect(rule).toMatchObject({
      client: 'office-vpn',
      group: 'admins',
      attribute: 'Tunnel-Private-Group-Id',
    });
    const list = textOf((await root.get('/admin/radius?done=reply-added')).body);
    expect(list).toContain('The reply rule was added');
    expect(list).toMatch(/office-vpn admins Tunnel-Private-Group-Id 20/);

    const ask = await root.get(`/admin/radius/replies/${rule!.id}/delete`);
    expect(ask.statusCode).toBe(200);
    cspClean(ask.body);
    expect(textOf(ask.body)).toContain('Delete the rule admins → Tunnel-Private-Group-Id?');
    const del = await root.post(`/admin/radius/replies/${rule!.id}/delete`);
    expect(del.statusCode).toBe(303);
    expect(await core.radiusClients.listReplyRules(system)).toEqual([]);
    const audit = textOf((await root.get('/admin/audit')).body);
    expect(audit).toContain('added the RADIUS reply rule');
    expect(audit).toContain('deleted the RADIUS reply rule');
  });

  test('delete a client behind a confirmation; a form without the CSRF token changes nothing', async () => {
    const ask = await root.get('/admin/radius/clients/old-ap/delete');
    expect(ask.statusCode).toBe(200);
    cspClean(ask.body);
    expect(textOf(ask.body)).toContain('Delete old-ap?');
    expect((await core.radiusClients.listRadiusClients(system)).map((c) => c.name)).toContain('old-ap');

    for (const csrf of [null, 'not-the-token']) {
      const refused = await root.post('/admin/radius/clients/old-ap/delete', {}, { csrf });
      expect(refused.statusCode).toBe(403);
    }
    expect((await core.radiusClients.listRadiusClients(system)).map((c) => c.name)).toContain('old-ap');

    const gone = await root.post('/admin/radius/clients/old-ap/delete');
    expect(gone.statusCode).toBe(303);
    expect(gone.headers.location).toBe('/admin/radius?done=client-deleted');
    expect((await core.radiusClients.listRadiusClients(system)).map((c) => c.name)).toEqual(['office-vpn']);
    expect((await core.audit.listAudit(system, { limit: 1 }))[0]?.action).toBe('radius_client.deleted');
    expect((await root.get('/admin/radius/clients/old-ap/delete')).statusCode).toBe(404);
  });

  test('only administrators: the helpdesk and users are refused, and see no link', async () => {
    const count = (await core.audit.listAudit(system, { limit: 500 })).length;
    expect((await hd.get('/admin/users')).body).not.toContain('href="/admin/radius"');
    for (const url of [
      '/admin/radius',
      '/admin/new-radius-client',
      '/admin/new-radius-reply',
      '/admin/radius/clients/office-vpn/delete',
    ]) {
      expect((await hd.get(url)).statusCode, url).toBe(403);
      expect((await bob.get(url)).statusCode, url).toBe(403);
    }
    for (const [url, form] of [
      ['/admin/new-radius-client', { name: 'sneaky', address: '0.0.0.0/0' }],
      ['/admin/new-radius-reply', { group: 'users', attribute: 'Filter-Id', value: 'x', client: '' }],
      ['/admin/radius/clients/office-vpn/delete', {}],
    ] as [string, Record<string, string>][]) {
      expect((await hd.post(url, form)).statusCode, url).toBe(403);
      expect((await bob.post(url, form)).statusCode, url).toBe(403);
    }
    expect((await core.audit.listAudit(system, { limit: 500 })).length).toBe(count);
    expect((await core.radiusClients.listRadiusClients(system)).map((c) => c.name)).toEqual(['office-vpn']);
  });
});
