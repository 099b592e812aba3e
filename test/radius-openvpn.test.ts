// OpenVPN with Debian's `openvpn-auth-radius` plugin (radiusplugin 2.1) and Latchkey (issue 13, item 3;
// docs/radius-guides.md): a real OpenVPN server on 127.0.0.1 whose radiusplugin asks a FreeRADIUS in
// front of Latchkey, and a real OpenVPN client that signs in with a username and an app password.
// Why FreeRADIUS: the plugin sends no Message-Authenticator, and a connection fails unless its
// accounting is answered, which Latchkey does not do (both shown below). The tunnel devices are opened
// but never configured (ifconfig-noexec, route-noexec): nothing on the machine changes.

import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { createRadiusServer, type RadiusServer } from '../src/radius/server.js';
import { openStore, type Store } from '../src/store/database.js';
import { makeTestCertificates } from './helpers/certs.js';
import { FREERADIUS, type FreeradiusProcess, startFreeradius } from './helpers/freeradius.js';

const OPENVPN = ['/usr/sbin/openvpn', '/usr/bin/openvpn'].find((p) => existsSync(p)) ?? null;
const PLUGIN = ['/usr/lib/openvpn/radiusplugin.so'].find((p) => existsSync(p)) ?? null;
// In CI a missing peer is a failure, not a skip.
const describePeers =
  (OPENVPN && PLUGIN && FREERADIUS && existsSync('/dev/net/tun')) || process.env.CI
    ? describe
    : describe.skip;
const NAS_SECRET = 'openvpn-and-freeradius-share-this';
const admin = { kind: 'system', name: 'test', ip: null } as const;

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  const port = await new Promise<number>((r) => s.bind(0, '127.0.0.1', () => r(s.address().port)));
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * radiusplugin (2.1) reads at most four digits of a port (21812 becomes 2181): the door and the
 * accounting port are given ports from 2000 to 9999 (1812 and 1813 in real life).
 */
async function listenLow(listen: (port: number) => Promise<number>): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 2000 + Math.floor(Math.random() * 8000);
    try {
      return await listen(port);
    } catch {
      // taken: try another
    }
  }
  throw new Error('no free UDP port from 2000 to 9999');
}

function makeCertificates(dir: string) {
  makeTestCertificates(dir, {
    ca: 'Test VPN CA',
    server: 'vpn.example.org',
    extensions: ['extendedKeyUsage=serverAuth', 'keyUsage=digitalSignature'],
  });
}

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function run(args: string[], cwd: string): Proc {
  const child = spawn(OPENVPN ?? 'openvpn', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => {
    out += c;
  });
  child.stderr!.on('data', (c) => {
    out += c;
  });
  return { child, output: () => out };
}

