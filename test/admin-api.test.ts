// The administration API with API tokens: what admin and helpdesk tokens may do (the authorization
// matrix), revoked and expired tokens, audit events, the generated OpenAPI document, bad input.

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { apiCaller } from './helpers/api-client.js';
import { storeKinds, type TestStore } from './helpers/stores.js';

const system: Actor = { kind: 'system', name: 'test', ip: null };
let t: TestStore;
let core: Core;
let app: FastifyInstance;
let clock = Date.UTC(2026, 10, 22, 12);
let adminToken: string;
let helpdeskToken: string;

beforeAll(async () => {
  const [sqlite] = await storeKinds();
  t = await sqlite!.open();
  core = await createCore({ store: t.store, keys: t.keys, now: () => clock, flushIntervalMs: 0 });
  app = buildApp({ core, logLevel: 'silent' });
  adminToken = (await core.tokens.createToken(system, { role: 'admin', label: 'automation' })).token;
  helpdeskToken = (await core.tokens.createToken(system, { role: 'helpdesk', expires: '30d' })).token;
  await core.users.createUser(system, { username: 'root', role: 'admin', password: 'root password 1' });
  await core.users.createUser(system, {
    username: 'alice',
    email: 'alice@example.org',
    password: 'alice password 1',
  });
  await core.twoStep.setTwoStepState(system, 'alice', 'enforced');
  await core.appPasswords.createAppPassword(system, 'alice', { label: 'Phone' });
});
afterAll(async () => {
  await app.close();
  await core.close();
  await t.cleanup();
});

const call = apiCaller(() => app);

describe('authorization matrix', () => {
  // [method, url, body, admin status, helpdesk status]
  const matrix: [string, string, unknown, number, number][] = [
    ['GET', '/api/v1/users', undefined, 200, 200],
    ['GET', '/api/v1/users/alice', undefined, 200, 200],
    ['POST', '/api/v1/users', { username: 'bob' }, 201, 403],
    ['PATCH', '/api/v1/users/alice', { displayName: 'Alice A.' }, 200, 403],
    ['PATCH', '/api/v1/users/alice', { role: 'helpdesk' }, 200, 403],
    ['PATCH', '/api/v1/users/alice', { status: 'disabled' }, 200, 403],
    ['PATCH', '/api/v1/users/alice', { status: 'active', role: 'user' }, 200, 403],
    ['PUT', '/api/v1/users/alice/two-step', { state: 'enforced' }, 200, 403],
    ['GET', '/api/v1/users/alice/app-passwords', undefined, 200, 200],
    ['POST', '/api/v1/users/alice/app-passwords', { label: 'Tablet', scopes: ['imap'] }, 201, 403],
    ['GET', '/api/v1/users/alice/two-step/methods', undefined, 200, 200],
    ['DELETE', '/api/v1/users/alice/remembered-devices', undefined, 200, 200],
    ['DELETE', '/api/v1/users/root/remembered-devices', undefined, 200, 403],
    ['POST', '/api/v1/users/alice/two-step/reregister', undefined, 200, 200],
    ['POST', '/api/v1/users/root/two-step/reregister', undefined, 409, 403],
    ['POST', '/api/v1/users/alice/unlock', undefined, 200, 200],
    // The helpdesk resets to a one-time password; it may not choose one.
    ['POST', '/api/v1/users/alice/password', { password: 'a new password 1' }, 200, 403],
    ['POST', '/api/v1/users/alice/password', {}, 200, 200],
    ['POST', '/api/v1/users/root/password', {}, 200, 403],
    ['POST', '/api/v1/users/root/unlock', undefined, 200, 403],
    ['DELETE', '/api/v1/users/alice/app-passwords', undefined, 200, 200],
    ['GET', '/api/v1/settings', undefined, 200, 403],
    ['PATCH', '/api/v1/settings', { maxAppPasswordsPerUser: 20 }, 200, 403],
    ['GET', '/api/v1/sign-ins', undefined, 200, 200],
    ['GET', '/api/v1/audit', undefined, 200, 403],
    ['DELETE', '/api/v1/users/bob', undefined, 204, 403],
  ];
  it.each(
    matrix,
  )('%s %s %j: admin %i, helpdesk %i', async (method, url, body, adminStatus, helpdeskStatus) => {
    // Helpdesk first, so that a refused call is seen to change nothing before the admin's call.
    const auditBefore = (await core.audit.listAudit(system, { limit: 10000 })).length;
    const h = await call(helpdeskToken, method, url, body);
    expect(h.statusCode).toBe(helpdeskStatus);
    if (helpdeskStatus === 403) {
      expect(h.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect((await core.audit.listAudit(system, { limit: 10000 })).length).toBe(auditBefore);
    }
    if (method === 'DELETE' && url.endsWith('/bob')) {
      // bob exists only if the admin created him above.
    }
    const a = await call(adminToken, method, url, body);
    expect(a.statusCode, a.body).toBe(adminStatus);
    if (method !== 'GET' && a.statusCode < 300) {
      const [e] = await core.audit.listAudit(system, { limit: 1 });
      expect(e!.actor).toMatch(/^token:/);
    }
  });

  it('without a token, with a wrong one, a revoked one or an expired one: 401', async () => {
    expect((await call(null, 'GET', '/api/v1/users')).statusCode).toBe(401);
    expect((await call('lkt_nope', 'GET', '/api/v1/users')).statusCode).toBe(401);
    const extra = await core.tokens.createToken(system, { role: 'admin', expires: '24h' });
    expect((await call(extra.token, 'GET', '/api/v1/users')).statusCode).toBe(200);
    await core.tokens.revokeToken(system, extra.id);
    const r = await call(extra.token, 'GET', '/api/v1/users');
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'TOKEN_INVALID' });
    const short = await core.tokens.createToken(system, { role: 'admin', expires: '1h' });
    clock += 2 * 3_600_000;
    expect((await call(short.token, 'GET', '/api/v1/users')).statusCode).toBe(401);
    // A service secret or an app password is not an API token.
    const service = await core.services.addService(system, 'nginx');
    expect((await call(service.secret, 'GET', '/api/v1/users')).statusCode).toBe(401);
  });

  it('tokens show when they were last used, never themselves', async () => {
    const list = await core.tokens.listTokens(system);
    expect(list.find((x) => x.label === 'automation')?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(adminToken);
  });
});

