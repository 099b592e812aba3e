// FreeRADIUS 3 as a test peer (test/radius-proxy.test.ts, test/radius-openvpn.test.ts): the
// configuration docs/radius-guides.md shows, in one file on test ports, its certificates, and the
// server run in the foreground (`freeradius -X`) until it says it is ready.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestCertificates } from './certs.js';

export const FREERADIUS = ['/usr/sbin/freeradius', '/usr/sbin/radiusd'].find((p) => existsSync(p)) ?? null;

/**
 * A FreeRADIUS 3 configuration that proxies PAP requests to Latchkey (the guide's, on test ports), and
 * terminates EAP-TTLS itself: the PAP request inside the tunnel is proxied to Latchkey the same way,
 * and the inner answer's VLAN attributes are copied to the outer Access-Accept.
 */
export function freeradiusConf(
  dir: string,
  o: {
    listenPort: number;
    latchkeyPort: number;
    latchkeySecret: string;
    nasSecret: string;
    /** Default true. False for a NAS that sends no Message-Authenticator (OpenVPN's radiusplugin). */
    nasRequireMessageAuthenticator?: boolean;
    /** Also answer accounting on this port (Latchkey does not serve accounting). */
    acctPort?: number;
  },
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
  always ok {
    rcode = ok
  }
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
  secret = ${o.nasSecret}
  require_message_authenticator = ${o.nasRequireMessageAuthenticator === false ? 'no' : 'yes'}
}

server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${o.listenPort}
  }
${
  o.acctPort
    ? `  listen {
    type = acct
    ipaddr = 127.0.0.1
    port = ${o.acctPort}
  }
  # Accounting is answered here (and could be logged or stored): Latchkey does not serve it.
  preacct {
  }
  accounting {
    ok
  }
`
    : ''
}  authorize {
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
export function makeCertificates(dir: string) {
  makeTestCertificates(dir, {
    ca: 'Test RADIUS CA',
    server: 'radius.example.org',
    extensions: ['extendedKeyUsage=serverAuth', 'subjectAltName=DNS:radius.example.org'],
  });
}

export interface FreeradiusProcess {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Writes the configuration and certificates under `dir` and starts FreeRADIUS; resolves once it is ready. */
export async function startFreeradius(
  dir: string,
  o: Parameters<typeof freeradiusConf>[1],
): Promise<FreeradiusProcess> {
  mkdirSync(dir, { recursive: true });
  makeCertificates(dir);
  writeFileSync(join(dir, 'radiusd.conf'), freeradiusConf(dir, o));
  const child = spawn(FREERADIUS ?? 'freeradius', ['-X', '-f', '-d', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => {
    out += c;
  });
  child.stderr!.on('data', (c) => {
    out += c;
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  // Ready, or gone (a configuration it refuses): at most ten seconds.
  const until = Date.now() + 10_000;
  while (!out.includes('Ready to process requests') && child.exitCode === null && Date.now() < until)
    await new Promise((r) => setTimeout(r, 50));
  if (!out.includes('Ready to process requests')) {
    await stop();
    throw new Error(`freeradius did not start:\n${out}`);
  }
  return { child, output: () => out, stop };
}
