// Throttling and smart lockout (B6, B9) on both stores: separate counters for the primary password and
// app passwords, for familiar and unfamiliar sources, and per source across accounts (spray).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const admin: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';

describe.each(kinds)('lockout on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let clock = Date.UTC(2026, 10, 22, 12, 0, 0);
  const test = kind.available ? it : it.skip;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, now: () => clock, flushIntervalMs: 0 });
    // Small numbers keep the test fast; the rules are the same at the defaults (10 → 60 s).
    await core.settings.updateSettings(admin, { lockoutThreshold: 3, lockoutSeconds: 60 });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await core.close();
    await t.cleanup();
  });

  let seq = 0;
  async function person(state: 'disabled' | 'enforced' = 'enforced') {
    const username = `lock${++seq}`;
    await core.users.createUser(admin, { username, password: PASSWORD });
    if (state !== 'disabled') await core.twoStep.setTwoStepState(admin, username, state);
    return username;
  }
  const attempt = (username: string, secret: string, ip: string) =>
    core.signIn({ username, secret, door: 'imap', ip, userAgent: 'mail/1' });
  /** A device that signed in successfully from `ip` (flushed, so the source is familiar). */
  async function familiarize(username: string, secret: string, ip: string) {
    expect((await attempt(username, secret, ip)).ok).toBe(true);
    await core.ctx.usage.flush();
  }

  test('a good app password from a familiar source keeps working while the primary password is sprayed from elsewhere', async () => {
    const name = await person('enforced');
    const ap = await core.appPasswords.createAppPassword(admin, name, { label: 'Mail' });
    await familiarize(name, ap.password, '192.0.2.10');
    for (let i = 0; i < 20; i++) await attempt(name, `guess number ${i}`, `198.51.100.${i % 4}`);
    const r = await attempt(name, ap.password, '192.0.2.10');
    expect(r).toMatchObject({ ok: true, credential: { kind: 'app_password' } });
    // The attacker is now refused as locked_out, even with a guess, without a password check.
    expect(await attempt(name, 'yet another guess', '198.51.100.9')).toEqual({
      ok: false,
      reason: 'locked_out',
    });
    const log = await core.signInLog.listSignIns(admin, { username: name, limit: 100 });
    expect(log.some((e) => e.reason === 'locked_out')).toBe(true);
  });

  test('the primary password locks out unfamiliar sources, not the familiar device, and unlocks after the lockout time, doubling on repeat', async () => {
    const name = await person('disabled');
    await familiarize(name, PASSWORD, '192.0.2.20');
    for (let i = 0; i < 3; i++) await attempt(name, `wrong ${i}`, '203.0.113.50');
    // Locked for unfamiliar sources: even the right password is refused there.
    expect(await attempt(name, PASSWORD, '203.0.113.51')).toEqual({ ok: false, reason: 'locked_out' });
    expect((await attempt(name, PASSWORD, '192.0.2.20')).ok).toBe(true);
    clock += 61_000;
    expect((await attempt(name, PASSWORD, '203.0.113.51')).ok).toBe(true);
    // Second lock: 120 s.
    for (let i = 0; i < 3; i++) await attempt(name, `wrong again ${i}`, '203.0.113.52');
    clock += 61_000;
    expect(await attempt(name, PASSWORD, '203.0.113.53')).toEqual({ ok: false, reason: 'locked_out' });
    clock += 60_000;
    expect((await attempt(name, PASSWORD, '203.0.113.53')).ok).toBe(true);
  });

  test('failed app-password attempts never lock the primary password out (B9)', async () => {
    const name = await person('disabled');
    for (let i = 0; i < 6; i++)
      await attempt(name, `abcd efgh ijkl mnop qrst uvw${String.fromCharCode(97 + i)}`, '203.0.113.60');
    expect((await attempt(name, PASSWORD, '203.0.113.61')).ok).toBe(true);
    const status = await core.lockout.lockoutStatus(admin, name);
    expect(status.find((s) => s.lockedUntil !== null)?.counter).toBe('app unfamiliar');
  });

  test('the same wrong secret repeated counts once', async () => {
    const name = await person('disabled');
    for (let i = 0; i < 10; i++) await attempt(name, 'my old password', '203.0.113.70');
    expect((await attempt(name, PASSWORD, '203.0.113.70')).ok).toBe(true);
  });

  test('one source failing across many accounts (spray) is throttled, but not where it is familiar', async () => {
    const victims = [];
    for (let i = 0; i < 10; i++) victims.push(await person('disabled'));
    const office = await person('disabled');
    await familiarize(office, PASSWORD, '198.18.0.1');
    // 3 × threshold distinct failures from one address, one per account.
    for (const v of victims) await attempt(v, 'Summer2026!', '198.18.0.1');
    await attempt('no-such-user-1', 'Summer2026!', '198.18.0.1');
    expect(await attempt(victims[0]!, PASSWORD, '198.18.0.1')).toEqual({ ok: false, reason: 'locked_out' });
    expect(await attempt('no-such-user-2', 'x', '198.18.0.1')).toEqual({ ok: false, reason: 'locked_out' });
    // The person whose device is at that address keeps signing in.
    expect((await attempt(office, PASSWORD, '198.18.0.1')).ok).toBe(true);
    // And the victims, from their own addresses.
    expect((await attempt(victims[1]!, PASSWORD, '192.0.2.99')).ok).toBe(true);
  });

  test('latchkey user unlock clears the account, audited', async () => {
    const name = await person('disabled');
    for (let i = 0; i < 3; i++) await attempt(name, `nope ${i}`, '203.0.113.80');
    expect(await attempt(name, PASSWORD, '203.0.113.81')).toEqual({ ok: false, reason: 'locked_out' });
    expect(await core.lockout.unlockUser(admin, name)).toBeGreaterThan(0);
    expect((await attempt(name, PASSWORD, '203.0.113.81')).ok).toBe(true);
    const [e] = await core.audit.listAudit(admin, { limit: 1 });
    expect(e).toMatchObject({ action: 'user.unlocked', target: name });
  });

  test('a wrong service secret is logged and counts against its source', async () => {
    await core.services.addService(admin, 'imap-relay');
    for (let i = 0; i < 9; i++) {
      expect(
        await core.services.authenticate(`lks_wrong-${i}`, 'imap-relay', {
          door: 'ldap',
          ip: '203.0.113.90',
        }),
      ).toBeNull();
    }
    const log = await core.signInLog.listSignIns(admin, { username: 'service:imap-relay', limit: 20 });
    expect(log.length).toBeGreaterThanOrEqual(9);
    expect(log[0]).toMatchObject({
      result: 'refused',
      door: 'ldap',
      ip: '203.0.113.90',
      credential: 'service',
    });
    // Nine distinct failures reach the source threshold (3 × 3): the source is locked now.
    const name = await person('disabled');
    expect(await attempt(name, PASSWORD, '203.0.113.90')).toEqual({ ok: false, reason: 'locked_out' });
  });

  test('a cached primary password stops working at once when the password changes or the account is disabled', async () => {
    const name = await person('disabled');
    expect((await attempt(name, PASSWORD, '192.0.2.30')).ok).toBe(true);
    // The second check comes from the cache (no argon2id; see BENCHMARKS.md): the same answer.
    expect((await attempt(name, PASSWORD, '192.0.2.30')).ok).toBe(true);
    await core.users.setUserDisabled(admin, name, true);
    expect(await attempt(name, PASSWORD, '192.0.2.30')).toEqual({ ok: false, reason: 'user_disabled' });
    await core.users.setUserDisabled(admin, name, false);
    clock += 1;
    await core.users.setPassword(admin, name, 'the next password');
    expect(await attempt(name, PASSWORD, '192.0.2.30')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect((await attempt(name, 'the next password', '192.0.2.30')).ok).toBe(true);
  });
});