describe('administration through the API', () => {
  it('creates a user with a one-time password and shows it once', async () => {
    const r = await call(adminToken, 'POST', '/api/v1/users', {
      username: 'carol',
      email: 'carol@example.org',
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().oneTimePassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(r.json().user).toMatchObject({ username: 'carol', passwordSet: true, passwordMustChange: true });
    const again = await call(adminToken, 'GET', '/api/v1/users/carol');
    expect(again.body).not.toContain(r.json().oneTimePassword);
  });

  it('a PATCH is all or nothing', async () => {
    // Demoting the last admin is refused, and the email in the same request is not changed.
    const r = await call(adminToken, 'PATCH', '/api/v1/users/root', {
      email: 'root@example.org',
      role: 'user',
    });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'LAST_ADMIN' });
    expect((await call(adminToken, 'GET', '/api/v1/users/root')).json().email).toBeNull();
  });

  it.each([
    ['POST', '/api/v1/users', { username: 'Bad Name' }, 400, 'USERNAME_INVALID'],
    ['POST', '/api/v1/users', { username: 'x', role: 'root' }, 400, 'REQUEST_INVALID'],
    ['POST', '/api/v1/users', { username: 'y'.repeat(65) }, 400, 'REQUEST_INVALID'],
    ['POST', '/api/v1/users', '{"username":', 400, 'JSON_INVALID'],
    ['GET', '/api/v1/users/nobody', undefined, 404, 'USER_NOT_FOUND'],
    ['GET', '/api/v1/users?limit=0', undefined, 400, 'LIMIT_INVALID'],
    ['GET', '/api/v1/users?limit=abc', undefined, 400, 'REQUEST_INVALID'],
    ['GET', '/api/v1/users?page=2', undefined, 400, 'REQUEST_INVALID'],
    ['PATCH', '/api/v1/users/alice', {}, 400, 'REQUEST_INVALID'],
    ['PATCH', '/api/v1/settings', { noSuch: 1 }, 400, 'REQUEST_INVALID'],
    ['PATCH', '/api/v1/settings', { maxAppPasswordsPerUser: 0 }, 400, 'REQUEST_INVALID'],
    ['PUT', '/api/v1/users/alice/two-step', { state: 'on' }, 400, 'REQUEST_INVALID'],
    ['DELETE', '/api/v1/users/alice/app-passwords/nope', undefined, 404, 'APP_PASSWORD_NOT_FOUND'],
  ])('%s %s %j → %i %s, problem+json', async (method, url, body, status, code) => {
    const r =
      typeof body === 'string'
        ? await app.inject({
            method: method as 'POST',
            url,
            headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
            payload: body,
          })
        : await call(adminToken, method, url, body);
    expect(r.statusCode).toBe(status);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json()).toMatchObject({ code });
  });
});

