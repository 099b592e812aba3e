// Regression tests for the security review of the browser sign-in (session 2): each test is an attack
// that worked before its fix. Run on SQLite and PostgreSQL (the parallel one matters on PostgreSQL,
// where requests really run at the same time).

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { totpCode } from '../src/crypto/totp.js';
import { buildApp } from '../src/http/app.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';
import { text, WebClient } from './helpers/web-client.js';

const admin: Actor = { kind: 'system', name: 'test', ip: null };
const kinds: StoreKind[] = await storeKinds();

function seedFrom(html: string): string {
  const m = /class="secret-value small"[^>]*>([A-Z2-7 ]+)</.exec(html);
  if (!m) throw new Error('no TOTP key on the page');
  return m[1]!.replace(/ /g, '');
}

describe.each(kinds)('browser sign-in hardening on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let clock = Date.UTC(2026, 10, 22, 9, 0, 0);
  const tick = (ms: number) => {
    clock += ms;
  };

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0, now: () => clock });
    app = buildApp({ core, logLevel: 'silent' });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await core.close();
    await t.cleanup();
  });

  /** A user with an authenticator app, registered through the pages from a familiar address. */
  async function enrolled(name: string): Promise<string> {
    await core.users.createUser(admin, {
      username: name,
      password: `${name} password 1`,
      twoStep: 'enabled',
    });
    const c = new WebClient(app, '203.0.113.50');
    await c.signIn(name, `${name} password 1`);
    const seed = seedFrom((await c.follow()).body);
    await c.post('/sign-in/register', { method: 'totp', code: totpCode(seed, clock) });
    await c.follow();
    await c.post('/sign-in/recovery-codes');
    await c.post('/sign-in/done');
    return seed;
  }

  it.runIf(kind.available)(
    'wrong codes parked and repeated every 30 s are counted each time, and lock',
    async () => {
      const seed = await enrolled('alice');
      tick(60_000);
      const attacker = new WebClient(app, '192.0.2.66');
      await attacker.signIn('alice', 'alice password 1');
      await attacker.follow();
      const future = clock + 4 * 60_000;
      const target = totpCode(seed, future);
      const parked = [target, '111111', '222222', '333333', '444444'].filter(
        (g) => g !== totpCode(seed, clock),
      );
      let locked = false;
      const seen: string[] = [];
      for (let round = 0; round < 8 && !locked; round++) {
        for (const code of parked) {
          const r = await attacker.post('/sign-in/verify', { method: 'totp', code });
          seen.push(`${r.statusCode}:${text(r.body).slice(0, 60)}`);
          if (r.statusCode !== 400) locked = true;
        }
        tick(30_000);
      }
      expect(locked).toBe(true);
      // Ten guesses (two rounds of five) locked the account's counter; a lock ends the flow.
      expect(seen.filter((x) => x.startsWith('400'))).toHaveLength(10);
      expect(seen[10]).toMatch(/^410/);
      expect((await core.lockout.lockoutStatus(admin, 'alice'))[0]).toMatchObject({ lockLevel: 1 });
      tick(future - clock);
      const late = new WebClient(app, '192.0.2.66');
      await late.signIn('alice', 'alice password 1');
      expect(late.cookies.has('lk_session')).toBe(false);
    },
  );

  it.runIf(kind.available)(
    'a burst of parallel guesses cannot carry the right code past the lock',
    async () => {
      const seed = await enrolled('bob');
      tick(60_000);
      const attacker = new WebClient(app, '192.0.2.67');
      await attacker.signIn('bob', 'bob password 1');
      await attacker.follow();
      const near = new Set([-30_000, 0, 30_000].map((d) => totpCode(seed, clock + d)));
      const codes: string[] = [];
      for (let i = 0; codes.length < 60; i++) {
        const c = String(100000 + i * 7);
        if (!near.has(c)) codes.push(c);
      }
      codes.push(totpCode(seed, clock));
      const cookie = [...attacker.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await Promise.all(
        codes.map((code) =>
          app.inject({
            method: 'POST',
            url: '/sign-in/verify',
            remoteAddress: '192.0.2.67',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({ _csrf: attacker.csrf!, method: 'totp', code }).toString(),
          }),
        ),
      );
      expect(res.filter((r) => r.statusCode === 303)).toEqual([]);
    },
  );

  it.runIf(kind.available)(
    'a sign-in begun with a one-time password ends when the helpdesk issues another',
    async () => {
      await core.users.createUser(admin, { username: 'carol', password: 'carol password 1' });
      const first = (await core.users.setPassword(admin, 'carol', null)).generated!;
      const attacker = new WebClient(app, '192.0.2.68');
      expect((await attacker.signIn('carol', first)).headers.location).toBe('/sign-in/new-password');
      await attacker.follow();
      const second = (await core.users.setPassword(admin, 'carol', null)).generated!;
      const r = await attacker.post('/sign-in/new-password', {
        password: 'attacker chose this',
        confirm: 'attacker chose this',
      });
      expect(r.statusCode).toBe(410);
      expect((await new WebClient(app).signIn('carol', 'attacker chose this')).statusCode).toBe(401);
      expect((await new WebClient(app).signIn('carol', second)).headers.location).toBe(
        '/sign-in/new-password',
      );
    },
  );

  it.runIf(kind.available)(
    'a registration under way ends with a password reset and "require set-up again"',
    async () => {
      await core.users.createUser(admin, {
        username: 'dave',
        password: 'dave password 1',
        twoStep: 'enabled',
      });
      const attacker = new WebClient(app, '192.0.2.69');
      await attacker.signIn('dave', 'dave password 1');
      const seed = seedFrom((await attacker.follow()).body);
      await attacker.post('/sign-in/register', { method: 'totp', code: totpCode(seed, clock) });
      await attacker.follow();
      await core.users.setPassword(admin, 'dave', null);
      await core.methods.requireReregistration(admin, 'dave');
      const r = await attacker.post('/sign-in/recovery-codes');
      expect(r.statusCode).toBe(410);
      expect(await core.appPasswords.listAppPasswords(admin, 'dave')).toEqual([]);
      expect(attacker.cookies.has('lk_session')).toBe(false);
    },
  );

  it.runIf(kind.available)('password guesses at the sudo check are counted and lock', async () => {
    await core.users.createUser(admin, { username: 'gus', password: 'gus password 1' });
    const c = new WebClient(app, '192.0.2.77');
    await c.signIn('gus', 'gus password 1');
    await c.follow();
    tick(11 * 60_000);
    expect((await c.get('/account/password')).headers.location).toBe('/account/verify');
    await c.follow();
    for (let i = 0; i < 12; i++)
      await c.post('/account/verify', { method: 'password', password: `guess ${i}` });
    const r = await c.post('/account/verify', { method: 'password', password: 'gus password 1' });
    expect(r.headers.location).not.toBe('/account/password');
    expect((await core.lockout.lockoutStatus(admin, 'gus')).some((x) => x.lockedUntil !== null)).toBe(true);
  });

  it.runIf(kind.available)(
    'a mail login with the password does not reset the count of guessed codes',
    async () => {
      // Two-step 'enabled' with a method: the password still opens mail (spec §3 table) — and used to
      // reset the counter the wrong codes were counted on.
      const seed = await enrolled('hal');
      await core.twoStep.setTwoStepState(admin, 'hal', 'enabled');
      tick(60_000);
      const attacker = new WebClient(app, '192.0.2.70');
      await attacker.signIn('hal', 'hal password 1');
      await attacker.follow();
      const near = new Set([-30_000, 0, 30_000].map((d) => totpCode(seed, clock + d)));
      let refused = 0;
      for (let i = 0; refused < 30 && i < 60; i++) {
        const code = String(200000 + i * 13);
        if (near.has(code)) continue;
        const r = await attacker.post('/sign-in/verify', { method: 'totp', code });
        if (r.statusCode !== 400) break;
        refused++;
        if (refused % 5 === 0) {
          expect(
            (await core.signIn({ username: 'hal', secret: 'hal password 1', door: 'imap', ip: '192.0.2.70' }))
              .ok,
          ).toBe(true);
        }
      }
      expect(refused).toBeLessThanOrEqual(10);
      const r = await attacker.post('/sign-in/verify', { method: 'totp', code: totpCode(seed, clock) });
      expect(r.statusCode).not.toBe(303);
    },
  );

  it.runIf(kind.available)('a one-time password opens only the web sign-in, never a mail door', async () => {
    await core.users.createUser(admin, { username: 'ivy', password: 'ivy password 1' });
    const { generated } = await core.users.setPassword(admin, 'ivy', null);
    expect(await core.signIn({ username: 'ivy', secret: generated!, door: 'imap' })).toEqual({
      ok: false,
      reason: 'password_change_required',
    });
    const c = new WebClient(app);
    expect((await c.signIn('ivy', generated!)).headers.location).toBe('/sign-in/new-password');
    await c.follow();
    await c.post('/sign-in/new-password', { password: 'ivy password 2', confirm: 'ivy password 2' });
    expect((await core.signIn({ username: 'ivy', secret: 'ivy password 2', door: 'imap' })).ok).toBe(true);
  });

  it.runIf(kind.available)(
    'the portal password change answers no guess while the account is locked',
    async () => {
      await core.users.createUser(admin, { username: 'jon', password: 'jon password 1' });
      const c = new WebClient(app, '192.0.2.71');
      await c.signIn('jon', 'jon password 1');
      await c.follow();
      await c.get('/account/password');
      for (let i = 0; i < 12; i++) {
        await c.post('/account/password', {
          current: `guess ${i}`,
          password: 'jon password 9',
          confirm: 'jon password 9',
        });
      }
      const r = await c.post('/account/password', {
        current: 'jon password 1',
        password: 'jon password 9',
        confirm: 'jon password 9',
      });
      expect(r.statusCode).toBe(400);
      expect(text(r.body)).toContain('Too many wrong attempts');
    },
  );

  it.runIf(kind.available)('two registrations posted at once add one first method', async () => {
    await core.users.createUser(admin, { username: 'kai', password: 'kai password 1', twoStep: 'enabled' });
    const c = new WebClient(app, '192.0.2.72');
    await c.signIn('kai', 'kai password 1');
    const seed = seedFrom((await c.follow()).body);
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const codes = [-30_000, 0, 30_000].map((d) => totpCode(seed, clock + d));
    await Promise.all(
      codes.map((code) =>
        app.inject({
          method: 'POST',
          url: '/sign-in/register',
          remoteAddress: '192.0.2.72',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: c.csrf!, method: 'totp', code }).toString(),
        }),
      ),
    );
    expect((await core.methods.listMethods(admin, 'kai')).methods).toHaveLength(1);
  });

  it.runIf(kind.available)('imports and re-registration follow the one-user rules', async () => {
    await core.users.createUser(admin, { username: 'only-admin', role: 'admin' });
    for (const a of (await core.users.listUsers(admin, { limit: 1000 })).filter(
      (u) => u.role === 'admin' && u.username !== 'only-admin',
    )) {
      await core.users.setUserRole(admin, a.username, 'user');
    }
    const r = await core.users.importUsers(admin, 'username,role\nonly-admin,user\n');
    expect(r.errors).toMatchObject([{ line: 2, code: 'LAST_ADMIN' }]);
    expect((await core.users.getUser(admin, 'only-admin')).role).toBe('admin');
    // "Require two-step for everyone" keeps a stored-'disabled' user on: their lost phone can be revoked.
    const seed = await enrolled('lou');
    expect(seed).toBeTruthy();
    await core.settings.updateSettings(admin, { requireTwoStepForEveryone: true });
    await core.twoStep.setTwoStepState(admin, 'lou', 'disabled');
    expect((await core.methods.requireReregistration(admin, 'lou')).methodsRemoved).toBe(1);
    await core.settings.updateSettings(admin, { requireTwoStepForEveryone: false });
  });

  it.runIf(kind.available)(
    'two removals at once never leave an enforced account without a method',
    async () => {
      const seed = await enrolled('max');
      const id = (
        await t.store.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'max')
          .executeTakeFirstOrThrow()
      ).id;
      const extra = core.methods.newSealedTotpSeed(id);
      tick(31_000);
      await core.methods.addTotpMethod(admin, id, {
        sealedSeed: extra.sealed,
        code: totpCode(extra.seed, clock),
        name: 'Tablet',
      });
      expect(seed).toBeTruthy();
      const both = (await core.methods.listMethods(admin, 'max')).methods;
      expect(both).toHaveLength(2);
      const results = await Promise.allSettled(both.map((m) => core.methods.removeMethod(admin, id, m.id)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'LAST_METHOD' } });
      expect((await core.methods.listMethods(admin, 'max')).methods).toHaveLength(1);
    },
  );

  it.runIf(kind.available)('?return= survives the second step', async () => {
    const seed = await enrolled('erin');
    tick(60_000);
    const c = new WebClient(app, '203.0.113.50');
    await c.get('/sign-in?return=/account/sign-ins');
    let r = await c.post('/sign-in?return=/account/sign-ins', {
      username: 'erin',
      password: 'erin password 1',
    });
    expect(r.headers.location).toBe('/sign-in/verify');
    await c.follow();
    r = await c.post('/sign-in/verify', { method: 'totp', code: totpCode(seed, clock) });
    expect(r.headers.location).toBe('/account/sign-ins');
    expect(text((await c.follow()).body)).toContain('Recent sign-ins');
    // Only paths on this site.
    await c.post('/sign-out');
    await c.get('/sign-in');
    r = await c.post('/sign-in?return=//evil.example/', { username: 'erin', password: 'erin password 1' });
    await c.follow();
    tick(30_000);
    r = await c.post('/sign-in/verify', { method: 'totp', code: totpCode(seed, clock) });
    expect(r.headers.location).toBe('/account');
  });
});
