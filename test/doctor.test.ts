// `latchkey doctor` (issue 12, item 6): one line per check with OK, WARN or FAIL and what to do, exit 1
// when anything fails, --json. Each check is made to fail the way an operator would make it fail.

import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Check, doctor } from '../src/ops/doctor.js';
import { runCli } from './helpers/cli.js';
import { freePort } from './helpers/nginx.js';
import { startServe } from './helpers/serve-process.js';
import { createPgDatabase, storeKinds, tempDir } from './helpers/stores.js';

const hasPg = (await storeKinds()).find((k) => k.name === 'postgres')!.available;
const HAVE_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
if (!HAVE_OPENSSL && process.env.CI === 'true')
  throw new Error('openssl is required in CI for the doctor TLS checks');

const root = tempDir('latchkey-doctor-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A data dir with a store and keys (a user added through the CLI), and free ports. */
async function node(extra: NodeJS.ProcessEnv = {}) {
  const dataDir = join(root, `d${++n}`);
  const env: NodeJS.ProcessEnv = {
    LATCHKEY_DATA_DIR: dataDir,
    LATCHKEY_HTTP_PORT: String(await freePort()),
    LATCHKEY_LDAP_PORT: String(await freePort()),
    ...extra,
  };
  expect((await runCli(['user', 'add', 'bob'], env)).code).toBe(0);
  return { dataDir, env };
}

const byName = (checks: Check[], name: string) => checks.find((c) => c.check === name);

describe('latchkey doctor', () => {
  it('on a healthy node: every line OK, exit 0; --json says the same', async () => {
    const { env } = await node();
    const r = await runCli(['doctor'], env);
    expect(r.code, r.stdout).toBe(0);
    const lines = r.stdout.trim().split('\n');
    for (const l of lines) expect(l).toMatch(/^OK {2}/);
    const names = lines.map((l) => l.split(/\s+/)[1]);
    expect(names).toEqual([
      'config',
      'keys.hmac',
      'keys.encryption',
      'store.version',
      'keys.match',
      'tls',
      'port.http',
      'port.ldap',
      'public_url',
      'clock',
    ]);
    expect(r.stdout).toMatch(/store\.version .*migration \d{3}-[\w-]+ \(up to date\)/);
    const json = JSON.parse((await runCli(['doctor', '--json'], env)).stdout);
    expect(json.ok).toBe(true);
    expect(json.checks).toHaveLength(lines.length);
    expect(json.checks[0]).toEqual({ check: 'config', status: 'ok', message: expect.any(String), fix: null });
  });

  it('on a fresh machine: the keys and the store are created at first start, nothing fails', async () => {
    const r = await runCli(['doctor'], {
      LATCHKEY_DATA_DIR: join(root, 'fresh'),
      LATCHKEY_HTTP_PORT: String(await freePort()),
      LATCHKEY_LDAP_PORT: '0',
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/OK +keys\.hmac .*does not exist yet: the first start generates it/);
    expect(r.stdout).toMatch(/OK +store .*no database yet/);
  });

  it('keys: a different key is KEY_MISMATCH, a missing one with a database fails, a loose mode warns', async () => {
    const { dataDir, env } = await node();
    writeFileSync(join(dataDir, 'hmac.key'), `${Buffer.alloc(32, 1).toString('base64')}\n`, { mode: 0o600 });
    const r = await runCli(['doctor'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^FAIL +keys\.match .*do not match .*KEY_MISMATCH.* Fix: Use the original hmac\.key/m,
    );

    rmSync(join(dataDir, 'hmac.key'));
    const missing = await doctor({ env });
    expect(byName(missing, 'keys.hmac')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/latchkey restore/),
    });

    chmodSync(join(dataDir, 'encryption.key'), 0o644);
    expect(byName(await doctor({ env }), 'keys.encryption')).toMatchObject({
      status: 'warn',
      fix: expect.stringMatching(/chmod 600/),
    });

    // A key from the environment that is not a key.
    const bad = await doctor({ env: { ...env, LATCHKEY_HMAC_KEY: 'short' } });
    expect(byName(bad, 'keys.hmac')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/LATCHKEY_HMAC_KEY is not 32 bytes/),
    });
  });

  it('store version: pending migrations warn, a database from a newer Latchkey fails', async () => {
    const { dataDir, env } = await node();
    const db = new SQLite(join(dataDir, 'latchkey.db'));
    const last = (db.prepare('select max(name) as n from kysely_migration').get() as { n: string }).n;
    db.prepare('delete from kysely_migration where name = ?').run(last);
    db.close();
    const pending = byName(await doctor({ env }), 'store.version');
    expect(pending).toMatchObject({
      status: 'warn',
      message: expect.stringContaining(`the next start applies ${last}`),
    });

    const db2 = new SQLite(join(dataDir, 'latchkey.db'));
    db2
      .prepare('insert into kysely_migration (name, timestamp) values (?, ?), (?, ?)')
      .run(last, 'x', '999-future', 'x');
    db2.close();
    const r = await runCli(['doctor'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^FAIL +store\.version .*newer Latchkey \(999-future\).* Fix: Upgrade this node/m,
    );
  });

  it('ports: in use by another program fails, by the running Latchkey is fine; one port for two doors fails', async () => {
    const { env } = await node();
    // Answers nothing: doctor's look at /healthz finds no Latchkey there.
    const held = new Set<Socket>();
    const blocker: Server = createServer((s) => {
      held.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => blocker.listen(Number(env.LATCHKEY_HTTP_PORT), '127.0.0.1', () => r()));
    try {
      const r = await runCli(['doctor'], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /^FAIL +port\.http .*127\.0\.0\.1:\d+ is in use by another program\. Fix: Find it with "ss -ltnp/m,
      );
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => blocker.close(r));
    }
    const server = await startServe(env, [
      '--http-port',
      env.LATCHKEY_HTTP_PORT!,
      '--ldap-port',
      env.LATCHKEY_LDAP_PORT!,
    ]);
    try {
      const r = await runCli(['doctor'], env);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/OK +port\.http .*in use by the running Latchkey/);
      expect(r.stdout).toMatch(/OK +port\.ldap .*in use by the running Latchkey/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const same = await doctor({ env: { ...env, LATCHKEY_LDAP_PORT: env.LATCHKEY_HTTP_PORT } });
    expect(byName(same, 'port.ldap')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/same as LATCHKEY_HTTP_PORT/),
    });
    // An address that is not this machine's.
    const elsewhere = await doctor({ env: { ...env, LATCHKEY_HTTP_HOST: '192.0.2.1' } });
    expect(byName(elsewhere, 'port.http')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/not an address of this machine/),
    });
  });

  it('RADIUS: its UDP port free or taken, no client registered, clients without Message-Authenticator', async () => {
    // A free UDP port: bound and released.
    const probe = createSocket('udp4');
    const port = await new Promise<number>((r) => probe.bind(0, '127.0.0.1', () => r(probe.address().port)));
    probe.close();
    const { env } = await node({ LATCHKEY_RADIUS_PORT: String(port) });
    const free = await doctor({ env });
    expect(byName(free, 'port.radius')).toMatchObject({
      status: 'ok',
      message: `udp 127.0.0.1:${port} is free`,
    });
    expect(byName(free, 'radius.clients')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/no RADIUS client is registered/),
    });
    // Taken by another program (no Latchkey answers on the HTTP port).
    const squatter = createSocket('udp4');
    await new Promise<void>((r) => squatter.bind(port, '127.0.0.1', () => r()));
    try {
      const r = await runCli(['doctor'], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^FAIL +port\.radius .*udp 127\.0\.0\.1:\d+ is in use by another program/m);
    } finally {
      squatter.close();
    }
    expect((await runCli(['radius-client', 'add', 'vpn', '--address', '192.0.2.1'], env)).code).toBe(0);
    expect(byName(await doctor({ env }), 'radius.clients')).toMatchObject({
      status: 'ok',
      message: '1 registered, all require Message-Authenticator',
    });
    expect(
      (
        await runCli(
          ['radius-client', 'add', 'old-ap', '--address', '192.0.2.2', '--no-message-authenticator'],
          env,
        )
      ).code,
    ).toBe(0);
    // Warned of even with the door off: the registration waits for the day it is turned on.
    const off = await doctor({ env: { ...env, LATCHKEY_RADIUS_PORT: '0' } });
    expect(byName(off, 'port.radius')).toBeUndefined();
    expect(byName(off, 'radius.clients')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(
        /^old-ap is accepted without Message-Authenticator: open to BlastRADIUS/,
      ),
      fix: expect.stringMatching(/register it again/),
    });
  });

  it('public URL: plain http on a public name fails, https passes, a bad value is a config failure', async () => {
    const { env } = await node();
    const r = await runCli(['doctor'], { ...env, LATCHKEY_PUBLIC_URL: 'http://id.example.org' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL +public_url .*plain http.* Fix: Serve it behind a TLS proxy/m);
    expect(
      byName(await doctor({ env: { ...env, LATCHKEY_PUBLIC_URL: 'https://id.example.org' } }), 'public_url')!
        .status,
    ).toBe('ok');
    expect(
      byName(await doctor({ env: { ...env, LATCHKEY_PUBLIC_URL: 'http://127.0.0.1:8080' } }), 'public_url')!
        .status,
    ).toBe('ok');
    const bad = await runCli(['doctor'], { ...env, LATCHKEY_PUBLIC_URL: 'ftp://x' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /^FAIL +config +LATCHKEY_PUBLIC_URL must be an http:\/\/ or https:\/\/ address\./,
    );
  });

  it('clock: a machine that thinks it is 2001 fails', async () => {
    const { env } = await node();
    const checks = await doctor({ env, now: () => Date.UTC(2001, 0, 1) });
    expect(byName(checks, 'clock')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/timesyncd|chrony/),
    });
  });

  describe.skipIf(!HAVE_OPENSSL)('TLS files', () => {
    const dir = join(root, 'tls');
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const otherKey = join(dir, 'other.pem');
    beforeAll(() => {
      spawnSync('mkdir', ['-p', dir]);
      const made = spawnSync('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '30',
        '-subj',
        '/CN=id.example.org',
        '-addext',
        'subjectAltName=DNS:id.example.org',
      ]);
      expect(made.status, made.stderr.toString()).toBe(0);
      expect(
        spawnSync('openssl', [
          'genpkey',
          '-algorithm',
          'EC',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-out',
          otherKey,
        ]).status,
      ).toBe(0);
      chmodSync(key, 0o600);
      chmodSync(otherKey, 0o600);
    });

    it('a matching pair is OK; another key, expiry, a missing file and a loose key fail or warn', async () => {
      const { env } = await node({
        LATCHKEY_PUBLIC_URL: 'https://id.example.org',
        LATCHKEY_TLS_CERT: cert,
        LATCHKEY_TLS_KEY: key,
      });
      const good = await doctor({ env });
      expect(byName(good, 'tls.match')!.status).toBe('ok');
      expect(byName(good, 'tls.expiry')).toMatchObject({
        status: 'ok',
        message: expect.stringMatching(/valid until .* \(\d+ days\)/),
      });
      expect(byName(good, 'tls.name')).toBeUndefined();
      // 30 days: fine today, a warning in 20 days, a failure in 40.
      expect(
        byName(await doctor({ env, now: () => Date.now() + 20 * 86_400_000 }), 'tls.expiry')!.status,
      ).toBe('warn');
      const expired = await runCli(['doctor'], env).then(() =>
        doctor({ env, now: () => Date.now() + 40 * 86_400_000 }),
      );
      expect(byName(expired, 'tls.expiry')).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(/expired/),
      });

      const mismatch = await runCli(['doctor'], { ...env, LATCHKEY_TLS_KEY: otherKey });
      expect(mismatch.code).toBe(1);
      expect(mismatch.stdout).toMatch(/^FAIL +tls\.match .* is not the key of /m);

      const missing = await doctor({ env: { ...env, LATCHKEY_TLS_CERT: join(dir, 'nope.pem') } });
      expect(byName(missing, 'tls.cert')).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(/cannot be read \(ENOENT\)/),
      });
      const notPem = await doctor({ env: { ...env, LATCHKEY_TLS_CERT: key } });
      expect(byName(notPem, 'tls.cert')).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(/not a PEM certificate/),
      });
      const half = await doctor({ env: { ...env, LATCHKEY_TLS_KEY: '' } });
      expect(byName(half, 'tls')).toMatchObject({ status: 'fail' });

      const otherName = await doctor({ env: { ...env, LATCHKEY_PUBLIC_URL: 'https://login.example.net' } });
      expect(byName(otherName, 'tls.name')).toMatchObject({
        status: 'warn',
        message: expect.stringMatching(/does not name login\.example\.net/),
      });

      // A running Latchkey with the certificate speaks HTTPS on its HTTP door: doctor still knows it.
      const server = await startServe(env, [
        '--http-port',
        env.LATCHKEY_HTTP_PORT!,
        '--ldap-port',
        env.LATCHKEY_LDAP_PORT!,
      ]);
      try {
        const running = await doctor({ env });
        expect(byName(running, 'port.http')).toMatchObject({
          status: 'ok',
          message: expect.stringMatching(/in use by the running Latchkey/),
        });
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }

      chmodSync(key, 0o644);
      try {
        expect(byName(await doctor({ env }), 'tls.key')).toMatchObject({ status: 'warn' });
      } finally {
        chmodSync(key, 0o600);
      }
    });
  });

  describe.skipIf(!hasPg)('on PostgreSQL', () => {
    it('a reachable database: version, keys and the clock against the server; an unreachable one fails', async () => {
      const pgdb = await createPgDatabase();
      try {
        const { env } = await node({ DATABASE_URL: pgdb.url });
        const r = await runCli(['doctor'], env);
        expect(r.code, r.stdout).toBe(0);
        expect(r.stdout).toMatch(/OK +store\.version +postgres:\/\/.*\(up to date\)/);
        expect(r.stdout).toMatch(/OK +clock .*within 5 s of PostgreSQL/);
        const url = new URL(pgdb.url);
        url.port = String(await freePort());
        url.password = 'sekret-pw';
        const down = await runCli(['doctor'], { ...env, DATABASE_URL: url.toString() });
        expect(down.code).toBe(1);
        expect(down.stdout).toMatch(/^FAIL +store .*does not answer.* Fix: Check that PostgreSQL runs/m);
        expect(down.stdout).not.toContain('sekret-pw');
      } finally {
        await pgdb.drop();
      }
    });
  });
});
