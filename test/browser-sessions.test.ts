// The core's browser rooms (core/browser/): what a session and a flow hand out, sudo mode and
// signing out, against a real SQLite file and a real PostgreSQL database. Issue 14 item 3: a session
// carries a view of its person, never the users row with its password hash.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const admin: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';
const client = { ip: '192.0.2.20', userAgent: 'test-browser/1.0' };

/** Every key of an object, nested objects included, as "a.b" paths. */
function keysOf(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object') return [];
  return Object.entries(o).flatMap(([k, v]) => [`${prefix}${k}`, ...keysOf(v, `${prefix}${k}.`)]);
}

describe.each(kinds)('browser sessions and flows on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let clock = Date.UTC(2026, 10, 29, 12, 0, 0);
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
  async function person(state: 'disabled' | 'enforced' = 'disabled') {
    const username = `person${++seq}`;
    await core.users.createUser(admin, {
      username,
      email: `${username}@example.org`,
      displayName: `Person ${seq}`,
      password: PASSWORD,
    });
    if (state !== 'disabled') await core.twoStep.setTwoStepState(admin, username, state);
    return username;
  }
  async function signIn(username: string): Promise<string> {
    const r = await core.browser.start({ username, password: PASSWORD }, client);
    if (!r.ok || !('sessionToken' in r)) throw new Error(`no session: ${JSON.stringify(r)}`);
    return r.sessionToken;
  }

  test('a session carries a view of its person: no password hash, nothing secret', async () => {
    const username = await person();
    const s = await core.browser.session(await signIn(username));
    expect(s).not.toBeNull();
    expect(s!.user).toMatchObject({
      username,
      displayName: `Person ${seq}`,
      email: `${username}@example.org`,
      role: 'user',
      twoStep: 'disabled',
      language: null,
    });
    const keys = keysOf(s);
    expect(keys.filter((k) => /password|hash|secret|seed|totp|disabled_at/i.test(k))).toEqual([]);
    const row = await t.store.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    const text = JSON.stringify(s);
    expect(text).not.toContain(row.password_hash!);
    expect(text).not.toContain('argon2');
    expect(text).not.toContain(PASSWORD);
  });

  test('a flow carries the same view, with the two-step state the organisation makes effective', async () => {
    const username = await person('enforced');
    const r = await core.browser.start({ username, password: PASSWORD }, client);
    expect(r).toMatchObject({ ok: true, step: 'register' });
    const flow = await core.browser.getFlow((r as { flowToken: string }).flowToken);
    expect(flow.user).toMatchObject({ username, twoStep: 'enforced', displayName: `Person ${seq}` });
    expect(keysOf(flow).filter((k) => /password|hash|secret|seed/i.test(k))).toEqual([]);
  });

  test('the session list shows no token hash', async () => {
    const username = await person();
    const s = (await core.browser.session(await signIn(username)))!;
    const list = await core.browser.listSessions(s.user.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: s.id, ip: client.ip, user_agent: client.userAgent });
    expect(Object.keys(list[0]!)).not.toContain('hash');
  });

  test('sudo: a password sign-in is strong for ten minutes, then a check raises the session again', async () => {
    const username = await person();
    const token = await signIn(username);
    let s = (await core.browser.session(token))!;
    expect(core.browser.isSudo(s)).toBe(true);
    clock += 11 * 60_000;
    s = (await core.browser.session(token))!;
    expect(core.browser.isSudo(s)).toBe(false);
    await expect(
      core.browser.changeOwnPassword(s, {
        current: PASSWORD,
        password: 'a brand new passphrase here',
        confirm: 'a brand new passphrase here',
        revokeAppPasswords: false,
        ip: client.ip,
      }),
    ).rejects.toMatchObject({ code: 'SUDO_REQUIRED' });
    // No methods: the check is the password, on a sudo flow of its own.
    const f = await core.browser.startSudo(s, '/account/password');
    expect(f.step).toBe('password');
    await expect(
      core.browser.verifyTwoStep(f.flowToken, { kind: 'password', password: 'not it' }, client),
    ).rejects.toMatchObject({ code: 'PASSWORD_WRONG' });
    const done = await core.browser.verifyTwoStep(
      f.flowToken,
      { kind: 'password', password: PASSWORD },
      client,
    );
    expect(done).toEqual({ done: true, sudo: true, returnTo: '/account/password' });
    s = (await core.browser.session(token))!;
    expect(core.browser.isSudo(s)).toBe(true);
    expect(s.method).toBe('password');
    // The password change reads the row itself: the session never carried the hash.
    const r = await core.browser.changeOwnPassword(s, {
      current: PASSWORD,
      password: 'a brand new passphrase here',
      confirm: 'a brand new passphrase here',
      revokeAppPasswords: false,
      ip: client.ip,
    });
    expect(r).toEqual({ appPasswordsDeleted: 0 });
    expect(await core.browser.session(token)).not.toBeNull();
  });

  test('signing out ends the session; everywhere ends them all; a disabled person has none', async () => {
    const username = await person();
    const one = await signIn(username);
    const two = await signIn(username);
    const three = await signIn(username);
    await core.browser.signOut(one);
    expect(await core.browser.session(one)).toBeNull();
    const s = (await core.browser.session(two))!;
    expect(await core.browser.signOutEverywhere(s)).toBe(2);
    expect(await core.browser.session(two)).toBeNull();
    expect(await core.browser.session(three)).toBeNull();
    const four = await signIn(username);
    await core.users.setUserDisabled(admin, username, true);
    expect(await core.browser.session(four)).toBeNull();
  });

  test('expired sessions and flows are pruned', async () => {
    const username = await person();
    const token = await signIn(username);
    clock += 400 * 24 * 3_600_000;
    expect(await core.browser.session(token)).toBeNull();
    await core.browser.prune();
    const left = await t.store.db
      .selectFrom('browser_sessions')
      .select('id')
      .where('expires_at', '<', clock)
      .execute();
    expect(left).toEqual([]);
  });

  test('pages ask the core narrow questions instead of reaching into its context', async () => {
    expect(core.now()).toBe(clock);
    clock += 1000;
    expect(core.now()).toBe(clock);
    expect(core.publicUrl).toBe(core.ctx.publicUrl);
    const settings = await core.settings.current();
    expect(settings).toEqual(await core.settings.getSettings(admin));
  });
});
