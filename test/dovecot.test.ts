// A real Dovecot (IMAP) using `passdb ldap` and `userdb ldap` against Latchkey's LDAP door, with the
// configuration from docs/dovecot.md. A real IMAP LOGIN with an app password succeeds; with the primary
// password it fails once two-step is enforced; a deleted app password fails at once. `doveadm auth
// test -x service=smtp` exercises the path Postfix takes through Dovecot SASL.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/core/policy.js';
import type { Opened } from '../src/main.js';
import {
  DOVEADM,
  DOVECOT,
  docBlock,
  imapLogin,
  mailHome,
  type RunningDovecot,
  run,
  startDovecot,
} from './helpers/dovecot.js';
import { replaceExactly } from './helpers/nginx.js';
import { type RunningLatchkey, startLatchkey } from './helpers/server.js';

const LDAP_MODULE = existsSync('/usr/lib/dovecot/modules/auth/libauthdb_ldap.so');
const available = DOVECOT !== null && DOVEADM !== null && LDAP_MODULE;
if (!available && process.env.CI === 'true') {
  throw new Error(
    'Dovecot with dovecot-ldap is required in CI (apt-get install -y dovecot-imapd dovecot-ldap).',
  );
}
if (!available) console.warn('Dovecot or dovecot-ldap is not installed: skipping the Dovecot test.');

const admin: Actor = { kind: 'system', name: 'test', ip: null };

describe.skipIf(!available)('Dovecot IMAP with passdb ldap against Latchkey', () => {
  let dir: string;
  let operator: Opened;
  let latchkey: RunningLatchkey;
  let dovecot: RunningDovecot;
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

    const home = await mailHome(dir);
    let ldapConf = docBlock('runs the next block as dovecot-ldap.conf.ext');
    ldapConf = replaceExactly(ldapConf, 'ldap://127.0.0.1:3389', `ldap://127.0.0.1:${ldapPort}`, 1);
    ldapConf = replaceExactly(ldapConf, 'lks_REPLACE_WITH_THE_SERVICE_SECRET', service.secret, 1);
    ldapConf = replaceExactly(
      ldapConf,
      '=uid=vmail,=gid=vmail',
      `=uid=${home.mailUser},=gid=${home.mailUser}`,
      1,
    );
    ldapConf = replaceExactly(ldapConf, '/var/vmail', home.mail, 1);
    writeFileSync(join(dir, 'dovecot-ldap.conf.ext'), ldapConf, { mode: 0o600 });
    let auth = docBlock('runs the next block in dovecot.conf');
    auth = replaceExactly(auth, '/etc/dovecot/dovecot-ldap.conf.ext', join(dir, 'dovecot-ldap.conf.ext'), 2);

    dovecot = await startDovecot(dir, home, {
      instance: 'latchkey-test',
      authMechanisms: 'plain login',
      config: ['service auth {\n  unix_listener auth-userdb {\n    mode = 0666\n  }\n}', auth],
    });
    ({ imapPort, conf: doveconf } = dovecot);
  }, 60_000);

  afterAll(async () => {
    await dovecot?.stop();
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
