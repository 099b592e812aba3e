// /metrics (issue 12, item 2): what an operator's Prometheus sees move when people sign in through the
// doors, who may read it (a bearer token, or a listener of its own; else nobody), and that the Grafana
// dashboard in docs/ asks only for metrics a node serves.

import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { createLdapServer, type LdapServer } from '../src/ldap/server.js';
import { type Opened, openCore } from '../src/main.js';
import { Metrics } from '../src/ops/metrics.js';
import { ATTR, encodeRequest, encryptUserPassword } from '../src/radius/packet.js';
import { createRadiusServer, type RadiusServer } from '../src/radius/server.js';
import { basic } from './helpers/e2e.js';
import { freePort } from './helpers/nginx.js';
import { ldapBinder, startServe } from './helpers/serve-process.js';
import { tempDir } from './helpers/stores.js';

const admin: Actor = { kind: 'system', name: 'test', ip: null };
const TOKEN = 'scrape-me-please-0123456789';
const PASSWORD = 'correct horse battery staple';
const BASE = 'dc=example,dc=org';

/** The value of one sample in the text format, or null when the series is not there. */
function sample(text: string, series: string): number | null {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return null;
}

describe('/metrics on a node', () => {
  let dir: string;
  let opened: Opened;
  let app: FastifyInstance;
  let ldap: LdapServer;
  let ldapPort: number;
  let appPassword: string;

  const scrape = async () => {
    const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    dir = tempDir('latchkey-metrics-');
    opened = await openCore(loadConfig({ dataDir: dir }, {}), {
      flushIntervalMs: 0,
      metrics: new Metrics({ process: true }),
    });
    const { core } = opened;
    await core.users.createUser(admin, { username: 'alice', password: PASSWORD });
    await core.twoStep.setTwoStepState(admin, 'alice', 'enforced');
    appPassword = (await core.appPasswords.createAppPassword(admin, 'alice', { label: 'Phone' })).password;
    await core.users.createUser(admin, { username: 'bob', password: PASSWORD });
    app = buildApp({ core, logLevel: 'silent', metrics: opened.metrics, metricsToken: TOKEN });
    ldap = createLdapServer({ core, baseDn: BASE, domain: 'example.org' });
    opened.metrics.countConnections('ldap', () => Promise.resolve(ldap.openConnections()));
    ldapPort = await ldap.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await ldap?.close();
    await app?.close();
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers only the bearer token: 401 without it or with another', async () => {
    const none = await app.inject('/metrics');
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.body).not.toContain('latchkey_');
    const wrong = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
    const basicAuth = await app.inject({ url: '/metrics', headers: { authorization: basic('x', TOKEN) } });
    expect(basicAuth.statusCode).toBe(401);
    const ok = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.headers['cache-control']).toBe('no-store');
  });

  it('is 404 on a node with no token (and none for a separate listener)', async () => {
    const bare = buildApp({ core: opened.core, logLevel: 'silent', metrics: opened.metrics });
    try {
      expect((await bare.inject('/metrics')).statusCode).toBe(404);
      const withToken = await bare.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(withToken.statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });

  it('counts LDAP binds by result and reason, and times them', async () => {
    const before = await scrape();
    const refusedSeries =
      'latchkey_sign_ins_total{door="ldap",result="refused",reason="invalid_credentials"}';
    const acceptedSeries = 'latchkey_sign_ins_total{door="ldap",result="accepted",reason=""}';
    const b = ldapBinder(ldapPort);
    await b.open;
    try {
      expect(await b.bind(`uid=alice,ou=people,${BASE}`, 'wrong-password-entirely')).toBe(49);
      expect(await b.bind(`uid=alice,ou=people,${BASE}`, appPassword)).toBe(0);
      expect(await b.bind(`uid=alice,ou=people,${BASE}`, appPassword)).toBe(0);
      const after = await scrape();
      expect(sample(after, refusedSeries)).toBe((sample(before, refusedSeries) ?? 0) + 1);
      expect(sample(after, acceptedSeries)).toBe((sample(before, acceptedSeries) ?? 0) + 2);
      const count = 'latchkey_check_duration_seconds_count{door="ldap"}';
      expect(sample(after, count)).toBe((sample(before, count) ?? 0) + 3);
      expect(sample(after, 'latchkey_check_duration_seconds_bucket{le="+Inf",door="ldap"}')).toBe(
        sample(after, count),
      );
      expect(sample(after, 'latchkey_check_duration_seconds_sum{door="ldap"}')).toBeGreaterThan(0);
      // The bind's connection is open while it is scraped.
      expect(sample(after, 'latchkey_open_connections{door="ldap"}')).toBe(1);
    } finally {
      b.close();
    }
  });

  it('counts /auth/basic checks, the write-behind queue and its flush', async () => {
    const check = (secret: string) =>
      app.inject({ url: '/auth/basic', headers: { authorization: basic('alice', secret) } });
    expect((await check(appPassword)).statusCode).toBe(200);
    expect((await check('not-it-at-all')).statusCode).toBe(401);
    const text = await scrape();
    expect(sample(text, 'latchkey_sign_ins_total{door="http",result="accepted",reason=""}')).toBe(1);
    expect(
      sample(text, 'latchkey_sign_ins_total{door="http",result="refused",reason="invalid_credentials"}'),
    ).toBe(1);
    // Accepted checks wait in the write-behind until it is flushed.
    expect(sample(text, 'latchkey_write_behind_pending')).toBeGreaterThan(0);
    const flushes = sample(text, 'latchkey_write_behind_flush_duration_seconds_count') ?? 0;
    await opened.core.ctx.usage.flush();
    const flushed = await scrape();
    expect(sample(flushed, 'latchkey_write_behind_pending')).toBe(0);
    expect(sample(flushed, 'latchkey_write_behind_flush_duration_seconds_count')).toBe(flushes + 1);
  });

  it('counts attempts refused by a lockout', async () => {
    await opened.core.settings.updateSettings(admin, { lockoutThreshold: 3 });
    for (let i = 0; i < 3; i++) {
      const r = await opened.core.signIn({
        username: 'bob',
        secret: `guess ${i}`,
        door: 'imap',
        ip: '192.0.2.7',
      });
      expect(r).toEqual({ ok: false, reason: 'invalid_credentials' });
    }
    const locked = await opened.core.signIn({
      username: 'bob',
      secret: PASSWORD,
      door: 'imap',
      ip: '192.0.2.7',
    });
    expect(locked).toEqual({ ok: false, reason: 'locked_out' });
    const text = await scrape();
    expect(sample(text, 'latchkey_lockouts_total{door="imap"}')).toBe(1);
    expect(sample(text, 'latchkey_sign_ins_total{door="imap",result="refused",reason="locked_out"}')).toBe(1);
    expect(
      sample(text, 'latchkey_sign_ins_total{door="imap",result="refused",reason="invalid_credentials"}'),
    ).toBe(3);
  });

  it('serves the process metrics and the HTTP connections', async () => {
    const text = await scrape();
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    // inject() opens no socket: the HTTP door holds none.
    expect(sample(text, 'latchkey_open_connections{door="http"}')).toBe(0);
    expect(sample(text, 'latchkey_store_errors_total{operation="check"}')).toBe(0);
  });

  it('the Grafana dashboard asks only for metrics the node serves', async () => {
    // A check first: a door's series appear with its first decision.
    await opened.core.signIn({ username: 'alice', secret: appPassword, door: 'dav', ip: '192.0.2.9' });
    const text = await scrape();
    const served = new Set(
      text
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(l)![0]),
    );
    const dashboard = JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8'));
    const exprs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'expr' && typeof x === 'string') exprs.push(x);
          else walk(x);
        }
      }
    };
    walk(dashboard);
    expect(exprs.length).toBeGreaterThan(8);
    const FUNCTIONS = new Set([
      'rate',
      'irate',
      'increase',
      'sum',
      'by',
      'histogram_quantile',
      'max',
      'min',
      'avg',
      'le',
      'topk',
      'without',
      'clamp_min',
      'or',
      'on',
      'vector',
    ]);
    const LABELS = new Set(['door', 'result', 'reason', 'operation', 'instance', 'job']);
    for (const expr of exprs) {
      // Label values in quotes and range selectors are not names.
      const bare = expr.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '');
      const names = (bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []).filter(
        (n) => !FUNCTIONS.has(n) && !LABELS.has(n) && !/^\$/.test(n),
      );
      expect(names.length, expr).toBeGreaterThan(0);
      for (const n of names) expect(served.has(n), `${n} in ${expr}`).toBe(true);
    }
  });
});

