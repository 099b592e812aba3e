// The RADIUS door (issue 13) against the real client: `radclient` from FreeRADIUS (Debian's
// freeradius-utils, installed by .ci/run), on 127.0.0.1 only. The door runs in this process on a SQLite
// store for most tests, and as a real `latchkey serve` (the built dist, with its registration from the
// CLI) for one. What radclient cannot send (another source address, no Message-Authenticator from an
// opted-out client, a retransmission, hostile datagrams) is sent with node:dgram.
//
// radclient sends no Message-Authenticator unless asked: every request here asks for one
// (`Message-Authenticator = 0x00`), except the one that tests its absence.

import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import { generateSharedSecret } from '../src/core/radius-clients.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { buildApp } from '../src/http/app.js';
import {
  ACCESS_ACCEPT,
  ACCESS_REJECT,
  ATTR,
  encodeRequest,
  encryptUserPassword,
  parsePacket,
  responseAuthenticatorValid,
} from '../src/radius/packet.js';
import { createRadiusServer, type RadiusServer } from '../src/radius/server.js';
import { openStore, type Store } from '../src/store/database.js';
import { apiCaller } from './helpers/api-client.js';
import { runCli } from './helpers/cli.js';
import { BIN, startServe } from './helpers/serve-process.js';
import { type StoreKind, storeKinds } from './helpers/stores.js';

const RADCLIENT = ['/usr/bin/radclient', '/usr/local/bin/radclient'].find((p) => existsSync(p)) ?? null;
// In CI a missing radclient is a failure, not a skip.
const describeRadclient = RADCLIENT || process.env.CI ? describe : describe.skip;
const admin = { kind: 'system', name: 'test', ip: null } as const;

interface RadclientResult {
  code: number | null;
  out: string;
}

/** One request through radclient: one try, one second to answer. */
function radclient(port: number, secret: string, attrs: string, type = 'auth'): Promise<RadclientResult> {
  return new Promise((resolve) => {
    const child = spawn(RADCLIENT ?? 'radclient', [
      '-x',
      '-r',
      '1',
      '-t',
      '1',
      `127.0.0.1:${port}`,
      type,
      secret,
    ]);
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(`${attrs}\n`);
  });
}

const pap = (user: string, password: string, ma = true) =>
  `User-Name = "${user}", User-Password = "${password}"${ma ? ', Message-Authenticator = 0x00' : ''}`;

/** A datagram sent from `from` (a loopback address) to the door; the first answer, or null after `ms`. */
async function exchange(
  port: number,
  datagram: Buffer,
  from = '127.0.0.1',
  ms = 700,
): Promise<Buffer | null> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, from, () => r()));
  try {
    return await new Promise<Buffer | null>((resolve) => {
      const t = setTimeout(() => resolve(null), ms);
      s.once('message', (m) => {
        clearTimeout(t);
        resolve(m);
      });
      s.send(datagram, port, '127.0.0.1');
    });
  } finally {
    s.close();
  }
}

function papRequest(secret: string, user: string, password: string, withMa = true, id = 7) {
  const auth = randomBytes(16);
  const s = Buffer.from(secret);
  return {
    auth,
    datagram: encodeRequest(
      id,
      auth,
      s,
      [
        { type: ATTR.USER_NAME, value: Buffer.from(user) },
        { type: ATTR.USER_PASSWORD, value: encryptUserPassword(Buffer.from(password), s, auth) },
      ],
      withMa,
    ),
  };
}