async function waitFor(p: Proc, pattern: RegExp, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (pattern.test(p.output())) return true;
    if (p.child.exitCode !== null) return pattern.test(p.output());
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function stop(p: Proc | null) {
  if (!p || p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

describePeers('OpenVPN (radiusplugin) → FreeRADIUS → Latchkey', () => {
  let dir: string;
  let store: Store;
  let core: Core;
  let door: RadiusServer;
  let fr: FreeradiusProcess | null = null;
  const servers: Proc[] = [];
  let appPassword: string;
  let doorPort: number;
  const doorLog: string[] = [];

  /** A port from 2000 to 9999 that is free now (FreeRADIUS binds it itself). */
  const lowPort = () =>
    listenLow(async (p) => {
      const s = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.bind(p, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((r) => s.close(() => r()));
      return p;
    });

  /** An OpenVPN server whose radiusplugin asks `authPort`/`acctPort` on 127.0.0.1; resolves with its port. */
  async function vpnServer(
    name: string,
    authPort: number,
    acctPort: number,
    secret: string,
  ): Promise<number> {
    const port = await freeUdpPort();
    const conf = join(dir, `${name}.conf`);
    writeFileSync(
      join(dir, `${name}-radiusplugin.cnf`),
      `NAS-Identifier=OpenVPN
Service-Type=5
Framed-Protocol=1
NAS-Port-Type=5
NAS-IP-Address=127.0.0.1
OpenVPNConfig=${conf}
subnet=255.255.255.0
overwriteccfiles=true
server
{
	acctport=${acctPort}
	authport=${authPort}
	name=127.0.0.1
	retry=1
	wait=2
	sharedsecret=${secret}
}
`,
    );
    writeFileSync(
      conf,
      `mode server
tls-server
proto udp4
local 127.0.0.1
port ${port}
dev tun
topology subnet
ifconfig 10.213.7.1 255.255.255.0
ifconfig-pool 10.213.7.10 10.213.7.100
push "topology subnet"
ifconfig-noexec
route-noexec
ca ${join(dir, 'ca.pem')}
cert ${join(dir, 'server.pem')}
key ${join(dir, 'server.key')}
dh none
verify-client-cert none
username-as-common-name
plugin ${PLUGIN} ${join(dir, `${name}-radiusplugin.cnf`)}
verb 3
`,
    );
    const server = run(['--config', conf], dir);
    servers.push(server);
    const up = await waitFor(server, /Initialization Sequence Completed/, 10_000);
    if (!up) throw new Error(`openvpn server did not start:\n${server.output()}`);
    return port;
  }

  let viaFreeradius: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-openvpn-'));
    const keys = loadServerKeys({ dataDir: dir, hmacKey: null, encryptionKey: null });
    store = await openStore({ dataDir: dir, databaseUrl: null });
    core = await createCore({ store, keys, flushIntervalMs: 0 });
    await core.users.createUser(admin, { username: 'alice', password: 'correct horse battery staple' });
    await core.twoStep.setTwoStepState(admin, 'alice', 'enforced');
    appPassword = (await core.appPasswords.createAppPassword(admin, 'alice', { label: 'VPN' })).password;
    door = createRadiusServer({ core, log: (_o, m) => doorLog.push(m), clientsRefreshMs: 0 });
    doorPort = await listenLow((p) => door.listen(p, '127.0.0.1'));
    // FreeRADIUS is Latchkey's RADIUS client, with Message-Authenticator required as by default.
    const { secret } = await core.radiusClients.addRadiusClient(admin, {
      name: 'freeradius',
      address: '127.0.0.1',
    });
    makeCertificates(dir);
    const frAuth = await lowPort();
    const frAcct = await lowPort();
    fr = await startFreeradius(join(dir, 'freeradius'), {
      listenPort: frAuth,
      acctPort: frAcct,
      latchkeyPort: doorPort,
      latchkeySecret: secret,
      nasSecret: NAS_SECRET,
      nasRequireMessageAuthenticator: false,
    });
    viaFreeradius = await vpnServer('via-freeradius', frAuth, frAcct, NAS_SECRET);
  }, 40_000);

  afterAll(async () => {
    for (const s of servers) await stop(s);
    await fr?.stop();
    await door?.close();
    await core?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function connect(
    port: number,
    user: string,
    password: string,
  ): Promise<{ ok: boolean; out: string }> {
    const creds = join(dir, `creds-${user}-${Date.now()}`);
    writeFileSync(creds, `${user}\n${password}\n`, { mode: 0o600 });
    const client = run(
      [
        '--client',
        '--proto',
        'udp4',
        '--remote',
        '127.0.0.1',
        String(port),
        '--dev',
        'tun',
        '--nobind',
        '--ifconfig-noexec',
        '--route-noexec',
        '--ca',
        join(dir, 'ca.pem'),
        '--verify-x509-name',
        'vpn.example.org',
        'name',
        '--auth-user-pass',
        creds,
        '--auth-retry',
        'none',
        '--verb',
        '3',
      ],
      dir,
    );
    const done = await waitFor(client, /Initialization Sequence Completed|AUTH_FAILED/, 20_000);
    await stop(client);
    const out = client.output();
    return { ok: done && /Initialization Sequence Completed/.test(out), out };
  }

  it('an app password opens the tunnel: Latchkey decides, FreeRADIUS answers the accounting', async () => {
    const r = await connect(viaFreeradius, 'alice', appPassword);
    expect(
      r.ok,
      `${doorLog.join(' / ')}\n${r.out}\n--- openvpn:\n${servers[0]!.output().slice(-4000)}\n--- freeradius:\n${fr!.output().slice(-4000)}`,
    ).toBe(true);
    const [e] = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
    expect(e).toMatchObject({ door: 'radius', result: 'accepted' });
    expect(e!.userAgent).toContain('RADIUS client freeradius');
    expect(fr!.output()).toMatch(/Sent Accounting-Response/);
    expect(door.stats.drops.no_message_authenticator).toBe(0);
  }, 40_000);

  it('a wrong password is AUTH_FAILED, the reason in Latchkey’s log only', async () => {
    const r = await connect(viaFreeradius, 'alice', 'not the app password');
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/AUTH_FAILED/);
    const [e] = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
    expect(e).toMatchObject({ result: 'refused', reason: 'invalid_credentials' });
  }, 40_000);

  it('straight to Latchkey the plugin gets no answer: it sends no Message-Authenticator', async () => {
    // Requests without Message-Authenticator are dropped before any secret is looked at.
    const direct = await vpnServer('direct', doorPort, doorPort + 1, 'any-secret');
    const before = door.stats.drops.no_message_authenticator;
    const r = await connect(direct, 'alice', appPassword);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/AUTH_FAILED/);
    expect(door.stats.drops.no_message_authenticator).toBeGreaterThan(before);
    expect(servers.at(-1)!.output()).toMatch(/Got no response from radius server/);
  }, 40_000);
});
