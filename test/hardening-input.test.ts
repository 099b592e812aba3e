// Regression tests for the third security review's findings on input (items 8–10): control characters
// in addresses and names, app passwords when two-step goes off, and look-alike usernames. Each test is
// the attack, through the doors a person or a program would use, on SQLite and PostgreSQL.

import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import asn1 from '@ldapjs/asn1';
import messages from '@ldapjs/messages';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { createLdapServer, type LdapServer } from '../src/ldap/server.js';
import { runCli } from './helpers/cli.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';
import { text, WebClient } from './helpers/web-client.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';
const BASE = 'dc=example,dc=org';
/** U+212A KELVIN SIGN: String#toLowerCase turns it into an ASCII "k". */
const KELVIN = '\u212A';

const basic = (name: string, secret: string) =>
  `Basic ${Buffer.from(`${name}:${secret}`, 'utf8').toString('base64')}`;
/** A header value as the app behind the proxy reads it: the bytes, as UTF-8. */
const utf8 = (v: unknown) => Buffer.from(String(v), 'latin1').toString('utf8');

/** One LDAP simple bind on a fresh connection; the result code (0 success, 49 invalid credentials). */
function ldapBind(port: number, name: string, password: string): Promise<number> {
  const w = new asn1.BerWriter();
  w.startSequence();
  w.writeInt(1);
  w.startSequence(0x60);
  w.writeInt(3);
  w.writeString(name);
  w.writeBuffer(Buffer.from(password), 0x80);
  w.endSequence();
  w.endSequence();
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => s.write(Buffer.from(w.buffer)));
    let got = Buffer.alloc(0);
    s.on('data', (d) => {
      got = Buffer.concat([got, d]);
      try {
        const m = messages.LdapMessage.parse(new asn1.BerReader(got)) as unknown as { status: number };
        s.destroy();
        resolve(m.status);
      } catch {
        // not all of it yet
      }
    });
    s.on('error', reject);
    setTimeout(() => {
      s.destroy();
      reject(new Error('no bind response'));
    }, 10_000).unref();
  });
}