describe('a failing store', () => {
  it('counts a check that could not be decided', async () => {
    const dir = tempDir('latchkey-metrics-fail-');
    const opened = await openCore(loadConfig({ dataDir: dir }, {}), { flushIntervalMs: 0 });
    try {
      await opened.store.close();
      await expect(
        opened.core.signIn({ username: 'nobody', secret: 'whatever it is', door: 'imap', ip: '192.0.2.1' }),
      ).rejects.toThrow();
      const text = await opened.metrics.render();
      expect(sample(text, 'latchkey_store_errors_total{operation="check"}')).toBe(1);
      expect(sample(text, 'latchkey_check_duration_seconds_count{door="imap"}')).toBe(1);
    } finally {
      await opened.core.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LATCHKEY_METRICS_TOKEN and LATCHKEY_METRICS_ADDRESS', () => {
  it('are checked when the node starts', () => {
    expect(loadConfig({}, {}).metricsToken).toBeNull();
    expect(loadConfig({}, {}).metricsAddress).toBeNull();
    expect(loadConfig({}, { LATCHKEY_METRICS_ADDRESS: '127.0.0.1:9464' }).metricsAddress).toEqual({
      host: '127.0.0.1',
      port: 9464,
    });
    expect(loadConfig({}, { LATCHKEY_METRICS_ADDRESS: '[::1]:9464' }).metricsAddress).toEqual({
      host: '::1',
      port: 9464,
    });
    for (const bad of ['9464', '127.0.0.1', '127.0.0.1:99999', '[nope]:1', 'a b:1'])
      expect(() => loadConfig({}, { LATCHKEY_METRICS_ADDRESS: bad }), bad).toThrow(
        /LATCHKEY_METRICS_ADDRESS/,
      );
    for (const bad of ['short', 'has a space in it somewhere'])
      expect(() => loadConfig({}, { LATCHKEY_METRICS_TOKEN: bad }), bad).toThrow(/LATCHKEY_METRICS_TOKEN/);
  });

  it('a listener of its own: /metrics there (with the token, when set), 404 on the HTTP door', async () => {
    const dir = tempDir('latchkey-metrics-serve-');
    const metricsPort = await freePort();
    try {
      const server = await startServe(
        {
          LATCHKEY_DATA_DIR: join(dir, 'data'),
          LATCHKEY_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
          LATCHKEY_METRICS_TOKEN: TOKEN,
        },
        ['--ldap-port', '0'],
      );
      try {
        for (let i = 0; i < 100 && !server.output().includes('Metrics on'); i++)
          await new Promise((r) => setTimeout(r, 50));
        expect(server.output()).toContain(`Metrics on http://127.0.0.1:${metricsPort}/metrics`);
        const door = await fetch(`http://127.0.0.1:${server.port}/metrics`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(door.status).toBe(404);
        const url = `http://127.0.0.1:${metricsPort}/metrics`;
        expect((await fetch(url)).status).toBe(401);
        const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(text).toMatch(/^latchkey_write_behind_pending 0$/m);
        expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
        expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
      } finally {
        server.child.kill('SIGTERM');
        expect((await server.exited).code, server.output()).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('RADIUS in /metrics', () => {
  it('counts dropped datagrams by reason and retransmissions answered from memory', async () => {
    const dir = tempDir('latchkey-metrics-radius-');
    const metrics = new Metrics();
    const opened = await openCore(loadConfig({ dataDir: dir }, {}), { flushIntervalMs: 0, metrics });
    const { core } = opened;
    const servers: RadiusServer[] = [];
    const s = createSocket('udp4');
    try {
      const { secret } = await core.radiusClients.addRadiusClient(admin, {
        name: 'vpn',
        address: '127.0.0.1',
      });
      const key = Buffer.from(secret);
      const door = createRadiusServer({ core, log: () => {}, clientsRefreshMs: 0 });
      // A second door on the same node, that can take nothing in: every request is an overload.
      const full = createRadiusServer({ core, log: () => {}, clientsRefreshMs: 0, maxInFlight: 0 });
      servers.push(door, full);
      metrics.watchRadius(door.stats);
      metrics.watchRadius(full.stats);
      const port = await door.listen(0, '127.0.0.1');
      const fullPort = await full.listen(0, '127.0.0.1');
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
      const answers: Buffer[] = [];
      s.on('message', (m) => answers.push(m));
      const request = (k: Buffer, withMa = true, id = 1) => {
        const auth = randomBytes(16);
        return encodeRequest(
          id,
          auth,
          k,
          [
            { type: ATTR.USER_NAME, value: Buffer.from('nobody') },
            { type: ATTR.USER_PASSWORD, value: encryptUserPassword(Buffer.from('not it'), k, auth) },
          ],
          withMa,
        );
      };
      const send = (d: Buffer, p = port) => s.send(d, p, '127.0.0.1');
      send(randomBytes(10)); // malformed
      const accounting = request(key);
      accounting[0] = 4; // Accounting-Request
      send(accounting);
      send(request(Buffer.from('a wrong shared secret'))); // bad_authenticator
      send(request(key, false)); // no_message_authenticator
      send(request(key), fullPort); // overload
      const once = request(key, true, 9);
      send(once);
      await expect.poll(() => answers.length, { timeout: 3000 }).toBe(1);
      send(once); // a retransmission: the same answer, from memory
      await expect.poll(() => answers.length, { timeout: 3000 }).toBe(2);
      // From an address no client is registered for.
      const stranger = createSocket('udp4');
      await new Promise<void>((r) => stranger.bind(0, '127.0.0.2', () => r()));
      stranger.send(request(key), port, '127.0.0.1');
      await expect.poll(() => door.stats.drops.unknown_client, { timeout: 3000 }).toBe(1);
      stranger.close();

      const text = await metrics.render();
      const dropped = (reason: string) => sample(text, `latchkey_radius_dropped_total{reason="${reason}"}`);
      expect(dropped('malformed')).toBe(1);
      expect(dropped('not_access_request')).toBe(1);
      expect(dropped('bad_authenticator')).toBe(1);
      expect(dropped('no_message_authenticator')).toBe(1);
      expect(dropped('unknown_client')).toBe(1);
      expect(dropped('overload')).toBe(1);
      expect(sample(text, 'latchkey_radius_duplicates_total')).toBe(1);
      expect(sample(text, 'latchkey_radius_received_total')).toBe(8);
    } finally {
      s.close();
      for (const d of servers) await d.close();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
