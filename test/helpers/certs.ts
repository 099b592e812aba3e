// A throwaway certificate authority and one server certificate signed by it, made with the openssl
// command in `dir` (ca.key, ca.pem, server.key, server.pem): for peers that need TLS in a test
// (FreeRADIUS's EAP-TTLS, an OpenVPN server). EC P-256, valid two days.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function makeTestCertificates(
  dir: string,
  o: { ca: string; server: string; extensions: readonly string[] },
): void {
  const ssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${o.ca}`);
  ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${o.server}`);
  writeFileSync(join(dir, 'server.ext'), ['basicConstraints=CA:FALSE', ...o.extensions, ''].join('\n'));
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