describe.each(kinds)('input hardening on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let ldap: LdapServer;
  let ldapPort: number;
  let adminToken: string;
  let serviceSecret: string;
  /** kate's app password: two-step enforced, so apps sign in with it. */
  let kateApp: string;
  const test = kind.available ? it : it.skip;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
    app = buildApp({ core, logLevel: 'silent' });
    ldap = createLdapServer({ core, baseDn: BASE, domain: 'example.org' });
    ldapPort = await ldap.listen(0, '127.0.0.1');
    adminToken = (await core.tokens.createToken(system, { role: 'admin', label: 'automation' })).token;
    serviceSecret = (await core.services.addService(system, 'nginx')).secret;
    await core.users.createUser(system, { username: 'boss', role: 'admin', password: PASSWORD });
    await core.users.createUser(system, {
      username: 'kate',
      email: 'kate@example.org',
      displayName: 'Kate Bell',
      password: PASSWORD,
    });
    await core.twoStep.setTwoStepState(system, 'kate', 'enforced');
    kateApp = (await core.appPasswords.createAppPassword(system, 'kate', { label: 'Laptop' })).password;
  });
  afterAll(async () => {
    if (!kind.available) return;
    await ldap.close();
    await app.close();
    await core.close();
    await t.cleanup();
  });

  const api = (method: string, url: string, payload?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
  const authBasic = (name: string, secret: string) =>
    app.inject({ url: '/auth/basic', headers: { authorization: basic(name, secret) } });
  /** The CLI on this test's store, as an operator runs it. */
  const cli = (args: string[], stdin = '') =>
    runCli(
      args,
      { LATCHKEY_DATA_DIR: t.dataDir, ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}) },
      stdin,
    );

  describe('8: control characters in addresses and names', () => {
    test('the API refuses the address with a stable code and changes nothing; /auth/basic stays 200', async () => {
      const before = (await api('GET', '/api/v1/users/kate')).json();
      const r = await api('PATCH', '/api/v1/users/kate', { email: 'k\u0001t@example.org' });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toMatchObject({ status: 400, code: 'EMAIL_INVALID' });
      expect((await api('GET', '/api/v1/users/kate')).json()).toMatchObject({
        email: 'kate@example.org',
        updatedAt: before.updatedAt,
      });
      const ok = await authBasic('kate', kateApp);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['remote-email']).toBe('kate@example.org');
    });

    test('every control character, separator and malformed address is refused; real names pass', async () => {
      for (const email of [
        'k\u0000t@example.org',
        'kate@example.org\r\nRemote-User: boss',
        'k\u007ft@example.org',
        'k\u0085t@example.org',
        'k\u2028t@example.org',
        'k t@example.org',
        'k@t@example.org',
        'kate@',
        '@example.org',
        'kate@example..org',
        `${KELVIN}ate@example.org`,
        `kate@ex${'a'.repeat(64)}mple.org`,
      ]) {
        const r = await api('PATCH', '/api/v1/users/kate', { email });
        expect([r.statusCode, r.json().code], JSON.stringify(email)).toEqual([400, 'EMAIL_INVALID']);
      }
      for (const displayName of [
        'Kate\u0007',
        'Kate\nBell',
        'Kate\u0085Bell',
        'Kate\u007f',
        'Kate\u2028Bell',
        'Kate\u2029Bell',
        'Kate\u202eBell',
        '\u200d',
      ]) {
        const r = await api('PATCH', '/api/v1/users/kate', { displayName });
        expect([r.statusCode, r.json().code], JSON.stringify(displayName)).toEqual([
          400,
          'DISPLAY_NAME_INVALID',
        ]);
      }
      const created = await api('POST', '/api/v1/users', {
        username: 'mallory',
        email: 'm\u0001@example.org',
      });
      expect([created.statusCode, created.json().code]).toEqual([400, 'EMAIL_INVALID']);
      expect((await api('GET', '/api/v1/users/mallory')).statusCode).toBe(404);
      // Unicode letters, and the zero-width non-joiner Persian names need, are names.
      for (const displayName of ['Zoë Ångström', 'Дмитрий', 'نیما\u200cرضایی', 'Kate Bell']) {
        const r = await api('PATCH', '/api/v1/users/kate', { displayName });
        expect(r.statusCode, displayName).toBe(200);
        expect(r.json().displayName).toBe(displayName);
      }
      const mixed = await api('PATCH', '/api/v1/users/kate', { email: 'Kate.Bell+mail@Example.ORG' });
      expect(mixed.json().email).toBe('kate.bell+mail@example.org');
      await api('PATCH', '/api/v1/users/kate', { email: 'kate@example.org' });
    });

    test('a CSV import with the attack imports nothing', async () => {
      const r = await core.users.importUsers(
        system,
        'username,email,display_name\nnewbie,newbie@example.org,New\nkate,k\u0001t@example.org,Kate Bell\n',
      );
      expect(r.errors).toMatchObject([{ line: 3, code: 'EMAIL_INVALID' }]);
      const names = await core.users.importUsers(system, 'username,display_name\nkate,Kate\u0007Bell\n');
      expect(names.errors).toMatchObject([{ line: 2, code: 'DISPLAY_NAME_INVALID' }]);
      expect(await core.users.getUser(system, 'kate')).toMatchObject({
        email: 'kate@example.org',
        displayName: 'Kate Bell',
      });
      expect((await api('GET', '/api/v1/users/newbie')).statusCode).toBe(404);
    });

    test('the CLI refuses the attack in one line, exit 1, and writes nothing', async () => {
      const add = await cli(['user', 'add', 'mallory', '--email', 'm\u0001@example.org']);
      expect(add.code).toBe(1);
      expect(add.stderr.trim().split('\n')).toHaveLength(1);
      expect(add.stderr).toContain('The email address is not valid.');
      const named = await cli(['user', 'add', 'mallory', '--display-name', 'Mal\u001b[31mlory']);
      expect(named.code).toBe(1);
      expect((await api('GET', '/api/v1/users/mallory')).statusCode).toBe(404);
      const file = join(t.dataDir, 'attack.csv');
      writeFileSync(file, 'username,email\nkate,k\u0001t@example.org\n');
      const imported = await cli(['user', 'import', file]);
      expect(imported.code).toBe(1);
      expect((await core.users.getUser(system, 'kate')).email).toBe('kate@example.org');
    });

    test('a control character already in the database gives /auth/basic 200 with safe headers', async () => {
      await core.users.createUser(system, { username: 'leo', password: PASSWORD });
      // As a database written before these checks may hold it.
      await t.store.db
        .updateTable('users')
        .set({ email: 'l\u0001o@example.org', display_name: 'Leo\u0007 Nyx\u2028\u0085 Ωmega' })
        .where('username', '=', 'leo')
        .execute();
      const r = await authBasic('leo', PASSWORD);
      expect(r.statusCode).toBe(200);
      expect(r.headers['remote-user']).toBe('leo');
      expect(utf8(r.headers['remote-email'])).toBe('l\uFFFDo@example.org');
      expect(utf8(r.headers['remote-name'])).toBe('Leo\uFFFD Nyx\uFFFD\uFFFD Ωmega');
      for (const h of ['remote-email', 'remote-name']) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them.
        expect(utf8(r.headers[h])).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      }
    });
  });

  describe('9: app passwords when two-step goes off, on every path alike', () => {
    const works = async (name: string, secret: string) =>
      (await core.signIn({ username: name, secret, door: 'imap', ip: '192.0.2.9' })).ok;
    const setSettings = async (changes: Record<string, boolean>) => {
      const r = await api('PATCH', '/api/v1/settings', changes);
      expect(r.statusCode, r.body).toBe(200);
    };

    test('turning "require two-step for everyone" off deletes the app passwords of people whose own state is off', async () => {
      await setSettings({ requireTwoStepForEveryone: true });
      await core.users.createUser(system, { username: 'olga', password: PASSWORD });
      await core.users.createUser(system, { username: 'pete', password: PASSWORD, twoStep: 'enforced' });
      const olga = (await core.appPasswords.createAppPassword(system, 'olga', { label: 'Phone' })).password;
      const pete = (await core.appPasswords.createAppPassword(system, 'pete', { label: 'Phone' })).password;
      expect(await works('olga', olga)).toBe(true);

      await setSettings({ requireTwoStepForEveryone: false });
      // Two-step is off for olga now, as if it had been turned off for her alone (B3).
      expect(await works('olga', olga)).toBe(false);
      expect(await core.appPasswords.listAppPasswords(system, 'olga')).toEqual([]);
      expect(await works('olga', PASSWORD)).toBe(true);
      // pete's own state is enforced: nothing changed for him.
      expect(await works('pete', pete)).toBe(true);
      const [event] = await core.audit.listAudit(system, { target: 'olga', limit: 1 });
      expect(event).toMatchObject({
        action: 'app_password.deleted_all',
        details: { count: 1, reason: 'two_step_no_longer_required' },
      });
      expect(event!.actor).toMatch(/^token:/);
      expect(await core.audit.listAudit(system, { target: 'pete', limit: 10 })).not.toContainEqual(
        expect.objectContaining({ action: 'app_password.deleted_all' }),
      );
    });

    test('with B12 on, neither path deletes them: apps still need them', async () => {
      await setSettings({ requireTwoStepForEveryone: true, requireAppPasswordsForNonBrowser: true });
      try {
        await core.users.createUser(system, { username: 'quinn', password: PASSWORD });
        await core.users.createUser(system, { username: 'rosa', password: PASSWORD, twoStep: 'enforced' });
        const quinn = (await core.appPasswords.createAppPassword(system, 'quinn', { label: 'Mail' }))
          .password;
        const rosa = (await core.appPasswords.createAppPassword(system, 'rosa', { label: 'Mail' })).password;
        await setSettings({ requireTwoStepForEveryone: false });
        const off = await api('PUT', '/api/v1/users/rosa/two-step', { state: 'disabled' });
        expect(off.statusCode, off.body).toBe(200);
        expect(off.json().appPasswordsDeleted).toBe(0);
        for (const [name, secret] of [
          ['quinn', quinn],
          ['rosa', rosa],
        ] as const) {
          expect(await works(name, secret), name).toBe(true);
          expect(await works(name, PASSWORD), name).toBe(false);
        }
      } finally {
        await setSettings({ requireAppPasswordsForNonBrowser: false });
      }
    });

    test('one person turned off while everyone is required keeps them until the requirement goes', async () => {
      await setSettings({ requireTwoStepForEveryone: true });
      await core.users.createUser(system, { username: 'sam', password: PASSWORD, twoStep: 'enforced' });
      const sam = (await core.appPasswords.createAppPassword(system, 'sam', { label: 'Tablet' })).password;
      // Two-step stays on for sam in practice ("enabled" for everyone), so the app password stays.
      const kept = await core.twoStep.setTwoStepState(system, 'sam', 'disabled');
      expect(kept.appPasswordsDeleted).toBe(0);
      expect(kept.user.twoStepEffective).toBe('enabled');
      expect(await works('sam', sam)).toBe(true);
      await setSettings({ requireTwoStepForEveryone: false });
      expect(await works('sam', sam)).toBe(false);
      // And without either setting, turning one person off deletes them at once, as before.
      await core.twoStep.setTwoStepState(system, 'sam', 'enforced');
      const again = (await core.appPasswords.createAppPassword(system, 'sam', { label: 'Tablet' })).password;
      const r = await api('PUT', '/api/v1/users/sam/two-step', { state: 'disabled' });
      expect(r.json().appPasswordsDeleted).toBe(1);
      expect(await works('sam', again)).toBe(false);
      const [event] = await core.audit.listAudit(system, { target: 'sam', limit: 1 });
      expect(event).toMatchObject({
        action: 'app_password.deleted_all',
        details: { count: 1, reason: 'two_step_disabled' },
      });
    });

    test('a CSV import that turns two-step off follows the same rule', async () => {
      await core.users.createUser(system, { username: 'tess', password: PASSWORD, twoStep: 'enforced' });
      const tess = (await core.appPasswords.createAppPassword(system, 'tess', { label: 'Mail' })).password;
      await setSettings({ requireAppPasswordsForNonBrowser: true });
      try {
        expect((await core.users.importUsers(system, 'username,two_step\ntess,disabled\n')).updated).toBe(1);
        expect(await works('tess', tess)).toBe(true);
      } finally {
        await setSettings({ requireAppPasswordsForNonBrowser: false });
      }
      await core.twoStep.setTwoStepState(system, 'tess', 'enforced');
      const next = (await core.appPasswords.createAppPassword(system, 'tess', { label: 'Mail' })).password;
      expect((await core.users.importUsers(system, 'username,two_step\ntess,disabled\n')).updated).toBe(1);
      expect(await works('tess', next)).toBe(false);
    });
  });

  describe('10: a look-alike of a username signs in as nobody', () => {
    const kelvinKate = `${KELVIN}ate`;

    test("HTTP Basic: the Kelvin sign with kate's right app password is refused like a wrong one", async () => {
      const attack = await authBasic(kelvinKate, kateApp);
      const wrong = await authBasic('kate', 'abcd efgh ijkl mnop qrst uvwx');
      expect(attack.statusCode).toBe(401);
      expect(attack.json().code).toBe(wrong.json().code);
      expect((await authBasic(`${kelvinKate}@example.org`, kateApp)).statusCode).toBe(401);
      expect((await authBasic('\uFF4Bate', kateApp)).statusCode).toBe(401);
      // kate herself, in any ASCII case, by name or address, keeps working.
      for (const name of ['kate', 'Kate', 'KATE', ' kate ', 'kate@example.org', 'Kate@Example.ORG']) {
        const r = await authBasic(name, kateApp);
        expect(r.statusCode, name).toBe(200);
        expect(r.headers['remote-user']).toBe('kate');
      }
      const [e] = await core.signInLog.listSignIns(system, { username: 'kate', result: 'refused', limit: 1 });
      expect(e).toBeDefined();
    });

    test("POST /api/v1/verify and the CLI's verify refuse it too", async () => {
      const verify = (username: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/verify',
          headers: { authorization: `Bearer ${serviceSecret}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ username, password: kateApp, door: 'imap' }),
        });
      expect((await verify(kelvinKate)).json()).toEqual({ ok: false, reason: 'invalid_credentials' });
      expect((await verify('Kate')).json()).toMatchObject({ ok: true, user: { username: 'kate' } });
      const refused = await cli(['verify', kelvinKate, '--door', 'imap'], `${kateApp}\n`);
      expect(refused.code).toBe(1);
      expect(refused.stdout.trim()).toBe('unknown_user');
      expect((await cli(['verify', 'KATE', '--door', 'imap'], `${kateApp}\n`)).code).toBe(0);
    });

    test('LDAP bind: uid=…, NAME and NAME@domain with the Kelvin sign answer 49', async () => {
      for (const name of [
        `uid=${kelvinKate},ou=people,${BASE}`,
        `uid=\\e2\\84\\aaate,ou=people,${BASE}`,
        `UID=${kelvinKate}, OU=People, ${BASE}`,
        kelvinKate,
        `${kelvinKate}@example.org`,
      ]) {
        expect(await ldapBind(ldapPort, name, kateApp), name).toBe(49);
      }
      for (const name of [
        `uid=kate,ou=people,${BASE}`,
        `uid=Kate,ou=People,${BASE}`,
        'KATE',
        'Kate@Example.org',
      ]) {
        expect(await ldapBind(ldapPort, name, kateApp), name).toBe(0);
      }
    });

    test('the browser sign-in page answers as for a wrong password', async () => {
      await core.users.createUser(system, { username: 'kim', password: PASSWORD });
      const notice = (b: string) => /class="notice[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(b)?.[1];
      const wrong = await new WebClient(app, '198.51.100.31').signIn('kim', 'not the password');
      for (const [name, secret] of [
        [`${KELVIN}im`, PASSWORD],
        [kelvinKate, kateApp],
      ] as const) {
        const c = new WebClient(app, '198.51.100.31');
        const r = await c.signIn(name, secret);
        expect(r.statusCode, name).toBe(401);
        expect(notice(r.body)).toBe(notice(wrong.body));
        expect(c.cookies.has('lk_session')).toBe(false);
      }
      const kim = new WebClient(app, '198.51.100.32');
      expect((await kim.signIn('KIM', PASSWORD)).statusCode).toBe(303);
      expect(kim.cookies.has('lk_session')).toBe(true);
      // kate's app password under her real name gets the B10 sentence: the name was hers.
      const typed = await new WebClient(app, '198.51.100.33').signIn('Kate', kateApp);
      expect(text(typed.body)).toContain(
        'App passwords are only for apps that cannot do two-step verification',
      );
    });

    test('creation refuses the look-alike on the API, the CSV import, the CLI and the admin pages', async () => {
      const name = `${KELVIN}eith`;
      const r = await api('POST', '/api/v1/users', { username: name });
      expect([r.statusCode, r.json().code]).toEqual([400, 'USERNAME_INVALID']);
      expect((await core.users.importUsers(system, `username\n${name}\n`)).errors).toMatchObject([
        { line: 2, code: 'USERNAME_INVALID' },
      ]);
      expect((await cli(['user', 'add', name])).code).toBe(1);
      const boss = new WebClient(app, '198.51.100.34');
      expect((await boss.signIn('boss', PASSWORD)).statusCode).toBe(303);
      await boss.get('/admin/new-user');
      const page = await boss.post('/admin/new-user', { username: name, email: '', role: 'user' });
      expect(page.statusCode).toBe(400);
      expect(text(page.body)).toContain('Usernames are 1–64 characters');
      expect((await api('GET', '/api/v1/users/keith')).statusCode).toBe(404);
      // Nor does the look-alike find kate's record anywhere a name is looked up.
      expect((await api('GET', `/api/v1/users/${encodeURIComponent(kelvinKate)}`)).statusCode).toBe(400);
      // ASCII capitals are still folded, as they always were.
      const gina = await api('POST', '/api/v1/users', { username: 'Gina' });
      expect(gina.json().user.username).toBe('gina');
    });

    test('a service account name with the Kelvin sign does not bind as the service', async () => {
      const keeper = await core.services.addService(system, 'keeper');
      expect(await ldapBind(ldapPort, `cn=${KELVIN}eeper,ou=services,${BASE}`, keeper.secret)).toBe(49);
      expect(await ldapBind(ldapPort, `cn=Keeper,ou=services,${BASE}`, keeper.secret)).toBe(0);
    });
  });
});
