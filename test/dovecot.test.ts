// A real Dovecot (IMAP) using `passdb ldap` and `userdb ldap` against Latchkey's LDAP door, with the
// configuration from docs/dovecot.md. A real IMAP LOGIN with an app password succeeds; with the primary
// password it fails once two-step is enforced; a deleted app password fails at once. `doveadm auth
// test -x service=smtp` exercises the path Postfix takes through Dovecot SASL.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/core/policy.js';
import type { Opened } from '../src/main.js';
import { freePort, replaceExactly } from './helpers/nginx.js';
import { type RunningLatchkey, startLatchkey } from './helpers/server.js';

const run = promisify(execFile);
const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p)) ?? null;
const DOVEADM = ['/usr/bin/doveadm', '/usr/local/bin/doveadm'].find((p) => existsSync(p)) ?? null;
const LDAP_MODULE = existsSync('/usr/lib/dovecot/modules/auth/libauthdb_ldap.so');
const available = DOVECOT !== null && DOVEADM !== null && LDAP_MODULE;
if (!available && process.env.CI === 'true') {
  throw new Error(
    'Dovecot with dovecot-ldap is required in CI (apt-get install -y dovecot-imapd dovecot-ldap).',
  );
}
if (!available) console.warn('Dovecot or dovecot-ldap is not installed: skipping the Dovecot test.');

const admin: Actor = { kind: 'system', name: 'test', ip: null };

/** The fenced block after `marker` in docs/dovecot.md. */
function docBlock(marker: string): string {
  const md = readFileSync('docs/dovecot.md', 'utf8');
  const at = md.indexOf(marker);
  if (at < 0) throw new Error(`docs/dovecot.md lost its marker "${marker}"`);
  const m = /```\n([\s\S]*?)```/.exec(md.slice(at));
  if (!m) throw new Error(`no block after "${marker}"`);
  return m[1]!;
}

