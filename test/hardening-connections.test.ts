// Regression tests for the third security review, items 1 and 2: connection exhaustion. Each test is the
// attack: one source (127.0.0.3) opens more connections than its share and sends nothing, or too little,
// while a client from another source (127.0.0.1, 127.0.0.2: Linux routes all of 127/8 to lo) signs in.
// Caps and timeouts are configured small so that the attacks are quick; margins are wide (a noisy
// machine may be slow, never early: a timer does not fire before its time).

import { execFile, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import asn1 from '@ldapjs/asn1';
import messages from '@ldapjs/messages';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { buildApp } from '../src/http/app.js';
import { createLdapServer, type LdapServer } from '../src/ldap/server.js';
import { serve } from '../src/main.js';
import { openStore, type Store } from '../src/store/database.js';
import { freePort } from './helpers/nginx.js';
import { tempDir } from './helpers/stores.js';

const BASE = 'dc=example,dc=org';
const PEOPLE = `ou=people,${BASE}`;
const SERVICE_DN = `cn=dovecot,ou=services,${BASE}`;
const NOTICE_OF_DISCONNECTION = '1.3.6.1.4.1.1466.20036';
const START_TLS = '1.3.6.1.4.1.1466.20037';
const BUSY = 51;
const UNAVAILABLE = 52;
const ATTACKER = '127.0.0.3';
const OTHER = '127.0.0.2';
/** A trusted proxy: nginx in front, through which everyone's requests arrive. */
const PROXY = '127.0.0.9';
const admin: Actor = { kind: 'system', name: 'test', ip: null };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

// ---- LDAP messages, encoded and decoded with @ldapjs/asn1 and @ldapjs/messages ------------------------

type Writer = InstanceType<typeof asn1.BerWriter>;
type Parsed = ReturnType<typeof messages.LdapMessage.parse>;

function message(id: number, op: (w: Writer) => void): Buffer {
  const w = new asn1.BerWriter();
  w.startSequence();
  w.writeInt(id);
  op(w);
  w.endSequence();
  return Buffer.from(w.buffer);
}

const bindRequest = (id: number, name: string, password: string) =>
  message(id, (w) => {
    w.startSequence(0x60);
    w.writeInt(3);
    w.writeString(name);
    w.writeBuffer(Buffer.from(password), 0x80);
    w.endSequence();
  });

const extendedRequest = (id: number, oid: string) =>
  message(id, (w) => {
    w.startSequence(0x77);
    w.writeString(oid, 0x80);
    w.endSequence();
  });

/** Every person under ou=people, all attributes. */
const searchPeople = (id: number) =>
  message(id, (w) => {
    w.startSequence(0x63);
    w.writeString(PEOPLE);
    w.writeEnumeration(2);
    w.writeEnumeration(0);
    w.writeInt(0);
    w.writeInt(0);
    w.writeBoolean(false);
    w.writeString('objectClass', 0x87);
    w.startSequence();
    w.endSequence();
    w.endSequence();
  });

/** A raw TCP connection from a chosen source: what it received and when it was closed. */
class Conn {
  private buffered = Buffer.alloc(0);
  readonly received: Parsed[] = [];
  /** Search result entries are only counted: a test below receives many megabytes of them. */
  entries = 0;
  closedAt: number | null = null;
  readonly openedAt = Date.now();

  private constructor(
    readonly socket: Socket,
    private readonly ldap: boolean,
  ) {
    socket.on('data', (d) => {
      if (!this.ldap) return;
      this.buffered = Buffer.concat([this.buffered, d]);
      for (;;) {
        const size = messageSize(this.buffered);
        if (size === null) break;
        if (operationTag(this.buffered) === SEARCH_RESULT_ENTRY) this.entries++;
        else
          this.received.push(messages.LdapMessage.parse(new asn1.BerReader(this.buffered.subarray(0, size))));
        this.buffered = this.buffered.subarray(size);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closedAt = Date.now();
    });
  }

  /** Resolves once connected, or once closed (a connection refused over a cap is closed at once). */
  static open(port: number, from: string, opts: { ldap?: boolean } = {}): Promise<Conn> {
    return new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1', localAddress: from });
      const conn = new Conn(socket, opts.ldap ?? true);
      socket.once('connect', () => resolve(conn));
      socket.once('close', () => resolve(conn));
    });
  }

  static async many(n: number, port: number, from: string, opts: { ldap?: boolean } = {}): Promise<Conn[]> {
    const out: Conn[] = [];
    // In batches: a burst of thousands would overflow the listen backlog, which is not what is tested.
    for (let i = 0; i < n; i += 20) {
      out.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, n - i) }, () => Conn.open(port, from, opts)),
        )),
      );
    }
    return out;
  }

  get closed(): boolean {
    return this.closedAt !== null;
  }

  /** Milliseconds from `since` (default: connecting) to the close; null while open. */
  lifetime(since = this.openedAt): number | null {
    return this.closedAt === null ? null : this.closedAt - since;
  }

  send(b: Buffer): void {
    this.socket.write(b);
  }

  async next(ms = 10_000): Promise<Parsed> {
    await until('an LDAP message arrives', () => this.received.length > 0 || this.closed, ms);
    const m = this.received.shift();
    if (!m) throw new Error('connection closed');
    return m;
  }

  notice(): Parsed | undefined {
    return this.received.find((m) => m.messageId === 0 && m.responseName === NOTICE_OF_DISCONNECTION);
  }

  close(): void {
    this.socket.destroy();
  }
}

