// The LDAP door with real peers: OpenLDAP's ldapwhoami, ldapsearch, ldapadd, ldapmodify, ldapdelete and
// ldapcompare against the server on 127.0.0.1, over a real core and SQLite store; StartTLS and LDAPS
// with a certificate made by the openssl command. Outside CI the suite skips, saying so, when the
// tools are missing; in CI (CI=true) a missing tool is a failure.

import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { createLdapServer, type LdapServer } from '../src/ldap/server.js';
import { openStore, type Store } from '../src/store/database.js';
import { tempDir } from './helpers/stores.js';

function have(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).error === undefined;
}
const TOOLS = have('ldapwhoami', ['-VV']) && have('ldapsearch', ['-VV']) && have('openssl', ['version']);
if (!TOOLS && process.env.CI === 'true') {
  throw new Error(
    'ldap-utils (ldapwhoami, ldapsearch) and openssl are required in CI: apt-get install ldap-utils',
  );
}
if (!TOOLS)
  console.warn(
    'ldap-utils or openssl not installed: skipping the LDAP door suite (apt-get install ldap-utils).',
  );
const test = TOOLS ? it : it.skip;

const BASE = 'dc=example,dc=org';
const PEOPLE = `ou=people,${BASE}`;
const SERVICE_DN = `cn=dovecot,ou=services,${BASE}`;
const PASSWORD = 'correct horse battery staple';
const admin: Actor = { kind: 'system', name: 'test', ip: null };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an OpenLDAP tool with a time limit; never throws on a non-zero exit. */
function run(command: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<Run>((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { timeout: 15_000, env: { ...process.env, LDAPCONF: '/dev/null', ...opts.env } },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** ldapsearch -LLL output → entries as { dn, attribute → values } (attribute names as sent). */
function entries(ldif: string): Array<{ dn: string; attrs: Record<string, string[]> }> {
  const out: Array<{ dn: string; attrs: Record<string, string[]> }> = [];
  for (const block of ldif.replace(/\n /g, '').split(/\n\n+/)) {
    const lines = block.split('\n').filter(Boolean);
    if (lines.length === 0) continue;
    const dn = lines[0]!.replace(/^dn: ?/, '');
    const attrs: Record<string, string[]> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      const name = line.slice(0, i);
      attrs[name] = [...(attrs[name] ?? []), line.slice(i + 1).trim()];
    }
    out.push({ dn, attrs });
  }
  return out;
}

describe('LDAP door', () => {
  let dir: string;
  let store: Store;
  let core: Core;
  let ldap: LdapServer;
  let url: string;
  let ldapsUrl: string;
  let alicePassword: string;
  let serviceSecret: string;

  beforeAll(async () => {
    if (!TOOLS) return;
    dir = tempDir('latchkey-ldap-');
    const keys = loadServerKeys({ dataDir: dir, hmacKey: null, encryptionKey: null });
    store = await openStore({ dataDir: dir, databaseUrl: null });
    core = await createCore({ store, keys, flushIntervalMs: 0 });
    // alice: two-step enforced, signs in to apps with an app password only.
    await core.users.createUser(admin, {
      username: 'alice',
      email: 'alice@example.org',
      displayName: 'Alice Liddell',
      password: PASSWORD,
    });
    await core.twoStep.setTwoStepState(admin, 'alice', 'enforced');
    alicePassword = (await core.appPasswords.createAppPassword(admin, 'alice', { label: 'Laptop' })).password;
    // bob: no two-step; his primary password still opens non-browser doors (spec §3 table).
    await core.users.createUser(admin, { username: 'bob', email: 'bob@example.org', password: PASSWORD });
    await core.users.createUser(admin, {
      username: 'carol',
      email: 'carol@example.org',
      displayName: 'Carol Danvers',
      role: 'admin',
    });
    await core.users.createUser(admin, { username: 'dave', email: 'dave@example.org', password: PASSWORD });
    await core.users.setUserDisabled(admin, 'dave', true);
    serviceSecret = (await core.services.addService(admin, 'dovecot')).secret;

    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
    if (made.status !== 0) throw new Error('openssl could not make a test certificate');
    ldap = createLdapServer({
      core,
      baseDn: BASE,
      domain: 'example.org',
      tls: { cert: readFileSync(cert), key: readFileSync(key) },
    });
    url = `ldap://127.0.0.1:${await ldap.listen(0, '127.0.0.1')}`;
    ldapsUrl = `ldaps://127.0.0.1:${await ldap.listenTls(0, '127.0.0.1')}`;
  });

  afterAll(async () => {
    if (!TOOLS) return;
    await ldap.close();
    await core.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const whoami = (...args: string[]) => run('ldapwhoami', ['-x', '-H', url, ...args]);
  const asService = (...args: string[]) =>
    run('ldapsearch', ['-x', '-LLL', '-H', url, '-D', SERVICE_DN, '-w', serviceSecret, '-b', BASE, ...args]);

  describe('bind', () => {
    test('an app password opens the door as uid=…, as the bare name and as name@domain', async () => {
      for (const name of [
        `uid=alice,${PEOPLE}`,
        'alice',
        'alice@example.org',
        `UID = Alice , OU=People, ${BASE.toUpperCase()}`,
      ]) {
        const r = await whoami('-D', name, '-w', alicePassword);
        expect(r, name).toMatchObject({ code: 0, stdout: `dn:uid=alice,${PEOPLE}\n` });
      }
      // App passwords are typed with or without spaces, in any case (R3).
      const r = await whoami('-D', 'alice', '-w', alicePassword.replaceAll(' ', '').toUpperCase());
      expect(r.code).toBe(0);
    });

    test('the primary password of a user with two-step enforced is refused with 49, the reason logged', async () => {
      const r = await whoami('-D', `uid=alice,${PEOPLE}`, '-w', PASSWORD);
      expect(r.code).toBe(49);
      expect(r.stderr).toContain('Invalid credentials (49)');
      expect(r.stderr).not.toContain(PASSWORD);
      const [last] = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
      expect(last).toMatchObject({ door: 'ldap', result: 'refused', reason: 'app_password_required' });
    });

    test('an unknown user, a wrong password and a disabled user get the very same answer', async () => {
      const refused = await whoami('-D', `uid=alice,${PEOPLE}`, '-w', PASSWORD);
      const answers = await Promise.all([
        whoami('-D', `uid=nobody,${PEOPLE}`, '-w', PASSWORD),
        whoami('-D', 'bob', '-w', 'wrong password'),
        whoami('-D', 'dave', '-w', PASSWORD),
        whoami('-D', `cn=alice,ou=elsewhere,${BASE}`, '-w', alicePassword),
        whoami('-D', 'alice@other.example', '-w', alicePassword),
      ]);
      for (const r of answers)
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 49, stderr: refused.stderr });
    });

    test('a primary password opens the door where the rules allow it (two-step disabled)', async () => {
      expect(await whoami('-D', 'bob@example.org', '-w', PASSWORD)).toMatchObject({
        code: 0,
        stdout: `dn:uid=bob,${PEOPLE}\n`,
      });
    });

    test('anonymous bind is anonymous; a name without a password is refused, not anonymous', async () => {
      expect(await whoami()).toMatchObject({ code: 0, stdout: 'anonymous\n' });
      const r = await whoami('-D', `uid=alice,${PEOPLE}`, '-w', '');
      expect(r.code).toBe(53);
      expect(r.stderr).toContain('Unauthenticated bind');
    });

    test('a service account binds with its secret, and only as itself', async () => {
      expect(await whoami('-D', SERVICE_DN, '-w', serviceSecret)).toMatchObject({
        code: 0,
        stdout: `dn:${SERVICE_DN}\n`,
      });
      expect((await whoami('-D', `cn=nginx,ou=services,${BASE}`, '-w', serviceSecret)).code).toBe(49);
      expect((await whoami('-D', SERVICE_DN, '-w', `${serviceSecret}x`)).code).toBe(49);
      // A service secret is not a person's password, even under the service's name.
      expect((await whoami('-D', 'dovecot', '-w', serviceSecret)).code).toBe(49);
    });
  });

  describe('search', () => {
    test('a service account finds a person by uid, with the inetOrgPerson attributes', async () => {
      const r = await asService('(uid=alice)');
      expect(r.code).toBe(0);
      expect(entries(r.stdout)).toEqual([
        {
          dn: `uid=alice,${PEOPLE}`,
          attrs: {
            objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
            uid: ['alice'],
            cn: ['Alice Liddell'],
            sn: ['Liddell'],
            displayName: ['Alice Liddell'],
            mail: ['alice@example.org'],
            memberOf: [`cn=users,ou=groups,${BASE}`],
          },
        },
      ]);
    });

    test('by mail, case-insensitively, and with attribute names in any case', async () => {
      const r = await asService('(MAIL=Alice@EXAMPLE.org)', 'UID');
      expect(entries(r.stdout)).toEqual([{ dn: `uid=alice,${PEOPLE}`, attrs: { uid: ['alice'] } }]);
    });

    test('and, or, substring, presence, not, memberOf filters', async () => {
      const dns = async (filter: string) => entries((await asService(filter, '1.1')).stdout).map((e) => e.dn);
      expect(await dns('(&(objectClass=inetOrgPerson)(|(uid=a*)(mail=*@example.org)))')).toEqual([
        `uid=alice,${PEOPLE}`,
        `uid=bob,${PEOPLE}`,
        `uid=carol,${PEOPLE}`,
      ]);
      // Disabled people are not in the directory; the containers have no uid, so they match (!(uid=bob)).
      expect(await dns('(&(objectClass=person)(!(uid=bob)))')).toEqual([
        `uid=alice,${PEOPLE}`,
        `uid=carol,${PEOPLE}`,
      ]);
      expect(await dns(`(memberOf=cn=admins,ou=groups,${BASE})`)).toEqual([`uid=carol,${PEOPLE}`]);
      expect(await dns('(cn=*danv*)')).toEqual([`uid=carol,${PEOPLE}`]);
      expect(await dns('(displayName=*)')).toEqual([`uid=alice,${PEOPLE}`, `uid=carol,${PEOPLE}`]);
      // Dovecot's user_filter: one indexed lookup per name, whichever the user typed.
      expect(
        await dns('(&(objectClass=inetOrgPerson)(|(uid=bob@example.org)(mail=bob@example.org)))'),
      ).toEqual([`uid=bob,${PEOPLE}`]);
      expect(await dns('(uid=dave)')).toEqual([]);
      // An attribute this directory does not have is Undefined, and so is its negation.
      expect(await dns('(!(telephoneNumber=1))')).toEqual([]);
    });

    test('scopes: base, one and sub, from the base DN and from ou=people', async () => {
      const dns = async (...args: string[]) => entries((await asService(...args)).stdout).map((e) => e.dn);
      expect(await dns('-s', 'base', '(objectClass=*)', '1.1')).toEqual([BASE]);
      expect(await dns('-s', 'one', '(objectClass=*)', '1.1')).toEqual([PEOPLE]);
      expect(await dns('-s', 'sub', '(objectClass=*)', '1.1')).toHaveLength(2 + 3);
      expect(await dns('-b', PEOPLE, '-s', 'one', '(uid=*)', '1.1')).toHaveLength(3);
      expect(await dns('-b', `uid=bob,${PEOPLE}`, '-s', 'base', '(objectClass=*)', '1.1')).toEqual([
        `uid=bob,${PEOPLE}`,
      ]);
    });

    test('attribute selection: a list, "*", "1.1", "+", and types only', async () => {
      const one = async (...attrs: string[]) =>
        entries((await asService('(uid=carol)', ...attrs)).stdout)[0]!.attrs;
      expect(await one('mail', 'cn')).toEqual({ cn: ['Carol Danvers'], mail: ['carol@example.org'] });
      expect(Object.keys(await one('*'))).toEqual([
        'objectClass',
        'uid',
        'cn',
        'sn',
        'displayName',
        'mail',
        'memberOf',
      ]);
      expect(await one('1.1')).toEqual({});
      expect(await one('+')).toEqual({});
      const typesOnly = await asService('-A', '(uid=bob)', 'uid', 'mail');
      expect(entries(typesOnly.stdout)[0]!.attrs).toEqual({ uid: [''], mail: [''] });
    });

    test('a size limit returns that many entries, then sizeLimitExceeded (4)', async () => {
      const r = await asService('-z', '2', '(objectClass=inetOrgPerson)', '1.1');
      expect(r.code).toBe(4);
      expect(entries(r.stdout)).toHaveLength(2);
    });

    test('a person reads their own entry and nobody else’s', async () => {
      const asAlice = (...args: string[]) =>
        run('ldapsearch', ['-x', '-LLL', '-H', url, '-D', 'alice', '-w', alicePassword, ...args]);
      const own = await asAlice('-b', `uid=alice,${PEOPLE}`, '-s', 'base', '(objectClass=*)', 'mail');
      expect(entries(own.stdout)).toEqual([
        { dn: `uid=alice,${PEOPLE}`, attrs: { mail: ['alice@example.org'] } },
      ]);
      const other = await asAlice('-b', `uid=bob,${PEOPLE}`, '-s', 'base', '(objectClass=*)');
      expect(other.code).toBe(32);
      expect(entries(other.stdout)).toEqual([]);
      const all = await asAlice('-b', PEOPLE, '(uid=*)', '1.1');
      expect(entries(all.stdout).map((e) => e.dn)).toEqual([`uid=alice,${PEOPLE}`]);
      expect(entries((await asAlice('-b', PEOPLE, '(uid=bob)', '1.1')).stdout)).toEqual([]);
    });

    test('anonymous search is refused with insufficientAccessRights (50) and returns nothing', async () => {
      for (const filter of ['(uid=alice)', '(objectClass=*)']) {
        const r = await run('ldapsearch', ['-x', '-LLL', '-H', url, '-b', BASE, filter]);
        expect(r.code).toBe(50);
        expect(r.stdout).toBe('');
      }
    });

    test('the rootDSE answers anonymously', async () => {
      const named = await run('ldapsearch', [
        '-x',
        '-LLL',
        '-H',
        url,
        '-b',
        '',
        '-s',
        'base',
        '(namingContexts=*)',
        'namingContexts',
      ]);
      expect(entries(named.stdout)).toEqual([{ dn: '', attrs: { namingContexts: [BASE] } }]);
      const r = await run('ldapsearch', [
        '-x',
        '-LLL',
        '-H',
        url,
        '-b',
        '',
        '-s',
        'base',
        '(objectClass=*)',
        '+',
      ]);
      expect(r.code).toBe(0);
      expect(entries(r.stdout)).toEqual([
        {
          dn: '',
          attrs: {
            namingContexts: [BASE],
            supportedLDAPVersion: ['3'],
            supportedExtension: ['1.3.6.1.4.1.4203.1.11.3', '1.3.6.1.4.1.1466.20037'],
            vendorName: ['Latchkey'],
          },
        },
      ]);
    });

    test('a base outside the base DN is noSuchObject (32), a malformed one invalidDNSyntax (34)', async () => {
      expect((await asService('-b', 'dc=example,dc=com', '(objectClass=*)')).code).toBe(32);
      const missing = await asService('-b', `ou=nothing,${BASE}`, '(objectClass=*)');
      expect(missing.code).toBe(32);
      expect(missing.stderr).toContain(`Matched DN: ${BASE}`);
      expect((await asService('-b', 'uid=# a', '(objectClass=*)')).code).toBe(34);
      expect((await asService('-b', `uid=nobody,${PEOPLE}`, '-s', 'one', '(objectClass=*)')).code).toBe(32);
    });

    test('compare on uid and mail', async () => {
      const cmp = (assertion: string) =>
        run('ldapcompare', [
          '-x',
          '-H',
          url,
          '-D',
          SERVICE_DN,
          '-w',
          serviceSecret,
          `uid=bob,${PEOPLE}`,
          assertion,
        ]);
      expect(await cmp('mail:BOB@example.org')).toMatchObject({ code: 6, stdout: 'TRUE\n' });
      expect(await cmp('uid:alice')).toMatchObject({ code: 5, stdout: 'FALSE\n' });
    });
  });

  describe('read-only', () => {
    test('add, modify, rename and delete are refused with unwillingToPerform (53)', async () => {
      const auth = ['-x', '-H', url, '-D', SERVICE_DN, '-w', serviceSecret];
      const add = await run('ldapadd', auth, {
        input: `dn: uid=eve,${PEOPLE}\nobjectClass: inetOrgPerson\nuid: eve\ncn: Eve\nsn: Eve\n`,
      });
      const modify = await run('ldapmodify', auth, {
        input: `dn: uid=bob,${PEOPLE}\nchangetype: modify\nreplace: mail\nmail: eve@example.org\n`,
      });
      const rename = await run('ldapmodrdn', [...auth, `uid=bob,${PEOPLE}`, 'uid=robert']);
      const remove = await run('ldapdelete', [...auth, `uid=bob,${PEOPLE}`]);
      for (const r of [add, modify, rename, remove]) {
        expect(r.code).toBe(53);
        // ldapmodrdn reports on stdout, the others on stderr.
        expect(r.stdout + r.stderr).toContain("Latchkey's directory is read-only.");
      }
      expect(entries((await asService('(uid=bob)', 'mail')).stdout)[0]!.attrs.mail).toEqual([
        'bob@example.org',
      ]);
    });
  });

  describe('TLS', () => {
    const insecure = { LDAPTLS_REQCERT: 'never' };

    test('StartTLS (ldapwhoami -ZZ) then a bind with an app password', async () => {
      const r = await run('ldapwhoami', ['-x', '-ZZ', '-H', url, '-D', 'alice', '-w', alicePassword], {
        env: insecure,
      });
      expect(r).toMatchObject({ code: 0, stdout: `dn:uid=alice,${PEOPLE}\n` });
    });

    test('LDAPS', async () => {
      const r = await run('ldapwhoami', ['-x', '-H', ldapsUrl, '-D', SERVICE_DN, '-w', serviceSecret], {
        env: insecure,
      });
      expect(r).toMatchObject({ code: 0, stdout: `dn:${SERVICE_DN}\n` });
      const search = await run(
        'ldapsearch',
        ['-x', '-LLL', '-H', ldapsUrl, '-D', SERVICE_DN, '-w', serviceSecret, '-b', BASE, '(uid=bob)', 'uid'],
        { env: insecure },
      );
      expect(entries(search.stdout)).toEqual([{ dn: `uid=bob,${PEOPLE}`, attrs: { uid: ['bob'] } }]);
    });

    test('StartTLS inside TLS is an operationsError (1)', async () => {
      const r = await run('ldapwhoami', ['-x', '-ZZ', '-H', ldapsUrl], { env: insecure });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('Operations error');
    });
  });
});