/** One IMAP conversation: greeting, LOGIN, LOGOUT. Returns the tagged answer to LOGIN. */
let client = 1;
function imapLogin(port: number, user: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Each login from its own loopback address: Dovecot slows every failure after the first from one
    // address by seconds (its auth penalty), which is right in production and slow in a test.
    client += 1;
    const socket = connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${client}` });
    let buffer = '';
    let sent = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`IMAP timeout; got: ${buffer}`));
    }, 10_000);
    const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      if (!sent && buffer.includes('* OK')) {
        sent = true;
        socket.write(`a1 LOGIN ${quote(user)} ${quote(password)}\r\n`);
      }
      const m = /^a1 (OK|NO|BAD)[^\r\n]*/m.exec(buffer);
      if (m) {
        clearTimeout(timer);
        socket.end('a2 LOGOUT\r\n');
        resolve(m[0]);
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe.skipIf(!available)('Dovecot IMAP with passdb ldap against Latchkey', () => {
  let dir: string;
  let operator: Opened;
  let latchkey: RunningLatchkey;
  let dovecot: ChildProcess;
  let imapPort: number;
  let appPassword: string;
  let appPasswordId: string;
  let doveconf: string;

  beforeAll(async () => {
    latchkey = await startLatchkey('latchkey-dovecot-');
    ({ dir, operator } = latchkey);
    const ldapPort = latchkey.ldapPort;
    const core = operator.core;
    await core.users.createUser(admin, {
      username: 'alice',
      email: 'alice@example.org',
      password: 'alice primary password',
    });
    await core.twoStep.setTwoStepState(admin, 'alice', 'enforced');
    const ap = await core.appPasswords.createAppPassword(admin, 'alice', { label: 'Thunderbird' });
    appPassword = ap.password;
    appPasswordId = ap.id;
    await core.users.createUser(admin, {
      username: 'bob',
      email: 'bob@example.org',
      password: 'bob primary password',
    });
    const service = await core.services.addService(admin, 'dovecot');

    // Dovecot drops privileges: as root, mail runs as the dovecot user; otherwise as ourselves.
    const root = process.getuid?.() === 0;
    const mailUser = root ? 'dovecot' : userInfo().username;
    const mail = join(dir, 'vmail');
    mkdirSync(mail, { recursive: true });
    // Mail processes run as the mail user and must reach their home below the test directory.
    chmodSync(dir, 0o755);
    if (root) {
      const { stdout } = await run('id', ['-u', 'dovecot']);
      const { stdout: gid } = await run('id', ['-g', 'dovecot']);
      chownSync(mail, Number(stdout.trim()), Number(gid.trim()));
    }

    let ldapConf = docBlock('runs the next block as dovecot-ldap.conf.ext');
    ldapConf = replaceExactly(ldapConf, 'ldap://127.0.0.1:3389', `ldap://127.0.0.1:${ldapPort}`, 1);
    ldapConf = replaceExactly(ldapConf, 'lks_REPLACE_WITH_THE_SERVICE_SECRET', service.secret, 1);
    ldapConf = replaceExactly(ldapConf, '=uid=vmail,=gid=vmail', `=uid=${mailUser},=gid=${mailUser}`, 1);
    ldapConf = replaceExactly(ldapConf, '/var/vmail', mail, 1);
    writeFileSync(join(dir, 'dovecot-ldap.conf.ext'), ldapConf, { mode: 0o600 });
    let auth = docBlock('runs the next block in dovecot.conf');
    auth = replaceExactly(auth, '/etc/dovecot/dovecot-ldap.conf.ext', join(dir, 'dovecot-ldap.conf.ext'), 2);

    imapPort = await freePort();
    doveconf = join(dir, 'dovecot.conf');
    writeFileSync(
      doveconf,
      [
        `base_dir = ${join(dir, 'run')}`,
        `state_dir = ${join(dir, 'state')}`,
        `log_path = ${join(dir, 'dovecot.log')}`,
        `instance_name = latchkey-test-${process.pid}`,
        'protocols = imap',
        'listen = 127.0.0.1',
        // The test talks plain IMAP on loopback; production runs IMAP over TLS.
        'ssl = no',
        'disable_plaintext_auth = no',
        'auth_mechanisms = plain login',
        // Production keeps Dovecot's delay after a failed login; the test has many on purpose.
        'auth_failure_delay = 0',
        root ? 'default_internal_user = dovecot' : `default_internal_user = ${mailUser}`,
        root ? 'default_login_user = dovenull' : `default_login_user = ${mailUser}`,
        'first_valid_uid = 1',
        `mail_location = maildir:~/Maildir`,
        'service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ' +
          imapPort +
          '\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}',
        'service auth {\n  unix_listener auth-userdb {\n    mode = 0666\n  }\n}',
        auth,
        '',
      ].join('\n'),
    );
    dovecot = spawn(DOVECOT!, ['-F', '-c', doveconf], { stdio: 'ignore' });
    // Wait for the IMAP greeting.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => {
        const s = connect(imapPort, '127.0.0.1');
        s.once('data', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
      if (up) break;
      if (Date.now() > deadline) throw new Error(`dovecot did not start: ${readLog()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  function readLog(): string {
    try {
      return readFileSync(join(dir, 'dovecot.log'), 'utf8');
    } catch {
      return '(no log)';
    }
  }

  afterAll(async () => {
    if (dovecot && dovecot.exitCode === null) {
      dovecot.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          dovecot.kill('SIGKILL');
          r(null);
        }, 5000);
        dovecot.once('exit', () => {
          clearTimeout(t);
          r(null);
        });
      });
    }
    await latchkey?.stop();
  });

  it('IMAP LOGIN with an app password succeeds, with or without the domain', async () => {
    expect(await imapLogin(imapPort, 'alice', appPassword)).toMatch(/^a1 OK/);
    expect(await imapLogin(imapPort, 'alice@example.org', appPassword.replaceAll(' ', ''))).toMatch(/^a1 OK/);
  });

  it('IMAP LOGIN with the primary password fails once two-step is enforced, and the log says why', async () => {
    expect(await imapLogin(imapPort, 'alice', 'alice primary password')).toMatch(/^a1 NO/);
    await operator.core.ctx.usage.flush();
    const log = await operator.core.signInLog.listSignIns(admin, { username: 'alice', limit: 5 });
    expect(log.find((e) => e.result === 'refused')).toMatchObject({
      door: 'ldap',
      reason: 'app_password_required',
    });
  });

  it('a person without two-step still uses the primary password; a wrong one fails', async () => {
    expect(await imapLogin(imapPort, 'bob', 'bob primary password')).toMatch(/^a1 OK/);
    expect(await imapLogin(imapPort, 'bob', 'not bobs password')).toMatch(/^a1 NO/);
    expect(await imapLogin(imapPort, 'nobody', 'whatever it is')).toMatch(/^a1 NO/);
  });

  it('finds people through the service account (userdb ldap)', async () => {
    const { stdout } = await run(DOVEADM!, ['-c', doveconf, 'user', 'alice']);
    expect(stdout).toMatch(/home\s+\S+alice/);
    // 67 is EX_NOUSER: the service account searched and found no such person.
    await expect(run(DOVEADM!, ['-c', doveconf, 'user', 'nobody'])).rejects.toMatchObject({ code: 67 });
  });

  it('SMTP AUTH through Dovecot SASL (the path Postfix takes) follows the same rules', async () => {
    const ok = await run(DOVEADM!, [
      '-c',
      doveconf,
      'auth',
      'test',
      '-x',
      'service=smtp',
      'alice',
      appPassword,
    ]);
    expect(ok.stdout).toMatch(/auth succeeded/);
    await expect(
      run(DOVEADM!, [
        '-c',
        doveconf,
        'auth',
        'test',
        '-x',
        'service=smtp',
        'alice',
        'alice primary password',
      ]),
    ).rejects.toMatchObject({ stdout: expect.stringMatching(/auth failed/) });
  });

  it('a deleted app password stops working at once', async () => {
    await operator.core.appPasswords.deleteAppPassword(admin, 'alice', appPasswordId);
    expect(await imapLogin(imapPort, 'alice', appPassword)).toMatch(/^a1 NO/);
  });
});