const SEARCH_RESULT_ENTRY = 0x64;

/** The protocolOp tag of a whole LDAPMessage: after the SEQUENCE header and the messageID. */
function operationTag(buf: Buffer): number {
  const at = buf[1]! & 0x80 ? 2 + (buf[1]! & 0x7f) : 2;
  return buf[at + 2 + buf[at + 1]!]!;
}

/** The length of the first whole BER message in buf (definite lengths, as the server writes them). */
function messageSize(buf: Buffer): number | null {
  if (buf.length < 2) return null;
  let length = buf[1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (buf.length < 2 + n) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[2 + i]!;
    header += n;
  }
  return buf.length >= header + length ? header + length : null;
}

function closeAll(conns: Conn[]): void {
  for (const c of conns) c.close();
}

// ---- the real ldapwhoami --------------------------------------------------------------------------------

const HAVE_LDAPWHOAMI = spawnSync('ldapwhoami', ['-VV'], { stdio: 'ignore' }).error === undefined;
if (!HAVE_LDAPWHOAMI && process.env.CI === 'true') throw new Error('ldap-utils is required in CI');

function ldapwhoami(port: number, dn: string, password: string) {
  return new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    execFile(
      'ldapwhoami',
      ['-x', '-H', `ldap://127.0.0.1:${port}`, '-D', dn, '-w', password],
      { timeout: 15_000, env: { ...process.env, LDAPCONF: '/dev/null' } },
      (err, stdout) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout });
      },
    );
  });
}

// ---- HTTP from a chosen source --------------------------------------------------------------------------

function get(port: number, path: string, from: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers, localAddress: from, agent: false, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

// ---- one store and core for every door below -------------------------------------------------------------

let dir: string;
let store: Store;
let core: Core;
let alicePassword: string;
let serviceSecret: string;
let tls: { cert: Buffer; key: Buffer };

beforeAll(async () => {
  dir = tempDir('latchkey-connections-');
  const keys = loadServerKeys({ dataDir: dir, hmacKey: null, encryptionKey: null });
  store = await openStore({ dataDir: dir, databaseUrl: null });
  core = await createCore({ store, keys, flushIntervalMs: 0, relays: [PROXY] });
  await core.users.createUser(admin, {
    username: 'alice',
    email: 'alice@example.org',
    password: 'x'.repeat(12),
  });
  await core.twoStep.setTwoStepState(admin, 'alice', 'enforced');
  alicePassword = (await core.appPasswords.createAppPassword(admin, 'alice', { label: 'Laptop' })).password;
  serviceSecret = (await core.services.addService(admin, 'dovecot')).secret;
  // People with long names: searches of all of them fill the socket buffers quickly (the busy test).
  for (let i = 0; i < 150; i++) {
    await core.users.createUser(admin, {
      username: `person${i}`,
      email: `person${i}@example.org`,
      displayName: `Person Number ${i} ${'of the directory '.repeat(4)}`,
    });
  }
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]),
    { stdio: 'ignore', timeout: 30_000 },
  );
  if (made.status !== 0) throw new Error('openssl could not make a test certificate');
  tls = { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
});

