// FreeRADIUS as a proxy in front of Latchkey (issue 13, item 3; docs/radius.md): the real
// `freeradius -X` (Debian's freeradius, installed by .ci/run) on 127.0.0.1 forwards PAP requests it
// receives from `radclient` to the RADIUS door, and brings the answer back. The configuration is the
// one the guide shows, written to a directory of its own on high ports; the door runs in this process.

import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { createRadiusServer, type RadiusServer } from '../src/radius/server.js';
import { openStore, type Store } from '../src/store/database.js';
import { FREERADIUS, type FreeradiusProcess, startFreeradius } from './helpers/freeradius.js';

const EAPOL_TEST = ['/usr/bin/eapol_test', '/usr/sbin/eapol_test'].find((p) => existsSync(p)) ?? null;
const RADCLIENT = ['/usr/bin/radclient', '/usr/local/bin/radclient'].find((p) => existsSync(p)) ?? null;
// In CI a missing peer is a failure, not a skip.
const describePeers = (FREERADIUS && RADCLIENT) || process.env.CI ? describe : describe.skip;
const admin = { kind: 'system', name: 'test', ip: null } as const;
const NAS_SECRET = 'the-switch-and-freeradius-share-this';

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  const port = await new Promise<number>((r) => s.bind(0, '127.0.0.1', () => r(s.address().port)));
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function radclient(port: number, attrs: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(RADCLIENT ?? 'radclient', [
      '-x',
      '-r',
      '1',
      '-t',
      '5',
      `127.0.0.1:${port}`,
      'auth',
      NAS_SECRET,
    ]);
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    child.on('close', () => resolve(out));
    child.stdin.end(`${attrs}\n`);
  });
}

const pap = (user: string, password: string) =>
  `User-Name = "${user}", User-Password = "${password}", Message-Authenticator = 0x00`;