it('serves an OpenAPI document generated from the route schemas', async () => {
  const r = await app.inject({ url: '/api/openapi.json' });
  expect(r.statusCode).toBe(200);
  const doc = r.json();
  expect(doc.openapi).toMatch(/^3\./);
  for (const path of [
    '/api/v1/users',
    '/api/v1/users/{name}',
    '/api/v1/users/{name}/two-step',
    '/api/v1/users/{name}/app-passwords',
    '/api/v1/users/{name}/app-passwords/{id}',
    '/api/v1/users/{name}/unlock',
    '/api/v1/settings',
    '/api/v1/sign-ins',
    '/api/v1/audit',
    '/api/v1/verify',
  ]) {
    expect(doc.paths, path).toHaveProperty([path]);
  }
  expect(doc.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.required).toEqual([
    'username',
  ]);
});

describe('app passwords through the API (R9)', () => {
  it('an admin creates one for a user: shown once, working at once, audited; bad input changes nothing', async () => {
    await core.twoStep.setTwoStepState(system, 'alice', 'enforced');
    const r = await call(adminToken, 'POST', '/api/v1/users/alice/app-passwords', {
      label: 'Car',
      expires: '30d',
      scopes: ['smtp'],
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json();
    expect(body).toMatchObject({ label: 'Car', scopes: ['smtp'] });
    expect(body.password).toMatch(/^([a-z]{4} ){5}[a-z]{4}$/);
    expect((await core.signIn({ username: 'alice', secret: body.password, door: 'smtp' })).ok).toBe(true);
    const listed = (await call(adminToken, 'GET', '/api/v1/users/alice/app-passwords')).body;
    expect(listed).not.toContain(body.password);
    const before = (await core.appPasswords.listAppPasswords(system, 'alice')).length;
    for (const bad of [
      { label: '' },
      { label: 'x'.repeat(300) },
      { label: 'A', scopes: ['ftp'] },
      { label: 'A', expires: 'soon' },
      { label: 'A', extra: 1 },
    ]) {
      const res = await call(adminToken, 'POST', '/api/v1/users/alice/app-passwords', bad);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await core.appPasswords.listAppPasswords(system, 'alice')).length).toBe(before);
  });
});

describe('audit paging', () => {
  it('pages back with before=ID, newest first, with no gap and no repeat; bad cursors are 400', async () => {
    const all = (await call(adminToken, 'GET', '/api/v1/audit?limit=1000')).json() as { id: number }[];
    expect(all.length).toBeGreaterThan(6);
    const first = (await call(adminToken, 'GET', '/api/v1/audit?limit=3')).json() as { id: number }[];
    const next = (await call(adminToken, 'GET', `/api/v1/audit?limit=3&before=${first[2]!.id}`)).json() as {
      id: number;
    }[];
    expect([...first, ...next].map((e) => e.id)).toEqual(all.slice(0, 6).map((e) => e.id));
    for (const bad of ['x', '-1', '0', '1e3']) {
      const r = await call(adminToken, 'GET', `/api/v1/audit?before=${bad}`);
      expect(r.statusCode).toBe(400);
    }
  });
});

describe('sign-in log paging', () => {
  it('pages with the cursor of the last event, with no gap and no repeat; a bad cursor is 400', async () => {
    for (let i = 0; i < 7; i++)
      await core.signIn({ username: 'alice', secret: `wrong ${i}`, door: 'imap', ip: '192.0.2.200' });
    const all = (await call(adminToken, 'GET', '/api/v1/sign-ins?limit=1000')).json() as {
      id: number;
      cursor: string;
    }[];
    const first = (await call(adminToken, 'GET', '/api/v1/sign-ins?limit=4')).json() as {
      id: number;
      cursor: string;
    }[];
    const next = (
      await call(adminToken, 'GET', `/api/v1/sign-ins?limit=4&before=${first[3]!.cursor}`)
    ).json() as { id: number }[];
    expect([...first, ...next].map((e) => e.id)).toEqual(all.slice(0, 8).map((e) => e.id));
    expect((await call(adminToken, 'GET', '/api/v1/sign-ins?before=yesterday')).statusCode).toBe(400);
    // Browser sign-ins are in the same log, and the API says so.
    const web = await call(adminToken, 'GET', '/api/v1/sign-ins?door=browser');
    expect(web.statusCode).toBe(200);
  });
});

describe('two-step support actions (R10)', () => {
  it('require re-registration removes the methods and moves enforced back to enabled; audited', async () => {
    await core.users.createUser(system, { username: 'mia', password: 'mia password 1', twoStep: 'enabled' });
    const { seed, sealed } = core.methods.newSealedTotpSeed(
      (
        await t.store.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'mia')
          .executeTakeFirstOrThrow()
      ).id,
    );
    const miaId = (
      await t.store.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'mia')
        .executeTakeFirstOrThrow()
    ).id;
    const { totpCode } = await import('../src/crypto/totp.js');
    await core.methods.addTotpMethod(system, miaId, {
      sealedSeed: sealed,
      code: totpCode(seed, clock),
      name: 'Phone',
    });
    expect((await core.users.getUser(system, 'mia')).twoStep).toBe('enforced');
    let r = await call(helpdeskToken, 'GET', '/api/v1/users/mia/two-step/methods');
    expect(r.json().methods).toMatchObject([{ kind: 'totp', name: 'Phone', isDefault: true }]);
    expect(r.body).not.toContain(seed);
    r = await call(helpdeskToken, 'POST', '/api/v1/users/mia/two-step/reregister');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ methodsRemoved: 1 });
    expect((await core.users.getUser(system, 'mia')).twoStep).toBe('enabled');
    expect((await call(adminToken, 'GET', '/api/v1/users/mia/two-step/methods')).json().methods).toEqual([]);
    const audit = await core.audit.listAudit(system, { limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'two_step.reregistration_required', target: 'mia' });
    expect(audit[0]!.actor).toMatch(/^token:/);
  });
});