afterAll(async () => {
  await core?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- LDAP ---------------------------------------------------------------------------------------------

describe('LDAP: one source cannot hold every connection', () => {
  let ldap: LdapServer;
  let port: number;
  let ldapsPort: number;
  const warnings: Array<{ obj: Record<string, unknown>; msg: string }> = [];

  beforeAll(async () => {
    ldap = createLdapServer({
      core,
      baseDn: BASE,
      domain: 'example.org',
      tls,
      log: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }),
      maxConnectionsPerSource: 50,
      // Long timeouts: here the attacker's sockets must stay while the others sign in.
      anonymousTimeoutMs: 120_000,
      idleTimeoutMs: 120_000,
    });
    port = await ldap.listen(0, '127.0.0.1');
    ldapsPort = await ldap.listenTls(0, '127.0.0.1');
  });
  afterAll(async () => {
    await ldap?.close();
  });

  it('refuses the connections beyond the per-source cap at once, while another source binds', async () => {
    const attack = await Conn.many(60, port, ATTACKER);
    await until('the ten over the cap are closed', () => attack.filter((c) => c.closed).length >= 10);
    await sleep(300);
    const refused = attack.filter((c) => c.closed);
    expect(refused).toHaveLength(10);
    for (const c of refused) {
      expect(c.notice()).toMatchObject({ type: 'ExtensionResponse', status: BUSY });
      expect(c.lifetime()).toBeLessThan(5_000);
    }

    // Another source binds while the attacker holds its fifty: the real ldapwhoami from 127.0.0.1…
    if (HAVE_LDAPWHOAMI) {
      const who = await ldapwhoami(port, `uid=alice,${PEOPLE}`, alicePassword);
      expect(who).toEqual({ code: 0, stdout: `dn:uid=alice,${PEOPLE}\n` });
    }
    // …and a client from 127.0.0.2.
    const client = await Conn.open(port, OTHER);
    client.send(bindRequest(1, 'alice', alicePassword));
    expect(await client.next()).toMatchObject({ messageId: 1, type: 'BindResponse', status: 0 });
    client.close();

    // The cap is for the door: LDAPS counts with plain LDAP, and is refused before its handshake.
    const tlsAttempt = await Conn.open(ldapsPort, ATTACKER, { ldap: false });
    await until('the LDAPS connection over the cap is closed', () => tlsAttempt.closed, 5_000);

    expect(attack.filter((c) => !c.closed)).toHaveLength(50);
    // One warning for the source, however many connections it was refused.
    const lines = warnings.filter((w) => w.obj.source === ATTACKER);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ obj: { cap: 50, refused: 1 } });
    expect(lines[0]!.msg).toMatch(/^ldap: connections refused/);

    // Connections closed by the attacker are counted no more: it gets its share back, not more.
    closeAll(attack);
    await sleep(300);
    const again = await Conn.many(55, port, ATTACKER);
    await until('five are refused', () => again.filter((c) => c.closed).length >= 5);
    await sleep(300);
    expect(again.filter((c) => !c.closed)).toHaveLength(50);
    closeAll(again);
  });

  it('does not cap a relay (a trusted proxy): everyone arrives through it', async () => {
    const relay = await Conn.many(70, port, PROXY);
    await sleep(500);
    expect(relay.filter((c) => c.closed)).toHaveLength(0);
    relay[0]!.send(bindRequest(1, SERVICE_DN, serviceSecret));
    expect(await relay[0]!.next()).toMatchObject({ messageId: 1, status: 0 });
    closeAll(relay);
  });
});