describe.each(kinds)('relays on $name', (kind) => {
  (kind.available ? it : it.skip)(
    'failures relayed by the mail server count per account only, never lock the relay',
    async () => {
      const t = await kind.open();
      try {
        const core = await createCore({
          store: t.store,
          keys: t.keys,
          flushIntervalMs: 0,
          relays: ['127.0.0.1', '10.0.0.0/8'],
        });
        await core.settings.updateSettings(admin, { lockoutThreshold: 3 });
        const names: string[] = [];
        for (let i = 0; i < 12; i++) {
          const n = `relay${i}`;
          await core.users.createUser(admin, { username: n, password: PASSWORD });
          names.push(n);
        }
        // A spray through Dovecot: every attempt reaches Latchkey from the mail server's address.
        for (const n of names)
          await core.signIn({ username: n, secret: 'Winter2026!', door: 'ldap', ip: '127.0.0.1' });
        // Nobody who never signed in through the relay is locked out by the others' failures.
        expect(
          (await core.signIn({ username: names[0]!, secret: PASSWORD, door: 'ldap', ip: '127.0.0.1' })).ok,
        ).toBe(true);
        // The account counter still works: three failures lock that account for unfamiliar attempts.
        for (let i = 0; i < 3; i++)
          await core.signIn({ username: names[1]!, secret: `guess ${i}`, door: 'ldap', ip: '10.1.2.3' });
        expect(
          await core.signIn({ username: names[1]!, secret: PASSWORD, door: 'ldap', ip: '10.1.2.3' }),
        ).toEqual({
          ok: false,
          reason: 'locked_out',
        });
        await core.close();
      } finally {
        await t.cleanup();
      }
    },
  );
});
