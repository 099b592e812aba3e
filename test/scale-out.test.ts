// Several nodes on one PostgreSQL (issue 12, item 1), proven through the doors: two real `latchkey
// serve` processes, A and B, on different ports with the same DATABASE_URL and the same key files. An
// operator works on A through its admin API (with a token made by the CLI, as on a fresh install);
// mail clients, proxies and browsers reach B. What this shows, with the figures in docs/scale-out.md:
// an app password made on A opens /auth/basic and LDAP on B, and once deleted on A is refused there
// within the documented bound; a password reset on A holds on B; failures spread over both nodes add
// up to one lockout; the 40-app-passwords limit holds with creates racing on both; a browser session
// signed in on A (password + TOTP) works on B, and signing out on B ends it on A.
//
// PostgreSQL only: a fresh database per run. Without PostgreSQL on a laptop the suite is skipped with
// a warning (test/helpers/stores.ts); with CI=true a missing PostgreSQL is a failure.

import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/crypto/totp.js';
import { runCli } from './helpers/cli.js';
import { freePort } from './helpers/nginx.js';
import { apiCall, HttpBrowser, ldapBinder, type ServeProcess, startServe } from './helpers/serve-process.js';
import { createPgDatabase, storeKinds, tempDir } from './helpers/stores.js';

const kinds = await storeKinds();
const pgAvailable = kinds.find((k) => k.name === 'postgres')!.available;

const BASE_DN = 'dc=example,dc=org';
const LDAP_OK = 0;
const LDAP_INVALID_CREDENTIALS = 49;
/** How long any wait in this file may last: far beyond the documented bound of one second. */
const PATIENCE_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function http(port: number, user: string, secret: string): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/auth/basic`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` },
    signal: AbortSignal.timeout(PATIENCE_MS),
  });
  await r.arrayBuffer();
  return r.status;
}

/** One simple bind on a new connection, as `uid=USER,ou=people,…`: its result code. */
async function ldap(port: number, user: string, secret: string): Promise<number | null> {
  const c = ldapBinder(port);
  try {
    await c.open;
    const timeout = sleep(PATIENCE_MS).then(() => {
      throw new Error(`LDAP bind on ${port} got no answer in ${PATIENCE_MS} ms`);
    });
    return await Promise.race([c.bind(`uid=${user},ou=people,${BASE_DN}`, secret), timeout]);
  } finally {
    c.close();
  }
}

/**
 * Asks `probe` until it answers `want`. Returns, in ms after `since`, when the first request that got
 * that answer was sent and when it was answered (a refused password takes a deliberate time, about one
 * argon2id: the send time says when the change already held, the answer time what a client waited),
 * and how many answers before it were still the old one.
 */
async function until<T>(what: string, probe: () => Promise<T>, want: T, since: number) {
  let stale = 0;
  for (;;) {
    const sent = performance.now();
    const got = await probe();
    const answered = performance.now();
    if (got === want) {
      return { sent: Math.round(sent - since), answered: Math.round(answered - since), stale };
    }
    stale += 1;
    if (answered - since > PATIENCE_MS)
      throw new Error(`${what}: still ${String(got)} after ${PATIENCE_MS} ms`);
    await sleep(2);
  }
}