describe('LDAP: idle connections time out, busy ones do not', () => {
  let ldap: LdapServer;
  let port: number;
  let ldapsPort: number;
  const ANONYMOUS_MS = 1000;
  const IDLE_MS = 3000;

  beforeAll(async () => {
    ldap = createLdapServer({
      core,
      baseDn: BASE,
      domain: 'example.org',
      tls,
      anonymousTimeoutMs: ANONYMOUS_MS,
      idleTimeoutMs: IDLE_MS,
    });
    port = await ldap.listen(0, '127.0.0.1');
    ldapsPort = await ldap.listenTls(0, '127.0.0.1');
  });
  afterAll(async () => {
    await ldap?.close();
  });

  it('closes connections that never bind after the anonymous timeout, with a Notice of Disconnection', async () => {
    const silent = await Conn.many(5, port, ATTACKER);
    // A message sent a byte at a time keeps nothing open: only whole requests count.
    const dribbler = await Conn.open(port, ATTACKER);
    const whole = bindRequest(1, 'alice', 'a'.repeat(200));
    let at = 0;
    const drip = setInterval(() => {
      if (at < whole.length - 1 && !dribbler.closed) dribbler.send(whole.subarray(at, ++at));
    }, 100);
    // An anonymous client that did bind, but wrongly, is anonymous again.
    const failed = await Conn.open(port, ATTACKER);
    failed.send(bindRequest(1, 'nobody-here', 'wrong'));
    expect(await failed.next()).toMatchObject({ messageId: 1, status: 49 });
    const failedAt = Date.now();

    const all = [...silent, dribbler, failed];
    try {
      await until('every unbound connection is closed', () => all.every((c) => c.closed), 15_000);
    } finally {
      clearInterval(drip);
    }
    for (const c of all) {
      expect(c.lifetime()).toBeGreaterThanOrEqual(ANONYMOUS_MS - 50);
      expect(c.notice()).toMatchObject({ type: 'ExtensionResponse', status: UNAVAILABLE });
    }
    expect(failed.lifetime(failedAt)).toBeGreaterThanOrEqual(ANONYMOUS_MS - 50);
  });

  it('closes a bound connection after the idle timeout, and not before', async () => {
    const c = await Conn.open(port, OTHER);
    c.send(bindRequest(1, 'alice', alicePassword));
    expect(await c.next()).toMatchObject({ messageId: 1, status: 0 });
    const boundAt = Date.now();
    // Well past the anonymous timeout, well before the idle one.
    await sleep((ANONYMOUS_MS + IDLE_MS) / 2);
    expect(c.closed).toBe(false);
    await until('the idle connection is closed', () => c.closed, IDLE_MS + 10_000);
    expect(c.lifetime(boundAt)).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(c.notice()).toMatchObject({ type: 'ExtensionResponse', status: UNAVAILABLE });
  });

  it('does not cut a connection whose bind is still being checked', async () => {
    // Every thread of libuv's pool waits to open a FIFO that nobody writes to (using no CPU): the bind's
    // argon2id check (an unknown name gets a dummy hash) queues behind them for three times the
    // anonymous timeout, with nothing else happening on the connection.
    const fifos = Array.from({ length: 64 }, (_, i) => join(dir, `pool-${i}`));
    expect(spawnSync('mkfifo', fifos).status).toBe(0);
    const blockers = fifos.map((f) => open(f, 'r'));
    // Opening the other ends lets every blocked open() return.
    const release = async () => {
      const writers = fifos.map((f) => openSync(f, constants.O_RDWR));
      for (const handle of await Promise.all(blockers)) await handle.close();
      for (const w of writers) closeSync(w);
    };
    const c = await Conn.open(port, ATTACKER);
    try {
      c.send(bindRequest(1, 'nobody-at-all', 'not the password'));
      await sleep(3 * ANONYMOUS_MS);
      expect(c.closed).toBe(false);
      expect(c.received).toHaveLength(0);
    } finally {
      await release();
    }
    expect(await c.next()).toMatchObject({ messageId: 1, type: 'BindResponse', status: 49 });
    expect(c.notice()).toBeUndefined();
    // Anonymous again, and now idle: the anonymous timeout applies.
    await until('the connection is closed', () => c.closed, 10_000);
    expect(c.notice()).toMatchObject({ status: UNAVAILABLE });
  });

  /** 256 searches of every person: some 17 MB of answers (the kernel's socket buffers take about 4). */
  const SEARCHES = 256;
  /** alice and 150 people, and ou=people itself (the search's base, in its own subtree). */
  const PEOPLE_ENTRIES = 152;

  it('does not cut a connection whose answers a slow reader is still reading', async () => {
    const c = await Conn.open(port, OTHER);
    c.send(bindRequest(1, SERVICE_DN, serviceSecret));
    expect(await c.next()).toMatchObject({ messageId: 1, status: 0 });
    // The client reads at 2 MB/s: the searches stay in progress, waiting on it, for some 8 s with no new
    // request: well over twice the idle timeout.
    const RATE = 2_000_000;
    let read = 0;
    const started = Date.now();
    c.socket.on('data', (d) => {
      read += d.length;
      if (read > (RATE * (Date.now() - started)) / 1000) {
        c.socket.pause();
        setTimeout(() => c.socket.resume(), 50);
      }
    });
    for (let id = 2; id < 2 + SEARCHES; id++) c.send(searchPeople(id));
    await until(
      'every search is answered',
      () => c.received.filter((m) => m.type === 'SearchResultDone').length === SEARCHES || c.closed,
      60_000,
    );
    const doneAt = Date.now();
    // Nothing was cut mid-answer: every entry arrived, and a notice (the idle clock runs again from the
    // server's last write, while the kernel may still hold some of it for the client) only after them.
    const n = c.notice();
    const lastDone = c.received.map((m) => m.type).lastIndexOf('SearchResultDone');
    expect(n === undefined || c.received.indexOf(n) > lastDone).toBe(true);
    expect(c.entries).toBe(SEARCHES * PEOPLE_ENTRIES);
    expect(c.received.filter((m) => m.type === 'SearchResultDone').every((m) => m.status === 0)).toBe(true);
    expect(doneAt - started, 'the answers took longer than twice the idle timeout').toBeGreaterThan(
      2 * IDLE_MS,
    );
    // Once the work is done, the idle clock runs again (from the server's last answer, which the client
    // reads some seconds later).
    await until('the idle connection is closed', () => c.closed, IDLE_MS + 10_000);
    expect(c.notice()).toMatchObject({ type: 'ExtensionResponse', status: UNAVAILABLE });
  });

  it('cuts a connection whose client reads none of its answers for the idle timeout', async () => {
    const c = await Conn.open(port, OTHER);
    c.send(bindRequest(1, SERVICE_DN, serviceSecret));
    expect(await c.next()).toMatchObject({ messageId: 1, status: 0 });
    c.socket.pause();
    for (let id = 2; id < 2 + SEARCHES; id++) c.send(searchPeople(id));
    // A paused client does not notice the close: it reads again after the server should have given up.
    await sleep(2 * IDLE_MS + 1000);
    c.socket.resume();
    await until('the stalled connection is closed', () => c.closed, 20_000);
    expect(c.received.filter((m) => m.type === 'SearchResultDone').length).toBeLessThan(SEARCHES);
  });

  it('bounds TLS handshakes by the anonymous timeout: LDAPS, and StartTLS', async () => {
    const ldaps = await Conn.open(ldapsPort, ATTACKER, { ldap: false });
    const starttls = await Conn.open(port, ATTACKER);
    starttls.send(extendedRequest(1, START_TLS));
    expect(await starttls.next()).toMatchObject({ messageId: 1, status: 0, responseName: START_TLS });
    const answeredAt = Date.now();
    // Neither sends a ClientHello.
    await until('both are closed', () => ldaps.closed && starttls.closed, 15_000);
    expect(ldaps.lifetime()).toBeGreaterThanOrEqual(ANONYMOUS_MS - 50);
    expect(starttls.lifetime(answeredAt)).toBeGreaterThanOrEqual(ANONYMOUS_MS - 50);
  });
});