describePeers('FreeRADIUS as a proxy in front of Latchkey', () => {
  let dataDir: string;
  let store: Store;
  let core: Core;
  let door: RadiusServer;
  let fr: FreeradiusProcess | null = null;
  let frPort: number;
  let confDir: string;
  let appPassword: string;
  const doorLog: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'latchkey-radius-proxy-'));
    const keys = loadServerKeys({ dataDir, hmacKey: null, encryptionKey: null });
    store = await openStore({ dataDir, databaseUrl: null });
    core = await createCore({ store, keys, flushIntervalMs: 0 });
    await core.users.createUser(admin, {
      username: 'alice',
      email: 'alice@example.org',
      password: 'correct horse battery staple',
    });
    await core.twoStep.setTwoStepState(admin, 'alice', 'enforced');
    appPassword = (await core.appPasswords.createAppPassword(admin, 'alice', { label: 'Wi-Fi' })).password;
    // FreeRADIUS is Latchkey's one RADIUS client; the equipment behind it talks to FreeRADIUS only.
    const { secret } = await core.radiusClients.addRadiusClient(admin, {
      name: 'freeradius',
      address: '127.0.0.1',
    });
    await core.radiusClients.addReplyRule(admin, { group: 'users', attribute: 'Tunnel-Type', value: 'VLAN' });
    await core.radiusClients.addReplyRule(admin, {
      group: 'users',
      attribute: 'Tunnel-Medium-Type',
      value: 'IEEE-802',
    });
    await core.radiusClients.addReplyRule(admin, {
      group: 'users',
      attribute: 'Tunnel-Private-Group-Id',
      value: '30',
    });
    door = createRadiusServer({ core, log: (_o, m) => doorLog.push(m) });
    const latchkeyPort = await door.listen(0, '127.0.0.1');
    frPort = await freeUdpPort();
    confDir = join(dataDir, 'freeradius');
    fr = await startFreeradius(confDir, {
      listenPort: frPort,
      latchkeyPort,
      latchkeySecret: secret,
      nasSecret: NAS_SECRET,
    });
  }, 20_000);

  afterAll(async () => {
    await fr?.stop();
    await door?.close();
    await core?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('radclient → FreeRADIUS → Latchkey: Access-Accept with the VLAN and Class, back through the proxy', async () => {
    const out = await radclient(frPort, pap('alice', appPassword));
    expect(out, `${out}\n--- freeradius:\n${fr!.output().slice(-3000)}`).toContain('Received Access-Accept');
    const answer = out.slice(out.indexOf('Received Access-Accept'));
    expect(answer).toMatch(/Tunnel-Private-Group-Id(:0)? = "30"/);
    expect(answer).toMatch(/Tunnel-Type(:0)? = VLAN/);
    expect(answer).toMatch(/Class = 0x/);
    // Latchkey decided it, for the account, and knows it came through FreeRADIUS.
    const [e] = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
    expect(e).toMatchObject({ door: 'radius', result: 'accepted', ip: '127.0.0.1' });
    expect(e!.userAgent).toContain('RADIUS client freeradius');
    // The proxied request carried a valid Message-Authenticator: nothing was dropped for its lack.
    expect(doorLog.some((l) => l.includes('Message-Authenticator'))).toBe(false);
  }, 20_000);

  /** One WPA-Enterprise sign-in as a Wi-Fi access point would relay it: eapol_test, EAP-TTLS with PAP inside. */
  function eapolTest(user: string, password: string): Promise<{ code: number | null; out: string }> {
    const conf = join(confDir, `eapol-${user}-${Date.now()}.conf`);
    writeFileSync(
      conf,
      `network={
  key_mgmt=WPA-EAP
  eap=TTLS
  identity="${user}"
  anonymous_identity="anonymous"
  password="${password}"
  phase2="auth=PAP"
  ca_cert="${join(confDir, 'ca.pem')}"
  domain_match="radius.example.org"
}
`,
    );
    return new Promise((resolve) => {
      const child = spawn(EAPOL_TEST ?? 'eapol_test', [
        '-c',
        conf,
        '-a',
        '127.0.0.1',
        '-p',
        String(frPort),
        '-s',
        NAS_SECRET,
        '-t',
        '10',
      ]);
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
      });
      child.stderr.on('data', (c) => {
        out += c;
      });
      child.on('close', (code) => resolve({ code, out }));
    });
  }

  (EAPOL_TEST || process.env.CI ? it : it.skip)(
    'WPA-Enterprise: EAP-TTLS/PAP ends at FreeRADIUS, the password inside is checked by Latchkey, the VLAN comes back',
    async () => {
      const ok = await eapolTest('alice', appPassword);
      expect(ok.out, `${ok.out.slice(-4000)}\n--- freeradius:\n${fr!.output().slice(-4000)}`).toMatch(
        /^SUCCESS$/m,
      );
      expect(ok.code).toBe(0);
      // The outer Access-Accept carries the VLAN Latchkey chose (attribute 81: Tunnel-Private-Group-Id).
      expect(ok.out, fr!.output().slice(-12000)).toMatch(
        /Attribute 81 \(Tunnel-Private-Group-Id\) length=4[\s\S]*?Value: 3330/,
      );
      const [e] = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
      expect(e).toMatchObject({ door: 'radius', result: 'accepted' });
      const bad = await eapolTest('alice', 'not the app password');
      expect(bad.out).toMatch(/^FAILURE$/m);
      expect(bad.code).not.toBe(0);
      const [r] = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
      expect(r).toMatchObject({ result: 'refused', reason: 'invalid_credentials' });
    },
    40_000,
  );

  it('a wrong password comes back as Access-Reject, the reason only in Latchkey’s log', async () => {
    const out = await radclient(frPort, pap('alice', 'not the app password'));
    expect(out).toContain('Received Access-Reject');
    expect(out).not.toMatch(/Tunnel-|Reply-Message/);
    const [e] = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
    expect(e).toMatchObject({ result: 'refused', reason: 'invalid_credentials' });
  }, 20_000);
});
