// Regression tests for the third security review (issue 9), items 3–7: each test is the attack that
// worked before its fix. Run on SQLite and PostgreSQL; the LDAP case uses the real ldapwhoami.

import { execFile, spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { HashLanes } from '../src/core/throttle.js';
import { buildApp } from '../src/http/app.js';
import { createLdapServer, type LdapServer } from '../src/ldap/server.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';
import { WebClient } from './helpers/web-client.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';
const LDAP_TOOLS = spawnSync('ldapwhoami', ['-VV'], { stdio: 'ignore' }).error === undefined;
if (!LDAP_TOOLS && process.env.CI === 'true') throw new Error('ldap-utils is required in CI');

function ldapwhoami(url: string, dn: string, secret: string): Promise<number> {
  return new Promise((resolve) => {
    execFile('ldapwhoami', ['-x', '-H', url, '-D', dn, '-w', secret], { timeout: 10_000 }, (err) =>
      resolve(err ? ((err as { code?: number }).code ?? -1) : 0),
    );
  });
}

const basic = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

describe.each(kinds)('third hardening round on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let httpsCore: Core;
  let tight: Core;
  let heldAt: number | null = null;
  let tightApp: FastifyInstance;
  let httpsApp: FastifyInstance;
  const test = kind.available ? it : it.skip;
  let seq = 0;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({
      store: t.store,
      keys: t.keys,
      flushIntervalMs: 0,
      relays: ['192.0.2.250'],
      passwordChecksPerSource: 100,
    });
    // Another node of the same store with a tight budget (the server's default is 10 a second).
    tight = await createCore({
      store: t.store,
      keys: t.keys,
      flushIntervalMs: 0,
      relays: ['192.0.2.250'],
      passwordChecksPerSource: 3,
      // Held still while a test sends a burst: on a loaded machine twelve argon2id checks take seconds,
      // and the budget would refill in between (3 a second) however fast the guesses came.
      now: () => heldAt ?? Date.now(),
    });
    tightApp = buildApp({ core: tight, logLevel: 'silent' });
    app = buildApp({ core, logLevel: 'silent', trustedProxies: ['192.0.2.250'] });
    // A second node of the same store, published at an https address: its pages use __Host- cookies.
    httpsCore = await createCore({
      store: t.store,
      keys: t.keys,
      flushIntervalMs: 0,
      publicUrl: 'https://id.example.org',
    });
    httpsApp = buildApp({ core: httpsCore, logLevel: 'silent' });
    await core.users.createUser(system, { username: 'root', role: 'admin', password: PASSWORD });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await httpsApp.close();
    await httpsCore.close();
    await tightApp.close();
    await tight.close();
    await core.close();
    await t.cleanup();
  });

  async function person(): Promise<string> {
    const username = `p${++seq}`;
    await core.users.createUser(system, { username, email: `${username}@example.org`, password: PASSWORD });
    return username;
  }
  const attempt = (username: string, secret: string, ip: string | null) =>
    core.signIn({ username, secret, door: 'imap', ip, userAgent: null });
  const events = (username: string) => core.signInLog.listSignIns(system, { username, limit: 100 });
  /** Refusals with a row of their own, and those counted in per-minute rows (how many, in how many rows). */
  const countsOf = (rows: { id: number; count: number }[]) => {
    const [first, ...counted] = [...rows].sort((a, b) => a.id - b.id);
    return { own: first?.count, repeats: counted.reduce((n, r) => n + r.count, 0), buckets: counted.length };
  };

  // ---- 3. cookie tossing past CSRF

  test("a planted pre-sign-in cookie with the attacker's token does not pass for the admin's session", async () => {
    const kate = await person();
    const admin = new WebClient(app, '198.51.100.10');
    await admin.signIn('root', PASSWORD);
    expect(admin.cookies.has('lk_session')).toBe(true);
    await admin.get('/account');

    // The attacker loads the sign-in page: their own lk_pre and the token made from it.
    const attacker = new WebClient(app, '203.0.113.66');
    await attacker.get('/sign-in');
    const planted = attacker.cookies.get('lk_pre')!;
    expect(planted).toBeTruthy();
    // A sibling subdomain plants it in the administrator's browser; the forged form carries the token.
    admin.cookies.set('lk_pre', planted);
    const forged = await admin.post(`/admin/users/${kate}/role`, { role: 'admin', _csrf: attacker.csrf! });
    expect(forged.statusCode).toBe(403);
    expect((await core.users.getUser(system, kate)).role).toBe('user');

    // The administrator's own form still works, with the planted cookie still there.
    await admin.get(`/admin/users/${kate}/role?role=admin`);
    const own = await admin.post(`/admin/users/${kate}/role`, { role: 'admin' });
    expect(own.statusCode).toBe(303);
    expect((await core.users.getUser(system, kate)).role).toBe('admin');
  });

  test('under https the cookies are __Host- cookies, and plain ones planted beside them are ignored', async () => {
    const kate = await person();
    const admin = new WebClient(httpsApp, '198.51.100.11');
    const form = await admin.get('/sign-in');
    const set = [form.headers['set-cookie']].flat().join('\n');
    expect(set).toMatch(/^__Host-lk_pre=[^;]+;.*Path=\/;.*HttpOnly;.*Secure/m);
    expect(set).not.toMatch(/Domain=/i);
    await admin.post('/sign-in', { username: 'root', password: PASSWORD });
    expect(admin.cookies.has('__Host-lk_session')).toBe(true);
    await admin.get('/account');

    const attacker = new WebClient(httpsApp, '203.0.113.67');
    await attacker.get('/sign-in');
    // A subdomain cannot set __Host- cookies: it plants the value under the plain name.
    admin.cookies.set('lk_pre', attacker.cookies.get('__Host-lk_pre')!);
    admin.cookies.set('lk_session', 'planted');
    const forged = await admin.post(`/admin/users/${kate}/role`, { role: 'admin', _csrf: attacker.csrf! });
    expect(forged.statusCode).toBe(403);
    expect((await core.users.getUser(system, kate)).role).toBe('user');
    // Without the __Host- session the plain cookie is nobody's session.
    const bare = new WebClient(httpsApp, '198.51.100.12');
    bare.cookies.set('lk_session', admin.cookies.get('__Host-lk_session')!);
    expect((await bare.get('/account')).headers.location).toMatch(/^\/sign-in/);
  });

  // ---- 4. password hashing driven without limit

  test('the same wrong password repeated is refused from the negative cache: one row, then a count', async () => {
    const name = await person();
    for (let i = 0; i < 12; i++) {
      // On the node with a budget of 3 a second: twelve quick tries pass only because one was hashed.
      expect(
        await tight.signIn({ username: name, secret: 'Winter2026!', door: 'imap', ip: '198.51.100.30' }),
      ).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
    }
    const rows = await events(name);
    // The first refusal has its own row; the repeats are counted in a row a minute (two if they
    // straddled a minute's end, as happened on loaded CI machines).
    expect(countsOf(rows)).toEqual({ own: 1, repeats: 11, buckets: expect.any(Number) });
    expect(countsOf(rows).buckets).toBeLessThanOrEqual(2);
    expect(rows.every((r) => r.reason === 'invalid_credentials')).toBe(true);
    // Still only a refusal: the right password is accepted at once, the cache holds nothing of it.
    expect(await attempt(name, PASSWORD, '198.51.100.30')).toMatchObject({ ok: true });
  });

  test('an unknown name repeated is answered the same way, with the same rows', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await attempt('nobody-here', 'Winter2026!', '198.51.100.31')).toEqual({
        ok: false,
        reason: 'unknown_user',
      });
    }
    const rows = await events('nobody-here');
    expect(countsOf(rows)).toEqual({ own: 1, repeats: 4, buckets: expect.any(Number) });
    expect(countsOf(rows).buckets).toBeLessThanOrEqual(2);
  });

  test("a source over its budget of argon2id checks is throttled; others' app passwords and passwords are not", async () => {
    const victim = await person();
    const other = await person();
    await core.twoStep.setTwoStepState(system, other, 'enabled');
    const { password: ap } = await core.appPasswords.createAppPassword(system, other, { label: 'Phone' });
    const results = [];
    const tried = (username: string, secret: string, ip: string) =>
      tight.signIn({ username, secret, door: 'imap', ip, userAgent: null });
    // Twelve distinct guesses in one instant: a burst of 6 (3 a second) reaches argon2id, the rest never do.
    heldAt = Date.now();
    try {
      for (let i = 0; i < 12; i++) results.push(await tried(victim, `guess number ${i}`, '198.51.100.40'));
    } finally {
      heldAt = null;
    }
    const throttled = results.filter((r) => !r.ok && r.reason === 'throttled').length;
    expect(throttled).toBe(6);
    expect(await tried(other, ap, '198.51.100.41')).toMatchObject({ ok: true });
    expect(await tried(other, PASSWORD, '198.51.100.42')).toMatchObject({ ok: true });
    // The throttled attempts are counted in one row a minute for the source, not one row each, and
    // without a name: nothing was checked for any name.
    const rows = (await core.signInLog.listSignIns(system, { reason: 'throttled', limit: 100 })).filter(
      (r) => r.ip === '198.51.100.40' && r.door === 'imap',
    );
    // One row a minute: two when the attempts happened to straddle a minute's end (a slow CI machine).
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(throttled);
    for (const r of rows) expect(r.username).toBe('');
    expect((await events(victim)).filter((r) => r.reason === 'throttled')).toEqual([]);
    // The browser sign-in page says what happened, with 429.
    const b = new WebClient(tightApp, '198.51.100.40');
    let page = await b.get('/sign-in');
    for (let i = 0; i < 12 && page.statusCode !== 429; i++) {
      page = await b.post('/sign-in', { username: victim, password: `browser guess ${i}` });
    }
    expect(page.statusCode).toBe(429);
    expect(page.body).toContain('Too many sign-in attempts');
  });

  test("made-up names flooding through a relay do not get its users' right passwords refused", async () => {
    // Through the mail server (a relay) on the node with a budget of 3 a second: a shared relay budget
    // was spent by anyone's made-up names, and then everyone's right password was refused.
    const name = await person();
    const viaRelay = (username: string, secret: string) =>
      tight.signIn({ username, secret, door: 'imap', ip: '192.0.2.250', userAgent: null });
    for (let i = 0; i < 30; i++) await viaRelay(`made-up-${i}`, `guess ${i}`);
    expect(await viaRelay(name, PASSWORD)).toMatchObject({ ok: true });
  });

  // ---- 5. services lock themselves out

  test("an app's users' failures through /api/v1/verify never lock the app's token out", async () => {
    const { secret } = await core.services.addService(system, `app${++seq}`);
    const good = await person();
    const verify = (body: object, ip = '198.51.100.50') =>
      app.inject({
        method: 'POST',
        url: '/api/v1/verify',
        remoteAddress: ip,
        headers: { authorization: `Bearer ${secret}` },
        payload: body,
      });
    // 40 different wrong passwords for 40 names: more than a source may fail (3 × lockoutThreshold).
    for (let i = 0; i < 40; i++) {
      const r = await verify({ username: `user${i}`, password: `wrong ${i}` });
      expect(r.statusCode).toBe(200);
      expect(r.json().ok).toBe(false);
    }
    const ok = await verify({ username: good, password: PASSWORD });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, user: { username: good } });

    // When the app says where the person is, failures count against that address instead.
    for (let i = 0; i < 40; i++)
      await verify({ username: `user${i}`, password: `wrong again ${i}`, ip: '203.0.113.99' });
    // An address that says nothing is the source "unknown", not "no source" (which had no budget).
    await verify({ username: good, password: 'blank source guess', ip: ' ' });
    expect((await events(good)).some((e) => e.ip === 'unknown')).toBe(true);
    const fromAttacker = await verify({ username: good, password: PASSWORD, ip: '203.0.113.99' });
    expect(fromAttacker.json()).toMatchObject({ ok: false, reason: 'locked_out' });
    expect((await verify({ username: good, password: PASSWORD, ip: '198.51.100.77' })).json()).toMatchObject({
      ok: true,
    });
    const log = await events(good);
    expect(log.some((e) => e.ip === '203.0.113.99' && e.reason === 'locked_out')).toBe(true);
  });

  test("a wrong service token still meets the source's lock, and the right one does not", async () => {
    const { secret, name } = await core.services.addService(system, `app${++seq}`);
    for (let i = 0; i < 40; i++) await attempt(`sprayed${i}`, `spray ${i}`, '198.51.100.60');
    expect(
      await core.services.authenticate('lks_wrong', null, { door: 'http', ip: '198.51.100.60' }),
    ).toBeNull();
    expect(
      await core.services.authenticate(secret, null, { door: 'http', ip: '198.51.100.60' }),
    ).toMatchObject({
      name,
    });
  });

  // ---- 6. the same work for unknown and existing names

  test('an unknown name has a counter and a lock of its own, exactly like an account', async () => {
    await core.settings.updateSettings(system, { lockoutThreshold: 4 });
    try {
      const name = await person();
      for (let i = 0; i < 4; i++) {
        await attempt(name, `known guess ${i}`, `198.51.100.${70 + i}`);
        await attempt('ghost-name', `ghost guess ${i}`, `198.51.100.${70 + i}`);
      }
      expect(await attempt(name, 'known guess 9', '198.51.100.80')).toEqual({
        ok: false,
        reason: 'locked_out',
      });
      expect(await attempt('ghost-name', 'ghost guess 9', '198.51.100.80')).toEqual({
        ok: false,
        reason: 'locked_out',
      });
      const counters = await t.store.db
        .selectFrom('failure_counters')
        .select(['key', 'locked_until'])
        .where('key', 'not like', 'ip:%')
        .execute();
      const known = counters.filter((c) => c.key.startsWith('u:') && c.locked_until !== null);
      const ghost = counters.filter((c) => c.key.startsWith('n:') && c.locked_until !== null);
      expect(known.length).toBeGreaterThanOrEqual(1);
      expect(ghost).toHaveLength(1);
      // The name itself is not stored in clear in the counter's key.
      expect(ghost[0]!.key).not.toContain('ghost');
    } finally {
      await core.settings.updateSettings(system, { lockoutThreshold: 10 });
    }
  });

  // ---- 7. an unparseable client address

  test('X-Forwarded-For garbage from a trusted proxy is the counted source "unknown", never no source', async () => {
    const name = await person();
    const unknownFailures = async () =>
      (
        await t.store.db
          .selectFrom('failure_counters')
          .select('failures')
          .where('key', '=', 'ip:unknown')
          .executeTakeFirst()
      )?.failures ?? 0;
    const before = await unknownFailures();
    for (const xff of ['garbage', '203.0.113.077']) {
      const r = await app.inject({
        method: 'GET',
        url: '/auth/basic',
        remoteAddress: '192.0.2.250',
        headers: { authorization: basic(name, `wrong for ${xff}`), 'x-forwarded-for': xff },
      });
      expect(r.statusCode).toBe(401);
    }
    const rows = await events(name);
    expect(rows.map((r) => r.ip)).toEqual(['unknown', 'unknown']);
    expect(await unknownFailures()).toBe(before + 2);
    // A success from there never makes "unknown" a familiar source of the account.
    const ok = await app.inject({
      method: 'GET',
      url: '/auth/basic',
      remoteAddress: '192.0.2.250',
      headers: { authorization: basic(name, PASSWORD), 'x-forwarded-for': 'garbage' },
    });
    expect(ok.statusCode).toBe(200);
    await core.ctx.usage.flush();
    const familiar = await t.store.db
      .selectFrom('familiar_sources')
      .select('ip')
      .where('ip', '=', 'unknown')
      .execute();
    expect(familiar).toHaveLength(0);
  });
});