// ---- HTTP ---------------------------------------------------------------------------------------------

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as { port: number }).port;
}

describe('HTTP: one source cannot hold every connection', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    app = buildApp({
      core,
      logLevel: 'silent',
      trustedProxies: [PROXY],
      connections: { maxConnectionsPerSource: 20, headersTimeoutMs: 120_000, idleTimeoutMs: 120_000 },
    });
    port = await listen(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses the sockets beyond the per-source cap at once; /healthz and /auth/basic answer another source', async () => {
    const attack = await Conn.many(40, port, ATTACKER, { ldap: false });
    await until('the twenty over the cap are closed', () => attack.filter((c) => c.closed).length >= 20);
    await sleep(300);
    expect(attack.filter((c) => !c.closed)).toHaveLength(20);
    for (const c of attack.filter((c) => c.closed)) expect(c.lifetime()).toBeLessThan(5_000);

    expect((await get(port, '/healthz', OTHER)).status).toBe(200);
    const verified = await get(port, '/auth/basic', OTHER, { authorization: basic('alice', alicePassword) });
    expect(verified).toMatchObject({ status: 200, headers: { 'remote-user': 'alice' } });
    expect((await get(port, '/healthz', '127.0.0.1')).status).toBe(200);

    // The attacker's own sockets are refused; its open ones still hold.
    await expect(get(port, '/healthz', ATTACKER)).rejects.toThrow();
    expect(attack.filter((c) => !c.closed)).toHaveLength(20);
    closeAll(attack);
  });

  it('does not cap a trusted proxy per source', async () => {
    const proxied = await Conn.many(60, port, PROXY, { ldap: false });
    await sleep(500);
    expect(proxied.filter((c) => c.closed)).toHaveLength(0);
    expect((await get(port, '/healthz', PROXY)).status).toBe(200);
    closeAll(proxied);
  });
});