describeRadclient('RADIUS door with radclient (in process)', () => {
  let dataDir: string;
  let store: Store;
  let core: Core;
  let server: RadiusServer;
  let port: number;
  let secret: string;
  let oldSecret: string;
  const ap: Record<string, string> = {};
  const logLines: string[] = [];

  const lastSignIn = async (username: string) =>
    (await core.signInLog.listSignIns(admin, { username, limit: 1 }))[0];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'latchkey-radius-'));
    const keys = loadServerKeys({ dataDir, hmacKey: null, encryptionKey: null });
    store = await openStore({ dataDir, databaseUrl: null });
    core = await createCore({ store, keys, flushIntervalMs: 0 });
    for (const name of ['alice', 'bob', 'carol', 'dave']) {
      await core.users.createUser(admin, {
        username: name,
        email: `${name}@example.org`,
        password: 'correct horse battery staple',
      });
      await core.twoStep.setTwoStepState(admin, name, 'enforced');
    }
    ap.alice = (await core.appPasswords.createAppPassword(admin, 'alice', { label: 'VPN' })).password;
    ap.bob = (await core.appPasswords.createAppPassword(admin, 'bob', { label: 'VPN' })).password;
    await core.users.setUserDisabled(admin, 'bob', true);
    ap.carol = (
      await core.appPasswords.createAppPassword(admin, 'carol', { label: 'Mail', scopes: ['imap', 'smtp'] })
    ).password;
    ap.dave = (await core.appPasswords.createAppPassword(admin, 'dave', { label: 'Wi-Fi' })).password;
    secret = (await core.radiusClients.addRadiusClient(admin, { name: 'vpn', address: '127.0.0.1' })).secret;
    oldSecret = (
      await core.radiusClients.addRadiusClient(admin, {
        name: 'old-ap',
        address: '127.0.0.3/32',
        requireMessageAuthenticator: false,
      })
    ).secret;
    server = createRadiusServer({
      core,
      log: (_o, m) => logLines.push(m),
      maxRemembered: 200,
      clientsRefreshMs: 100,
    });
    port = await server.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await server?.close();
    await core?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts an app password: Access-Accept with Message-Authenticator first and a Class', async () => {
    const r = await radclient(port, secret, pap('alice', ap.alice!));
    expect(r.out).toContain('Received Access-Accept');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Class = 0x/);
    // The same through node:dgram, to look at the bytes radclient checked.
    const { auth, datagram } = papRequest(secret, 'alice', ap.alice!);
    const answer = await exchange(port, datagram);
    expect(answer).not.toBeNull();
    expect(answer![0]).toBe(ACCESS_ACCEPT);
    expect(answer![20]).toBe(ATTR.MESSAGE_AUTHENTICATOR);
    expect(responseAuthenticatorValid(answer!, auth, Buffer.from(secret))).toBe(true);
    const e = await lastSignIn('alice');
    expect(e).toMatchObject({ door: 'radius', result: 'accepted', ip: '127.0.0.1' });
    expect(e!.userAgent).toContain('RADIUS client vpn');
  });

  it('rejects a wrong password and an unknown user alike; the reason stays in the log', async () => {
    const wrong = await radclient(port, secret, pap('alice', 'not the password'));
    expect(wrong.out).toContain('Received Access-Reject');
    expect(wrong.code).not.toBe(0);
    const unknown = await radclient(port, secret, pap('nobody', 'not the password'));
    expect(unknown.out).toContain('Received Access-Reject');
    // Nothing but the Message-Authenticator on the wire: no Reply-Message with a reason.
    expect(wrong.out).not.toMatch(/Reply-Message/);
    expect(await lastSignIn('alice')).toMatchObject({ result: 'refused', reason: 'invalid_credentials' });
    expect(await lastSignIn('nobody')).toMatchObject({ result: 'refused', reason: 'unknown_user' });
  });

  it('gives no answer to a wrong shared secret', async () => {
    const r = await radclient(port, 'not-the-shared-secret', pap('alice', ap.alice!));
    expect(r.out).toMatch(/No reply/);
    expect(r.code).not.toBe(0);
  });

  it('drops a request without Message-Authenticator by default (BlastRADIUS)', async () => {
    const r = await radclient(port, secret, pap('alice', ap.alice!, false));
    expect(r.out).toMatch(/No reply/);
    expect(logLines.some((l) => l.includes('without Message-Authenticator; dropped'))).toBe(true);
  });

  it('answers a client that opted out of Message-Authenticator, with a warning in the log', async () => {
    const { datagram } = papRequest(oldSecret, 'alice', ap.alice!, false);
    const answer = await exchange(port, datagram, '127.0.0.3');
    expect(answer?.[0]).toBe(ACCESS_ACCEPT);
    expect(answer?.[20]).toBe(ATTR.MESSAGE_AUTHENTICATOR);
    expect(logLines.some((l) => l.includes('client that opted out'))).toBe(true);
  });

  it('refuses CHAP (and logs why): keyed hashes cannot answer a challenge', async () => {
    const r = await radclient(
      port,
      secret,
      `User-Name = "alice", CHAP-Password = "${ap.alice}", Message-Authenticator = 0x00`,
    );
    expect(r.out).toContain('Received Access-Reject');
    const recent = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 10 });
    const e = recent.find((x) => x.reason === 'method_unsupported');
    expect(e).toMatchObject({ result: 'refused', door: 'radius' });
    expect(e!.userAgent).toContain('method CHAP');
  });

  it('refuses a disabled user, an app password out of scope, a deleted app password', async () => {
    expect((await radclient(port, secret, pap('bob', ap.bob!))).out).toContain('Access-Reject');
    expect(await lastSignIn('bob')).toMatchObject({ reason: 'user_disabled' });
    expect((await radclient(port, secret, pap('carol', ap.carol!))).out).toContain('Access-Reject');
    expect(await lastSignIn('carol')).toMatchObject({ reason: 'out_of_scope' });
    expect((await radclient(port, secret, pap('dave', ap.dave!))).out).toContain('Access-Accept');
    const [entry] = await core.appPasswords.listAppPasswords(admin, 'dave');
    await core.appPasswords.deleteAppPassword(admin, 'dave', entry!.id);
    expect((await radclient(port, secret, pap('dave', ap.dave!))).out).toContain('Access-Reject');
  });

  it('drops packets from an address no client is registered for', async () => {
    const { datagram } = papRequest(secret, 'alice', ap.alice!);
    expect(await exchange(port, datagram, '127.0.0.2')).toBeNull();
    expect(logLines.some((l) => l.includes('no RADIUS client is registered'))).toBe(true);
  });

  it('answers a retransmission with the same answer, without a second check', async () => {
    const before = (await core.signInLog.listSignIns(admin, { username: 'alice', limit: 100 })).length;
    const { datagram } = papRequest(secret, 'alice', 'wrong password again', true, 42);
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const answers: Buffer[] = [];
    s.on('message', (m) => answers.push(m));
    s.send(datagram, port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 400));
    s.send(datagram, port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 300));
    s.close();
    expect(answers).toHaveLength(2);
    expect(answers[0]![0]).toBe(ACCESS_REJECT);
    expect(answers[1]!.equals(answers[0]!)).toBe(true);
    const after = (await core.signInLog.listSignIns(admin, { username: 'alice', limit: 100 })).length;
    expect(after - before).toBe(1);
  });

  it('survives random and mutated datagrams, stays bounded, and still answers', async () => {
    const seed = Number(process.env.LATCHKEY_FUZZ_SEED ?? Date.now() % 1_000_000);
    console.log(`radius fuzz seed ${seed}`);
    let x = seed || 1;
    const rnd = (n: number) => {
      // xorshift32: a replayable sequence.
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    s.on('message', () => {});
    const base = papRequest(secret, 'alice', ap.alice!).datagram;
    const started = Date.now();
    for (let i = 0; i < 20_000; i++) {
      let d: Buffer;
      const kind = rnd(4);
      if (kind === 0) {
        d = randomBytes(rnd(200));
      } else if (kind === 1) {
        // A valid header and length field, random attributes.
        d = randomBytes(20 + rnd(300));
        d[0] = 1;
        d.writeUInt16BE(d.length, 2);
      } else {
        d = Buffer.from(base);
        for (let k = 0; k <= rnd(4); k++) d[rnd(d.length)] = rnd(256);
        if (kind === 3) d.writeUInt16BE(rnd(5000), 2);
      }
      s.send(d, port, '127.0.0.1');
      if (i % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    // Mutated requests signed again with the right Message-Authenticator reach the decision itself.
    const sk = Buffer.from(secret);
    for (let i = 0; i < 150; i++) {
      const auth = randomBytes(16);
      const attrs = [
        { type: ATTR.USER_NAME, value: randomBytes(rnd(40)) },
        { type: rnd(90), value: randomBytes(rnd(30)) },
        { type: ATTR.USER_PASSWORD, value: randomBytes(16 * rnd(9)) },
        {
          type: ATTR.VENDOR_SPECIFIC,
          value: Buffer.concat([Buffer.from([0, 0, 1, 55]), randomBytes(rnd(20))]),
        },
      ].slice(0, 1 + rnd(4));
      s.send(encodeRequest(rnd(256), auth, sk, attrs), port, '127.0.0.1');
    }
    await new Promise((r) => setTimeout(r, 500));
    s.close();
    expect(server.remembered()).toBeLessThanOrEqual(200);
    expect(server.inFlight()).toBeLessThanOrEqual(256);
    expect(parsePacket(Buffer.alloc(3))).toBeNull();
    const { datagram } = papRequest(secret, 'alice', ap.alice!);
    let answer: Buffer | null = null;
    for (let tries = 0; tries < 20 && !answer; tries++)
      answer = await exchange(port, datagram, '127.0.0.1', 1000);
    expect(answer?.[0]).toBe(ACCESS_ACCEPT);
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 30_000);

  it('is managed through the admin API by admins only; the secret is in the creation answer alone', async () => {
    const app = buildApp({ core, logLevel: 'silent' });
    try {
      const call = apiCaller(() => app);
      const adminToken = (await core.tokens.createToken(admin, { role: 'admin', label: 'radius' })).token;
      const helpdesk = (await core.tokens.createToken(admin, { role: 'helpdesk', label: 'hd' })).token;
      const made = await call(adminToken, 'POST', '/api/v1/radius-clients', {
        name: 'API-NAS',
        address: '127.0.0.4',
      });
      expect(made.statusCode).toBe(201);
      expect(made.headers['cache-control']).toBe('no-store');
      const body = made.json();
      expect(body).toMatchObject({
        name: 'api-nas',
        address: '127.0.0.4/32',
        requireMessageAuthenticator: true,
      });
      expect(body.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const list = await call(adminToken, 'GET', '/api/v1/radius-clients');
      expect(list.json().map((c: { name: string }) => c.name)).toContain('api-nas');
      expect(list.body).not.toContain(body.secret);
      expect((await call(helpdesk, 'GET', '/api/v1/radius-clients')).statusCode).toBe(403);
      expect(
        (await call(adminToken, 'POST', '/api/v1/radius-clients', { name: 'x', address: 'nowhere' }))
          .statusCode,
      ).toBe(400);
      expect(
        (await call(adminToken, 'POST', '/api/v1/radius-clients', { name: 'api-nas', address: '127.0.0.5' }))
          .statusCode,
      ).toBe(409);
      // The new client is asked within the refresh, with the secret the API gave.
      await new Promise((r) => setTimeout(r, 150));
      const { datagram } = papRequest(body.secret, 'alice', ap.alice!);
      expect((await exchange(port, datagram, '127.0.0.4'))?.[0]).toBe(ACCESS_ACCEPT);
      expect((await call(adminToken, 'DELETE', '/api/v1/radius-clients/api-nas')).statusCode).toBe(204);
      expect((await call(adminToken, 'DELETE', '/api/v1/radius-clients/api-nas')).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('stops answering a client once it is deleted', async () => {
    await core.radiusClients.deleteRadiusClient(admin, 'old-ap');
    await new Promise((r) => setTimeout(r, 150));
    const { datagram } = papRequest(oldSecret, 'alice', ap.alice!, false);
    expect(await exchange(port, datagram, '127.0.0.3')).toBeNull();
  });
});

describeRadclient('RADIUS door: stopping', () => {
  it('answers the request being decided, then takes no more', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-radius-stop-'));
    const keys = loadServerKeys({ dataDir, hmacKey: null, encryptionKey: null });
    const store = await openStore({ dataDir, databaseUrl: null });
    const core = await createCore({ store, keys, flushIntervalMs: 0 });
    try {
      // Two-step off: the account password is checked with argon2id, long enough to stop meanwhile.
      await core.users.createUser(admin, { username: 'frank', password: 'correct horse battery staple' });
      const { secret } = await core.radiusClients.addRadiusClient(admin, {
        name: 'vpn',
        address: '127.0.0.1',
      });
      const server = createRadiusServer({ core, log: () => {} });
      const port = await server.listen(0, '127.0.0.1');
      const s = createSocket('udp4');
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
      const answers: Buffer[] = [];
      s.on('message', (m) => answers.push(m));
      s.send(papRequest(secret, 'frank', 'correct horse battery staple').datagram, port, '127.0.0.1');
      await expect.poll(() => server.inFlight(), { timeout: 2000, interval: 1 }).toBe(1);
      const closed = server.close(5000);
      s.send(
        papRequest(secret, 'frank', 'correct horse battery staple', true, 8).datagram,
        port,
        '127.0.0.1',
      );
      await closed;
      await new Promise((r) => setTimeout(r, 100));
      s.close();
      expect(answers).toHaveLength(1);
      expect(answers[0]![0]).toBe(ACCESS_ACCEPT);
    } finally {
      await core.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

const kinds: StoreKind[] = await storeKinds();

describe.each(kinds)('RADIUS clients on $name', (kind) => {
  const test = kind.available ? it : it.skip;
  test('are stored with the secret sealed, opened for the door, and deleted', async () => {
    const t = await kind.open();
    const core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
    try {
      const made = await core.radiusClients.addRadiusClient(admin, {
        name: 'wifi',
        address: '2001:DB8:0:0::/64',
        requireMessageAuthenticator: false,
      });
      expect(made.address).toBe('2001:db8::/64');
      const row = await t.store.db.selectFrom('radius_clients').selectAll().executeTakeFirstOrThrow();
      expect(row.secret_sealed).not.toContain(made.secret);
      expect(await core.radiusClients.forDoor()).toEqual([
        {
          id: made.id,
          name: 'wifi',
          address: '2001:db8::/64',
          secret: Buffer.from(made.secret),
          requireMessageAuthenticator: false,
        },
      ]);
      await core.radiusClients.deleteRadiusClient(admin, 'wifi');
      expect(await core.radiusClients.forDoor()).toEqual([]);
    } finally {
      await core.close();
      await t.cleanup();
    }
  });
});

describe('latchkey radius-client (CLI)', () => {
  it('adds (secret once; --json {name, secret}), lists without secrets, deletes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-radius-cli-'));
    const env = { LATCHKEY_DATA_DIR: dir };
    try {
      const add = await runCli(
        ['radius-client', 'add', 'Office-VPN', '--address', '10.0.0.0/24', '--json'],
        env,
      );
      expect(add.code).toBe(0);
      const j = JSON.parse(add.stdout);
      expect(Object.keys(j).sort()).toEqual(['name', 'secret']);
      expect(j.name).toBe('office-vpn');
      expect(j.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const plain = await runCli(
        ['radius-client', 'add', 'wifi', '--address', '192.0.2.7', '--no-message-authenticator'],
        env,
      );
      expect(plain.code).toBe(0);
      expect(plain.stdout.trim()).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(plain.stderr).toContain('BlastRADIUS');
      const list = await runCli(['radius-client', 'list', '--json'], env);
      const rows = JSON.parse(list.stdout);
      expect(
        rows.map((r: { name: string; address: string; requireMessageAuthenticator: boolean }) => [
          r.name,
          r.address,
          r.requireMessageAuthenticator,
        ]),
      ).toEqual([
        ['office-vpn', '10.0.0.0/24', true],
        ['wifi', '192.0.2.7/32', false],
      ]);
      expect(list.stdout).not.toContain(j.secret);
      expect((await runCli(['radius-client', 'add', 'office-vpn', '--address', '10.0.0.1'], env)).code).toBe(
        1,
      );
      expect((await runCli(['radius-client', 'add', 'x', '--address', '10.0.0.300'], env)).code).toBe(1);
      expect((await runCli(['radius-client', 'delete', 'office-vpn'], env)).code).toBe(0);
      expect((await runCli(['radius-client', 'delete', 'office-vpn'], env)).code).toBe(1);
      const audit = await runCli(['audit', '--json'], env);
      expect(audit.stdout).toContain('radius_client.created');
      expect(audit.stdout).not.toContain(j.secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const run = promisify(execFile);

describeRadclient('RADIUS door in `latchkey serve`', () => {
  it.skipIf(!existsSync(BIN))(
    'is started by serve, answers radclient, and stops on SIGTERM',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'latchkey-radius-serve-'));
      const env = { LATCHKEY_DATA_DIR: dir };
      try {
        await runCli(['user', 'add', 'erin', '--password-stdin'], env, 'correct horse battery staple\n');
        const cli = async (...args: string[]) =>
          (await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } })).stdout.trim();
        await cli('two-step', 'set', 'erin', 'enforced');
        const password = await cli('app-password', 'create', 'erin', '--label', 'VPN');
        const { secret } = JSON.parse(
          await cli('radius-client', 'add', 'vpn', '--address', '127.0.0.1', '--json'),
        );
        // A free UDP port: LATCHKEY_RADIUS_PORT=0 means "off".
        const probe: Socket = createSocket('udp4');
        const port = await new Promise<number>((r) =>
          probe.bind(0, '127.0.0.1', () => r(probe.address().port)),
        );
        probe.close();
        const serve = await startServe({ ...env, LATCHKEY_RADIUS_PORT: String(port) }, ['--ldap-port', '0']);
        try {
          await expect
            .poll(() => /RADIUS on udp:\/\/127\.0\.0\.1:\d+/.test(serve.output()), { timeout: 5000 })
            .toBe(true);
          const ok = await radclient(port, secret, pap('erin', password));
          expect(ok.out).toContain('Received Access-Accept');
          serve.child.kill('SIGTERM');
          expect((await serve.exited).code).toBe(0);
        } finally {
          serve.child.kill('SIGKILL');
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});

describe('shared secrets', () => {
  it('are 32 letters and digits, so no tool reads one as an option or a quote', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const s = generateSharedSecret();
      expect(s).toMatch(/^[A-Za-z0-9]{32}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(2000);
  });
});
