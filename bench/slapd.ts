// OpenLDAP's slapd as the yardstick of the LDAP door (spec §6: "as many binds per second as slapd on the
// same machine, measured side by side"). Started from a throwaway directory on 127.0.0.1: a minimal
// slapd.conf (mdb backend, suffix dc=example,dc=org), the same users as Latchkey's data set loaded with
// slapadd before start, run in the foreground (-d 0) and stopped with SIGTERM.
//
// Each user's userPassword is {SSHA} of that user's app password — a salted SHA-1, what a deployment
// that picked a fast hash for mail passwords stores — so the very same BindRequest bytes (same DN, same
// secret) succeed on both servers. slapd is left at its defaults otherwise (16 worker threads, one
// listener thread), with logging off: Latchkey logs nothing per bind either.

import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, runTool, scratchDir, startChild, stopChild } from './processes.js';

export const SLAPD = process.env.BENCH_SLAPD ?? '/usr/sbin/slapd';
const SLAPADD = process.env.BENCH_SLAPADD ?? '/usr/sbin/slapadd';
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

export interface DirectoryUser {
  uid: string;
  password: string;
}

/** RFC 2307-style {SSHA}: base64(sha1(password ‖ salt) ‖ salt), as slappasswd -h {SSHA} makes it. */
export function sshaHash(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

function config(dir: string, suffix: string): string {
  return `# Written by bench/slapd.ts for one benchmark run.
include ${SCHEMA_DIR}/core.schema
include ${SCHEMA_DIR}/cosine.schema
include ${SCHEMA_DIR}/inetorgperson.schema
modulepath ${MODULE_DIR}
moduleload back_mdb
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
loglevel none

database mdb
maxsize 1073741824
suffix "${suffix}"
rootdn "cn=admin,${suffix}"
directory ${dir}/db
index objectClass eq
index uid eq
# Anyone may bind with a password (auth), nobody may read the hashes.
access to attrs=userPassword by anonymous auth by self read by * none
access to * by * read
`;
}

function ldif(suffix: string, users: DirectoryUser[]): string {
  const dc = /^dc=([^,]+)/.exec(suffix)?.[1] ?? 'example';
  const out: string[] = [
    `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${dc}\no: ${dc}\n`,
    `dn: ou=people,${suffix}\nobjectClass: organizationalUnit\nou: people\n`,
  ];
  for (const u of users) {
    out.push(
      `dn: uid=${u.uid},ou=people,${suffix}\nobjectClass: inetOrgPerson\nuid: ${u.uid}\ncn: ${u.uid}\nsn: ${u.uid}\nmail: ${u.uid}@example.org\nuserPassword: ${sshaHash(u.password)}\n`,
    );
  }
  return out.join('\n');
}

export interface RunningSlapd {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** Waits until slapd accepts connections: it prints nothing useful at -d 0. */
async function waitForPort(child: ChildProcess, port: number): Promise<void> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode} at start`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (performance.now() > deadline) throw new Error('slapd did not accept connections within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function slapdAvailable(): boolean {
  return existsSync(SLAPD) && existsSync(SLAPADD) && existsSync(join(SCHEMA_DIR, 'inetorgperson.schema'));
}

/** Loads `users` into a fresh mdb database and starts slapd on a free port of 127.0.0.1. */
export async function startSlapd(suffix: string, users: DirectoryUser[]): Promise<RunningSlapd> {
  const scratch = scratchDir('latchkey-bench-slapd-');
  const dir = scratch.path;
  try {
    mkdirSync(join(dir, 'db'));
    const conf = join(dir, 'slapd.conf');
    writeFileSync(conf, config(dir, suffix));
    writeFileSync(join(dir, 'users.ldif'), ldif(suffix, users));
    // -q: no consistency checks during the bulk load (the LDIF is ours and fresh).
    await runTool(SLAPADD, ['-q', '-f', conf, '-l', join(dir, 'users.ldif')]);
    const port = await freePort();
    const child = startChild(SLAPD, ['-f', conf, '-h', `ldap://127.0.0.1:${port}/`, '-d', '0']);
    try {
      await waitForPort(child, port);
    } catch (e) {
      await stopChild(child);
      throw e;
    }
    return {
      port,
      pid: child.pid!,
      async stop() {
        await stopChild(child);
        scratch.remove();
      },
    };
  } catch (e) {
    scratch.remove();
    throw e;
  }
}