describe('HTTP: silent, slow and idle sockets time out', () => {
  let app: FastifyInstance;
  let port: number;
  const HEADERS_MS = 1000;
  const IDLE_MS = 1000;

  beforeAll(async () => {
    app = buildApp({
      core,
      logLevel: 'silent',
      connections: { headersTimeoutMs: HEADERS_MS, idleTimeoutMs: IDLE_MS },
    });
    port = await listen(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('closes a silent socket and a slow request line after the headers timeout', async () => {
    const silent = await Conn.many(5, port, ATTACKER, { ldap: false });
    // Slowloris: half a request line, then nothing.
    const slow = await Conn.open(port, ATTACKER, { ldap: false });
    slow.send(Buffer.from('GET /healthz HT'));
    // …or the headers a byte at a time, which no idle timer notices.
    const dribbler = await Conn.open(port, ATTACKER, { ldap: false });
    const head = Buffer.from(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`);
    let at = 0;
    const drip = setInterval(() => {
      if (at < head.length - 1 && !dribbler.closed) dribbler.send(head.subarray(at, ++at));
    }, 100);
    const all = [...silent, slow, dribbler];
    try {
      await until('all are closed', () => all.every((c) => c.closed), 15_000);
    } finally {
      clearInterval(drip);
    }
    for (const c of all) expect(c.lifetime()).toBeGreaterThanOrEqual(HEADERS_MS - 50);
  });

  it('closes a kept-alive socket after the idle timeout', async () => {
    const c = await Conn.open(port, OTHER, { ldap: false });
    let answer = '';
    c.socket.on('data', (d) => {
      answer += d.toString();
    });
    c.send(Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    await until('the answer arrives', () => answer.includes('"ok"'));
    const answeredAt = Date.now();
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toMatch(/keep-alive/i);
    await until('the idle socket is closed', () => c.closed, 15_000);
    expect(c.lifetime(answeredAt)).toBeGreaterThanOrEqual(IDLE_MS - 50);
  });
});

// ---- the settings, through `latchkey serve` -------------------------------------------------------------

describe('settings', () => {
  it('have documented defaults and refuse nonsense', () => {
    const config = loadConfig({}, {});
    expect(config).toMatchObject({
      maxConnections: 4096,
      maxConnectionsPerSource: 256,
      httpHeadersTimeout: 15,
      httpIdleTimeout: 75,
      ldapAnonymousTimeout: 20,
      ldapIdleTimeout: 900,
    });
    expect(() => loadConfig({}, { LATCHKEY_MAX_CONNECTIONS: '0' })).toThrow(/LATCHKEY_MAX_CONNECTIONS/);
    expect(() => loadConfig({}, { LATCHKEY_LDAP_ANONYMOUS_TIMEOUT: '1.5' })).toThrow(/ANONYMOUS/);
    expect(() => loadConfig({}, { LATCHKEY_HTTP_HEADERS_TIMEOUT: '0' })).toThrow(/HEADERS/);
    expect(loadConfig({}, { LATCHKEY_LDAP_IDLE_TIMEOUT: '0' }).ldapIdleTimeout).toBe(0);
  });

  it('reach both doors of a running server', async () => {
    const serverDir = tempDir('latchkey-connections-serve-');
    const dataDir = join(serverDir, 'data');
    const server = await serve(
      loadConfig(
        {
          dataDir,
          httpPort: '0',
          ldapPort: String(await freePort()),
          logLevel: 'silent',
          maxConnectionsPerSource: '5',
          ldapAnonymousTimeout: '1',
          httpHeadersTimeout: '1',
        },
        {},
      ),
      () => {},
    );
    const conns: Conn[] = [];
    try {
      const ldapConns = await Conn.many(8, server.ldapPort!, ATTACKER);
      const httpConns = await Conn.many(8, server.port, ATTACKER, { ldap: false });
      conns.push(...ldapConns, ...httpConns);
      await until('three of each are refused', () =>
        [ldapConns, httpConns].every((cs) => cs.filter((c) => c.closed).length >= 3),
      );
      await until('the rest time out', () => conns.every((c) => c.closed), 15_000);
      for (const c of [...ldapConns, ...httpConns].filter((c) => c.lifetime()! > 500)) {
        expect(c.lifetime()).toBeGreaterThanOrEqual(950);
      }
      expect(conns.filter((c) => c.lifetime()! >= 950)).toHaveLength(10);
    } finally {
      closeAll(conns);
      await server.stop();
      rmSync(serverDir, { recursive: true, force: true });
    }
  });
});
