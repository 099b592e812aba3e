// FreeRADIUS as a proxy in front of Latchkey (issue 13, item 3; docs/radius.md): the real
// `freeradius -X` (Debian's freeradius, installed by .ci/run) on 127.0.0.1 forwards PAP requests it
// receives from `radclient` to the RADIUS door, and brings the answer back. The configuration is the
// one the guide shows, written to a directory of its own on high ports; the door runs in this process.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { createRadiusServer, type RadiusServer } from '../src/radius/server.js';
import { openStore, type Store } from '../src/store/database.js';

const FREERADIUS = ['/usr/sbin/freeradius', '/usr/sbin/radiusd'].find((p) => existsSync(p)) ?? null;
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

/**
 * A FreeRADIUS 3 configuration that proxies PAP requests to Latchkey (the guide's, on test ports), and
 * terminates EAP-TTLS itself: the PAP request inside the tunnel is proxied to Latchkey the same way,
 * and the inner answer's VLAN attributes are copied to the outer Access-Accept.
 */
function freeradiusConf(
  dir: string,
  o: { listenPort: number; latchkeyPort: number; latchkeySecret: string },
) {
  return `# FreeRADIUS in front of Latchkey: a test configuration (test/radius-proxy.test.ts).
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
datarootdir = /usr/share
dictdir = /usr/share/freeradius
libdir = /usr/lib/freeradius
raddbdir = ${dir}
confdir = ${dir}
modconfdir = ${dir}
logdir = ${dir}
radacctdir = ${dir}
run_dir = ${dir}
db_dir = ${dir}
name = freeradius
pidfile = ${dir}/freeradius.pid
max_request_time = 10
cleanup_delay = 2
max_requests = 1024
hostname_lookups = no
log {
  destination = stdout
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}
thread pool {
  start_servers = 1
  max_servers = 2
  min_spare_servers = 1
  max_spare_servers = 2
  max_requests_per_server = 0
}
modules {
  eap {
    default_eap_type = ttls
    timer_expire = 60
    max_sessions = 64
    tls-config tls-common {
      private_key_file = ${dir}/server.key
      certificate_file = ${dir}/server.pem
      ca_file = ${dir}/ca.pem
      cipher_list = "DEFAULT"
      tls_min_version = "1.2"
      tls_max_version = "1.3"
    }
    ttls {
      tls = tls-common
      default_eap_type = md5
      virtual_server = "inner-tunnel"
    }
  }
}

proxy_requests = yes
proxy server {
  default_fallback = no
}
home_server latchkey {
  type = auth
  ipaddr = 127.0.0.1
  port = ${o.latchkeyPort}
  secret = ${o.latchkeySecret}
  response_window = 5
  zombie_period = 10
  status_check = none
}
home_server_pool latchkey {
  type = fail-over
  home_server = latchkey
}
realm latchkey {
  auth_pool = latchkey
  nostrip
}

# The NAS (here radclient) that asks FreeRADIUS.
client switch {
  ipaddr = 127.0.0.1
  secret = ${NAS_SECRET}
  require_message_authenticator = yes
}

server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${o.listenPort}
  }
  authorize {
    # EAP (the Wi-Fi's WPA-Enterprise) is answered here; anything else goes to Latchkey as it is.
    if (&EAP-Message) {
      eap
    }
    else {
      update control {
        &Proxy-To-Realm := "latchkey"
      }
    }
  }
  authenticate {
    Auth-Type eap {
      eap
    }
  }
  post-auth {
    # The VLAN Latchkey chose for the person, from inside the tunnel to the access point.
    update reply {
      &Tunnel-Type := &session-state:Tunnel-Type
      &Tunnel-Medium-Type := &session-state:Tunnel-Medium-Type
      &Tunnel-Private-Group-Id := &session-state:Tunnel-Private-Group-Id
    }
  }
  post-proxy {
    # An answer to a request proxied from inside an EAP tunnel goes back into the tunnel.
    eap
  }
  pre-proxy {
    # Latchkey requires Message-Authenticator (BlastRADIUS): have FreeRADIUS compute one on the
    # proxied request, whether or not the NAS sent one.
    update proxy-request {
      &Message-Authenticator := 0x00
    }
  }
}

# Inside the EAP-TTLS tunnel: the person's username and password (PAP), forwarded to Latchkey.
server inner-tunnel {
  authorize {
    update control {
      &Proxy-To-Realm := "latchkey"
    }
  }
  authenticate {
  }
  post-auth {
    # Runs on Latchkey's answer, passed back into the tunnel: keep its VLAN for the outer reply.
    update outer.session-state {
      &Tunnel-Type := &reply:Tunnel-Type
      &Tunnel-Medium-Type := &reply:Tunnel-Medium-Type
      &Tunnel-Private-Group-Id := &reply:Tunnel-Private-Group-Id
    }
  }
}
`;
}

/** A CA and the FreeRADIUS server's certificate (EAP-TTLS), made with openssl. */
function makeCertificates(dir: string) {
  const ssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Test RADIUS CA',
  );
  ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=radius.example.org');
  writeFileSync(
    join(dir, 'server.ext'),
    'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:radius.example.org\n',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '2',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
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
  let fr: ChildProcess | null = null;
  let frOutput = '';
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
    mkdirSync(confDir);
    makeCertificates(confDir);
    writeFileSync(
      join(confDir, 'radiusd.conf'),
      freeradiusConf(confDir, { listenPort: frPort, latchkeyPort, latchkeySecret: secret }),
    );
    fr = spawn(FREERADIUS ?? 'freeradius', ['-X', '-f', '-d', confDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    fr.stdout!.on('data', (c) => {
      frOutput += c;
    });
    fr.stderr!.on('data', (c) => {
      frOutput += c;
    });
    // Ready, or gone (a configuration it refuses): at most ten seconds.
    const until = Date.now() + 10_000;
    while (!frOutput.includes('Ready to process requests') && fr.exitCode === null && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    if (!frOutput.includes('Ready to process requests'))
      throw new Error(`freeradius did not start:\n${frOutput}`);
  }, 20_000);

  afterAll(async () => {
    if (fr && fr.exitCode === null) {
      const exited = new Promise((r) => fr!.once('exit', r));
      fr.kill('SIGTERM');
      await exited;
    }
    await door?.close();
    await core?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('radclient → FreeRADIUS → Latchkey: Access-Accept with the VLAN and Class, back through the proxy', async () => {
    const out = await radclient(frPort, pap('alice', appPassword));
    expect(out, `${out}\n--- freeradius:\n${frOutput.slice(-3000)}`).toContain('Received Access-Accept');
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
      expect(ok.out, `${ok.out.slice(-4000)}\n--- freeradius:\n${frOutput.slice(-4000)}`).toMatch(
        /^SUCCESS$/m,
      );
      expect(ok.code).toBe(0);
      // The outer Access-Accept carries the VLAN Latchkey chose (attribute 81: Tunnel-Private-Group-Id).
      expect(ok.out, frOutput.slice(-12000)).toMatch(
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
