// The HTTP door through Fastify's inject(): /auth/basic for forward-auth proxies, /api/v1/verify for
// programs with a service token, and the answers to malformed input (4xx problem+json, never a 500).

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { storeKinds, type TestStore } from './helpers/stores.js';

const admin: Actor = { kind: 'system', name: 'test', ip: null };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

let t: TestStore;
let core: Core;
let app: FastifyInstance;
let appPassword: string;
let serviceToken: string;

beforeAll(async () => {
  const [sqlite] = await storeKinds();
  t = await sqlite!.open();
  core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
  app = buildApp({ core, logLevel: 'silent', trustedProxies: ['127.0.0.1'] });
  await core.users.createUser(admin, {
    username: 'alice',
    email: 'alice@example.org',
    displayName: 'Alice Ångström',
    password: 'alice primary password',
  });
  await core.twoStep.setTwoStepState(admin, 'alice', 'enforced');
  appPassword = (await core.appPasswords.createAppPassword(admin, 'alice', { label: 'Laptop' })).password;
  serviceToken = (await core.services.addService(admin, 'nextcloud')).secret;
});
afterAll(async () => {
  await app.close();
  await core.close();
  await t.cleanup();
});

describe('GET /auth/basic', () => {
  it('accepts an app password with the identity headers', async () => {
    const r = await app.inject({
      url: '/auth/basic',
      headers: { authorization: basic('alice', appPassword) },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['remote-user']).toBe('alice');
    expect(r.headers['remote-email']).toBe('alice@example.org');
    // Non-ASCII names travel as UTF-8 bytes.
    expect(Buffer.from(r.headers['remote-name'] as string, 'latin1').toString('utf8')).toBe('Alice Ångström');
    expect(r.headers['remote-groups']).toBe('users');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('refuses the primary password once two-step is enforced, like any wrong password', async () => {
    const primary = await app.inject({
      url: '/auth/basic',
      headers: { authorization: basic('alice', 'alice primary password') },
    });
    const wrong = await app.inject({
      url: '/auth/basic',
      headers: { authorization: basic('alice', 'nope') },
    });
    const unknown = await app.inject({
      url: '/auth/basic',
      headers: { authorization: basic('nobody', 'nope') },
    });
    for (const r of [primary, wrong, unknown]) {
      expect(r.statusCode).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Basic realm="Latchkey", charset="UTF-8"');
      expect(r.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    expect(primary.body).toBe(wrong.body.replace(wrong.json().requestId, primary.json().requestId));
    const log = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 5 });
    expect(log.map((e) => e.reason)).toContain('app_password_required');
  });

  it('records the door the proxy names and the client address from a trusted proxy', async () => {
    const r = await app.inject({
      url: '/auth/basic?door=dav',
      remoteAddress: '127.0.0.1',
      headers: {
        authorization: basic('alice', 'wrong one'),
        'x-forwarded-for': '203.0.113.9',
        'user-agent': 'DAVx5/4',
      },
    });
    expect(r.statusCode).toBe(401);
    const [e] = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
    expect(e).toMatchObject({ door: 'dav', ip: '203.0.113.9', userAgent: 'DAVx5/4' });
    // From an untrusted peer, X-Forwarded-For is ignored.
    await app.inject({
      url: '/auth/basic',
      remoteAddress: '198.51.100.1',
      headers: {
        authorization: basic('alice', 'wrong two'),
        'x-forwarded-for': '203.0.113.10',
        'x-latchkey-door': 'imap',
      },
    });
    const [f] = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
    expect(f).toMatchObject({ door: 'imap', ip: '198.51.100.1' });
  });

  it('honours app-password scope per door', async () => {
    const scoped = await core.appPasswords.createAppPassword(admin, 'alice', {
      label: 'Phone mail',
      scopes: 'imap,smtp',
    });
    const h = { authorization: basic('alice', scoped.password) };
    expect(
      (await app.inject({ url: '/auth/basic', headers: { ...h, 'x-latchkey-door': 'imap' } })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/auth/basic', headers: h })).statusCode).toBe(401);
  });

  it.each([
    ['no header', undefined, 'AUTHORIZATION_REQUIRED'],
    ['empty', '', 'AUTHORIZATION_REQUIRED'],
    ['Bearer', 'Bearer abc', 'AUTHORIZATION_INVALID'],
    ['no space', 'Basicabc', 'AUTHORIZATION_INVALID'],
    ['not base64', 'Basic !!!!', 'AUTHORIZATION_INVALID'],
    ['bad padding', 'Basic YWxpY2U6cGFzc3dvcmQ', 'AUTHORIZATION_INVALID'],
    ['no colon', `Basic ${Buffer.from('alice').toString('base64')}`, 'AUTHORIZATION_INVALID'],
    ['empty user', `Basic ${Buffer.from(':pw').toString('base64')}`, 'AUTHORIZATION_INVALID'],
    [
      'invalid UTF-8',
      `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`,
      'AUTHORIZATION_INVALID',
    ],
    ['huge', `Basic ${'QUFB'.repeat(3000)}`, 'AUTHORIZATION_INVALID'],
  ])('answers a malformed Authorization header (%s) with 401, never 500', async (_name, header, code) => {
    const r = await app.inject({
      url: '/auth/basic',
      headers: header === undefined ? {} : { authorization: header },
    });
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json()).toMatchObject({ code });
    expect(r.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('refuses a door it does not know with 400', async () => {
    const r = await app.inject({
      url: '/auth/basic?door=gopher',
      headers: { authorization: basic('alice', appPassword) },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'DOOR_INVALID' });
  });

  it('refuses a door named twice, differently, so that a client cannot pick a door an app password allows', async () => {
    const r = await app.inject({
      url: '/auth/basic?door=imap',
      headers: { authorization: basic('alice', appPassword), 'x-latchkey-door': 'dav' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'DOOR_INVALID' });
  });

  it('logs a malformed Authorization header as a refused attempt from its source', async () => {
    await app.inject({
      url: '/auth/basic',
      remoteAddress: '198.51.100.77',
      headers: { authorization: 'Basic !!!!' },
    });
    const [e] = await core.signInLog.listSignIns(admin, { limit: 1 });
    expect(e).toMatchObject({ result: 'refused', ip: '198.51.100.77', door: 'http', username: '' });
  });

  it('a secret over 1 KiB is a wrong password', async () => {
    const r = await app.inject({
      url: '/auth/basic',
      headers: { authorization: basic('alice', 'x'.repeat(2000)) },
    });
    expect(r.statusCode).toBe(401);
  });
});

describe('POST /api/v1/verify', () => {
  const post = (body: unknown, token: string | null = serviceToken, contentType = 'application/json') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/verify',
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers {ok, reason} for a service holding a token', async () => {
    const ok = await post({ username: 'alice', password: appPassword, door: 'imap' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      ok: true,
      reason: null,
      user: { username: 'alice' },
      credential: { kind: 'app_password', label: 'Laptop' },
    });
    expect((await post({ username: 'alice', password: 'alice primary password' })).json()).toEqual({
      ok: false,
      reason: 'app_password_required',
    });
    // Unknown users look like wrong passwords.
    expect((await post({ username: 'ghost', password: 'x' })).json()).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
  });

  it('requires a valid service token', async () => {
    for (const token of [null, 'lks_not-a-real-token', appPassword.replaceAll(' ', '')]) {
      const r = await post({ username: 'alice', password: appPassword }, token);
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'SERVICE_TOKEN_INVALID' });
    }
    await core.services.deleteService(admin, 'nextcloud');
    expect((await post({ username: 'alice', password: appPassword })).statusCode).toBe(401);
    serviceToken = (await core.services.addService(admin, 'nextcloud')).secret;
  });

  it.each([
    ['malformed JSON', '{"username": "alice",', 'JSON_INVALID'],
    ['missing password', { username: 'alice' }, 'REQUEST_INVALID'],
    ['wrong types', { username: 1, password: true }, 'REQUEST_INVALID'],
    ['unknown door', { username: 'alice', password: 'x', door: 'gopher' }, 'REQUEST_INVALID'],
    ['over-long password', { username: 'alice', password: 'x'.repeat(1025) }, 'REQUEST_INVALID'],
  ])('answers %s with 400 problem+json', async (_name, body, code) => {
    const r = await post(body);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json()).toMatchObject({ code, status: 400 });
  });

  it('answers an unsupported media type and a huge body with 4xx', async () => {
    expect((await post('username=alice', serviceToken, 'application/x-www-form-urlencoded')).statusCode).toBe(
      415,
    );
    const big = await post({ username: 'alice', password: 'x', pad: 'y'.repeat(100_000) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
  });
});

it('unknown routes are 404 problem+json; /healthz answers', async () => {
  const r = await app.inject({ url: '/nope' });
  expect(r.statusCode).toBe(404);
  expect(r.json()).toMatchObject({ code: 'NOT_FOUND' });
  expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
});