async function cli(env: NodeJS.ProcessEnv, args: string[], stdin = ''): Promise<string> {
  const r = await runCli(args, env, stdin);
  if (r.code !== 0) throw new Error(`latchkey ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

describe.skipIf(!pgAvailable)('two latchkey serve nodes on one PostgreSQL, through the doors', () => {
  let dir: string;
  let drop: () => Promise<void>;
  let a: ServeProcess;
  let b: ServeProcess;
  let token: string;
  const figures: Record<string, { sent: number; answered: number; stale: number }> = {};
  const race: Record<string, number> = {};

  /** The admin API of node A or B. */
  const api = (node: ServeProcess, method: string, path: string, body?: unknown) =>
    apiCall(node.port, token, method, `/api/v1${path}`, body);

  async function addUser(username: string, twoStep: string, password?: string) {
    const r = await api(a, 'POST', '/users', {
      username,
      email: `${username}@example.org`,
      twoStep,
      ...(password ? { password } : {}),
    });
    expect(r.status, r.body).toBe(201);
  }

  beforeAll(async () => {
    const db = await createPgDatabase();
    drop = db.drop;
    // One data dir holds the keys of both nodes (in production: the same two key files on each node).
    dir = tempDir();
    const env = { LATCHKEY_DATA_DIR: dir, DATABASE_URL: db.url };
    // The store is created and migrated by this first command; the token is how an operator then
    // reaches every node's admin API.
    token = JSON.parse(
      await cli(env, ['token', 'create', '--role', 'admin', '--label', 'scale-out', '--json']),
    ).token as string;
    const [ldapA, ldapB] = [await freePort(), await freePort()];
    [a, b] = await Promise.all([
      startServe(env, ['--ldap-port', String(ldapA)]),
      startServe(env, ['--ldap-port', String(ldapB)]),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const s of [a, b]) s?.child.kill('SIGKILL');
    await Promise.all([a?.exited, b?.exited]);
    await drop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(
      `scale-out: ms after the change was answered on A, until B refused: ${JSON.stringify(figures)}`,
    );
    console.log(`scale-out: the 40 app passwords of the race, by node: ${JSON.stringify(race)}`);
  });

  it('an app password made on A opens /auth/basic and LDAP on B; deleted on A, B refuses it within a second', async () => {
    await addUser('bob', 'enforced');
    const made = await api(a, 'POST', '/users/bob/app-passwords', { label: 'Phone' });
    expect(made.status, made.body).toBe(201);
    const { id, password } = made.json<{ id: string; password: string }>();
    // Twice on each door of each node: the second answer comes from the node's memory.
    for (let i = 0; i < 2; i++) {
      for (const node of [b, a]) {
        expect(await http(node.port, 'bob', password)).toBe(200);
        expect(await ldap(node.ldapPort!, 'bob', password)).toBe(LDAP_OK);
      }
    }

    const deleted = await api(a, 'DELETE', `/users/bob/app-passwords/${id}`);
    expect(deleted.status).toBe(204);
    const since = performance.now();
    const [onA, httpB, ldapB] = await Promise.all([
      http(a.port, 'bob', password),
      until('B /auth/basic', () => http(b.port, 'bob', password), 401, since),
      until('B LDAP', () => ldap(b.ldapPort!, 'bob', password), LDAP_INVALID_CREDENTIALS, since),
    ]);
    // On the node that made the change: the very next check.
    expect(onA).toBe(401);
    figures.deleteHttp = httpB;
    figures.deleteLdap = ldapB;
    expect(httpB.sent).toBeLessThan(1000);
    expect(ldapB.sent).toBeLessThan(1000);
    // And it stays refused (no node serves it again from an older memory).
    for (let i = 0; i < 3; i++) {
      expect(await http(b.port, 'bob', password)).toBe(401);
      expect(await ldap(b.ldapPort!, 'bob', password)).toBe(LDAP_INVALID_CREDENTIALS);
    }
  });

  it('a password reset on A holds on B: the old password refused, the new one accepted, app passwords revoked (B3)', async () => {
    // Two-step `enabled`: the decision table still accepts the primary password on non-browser doors.
    const old = 'paula old password 1';
    const fresh = 'paula new password 2';
    await addUser('paula', 'enabled', old);
    const made = await api(a, 'POST', '/users/paula/app-passwords', { label: 'Laptop' });
    expect(made.status, made.body).toBe(201);
    const app = made.json<{ password: string }>().password;
    // B has checked the old password (one argon2id, then its verified-credential cache) on both doors.
    for (let i = 0; i < 3; i++) {
      expect(await http(b.port, 'paula', old)).toBe(200);
      expect(await ldap(b.ldapPort!, 'paula', old)).toBe(LDAP_OK);
    }
    expect(await http(b.port, 'paula', app)).toBe(200);

    const reset = await api(a, 'POST', '/users/paula/password', { password: fresh });
    expect(reset.status, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ appPasswordsDeleted: 1 });
    const since = performance.now();
    const [onA, httpB, ldapB, appB] = await Promise.all([
      http(a.port, 'paula', old),
      until('B /auth/basic, old password', () => http(b.port, 'paula', old), 401, since),
      until('B LDAP, old password', () => ldap(b.ldapPort!, 'paula', old), LDAP_INVALID_CREDENTIALS, since),
      until('B /auth/basic, revoked app password', () => http(b.port, 'paula', app), 401, since),
    ]);
    expect(onA).toBe(401);
    figures.resetHttp = httpB;
    figures.resetLdap = ldapB;
    figures.resetAppPassword = appB;
    for (const t of [httpB, ldapB, appB]) expect(t.sent).toBeLessThan(1000);

    expect(await http(b.port, 'paula', fresh)).toBe(200);
    expect(await ldap(b.ldapPort!, 'paula', fresh)).toBe(LDAP_OK);
    expect(await http(a.port, 'paula', fresh)).toBe(200);
    expect(await http(b.port, 'paula', old)).toBe(401);
    expect(await ldap(b.ldapPort!, 'paula', old)).toBe(LDAP_INVALID_CREDENTIALS);
  });

  it("a user disabled and app passwords switched off through A hold on B's LDAP door within a second", async () => {
    await addUser('carl', 'enforced');
    const made = await api(a, 'POST', '/users/carl/app-passwords', { label: 'Mail' });
    const { password } = made.json<{ password: string }>();
    for (let i = 0; i < 2; i++) expect(await ldap(b.ldapPort!, 'carl', password)).toBe(LDAP_OK);

    expect((await api(a, 'PATCH', '/users/carl', { status: 'disabled' })).status).toBe(200);
    let since = performance.now();
    figures.disableLdap = await until(
      'B LDAP, disabled user',
      () => ldap(b.ldapPort!, 'carl', password),
      LDAP_INVALID_CREDENTIALS,
      since,
    );
    expect(figures.disableLdap.sent).toBeLessThan(1000);
    expect((await api(a, 'PATCH', '/users/carl', { status: 'active' })).status).toBe(200);
    await until(
      'B LDAP, enabled again',
      () => ldap(b.ldapPort!, 'carl', password),
      LDAP_OK,
      performance.now(),
    );

    const off = await api(a, 'PATCH', '/settings', { allowAppPasswords: false });
    expect(off.status, off.body).toBe(200);
    since = performance.now();
    figures.settingsLdap = await until(
      'B LDAP, app passwords switched off',
      () => ldap(b.ldapPort!, 'carl', password),
      LDAP_INVALID_CREDENTIALS,
      since,
    );
    expect(figures.settingsLdap.sent).toBeLessThan(1000);
    // Kept, not deleted (R12): on again, the same app password works again on B.
    expect((await api(a, 'PATCH', '/settings', { allowAppPasswords: true })).status).toBe(200);
    await until(
      'B LDAP, app passwords on again',
      () => ldap(b.ldapPort!, 'carl', password),
      LDAP_OK,
      performance.now(),
    );
    // The log of B's refusals says why, though the wire said only "invalid credentials".
    const log = (await api(a, 'GET', '/sign-ins?user=carl&door=ldap&result=refused&limit=50')).json<
      { reason: string | null }[]
    >();
    expect(new Set(log.map((e) => e.reason))).toEqual(new Set(['user_disabled', 'app_passwords_disabled']));
  });

  it('the limit of 40 app passwords holds with 30 creates racing on A and 30 on B', async () => {
    await addUser('rita', 'enforced');
    const create = (node: ServeProcess, label: string) =>
      api(node, 'POST', '/users/rita/app-passwords', { label }).then((r) => ({ node, r }));
    const racing: ReturnType<typeof create>[] = [];
    for (let i = 0; i < 30; i++) racing.push(create(a, `A ${i}`), create(b, `B ${i}`));
    const answers = await Promise.all(racing);

    const created = answers.filter((x) => x.r.status === 201);
    const refused = answers.filter((x) => x.r.status !== 201);
    Object.assign(race, {
      createdOnA: created.filter((x) => x.node === a).length,
      createdOnB: created.filter((x) => x.node === b).length,
    });
    expect(created).toHaveLength(40);
    expect(refused).toHaveLength(20);
    for (const x of refused) {
      expect(x.r.status).toBe(409);
      expect(x.r.json()).toMatchObject({ code: 'APP_PASSWORD_LIMIT' });
    }
    // Both nodes won some of the race: the limit held across nodes, not within one.
    expect(created.some((x) => x.node === a)).toBe(true);
    expect(created.some((x) => x.node === b)).toBe(true);

    const listed = await api(b, 'GET', '/users/rita/app-passwords');
    expect(listed.json<unknown[]>()).toHaveLength(40);
    expect(new Set(listed.json<{ id: string }[]>().map((p) => p.id)).size).toBe(40);
    // What each node made opens the other node's doors.
    const fromA = created.find((x) => x.node === a)!.r.json<{ password: string }>();
    const fromB = created.find((x) => x.node === b)!.r.json<{ password: string }>();
    expect(await http(b.port, 'rita', fromA.password)).toBe(200);
    expect(await ldap(a.ldapPort!, 'rita', fromB.password)).toBe(LDAP_OK);
    // Still full, whichever node is asked.
    expect((await api(a, 'POST', '/users/rita/app-passwords', { label: 'One more' })).status).toBe(409);
  });

  it('a browser signed in on A (password + TOTP) is signed in on B; signing out on B ends it on A', async () => {
    const password = 'dana password 1';
    await addUser('dana', 'enabled', password);
    // First sign-in on A: password, then registration of an authenticator app (R1), which checks a code.
    const first = new HttpBrowser(a.port);
    await first.get('/sign-in');
    let r = await first.post('/sign-in', { username: 'dana', password });
    expect(r.status).toBe(303);
    expect(first.location()).toBe('/sign-in/register');
    r = await first.get('/sign-in/register');
    const seed = /class="secret-value small"[^>]*>([A-Z2-7 ]+)</.exec(r.body)?.[1]?.replace(/ /g, '');
    expect(seed, 'a TOTP key on the registration page').toBeTruthy();
    r = await first.post('/sign-in/register', { method: 'totp', code: totpCode(seed!, Date.now()) });
    expect(first.location()).toBe('/sign-in/recovery-codes');
    await first.get('/sign-in/recovery-codes');
    await first.post('/sign-in/recovery-codes');
    expect(first.location()).toBe('/sign-in/app-password');
    await first.get('/sign-in/app-password');
    await first.post('/sign-in/done');
    expect(first.location()).toBe('/account');

    // Another browser signs in on A as anyone does now: password, then a code from the app. (A code is
    // accepted once per 30-second step: the next step's code, which the server accepts ±1 step.)
    const browser = new HttpBrowser(a.port);
    await browser.get('/sign-in');
    r = await browser.post('/sign-in', { username: 'dana', password });
    expect(browser.location()).toBe('/sign-in/verify');
    await browser.get('/sign-in/verify');
    r = await browser.post('/sign-in/verify', { method: 'totp', code: totpCode(seed!, Date.now() + 30_000) });
    expect(r.status, r.body.slice(0, 500)).toBe(303);
    expect(browser.location()).toBe('/account');
    const session = browser.cookies.get('lk_session');
    expect(session).toBeTruthy();

    // The load balancer sends the next requests to B.
    browser.port = b.port;
    r = await browser.get('/account');
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/Signed in as <\/span>dana</);
    expect(r.body).toContain('Authenticator app');
    const forward = await fetch(`http://127.0.0.1:${b.port}/auth/request`, {
      headers: { cookie: `lk_session=${session}` },
      signal: AbortSignal.timeout(PATIENCE_MS),
    });
    await forward.arrayBuffer();
    expect(forward.status).toBe(200);
    expect(forward.headers.get('remote-user')).toBe('dana');

    // Signing out on B (its form, its CSRF token) ends the session for A too.
    r = await browser.post('/sign-out');
    expect(r.status).toBe(303);
    expect(browser.cookies.has('lk_session')).toBe(false);
    const stale = new HttpBrowser(a.port);
    stale.cookies.set('lk_session', session!);
    r = await stale.get('/account');
    expect(r.status).toBe(303);
    expect(stale.location()).toMatch(/^\/sign-in/);
    // The first browser, never signed out, still works on B.
    first.port = b.port;
    expect((await first.get('/account')).status).toBe(200);
  });

  it('failures spread over A and B, on both doors, add up to one lockout; an unlock on A holds on B', async () => {
    // Two-step disabled: the primary password opens the non-browser doors. Default settings: 10
    // failures lock the account for 60 s. Every attempt here comes from 127.0.0.1, a relay by default
    // (LATCHKEY_TRUSTED_PROXIES), which is never familiar to an account: all of them count on the
    // account's one counter for unfamiliar sources, wherever they arrive.
    const password = 'lena password 1';
    await addUser('lena', 'disabled', password);
    const threshold = (await api(a, 'GET', '/settings')).json().lockoutThreshold as number;
    expect(threshold).toBe(10);
    // Alternating nodes, and on each node alternating doors: 5 failures per node (half the threshold,
    // so two separate counters would lock nothing), each a different wrong password (a repeated wrong
    // password counts once).
    for (let i = 0; i < threshold; i++) {
      const node = i % 2 === 0 ? a : b;
      const door = Math.floor(i / 2) % 2 === 0 ? 'http' : 'ldap';
      const wrong = `not lenas password ${i}`;
      if (door === 'http') expect(await http(node.port, 'lena', wrong)).toBe(401);
      else expect(await ldap(node.ldapPort!, 'lena', wrong)).toBe(LDAP_INVALID_CREDENTIALS);
    }
    // The right password is now refused everywhere, for the lock (the log keeps the true reason).
    expect(await http(a.port, 'lena', password)).toBe(401);
    expect(await ldap(b.ldapPort!, 'lena', password)).toBe(LDAP_INVALID_CREDENTIALS);
    expect(await http(b.port, 'lena', password)).toBe(401);
    // The log keeps the true reasons: every wrong password is its own event; refusals for the lock
    // (which check nothing) are counted per minute, source, name and door, whichever node refused.
    const log = (await api(a, 'GET', '/sign-ins?user=lena&limit=50')).json<
      { reason: string | null; count: number }[]
    >();
    const counted = (reason: string) =>
      log.filter((e) => e.reason === reason).reduce((n, e) => n + e.count, 0);
    expect(counted('invalid_credentials')).toBe(threshold);
    expect(counted('locked_out')).toBe(3);
    expect(log.every((e) => e.reason === 'invalid_credentials' || e.reason === 'locked_out')).toBe(true);

    const unlocked = await api(a, 'POST', '/users/lena/unlock');
    expect(unlocked.status).toBe(200);
    const since = performance.now();
    figures.unlock = await until(
      'B /auth/basic after the unlock',
      () => http(b.port, 'lena', password),
      200,
      since,
    );
    expect(figures.unlock.sent).toBeLessThan(1000);
    expect(await ldap(b.ldapPort!, 'lena', password)).toBe(LDAP_OK);
  });

  it('failures racing on A and B at the same moment are all counted: one lockout', async () => {
    const password = 'lars password 1';
    await addUser('lars', 'disabled', password);
    // Ten different wrong passwords at once, five to each node, on both doors. None of them meets a
    // lock (the tenth count makes it), so the lock stands only if no count is lost between the nodes'
    // concurrent writes.
    const wrong = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const node = i % 2 === 0 ? a : b;
        const secret = `not lars password ${i}`;
        return i % 4 < 2 ? http(node.port, 'lars', secret) : ldap(node.ldapPort!, 'lars', secret);
      }),
    );
    expect(wrong.every((x) => x === 401 || x === LDAP_INVALID_CREDENTIALS)).toBe(true);
    expect(await http(b.port, 'lars', password)).toBe(401);
    expect(await ldap(a.ldapPort!, 'lars', password)).toBe(LDAP_INVALID_CREDENTIALS);
    const log = (await api(b, 'GET', '/sign-ins?user=lars&limit=50')).json<
      { reason: string | null; count: number }[]
    >();
    const counted = (reason: string) =>
      log.filter((e) => e.reason === reason).reduce((n, e) => n + e.count, 0);
    expect(counted('invalid_credentials')).toBe(10);
    expect(counted('locked_out')).toBe(2);
  });
});
