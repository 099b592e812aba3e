// The node's log (issue 12, item 8): one JSON line per HTTP request and per sign-in decision, tied
// together by the request id the client gets back; never a secret, a header, a cookie or a query
// string; the check doors quiet at `info`; a flood of refusals bounded; readable at a terminal.

import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { createLdapServer } from '../src/ldap/server.js';
import { type Opened, openCore } from '../src/main.js';
import { DecisionLog, readableLine } from '../src/ops/log.js';
import { basic } from './helpers/e2e.js';
import { ldapBinder } from './helpers/serve-process.js';
import { tempDir } from './helpers/stores.js';

const admin: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';
const WRONG = 'Tr0ub4dor&3-not-the-password';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Line = Record<string, unknown>;

describe('the log of a node', () => {
  let dir: string;
  let opened: Opened;
  let appPassword: string;
  const decisions = new DecisionLog();
  let app: FastifyInstance | null = null;
  let raw = '';

  /** A node's HTTP door logging at `level` into `raw`, with the core's decisions in the same log. */
  const door = (level: string, trustedProxies: string[] = []) => {
    raw = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        raw += chunk.toString();
        done();
      },
    });
    app = buildApp({ core: opened.core, logLevel: level, logStream: sink, trustedProxies });
    decisions.attach(app.log);
    return app;
  };
  const lines = (): Line[] =>
    raw
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);

  beforeAll(async () => {
    dir = tempDir('latchkey-logs-');
    opened = await openCore(loadConfig({ dataDir: dir }, {}), { flushIntervalMs: 0, decisions });
    await opened.core.users.createUser(admin, { username: 'alice', password: PASSWORD });
    await opened.core.twoStep.setTwoStepState(admin, 'alice', 'enforced');
    appPassword = (await opened.core.appPasswords.createAppPassword(admin, 'alice', { label: 'Phone' }))
      .password;
  });
  afterEach(async () => {
    await app?.close();
    app = null;
  });
  afterAll(async () => {
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one line per request: method, route, status, duration, request id, address; never the query', async () => {
    const a = door('info');
    const res = await a.inject({
      url: '/nowhere/at-all?token=s3cr3t-in-the-query',
      headers: { cookie: 'lk_session=cookie-value-secret' },
    });
    expect(res.statusCode).toBe(404);
    const spec = await a.inject('/api/openapi.json?access_token=another-s3cr3t');
    expect(spec.statusCode).toBe(200);
    const requests = lines().filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      level: 30,
      method: 'GET',
      route: '(none)',
      status: 404,
      requestId: res.headers['x-request-id'],
      remoteAddress: '127.0.0.1',
    });
    expect(requests[0]!.durationMs).toEqual(expect.any(Number));
    expect(requests[1]).toMatchObject({ route: '/api/openapi.json', status: 200 });
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.json().requestId).toBe(res.headers['x-request-id']);
    for (const secret of ['s3cr3t', 'cookie-value-secret', 'nowhere', 'access_token'])
      expect(raw).not.toContain(secret);
  });

  it('at info, a refused check is one sign-in line with its request id; an accepted one is quiet', async () => {
    const a = door('info');
    const refused = await a.inject({ url: '/auth/basic', headers: { authorization: basic('alice', WRONG) } });
    expect(refused.statusCode).toBe(401);
    const accepted = await a.inject({
      url: '/auth/basic',
      headers: { authorization: basic('alice', appPassword), 'user-agent': 'Mail/1.0' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(lines()).toEqual([
      {
        level: 30,
        time: expect.any(Number),
        pid: expect.any(Number),
        hostname: expect.any(String),
        msg: 'sign-in',
        door: 'http',
        result: 'refused',
        reason: 'invalid_credentials',
        username: 'alice',
        source: '127.0.0.1',
        requestId: refused.headers['x-request-id'],
      },
    ]);
    for (const secret of [
      WRONG,
      appPassword,
      basic('alice', WRONG).slice(6),
      basic('alice', appPassword).slice(6),
    ])
      expect(raw).not.toContain(secret);
  });

  it('at debug, accepted checks and the check doors’ requests are logged too, still without a secret', async () => {
    const a = door('debug');
    const res = await a.inject({
      url: '/auth/basic',
      headers: { authorization: basic('alice', appPassword) },
    });
    expect(res.statusCode).toBe(200);
    const id = res.headers['x-request-id'];
    expect(lines().filter((l) => l.requestId === id)).toEqual([
      expect.objectContaining({ level: 20, msg: 'sign-in', door: 'http', result: 'accepted', reason: null }),
      expect.objectContaining({ level: 20, msg: 'request', route: '/auth/basic', status: 200 }),
    ]);
    expect(raw).not.toContain(appPassword);
    expect(raw).not.toContain(basic('alice', appPassword).slice(6));
  });

  it('a check refused through POST /api/v1/verify carries the request id of that call', async () => {
    const a = door('info');
    const service = (await opened.core.services.addService(admin, `logs-${Date.now()}`)).secret;
    const res = await a.inject({
      method: 'POST',
      url: '/api/v1/verify',
      headers: { authorization: `Bearer ${service}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'alice', password: WRONG, door: 'imap' }),
    });
    expect(res.json()).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(lines().filter((l) => l.msg === 'sign-in')).toEqual([
      expect.objectContaining({ door: 'imap', result: 'refused', requestId: res.headers['x-request-id'] }),
    ]);
    expect(raw).not.toContain(WRONG);
  });

  it('an LDAP bind refused is a sign-in line (no request id: LDAP has none)', async () => {
    door('info');
    const ldap = createLdapServer({ core: opened.core, baseDn: 'dc=example,dc=org', domain: 'example.org' });
    const port = await ldap.listen(0, '127.0.0.1');
    const b = ldapBinder(port);
    try {
      await b.open;
      expect(await b.bind('uid=alice,ou=people,dc=example,dc=org', WRONG)).toBe(49);
      expect(await b.bind('uid=alice,ou=people,dc=example,dc=org', PASSWORD)).toBe(49);
    } finally {
      b.close();
      await ldap.close();
    }
    const signIns = lines().filter((l) => l.msg === 'sign-in');
    expect(signIns).toEqual([
      expect.objectContaining({
        door: 'ldap',
        result: 'refused',
        reason: 'invalid_credentials',
        username: 'alice',
      }),
      // Two-step is enforced: the primary password is refused, with the reason that says so.
      expect.objectContaining({ door: 'ldap', result: 'refused', reason: 'app_password_required' }),
    ]);
    for (const l of signIns) expect(l).not.toHaveProperty('requestId');
    expect(raw).not.toContain(WRONG);
    expect(raw).not.toContain(PASSWORD);
  });

  it("keeps a trusted proxy's X-Request-Id, replaces anyone else's", async () => {
    const trusting = door('info', ['127.0.0.1']);
    const kept = await trusting.inject({ url: '/healthz', headers: { 'x-request-id': 'nginx-7f3a.42' } });
    expect(kept.headers['x-request-id']).toBe('nginx-7f3a.42');
    const odd = await trusting.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'has spaces "and quotes"' },
    });
    expect(odd.headers['x-request-id']).toMatch(UUID);
    await trusting.close();
    const stranger = door('info', []);
    const replaced = await stranger.inject({ url: '/healthz', headers: { 'x-request-id': 'nginx-7f3a.42' } });
    expect(replaced.headers['x-request-id']).toMatch(UUID);
    // Probes are debug: no line at info.
    expect(lines()).toEqual([]);
  });

  it('a flood of refusals is at most 100 lines a second, and says how many it left out', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-01-01T00:00:00.100Z'));
      door('info');
      const flood = new DecisionLog();
      flood.attach(app!.log);
      for (let i = 0; i < 150; i++)
        flood.decided('imap', `guess${i}`, '192.0.2.1', false, 'unknown_user', null);
      expect(lines()).toHaveLength(100);
      vi.setSystemTime(new Date('2026-01-01T00:00:01.100Z'));
      flood.decided('imap', 'mallory', '192.0.2.1', false, 'unknown_user', null);
      const after = lines().slice(100);
      expect(after).toEqual([
        expect.objectContaining({ level: 40, suppressed: 50 }),
        expect.objectContaining({ msg: 'sign-in', username: 'mallory' }),
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('readable lines at a terminal', () => {
  it('time, level, message, then the fields', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
      pid: 1,
      hostname: 'h',
      requestId: 'abc',
      msg: 'request',
      method: 'GET',
      route: '/api/v1/users/:name',
      status: 200,
      durationMs: 1.5,
      note: 'two words',
    });
    expect(readableLine(line)).toBe(
      '03:04:05.678 INFO  request requestId=abc method=GET route=/api/v1/users/:name status=200 durationMs=1.5 note="two words"',
    );
    expect(readableLine('not json')).toBe('not json');
  });
});