// ---- 5 over LDAP, with the real ldapwhoami from 127.0.0.1 (not configured as a relay here)

describe.runIf(LDAP_TOOLS && kinds[0]!.available)('an LDAP app and its users (ldapwhoami)', () => {
  let t: TestStore;
  let core: Core;
  let ldap: LdapServer;
  let url = '';
  let serviceSecret = '';
  const SERVICE = 'cn=nextcloud,ou=services,dc=example,dc=org';

  beforeAll(async () => {
    t = await kinds[0]!.open();
    core = await createCore({
      store: t.store,
      keys: t.keys,
      flushIntervalMs: 0,
      passwordChecksPerSource: 50,
    });
    await core.users.createUser(system, { username: 'nina', password: PASSWORD });
    serviceSecret = (await core.services.addService(system, 'nextcloud')).secret;
    ldap = createLdapServer({ core, baseDn: 'dc=example,dc=org', domain: 'example.org' });
    url = `ldap://127.0.0.1:${await ldap.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await ldap?.close();
    await core?.close();
    await t?.cleanup();
  });

  it("users' wrong passwords from the app's address lock neither the app nor a user's right password", async () => {
    expect(await ldapwhoami(url, SERVICE, serviceSecret)).toBe(0);
    // The app checks its users' logins by binding as them: 35 wrong ones, more than a source may fail.
    for (let i = 0; i < 35; i++) expect(await ldapwhoami(url, `user${i}`, `wrong ${i}`)).toBe(49);
    expect(await ldapwhoami(url, SERVICE, serviceSecret)).toBe(0);
    expect(await ldapwhoami(url, 'nina', PASSWORD)).toBe(0);
  });
});

// ---- 4. the thread pool: a flood of non-browser checks keeps lanes free for the browser

it('non-browser password checks hold at most their lanes of the thread pool, in order', async () => {
  const lanes = new HashLanes(2);
  let running = 0;
  let most = 0;
  const order: number[] = [];
  const gates: (() => void)[] = [];
  const work = (i: number) =>
    lanes.run(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      order.push(i);
    });
  const all = Array.from({ length: 6 }, (_, i) => work(i));
  for (let n = 0; n < 6; n++) {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    expect(running).toBeLessThanOrEqual(2);
    gates.shift()!();
  }
  await Promise.all(all);
  expect(most).toBe(2);
  expect(order).toEqual([0, 1, 2, 3, 4, 5]);
});
