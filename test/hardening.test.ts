// Regression tests for the findings of the security review of the core and the doors: each would fail
// on the code before its fix.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { normalizeIp, sourceKey } from '../src/core/validate.js';
import { buildApp } from '../src/http/app.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';

it('addresses have one spelling, and IPv6 sources are counted per /64', () => {
  expect(normalizeIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
  expect(normalizeIp('2001:DB8:0:0::1')).toBe('2001:db8::1');
  expect(normalizeIp('not an address')).toBe('unknown');
  expect(normalizeIp('')).toBeNull();
  expect(sourceKey('2001:db8::1')).toBe(sourceKey('2001:db8::ffff:2'));
  expect(sourceKey('2001:db8::1')).not.toBe(sourceKey('2001:db8:0:1::1'));
  expect(sourceKey('192.0.2.1')).toBe('192.0.2.1');
});

describe.each(kinds)('hardening on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  const test = kind.available ? it : it.skip;
  let seq = 0;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
    await core.users.createUser(system, { username: 'boss', role: 'admin', password: PASSWORD });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await core.close();
    await t.cleanup();
  });
  async function person(state: 'disabled' | 'enabled' | 'enforced' = 'disabled') {
    const username = `h${++seq}`;
    await core.users.createUser(system, { username, email: `${username}@example.org`, password: PASSWORD });
    if (state !== 'disabled') await core.twoStep.setTwoStepState(system, username, state);
    return username;
  }
  const attempt = (username: string, secret: string, ip = '198.51.100.20') =>
    core.signIn({ username, secret, door: 'imap', ip, userAgent: null });

  test('guesses sent in parallel cannot get a right one past the lock', async () => {
    await core.settings.updateSettings(system, { lockoutThreshold: 10 });
    const name = await person();
    const results = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => attempt(name, `parallel guess ${i}`, '203.0.113.200')),
      attempt(name, PASSWORD, '203.0.113.200'),
    ]);
    expect(results.at(-1)).toEqual({ ok: false, reason: 'locked_out' });
  });

  test('B12 refuses the primary password in every two-step state, also with two-step required for everyone', async () => {
    const enabled = await person('enabled');
    const off = await person('disabled');
    await core.settings.updateSettings(system, {
      requireAppPasswordsForNonBrowser: true,
      requireTwoStepForEveryone: true,
    });
    try {
      expect(await attempt(enabled, PASSWORD)).toEqual({ ok: false, reason: 'app_password_required' });
      expect(await attempt(off, PASSWORD)).toEqual({ ok: false, reason: 'app_password_required' });
    } finally {
      await core.settings.updateSettings(system, {
        requireAppPasswordsForNonBrowser: false,
        requireTwoStepForEveryone: false,
      });
    }
  });

  test('the helpdesk cannot reset, unlock or clear an administrator, and never chooses a password', async () => {
    const helpdesk: Actor = { kind: 'token', tokenId: 'hd', role: 'helpdesk', ip: null };
    await expect(core.users.setPassword(helpdesk, 'boss', null)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(core.lockout.unlockUser(helpdesk, 'boss')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(core.appPasswords.deleteAllAppPasswords(helpdesk, 'boss')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const name = await person();
    await expect(core.users.setPassword(helpdesk, name, 'helpdesk chose this')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const reset = await core.users.setPassword(helpdesk, name, null);
    expect(reset.generated).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await attempt('boss', PASSWORD)).ok).toBe(true);
  });

  test("a locked app-password counter never refuses the owner's real app password", async () => {
    const name = await person('enforced');
    const ap = await core.appPasswords.createAppPassword(system, name, { label: 'Phone' });
    for (let i = 0; i < 12; i++)
      await attempt(name, `abcd efgh ijkl mnop qrst uv${String.fromCharCode(97 + i)}x`, '10.0.0.5');
    expect((await core.lockout.lockoutStatus(system, name)).some((s) => s.lockedUntil !== null)).toBe(true);
    expect(await attempt(name, ap.password, '10.0.0.5')).toMatchObject({ ok: true });
  });

  test('an IPv6 attacker changing addresses inside a /64 stays locked', async () => {
    await core.settings.updateSettings(system, { lockoutThreshold: 3 });
    try {
      for (let i = 0; i < 10; i++) await attempt(`nobody${i}`, 'spray', `2001:db8:aa::${i + 1}`);
      expect(await attempt(`nobody-x`, 'spray', '2001:db8:aa::ffff')).toEqual({
        ok: false,
        reason: 'locked_out',
      });
    } finally {
      await core.settings.updateSettings(system, { lockoutThreshold: 10 });
    }
  });

  test('control characters in a name are refused, not an error (PostgreSQL rejects NUL)', async () => {
    expect(await attempt('a\u0000@example.org', 'x')).toMatchObject({ ok: false });
    expect(
      await core.services.authenticate('lks_x', 'evil\u0000\nname', { door: 'ldap', ip: '192.0.2.77' }),
    ).toBeNull();
    const [e] = await core.signInLog.listSignIns(system, { limit: 1 });
    expect(e!.username).not.toMatch(/\p{Cc}/u);
  });

  test('two concurrent "latchkey init" runs make one administrator', async () => {
    const other = await kind.open();
    try {
      const c = await createCore({ store: other.store, keys: other.keys, flushIntervalMs: 0 });
      const r = await Promise.allSettled([
        c.users.initFirstAdmin(system, { username: 'first' }),
        c.users.initFirstAdmin(system, { username: 'second' }),
      ]);
      expect(r.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
      expect((await c.users.listUsers(system)).filter((u) => u.role === 'admin')).toHaveLength(1);
      await c.close();
    } finally {
      await other.cleanup();
    }
  });

  test('an email address outside Latin-1 does not break /auth/basic', async () => {
    const name = `h${++seq}`;
    await core.users.createUser(system, { username: name, password: PASSWORD });
    // Addresses are ASCII since the third review; a database written before it may hold this one.
    await t.store.db
      .updateTable('users')
      .set({ email: `k€${seq}@example.org` })
      .where('username', '=', name)
      .execute();
    const app = buildApp({ core, logLevel: 'silent' });
    const r = await app.inject({
      url: '/auth/basic',
      headers: { authorization: `Basic ${Buffer.from(`${name}:${PASSWORD}`).toString('base64')}` },
    });
    expect(r.statusCode).toBe(200);
    expect(Buffer.from(r.headers['remote-email'] as string, 'latin1').toString('utf8')).toBe(
      `k€${seq}@example.org`,
    );
    await app.close();
  });
});