describe('sign-in log filters and CSV export', () => {
  it('filters by user, door, result, reason and time, and exports CSV', async () => {
    await core.users.createUser(system, { username: 'logger', password: 'logger password 1' });
    await core.twoStep.setTwoStepState(system, 'logger', 'enforced');
    const at = (secret: string, door: string) =>
      core.signIn({ username: 'logger', secret, door, ip: '192.0.2.44', userAgent: '=cmd|x' });
    await at('logger password 1', 'imap');
    await at('wrong one', 'smtp');
    await at('wrong two', 'imap');
    const get = async (q: string) => {
      const r = await call(adminToken, 'GET', `/api/v1/sign-ins?user=logger&${q}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { door: string; reason: string | null }[];
    };
    expect((await get('door=imap')).map((e) => e.reason).sort()).toEqual([
      'app_password_required',
      'invalid_credentials',
    ]);
    expect((await get('reason=app_password_required')).map((e) => e.door)).toEqual(['imap']);
    expect(await get('result=accepted')).toEqual([]);
    const now = new Date(clock);
    expect(await get(`since=${new Date(clock + 60_000).toISOString()}`)).toEqual([]);
    expect(
      (await get(`until=${new Date(clock + 60_000).toISOString()}&since=${now.toISOString().slice(0, 10)}`))
        .length,
    ).toBe(3);

    const csv = await call(adminToken, 'GET', '/api/v1/sign-ins.csv?user=logger&door=smtp');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'at,lastAt,count,username,door,ip,userAgent,result,reason,credential,appPasswordLabel,clientName',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"smtp"');
    // A value that a spreadsheet would run as a formula is defused.
    expect(lines[1]).toContain(`"'=cmd|x"`);
  });

  it.each([
    ['door=gopher', 'REQUEST_INVALID'],
    ['result=maybe', 'REQUEST_INVALID'],
    ['reason=bad_luck', 'FILTER_INVALID'],
    ['since=yesterday', 'FILTER_INVALID'],
    ['since=2026-11-22&until=2026-11-21', 'FILTER_INVALID'],
  ])('refuses the filter %s', async (q, code) => {
    const r = await call(adminToken, 'GET', `/api/v1/sign-ins?${q}`);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code });
  });
});
