// The core's conformance suite: every rule of spec §1–§3 that the core owns, run against a real SQLite
// file and a real PostgreSQL database. No mocks of the store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const admin: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';

describe.each(kinds)('core on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let clock = Date.UTC(2026, 10, 22, 12, 0, 0);
  const now = () => clock;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, now, flushIntervalMs: 0 });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await core.close();
    await t.cleanup();
  });

  const test = kind.available ? it : it.skip;
  let seq = 0;
  /** A fresh user with a primary password and the given two-step state. */
  async function person(state: 'disabled' | 'enabled' | 'enforced' = 'enforced') {
    const username = `user${++seq}`;
    await core.users.createUser(admin, { username, email: `${username}@example.org`, password: PASSWORD });
    if (state !== 'disabled') await core.twoStep.setTwoStepState(admin, username, state);
    return username;
  }
  const verify = (username: string, secret: string, door = 'imap', ip = '192.0.2.10') =>
    core.signIn({ username, secret, door, ip, userAgent: 'test-mail/1.0' });
  async function setting(key: string, value: unknown) {
    await core.settings.updateSettings(admin, { [key]: value });
  }

  describe('users', () => {
    test('create, show, list, disable, enable, delete', async () => {
      const u = await core.users.createUser(admin, {
        username: 'Carol',
        email: 'Carol@Example.org',
        displayName: 'Carol Danvers',
        role: 'helpdesk',
      });
      expect(u).toMatchObject({
        username: 'carol',
        email: 'carol@example.org',
        displayName: 'Carol Danvers',
        role: 'helpdesk',
        status: 'active',
        twoStep: 'disabled',
        passwordSet: false,
      });
      expect((await core.users.getUser(admin, 'carol')).id).toBe(u.id);
      expect((await core.users.listUsers(admin, { search: 'car' })).map((x) => x.username)).toEqual([
        'carol',
      ]);
      expect((await core.users.listUsers(admin, { search: 'carol@ex' })).map((x) => x.username)).toEqual([
        'carol',
      ]);
      // LIKE wildcards in a search are literal characters.
      expect(await core.users.listUsers(admin, { search: '%' })).toEqual([]);
      // So are GLOB's (SQLite answers prefixes with GLOB, from the index), and case does not matter.
      await core.users.createUser(admin, { username: 'c_x', email: 'c*x@example.org' });
      await core.users.createUser(admin, { username: 'cax' });
      for (const q of ['*', '?', '[', 'c?x', 'c[', '_']) {
        expect(await core.users.listUsers(admin, { search: q })).toEqual([]);
      }
      expect((await core.users.listUsers(admin, { search: 'c_' })).map((x) => x.username)).toEqual(['c_x']);
      expect((await core.users.listUsers(admin, { search: 'C*' })).map((x) => x.username)).toEqual(['c_x']);
      expect((await core.users.listUsers(admin, { search: 'CA' })).map((x) => x.username)).toEqual([
        'carol',
        'cax',
      ]);
      await core.users.deleteUser(admin, 'c_x');
      await core.users.deleteUser(admin, 'cax');
      expect((await core.users.setUserDisabled(admin, 'carol', true)).status).toBe('disabled');
      expect((await core.users.setUserDisabled(admin, 'carol', false)).status).toBe('active');
      await core.users.deleteUser(admin, 'carol');
      await expect(core.users.getUser(admin, 'carol')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    });

    test('refuses duplicates and bad input with stable codes, writing nothing', async () => {
      const name = await person('disabled');
      await expect(core.users.createUser(admin, { username: name })).rejects.toMatchObject({
        code: 'USER_EXISTS',
      });
      await expect(
        core.users.createUser(admin, { username: 'x', email: `${name}@example.org` }),
      ).rejects.toMatchObject({
        code: 'EMAIL_TAKEN',
      });
      for (const bad of ['', 'a b', 'ümlaut', 'x'.repeat(65), 'semi;colon', 'slash/']) {
        await expect(core.users.createUser(admin, { username: bad })).rejects.toMatchObject({
          code: 'USERNAME_INVALID',
        });
      }
      await expect(
        core.users.createUser(admin, { username: 'okname', email: 'not-an-email' }),
      ).rejects.toMatchObject({
        code: 'EMAIL_INVALID',
      });
      await expect(core.users.createUser(admin, { username: 'okname', role: 'root' })).rejects.toMatchObject({
        code: 'ROLE_INVALID',
      });
      await expect(
        core.users.createUser(admin, { username: 'okname', password: 'short' }),
      ).rejects.toMatchObject({
        code: 'PASSWORD_TOO_SHORT',
      });
      await expect(
        core.users.createUser(admin, { username: 'okname', password: 'x'.repeat(1025) }),
      ).rejects.toMatchObject({
        code: 'SECRET_TOO_LONG',
      });
      await expect(core.users.getUser(admin, 'okname')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    });

    test('keeps one active administrator', async () => {
      await core.users.createUser(admin, { username: 'boss', role: 'admin' });
      await expect(core.users.setUserDisabled(admin, 'boss', true)).rejects.toMatchObject({
        code: 'LAST_ADMIN',
      });
      await expect(core.users.setUserRole(admin, 'boss', 'user')).rejects.toMatchObject({
        code: 'LAST_ADMIN',
      });
      await expect(core.users.deleteUser(admin, 'boss')).rejects.toMatchObject({ code: 'LAST_ADMIN' });
      await expect(core.users.initFirstAdmin(admin, { username: 'second' })).rejects.toMatchObject({
        code: 'ALREADY_INITIALIZED',
      });
    });

    test('passwords are stored as argon2id only', async () => {
      const name = await person('disabled');
      const row = await t.store.db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', name)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain(PASSWORD);
    });
  });

  describe('the sign-in decision (spec §3 table)', () => {
    test('2SV disabled: primary accepted; B12 refuses it with app_password_required', async () => {
      const name = await person('disabled');
      expect(await verify(name, PASSWORD)).toMatchObject({ ok: true, credential: { kind: 'primary' } });
      await setting('requireAppPasswordsForNonBrowser', true);
      try {
        expect(await verify(name, PASSWORD)).toEqual({ ok: false, reason: 'app_password_required' });
        // B12 lets users without two-step hold app passwords, and those work.
        const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Phone' });
        expect(await verify(name, ap.password)).toMatchObject({
          ok: true,
          credential: { kind: 'app_password' },
        });
      } finally {
        await setting('requireAppPasswordsForNonBrowser', false);
      }
    });

    test('2SV enabled: primary still accepted until registration; app passwords accepted', async () => {
      const name = await person('enabled');
      expect(await verify(name, PASSWORD)).toMatchObject({ ok: true, credential: { kind: 'primary' } });
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Laptop' });
      expect(await verify(name, ap.password)).toMatchObject({
        ok: true,
        user: { username: name },
        credential: { kind: 'app_password', id: ap.id, label: 'Laptop' },
      });
    });

    test('2SV enforced: primary refused with app_password_required (R2), app password accepted', async () => {
      const name = await person('enforced');
      expect(await verify(name, PASSWORD)).toEqual({ ok: false, reason: 'app_password_required' });
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Laptop' });
      expect((await verify(name, ap.password)).ok).toBe(true);
      expect(await verify(name, 'wrong password')).toEqual({ ok: false, reason: 'invalid_credentials' });
    });

    test('require two-step for everyone lifts disabled users to enabled', async () => {
      const name = await person('disabled');
      await setting('requireTwoStepForEveryone', true);
      try {
        expect((await core.users.getUser(admin, name)).twoStepEffective).toBe('enabled');
        // enabled: primary still works, and app passwords may now be created.
        expect((await verify(name, PASSWORD)).ok).toBe(true);
        const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Tablet' });
        expect((await verify(name, ap.password)).ok).toBe(true);
      } finally {
        await setting('requireTwoStepForEveryone', false);
      }
    });

    test('app passwords are accepted in any case, with or without spaces and dashes (R3)', async () => {
      const name = await person();
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Laptop' });
      expect(ap.password).toMatch(/^([a-z]{4} ){5}[a-z]{4}$/);
      const letters = ap.password.replaceAll(' ', '');
      for (const typed of [
        letters,
        letters.toUpperCase(),
        ap.password,
        ap.password.replaceAll(' ', '-'),
        ` ${ap.password} `,
      ]) {
        expect((await verify(name, typed)).ok, typed).toBe(true);
      }
      // One letter off is a wrong secret.
      const last = letters.at(-1) === 'a' ? 'b' : 'a';
      expect((await verify(name, `${letters.slice(0, 23)}${last}`)).ok).toBe(false);
    });

    test('the email address works as the username (mail clients use it)', async () => {
      const name = await person('enabled');
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Phone' });
      expect(await verify(`${name}@example.org`, ap.password)).toMatchObject({
        ok: true,
        user: { username: name },
      });
      expect(await verify(`${name.toUpperCase()}@EXAMPLE.ORG`, PASSWORD)).toMatchObject({
        ok: true,
        user: { username: name },
      });
      expect(await verify(`${name}@example.org`, 'wrong')).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
      expect(await verify('nobody@example.org', 'wrong')).toEqual({ ok: false, reason: 'unknown_user' });
    });

    test("another user's app password is a wrong secret", async () => {
      const a = await person();
      const b = await person();
      const apB = await core.appPasswords.createAppPassword(admin, b, { label: 'Phone' });
      expect(await verify(a, apB.password)).toEqual({ ok: false, reason: 'invalid_credentials' });
    });

    test('unknown and disabled users are refused like a wrong password; the log keeps the truth', async () => {
      const name = await person();
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Laptop' });
      expect(await verify('nobody-here', PASSWORD)).toEqual({ ok: false, reason: 'unknown_user' });
      await core.users.setUserDisabled(admin, name, true);
      expect(await verify(name, ap.password)).toEqual({ ok: false, reason: 'user_disabled' });
      await core.users.setUserDisabled(admin, name, false);
      expect((await verify(name, ap.password)).ok).toBe(true);
      const log = await core.signInLog.listSignIns(admin, { username: 'nobody-here' });
      expect(log[0]).toMatchObject({
        username: 'nobody-here',
        result: 'refused',
        reason: 'unknown_user',
        door: 'imap',
      });
    });

    test('an unknown user costs an argon2id check, like a wrong password', async () => {
      const name = await person('disabled');
      const median = async (f: () => Promise<unknown>) => {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const s = performance.now();
          await f();
          times.push(performance.now() - s);
        }
        return times.sort((x, y) => x - y)[2]!;
      };
      const wrong = await median(() => verify(name, 'not the password'));
      const unknown = await median(() => verify('no-such-user-at-all', 'not the password'));
      // argon2id (19 MiB, t=2) takes tens of milliseconds; a skipped check would take well under one.
      expect(unknown).toBeGreaterThan(wrong * 0.3);
    });

    test('expired app passwords are refused with app_password_expired (B2)', async () => {
      const name = await person();
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Loaner', expires: '24h' });
      expect((await verify(name, ap.password)).ok).toBe(true);
      clock += 25 * 3_600_000;
      expect(await verify(name, ap.password)).toEqual({ ok: false, reason: 'app_password_expired' });
    });

    test('door scope: out_of_scope outside the chosen doors (B2)', async () => {
      const name = await person();
      const ap = await core.appPasswords.createAppPassword(admin, name, {
        label: 'Mail',
        scopes: 'imap,smtp',
      });
      expect(ap.scopes).toEqual(['imap', 'smtp']);
      expect((await verify(name, ap.password, 'smtp')).ok).toBe(true);
      expect(await verify(name, ap.password, 'ldap')).toEqual({ ok: false, reason: 'out_of_scope' });
    });

    test('R12 off: app passwords refused (not deleted) and none created; back on, they work again', async () => {
      const name = await person();
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Laptop' });
      await setting('allowAppPasswords', false);
      try {
        expect(await verify(name, ap.password)).toEqual({ ok: false, reason: 'app_passwords_disabled' });
        await expect(
          core.appPasswords.createAppPassword(admin, name, { label: 'More' }),
        ).rejects.toMatchObject({
          code: 'APP_PASSWORDS_DISABLED',
        });
        expect(await core.appPasswords.listAppPasswords(admin, name)).toHaveLength(1);
      } finally {
        await setting('allowAppPasswords', true);
      }
      expect((await verify(name, ap.password)).ok).toBe(true);
    });

    test('empty, oversized and unknown-door attempts', async () => {
      const name = await person();
      expect(await verify(name, '')).toEqual({ ok: false, reason: 'invalid_credentials' });
      expect(await verify(name, 'x'.repeat(1025))).toEqual({ ok: false, reason: 'invalid_credentials' });
      await expect(verify(name, PASSWORD, 'telnet')).rejects.toMatchObject({ code: 'DOOR_INVALID' });
    });
  });

  describe('app passwords', () => {
    test('only a keyed hash is stored; list shows metadata only (R4)', async () => {
      const name = await person();
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Laptop' });
      const rows = await t.store.db.selectFrom('app_passwords').selectAll().where('id', '=', ap.id).execute();
      expect(rows).toHaveLength(1);
      const letters = ap.password.replaceAll(' ', '');
      expect(Buffer.from(rows[0]!.hash).length).toBe(32);
      expect(Buffer.from(rows[0]!.hash).toString('latin1')).not.toContain(letters);
      expect(JSON.stringify(rows[0])).not.toContain(letters);
      const list = await core.appPasswords.listAppPasswords(admin, name);
      expect(list).toEqual([
        {
          id: ap.id,
          label: 'Laptop',
          scopes: null,
          createdAt: ap.createdAt,
          expiresAt: null,
          lastUsedAt: null,
          lastUsedIp: null,
          lastUsedDoor: null,
        },
      ]);
      expect(JSON.stringify(list)).not.toContain(letters);
      // Nor in the audit log.
      expect(JSON.stringify(await core.audit.listAudit(admin, { limit: 1000 }))).not.toContain(letters);
    });

    test('last used at, from and through which door, written behind (B1)', async () => {
      const name = await person();
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Phone' });
      await verify(name, ap.password, 'smtp', '198.51.100.7');
      await core.ctx.usage.flush();
      const [row] = await core.appPasswords.listAppPasswords(admin, name);
      expect(row).toMatchObject({
        lastUsedIp: '198.51.100.7',
        lastUsedDoor: 'smtp',
        lastUsedAt: new Date(clock).toISOString(),
      });
    });

    test('accepted checks are aggregated per credential, door, source and minute (B4)', async () => {
      const name = await person();
      const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Desktop' });
      for (let i = 0; i < 5; i++) await verify(name, ap.password, 'imap', '203.0.113.5');
      await core.ctx.usage.flush();
      for (let i = 0; i < 3; i++) await verify(name, ap.password, 'imap', '203.0.113.5');
      await verify(name, ap.password, 'imap', '203.0.113.6');
      await verify(name, 'wrong', 'imap', '203.0.113.6');
      await verify(name, 'wrong', 'imap', '203.0.113.6');
      const log = await core.signInLog.listSignIns(admin, { username: name });
      const accepted = log.filter((e) => e.result === 'accepted');
      expect(accepted.map((e) => [e.ip, e.count]).sort()).toEqual([
        ['203.0.113.5', 8],
        ['203.0.113.6', 1],
      ]);
      expect(accepted[0]).toMatchObject({
        credential: 'app_password',
        appPasswordLabel: 'Desktop',
        door: 'imap',
      });
      // Every refusal is its own event.
      expect(log.filter((e) => e.result === 'refused').map((e) => e.count)).toEqual([1, 1]);
    });

    test('delete one: it stops working at once (R8); delete all (R10)', async () => {
      const name = await person();
      const a = await core.appPasswords.createAppPassword(admin, name, { label: 'A' });
      const b = await core.appPasswords.createAppPassword(admin, name, { label: 'B' });
      const c = await core.appPasswords.createAppPassword(admin, name, { label: 'C' });
      await core.appPasswords.deleteAppPassword(admin, name, a.id);
      expect(await verify(name, a.password)).toEqual({ ok: false, reason: 'invalid_credentials' });
      expect((await verify(name, b.password)).ok).toBe(true);
      await expect(core.appPasswords.deleteAppPassword(admin, name, a.id)).rejects.toMatchObject({
        code: 'APP_PASSWORD_NOT_FOUND',
      });
      // An id of another user's app password is "not found" for this user, and nothing is deleted.
      const other = await person();
      const o = await core.appPasswords.createAppPassword(admin, other, { label: 'O' });
      await expect(core.appPasswords.deleteAppPassword(admin, name, o.id)).rejects.toMatchObject({
        code: 'APP_PASSWORD_NOT_FOUND',
      });
      expect((await verify(other, o.password)).ok).toBe(true);
      expect(await core.appPasswords.deleteAllAppPasswords(admin, name)).toBe(2);
      expect((await verify(name, c.password)).ok).toBe(false);
      expect(await core.appPasswords.listAppPasswords(admin, name)).toEqual([]);
    });

    test('the per-user limit (R6), with the message asking to delete one first', async () => {
      const name = await person();
      await setting('maxAppPasswordsPerUser', 3);
      try {
        for (let i = 0; i < 3; i++)
          await core.appPasswords.createAppPassword(admin, name, { label: `D${i}` });
        const err = await core.appPasswords
          .createAppPassword(admin, name, { label: 'one more' })
          .catch((e) => e);
        expect(err).toMatchObject({ code: 'APP_PASSWORD_LIMIT' });
        expect(err.message).toMatch(/Delete one/);
        expect(await core.appPasswords.listAppPasswords(admin, name)).toHaveLength(3);
      } finally {
        await setting('maxAppPasswordsPerUser', 40);
      }
    });

    test('100 concurrent creates for a user with 39 leave exactly 40 (in one process)', async () => {
      const name = await person();
      for (let i = 0; i < 39; i++)
        await core.appPasswords.createAppPassword(admin, name, { label: `Device ${i}` });
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) =>
          core.appPasswords.createAppPassword(admin, name, { label: `Race ${i}` }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(new Set(rejected.map((r) => r.reason.code))).toEqual(new Set(['APP_PASSWORD_LIMIT']));
      expect(await core.appPasswords.listAppPasswords(admin, name)).toHaveLength(40);
    });

    test('bad input: label, expiry, scope; nothing written', async () => {
      const name = await person();
      const before = (await core.audit.listAudit(admin, { limit: 10000 })).length;
      for (const label of ['', '   ', 'x'.repeat(65), 'tab\there', 'line\nbreak', '\u0000']) {
        await expect(core.appPasswords.createAppPassword(admin, name, { label })).rejects.toMatchObject({
          code: 'LABEL_INVALID',
        });
      }
      for (const expires of ['tomorrow', '0d', '-1d', '99999d', '2020-01-01', '2027-02-30', '10x']) {
        await expect(
          core.appPasswords.createAppPassword(admin, name, { label: 'ok', expires }),
        ).rejects.toMatchObject({
          code: 'EXPIRES_INVALID',
        });
      }
      await expect(
        core.appPasswords.createAppPassword(admin, name, { label: 'ok', scopes: 'imap,telnet' }),
      ).rejects.toMatchObject({
        code: 'SCOPE_INVALID',
      });
      expect(await core.appPasswords.listAppPasswords(admin, name)).toEqual([]);
      expect((await core.audit.listAudit(admin, { limit: 10000 })).length).toBe(before);
      // 64 printable characters, including non-Latin ones, are fine.
      const label = `Téléphone 📱 ${'x'.repeat(52)}`;
      expect([...label].length).toBe(64);
      const ok = await core.appPasswords.createAppPassword(admin, name, { label });
      expect(ok.label).toBe(label);
      await expect(
        core.appPasswords.createAppPassword(admin, name, { label: `${label}x` }),
      ).rejects.toMatchObject({
        code: 'LABEL_INVALID',
      });
    });

    test('no app passwords for users whose two-step is disabled (unless B12)', async () => {
      const name = await person('disabled');
      await expect(core.appPasswords.createAppPassword(admin, name, { label: 'x' })).rejects.toMatchObject({
        code: 'TWO_STEP_REQUIRED',
      });
    });

    test('B3: a password change revokes all app passwords (setting on by default), and two-step off deletes them', async () => {
      const name = await person();
      const a = await core.appPasswords.createAppPassword(admin, name, { label: 'A' });
      const r = await core.users.setPassword(admin, name, 'a brand new password');
      expect(r.appPasswordsDeleted).toBe(1);
      expect((await verify(name, a.password)).ok).toBe(false);

      await setting('revokeAppPasswordsOnPasswordChange', false);
      try {
        const b = await core.appPasswords.createAppPassword(admin, name, { label: 'B' });
        const gen = await core.users.setPassword(admin, name, null);
        expect(gen.generated).toMatch(/^[A-Za-z0-9]{20}$/);
        expect(gen.appPasswordsDeleted).toBe(0);
        expect((await verify(name, b.password)).ok).toBe(true);
        const off = await core.twoStep.setTwoStepState(admin, name, 'disabled');
        expect(off.appPasswordsDeleted).toBe(1);
        expect((await verify(name, b.password)).ok).toBe(false);
      } finally {
        await setting('revokeAppPasswordsOnPasswordChange', true);
      }
    });

    test('B11: auto-revoke of app passwords unused for N days, audited with the reason', async () => {
      const name = await person();
      const used = await core.appPasswords.createAppPassword(admin, name, { label: 'Used' });
      const idle = await core.appPasswords.createAppPassword(admin, name, { label: 'Idle' });
      await setting('autoRevokeUnusedAppPasswordsDays', 30);
      try {
        clock += 20 * 86_400_000;
        expect((await verify(name, used.password)).ok).toBe(true);
        clock += 15 * 86_400_000;
        // Past 30 days unused: refused at once, even before the sweep runs.
        expect(await verify(name, idle.password)).toEqual({ ok: false, reason: 'app_password_expired' });
        // Every other idle app password in this store goes too, each with its own audit event.
        const auditBefore = await core.audit.listAudit(admin, { limit: 10000 });
        const revoked = await core.appPasswords.revokeUnusedAppPasswords(admin);
        expect(revoked).toBeGreaterThanOrEqual(1);
        expect((await core.appPasswords.listAppPasswords(admin, name)).map((a) => a.label)).toEqual(['Used']);
        const audit = (await core.audit.listAudit(admin, { limit: 10000 })).slice(
          0,
          -auditBefore.length || undefined,
        );
        expect(audit.filter((e) => e.action === 'app_password.auto_revoked')).toHaveLength(revoked);
        expect(
          audit.find((e) => e.action === 'app_password.auto_revoked' && e.target === name),
        ).toMatchObject({
          target: name,
          details: { label: 'Idle', reason: 'unused for 30 days' },
        });
      } finally {
        await setting('autoRevokeUnusedAppPasswordsDays', 0);
      }
    });
  });

  describe('settings and logs', () => {
    test('unknown keys and bad values are refused; nothing is written', async () => {
      const before = await core.settings.getSettings(admin);
      await expect(core.settings.updateSettings(admin, { noSuchSetting: 1 })).rejects.toMatchObject({
        code: 'SETTING_UNKNOWN',
      });
      await expect(core.settings.updateSettings(admin, { maxAppPasswordsPerUser: 0 })).rejects.toMatchObject({
        code: 'SETTING_INVALID',
      });
      await expect(core.settings.updateSettings(admin, { allowAppPasswords: 'maybe' })).rejects.toMatchObject(
        {
          code: 'SETTING_INVALID',
        },
      );
      // One bad value in a batch: none of the batch is applied.
      await expect(
        core.settings.updateSettings(admin, { lockoutThreshold: 5, maxAppPasswordsPerUser: 'lots' }),
      ).rejects.toMatchObject({ code: 'SETTING_INVALID' });
      expect(await core.settings.getSettings(admin)).toEqual(before);
    });

    test('every change is audited with actor, action, target, time and before/after', async () => {
      await core.settings.updateSettings(
        { kind: 'system', name: 'ops', ip: '127.0.0.1' },
        { lockoutSeconds: 120 },
      );
      const [e] = await core.audit.listAudit(admin, { limit: 1 });
      expect(e).toMatchObject({
        actor: 'cli:ops',
        actorIp: '127.0.0.1',
        action: 'settings.changed',
        target: 'lockoutSeconds',
        details: { before: 60, after: 120 },
      });
      expect(Date.parse(e!.at)).toBe(clock);
    });

    test('the audit log is append-only in the database itself', async () => {
      await expect(
        t.store.db.updateTable('audit_events').set({ action: 'forged' }).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(t.store.db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
    });

    test('sign-in events never hold the secret', async () => {
      const name = await person('enforced');
      await verify(name, PASSWORD);
      await verify(name, 'a wrong guess 12345');
      const rows = await t.store.db.selectFrom('sign_in_events').selectAll().execute();
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain(PASSWORD);
      expect(dump).not.toContain('a wrong guess 12345');
    });

    test('permissions: a user acts only on their own account; helpdesk cannot change settings', async () => {
      const me = await person();
      const other = await person();
      const meId = (await core.users.getUser(admin, me)).id;
      const self: Actor = { kind: 'user', userId: meId, username: me, role: 'user', ip: null };
      const helpdesk: Actor = { kind: 'user', userId: 'hd', username: 'hd', role: 'helpdesk', ip: null };
      const mine = await core.appPasswords.createAppPassword(self, me, { label: 'Mine' });
      expect(mine.label).toBe('Mine');
      await expect(core.appPasswords.createAppPassword(self, other, { label: 'x' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(core.appPasswords.listAppPasswords(self, other)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(core.settings.updateSettings(self, { lockoutSeconds: 1 })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(core.settings.updateSettings(helpdesk, { lockoutSeconds: 1 })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(core.users.setUserRole(helpdesk, other, 'admin')).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await core.appPasswords.deleteAllAppPasswords(helpdesk, me, 'helpdesk')).toBe(1);
    });
  });
});
