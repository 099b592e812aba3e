// Device sign-in for app passwords (spec B8, issue 13 item 4). The API and the approval page through
// inject() on SQLite and PostgreSQL, with the core's clock injected (no waiting for 10 minutes): the
// whole flow, deny, expiry, slow_down, bad input, guessing throttled, sudo mode, the portal's rules
// at approval, bounded requests, and no secret in the logs or the database. Then the flow end to end
// in Chromium with docs/device-login.sh polling over real HTTP.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { totpCode } from '../src/crypto/totp.js';
import { buildApp } from '../src/http/app.js';
import { openStore } from '../src/store/database.js';
import { describeWithChromium, launchChromium } from './helpers/browser.js';
import {
  basic,
  heading,
  newTab,
  screenshots,
  startWebServer,
  type Tab,
  type WebServer,
} from './helpers/e2e.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';
import { text, WebClient } from './helpers/web-client.js';

const admin: Actor = { kind: 'system', name: 'test', ip: null };
const kinds: StoreKind[] = await storeKinds();
const PASSWORD = 'erin walks the long road';
const APP_IP = '203.0.113.5';

/** A person with an authenticator app and two-step verification on; the code at `at` is still unused. */
async function personWithTotp(core: Core, username: string, at: number): Promise<string> {
  const u = await core.users.createUser(admin, { username, password: PASSWORD });
  await core.twoStep.setTwoStepState(admin, username, 'enabled');
  const { seed, sealed } = core.methods.newSealedTotpSeed(u.id);
  // Registered with the previous step's code, so that the current one is still good for signing in.
  await core.methods.addTotpMethod(admin, u.id, {
    sealedSeed: sealed,
    code: totpCode(seed, at - 30_000),
    name: 'Phone',
  });
  await core.twoStep.setTwoStepState(admin, username, 'enforced');
  return seed;
}

describe.each(kinds)('device sign-in on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let clock = Date.UTC(2026, 10, 29, 9, 0, 0);
  const now = () => clock;
  const tick = (ms: number) => {
    clock += ms;
  };
  let seed = '';
  let log = '';

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({
      store: t.store,
      keys: t.keys,
      flushIntervalMs: 0,
      now,
      publicUrl: 'https://id.example.org',
    });
    const sink = new Writable({
      write(chunk, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    app = buildApp({ core, logLevel: 'debug', logStream: sink });
    seed = await personWithTotp(core, 'erin', clock);
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await core.close();
    await t.cleanup();
  });

  const api = (url: string, payload: unknown, ip = APP_IP) =>
    app.inject({
      method: 'POST',
      url,
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', 'user-agent': 'curl/8.11.1' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const start = async (appName = 'Thunderbird on Laptop', ip = APP_IP) => {
    const r = await api('/api/v1/device-login', { app: appName }, ip);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      userCode: string;
      verificationUri: string;
      verificationUriComplete: string;
      deviceCode: string;
      interval: number;
      expiresIn: number;
    };
  };
  const poll = (deviceCode: string) => api('/api/v1/device-login/poll', { deviceCode });
  const pollCode = async (deviceCode: string) => (await poll(deviceCode)).json().code as string | undefined;

  /** Erin, signed in through the pages with her password and a fresh authenticator code. */
  async function signedIn(returnTo = '/account'): Promise<WebClient> {
    tick(31_000);
    const c = new WebClient(app);
    await c.get(`/sign-in?return=${encodeURIComponent(returnTo)}`);
    let r = await c.post(`/sign-in?return=${encodeURIComponent(returnTo)}`, {
      username: 'erin',
      password: PASSWORD,
    });
    expect(r.headers.location).toBe('/sign-in/verify');
    await c.follow();
    r = await c.post('/sign-in/verify', { method: 'totp', code: totpCode(seed, clock) });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(returnTo);
    return c;
  }

  /** The code form's "Next": the page (with a CSRF token) first, then the CSRF-checked look-up. */
  async function ask(c: WebClient, code: string) {
    await c.get('/device');
    return c.post('/device', { code });
  }

  it.runIf(kind.available)('the whole flow: code, sign-in, approval, the app password once', async () => {
    const s = await start();
    expect(s.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(s.verificationUri).toBe('https://id.example.org/device');
    expect(s.verificationUriComplete).toBe(`https://id.example.org/device?code=${s.userCode}`);
    expect(s.interval).toBe(5);
    expect(s.expiresIn).toBe(600);
    expect(s.deviceCode).toMatch(/^[A-Za-z0-9_-]{43}$/);

    let r = await poll(s.deviceCode);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json()).toMatchObject({
      code: 'authorization_pending',
      error: 'authorization_pending',
      status: 400,
    });
    // Faster than the interval: slow_down, and the early poll does not count as one.
    tick(2_000);
    expect(await pollCode(s.deviceCode)).toBe('slow_down');
    tick(3_000);
    expect(await pollCode(s.deviceCode)).toBe('authorization_pending');

    // The link from the app, not signed in: sign-in (password and code), then back to the question.
    const link = `/device?code=${s.userCode.toLowerCase().replace('-', '')}`;
    const c = new WebClient(app);
    r = await c.get(link);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/sign-in?return=${encodeURIComponent(link)}`);
    const signedInClient = await signedIn(link);
    r = await signedInClient.follow();
    // The link only fills in the field; "Next" (a POST under the CSRF token) asks the question.
    expect(r.statusCode).toBe(200);
    expect(text(r.body)).toContain('Connect a device');
    expect(r.body).toContain(`value="${s.userCode.toLowerCase().replace('-', '')}"`);
    expect(r.body).not.toContain('Approve');
    r = await signedInClient.post('/device', { code: s.userCode.toLowerCase().replace('-', '') });
    expect(r.statusCode).toBe(200);
    const page = text(r.body);
    expect(page).toContain('Give Thunderbird on Laptop an app password?');
    expect(r.body).toContain('<em>Thunderbird on Laptop</em>');
    expect(page).toContain(`Requested from ${APP_IP}`);
    expect(page).toContain('Approve only if you started this yourself');
    expect(page).toContain(s.userCode);
    // The form is a POST with the pages' CSRF token: without it, nothing is approved.
    r = await signedInClient.post('/device', {
      code: s.userCode,
      decision: 'approve',
      _csrf: 'x'.repeat(24),
    });
    expect(r.statusCode).toBe(403);
    tick(5_000);
    expect(await pollCode(s.deviceCode)).toBe('authorization_pending');
    await signedInClient.get(link);
    r = await signedInClient.post('/device', { code: s.userCode, decision: 'approve' });
    expect(r.statusCode).toBe(200);
    expect(text(r.body)).toContain('Approved');
    expect(text(r.body)).toContain('Go back to the device');

    tick(5_000);
    r = await poll(s.deviceCode);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const got = r.json() as { username: string; appPassword: string };
    expect(got.username).toBe('erin');
    expect(got.appPassword).toMatch(/^[a-z]{24}$/);
    expect((await core.signIn({ username: 'erin', secret: got.appPassword, door: 'imap' })).ok).toBe(true);
    const list = await core.appPasswords.listAppPasswords(admin, 'erin');
    expect(list.map((a) => a.label)).toContain('Thunderbird on Laptop');
    expect(list.find((a) => a.label === 'Thunderbird on Laptop')!.scopes).toBeNull();
    // Delivered once.
    tick(5_000);
    expect(await pollCode(s.deviceCode)).toBe('expired_token');
    // The page says so too.
    r = await ask(signedInClient, s.userCode);
    expect(text(r.body)).toContain('Approved');

    const audit = await core.audit.listAudit(admin, { limit: 20 });
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['device_login.approved', 'app_password.created', 'device_login.delivered']),
    );
    const created = audit.find(
      (a) => a.action === 'app_password.created' && a.details?.label === 'Thunderbird on Laptop',
    )!;
    expect(created.actor).toContain('erin');
    expect(created.actorIp).toBe('198.51.100.7');
    const approved = audit.find((a) => a.action === 'device_login.approved')!;
    expect(approved.details).toMatchObject({ app: 'Thunderbird on Laptop', requestedFrom: APP_IP });

    // No secret in the logs, nor in the database.
    for (const secret of [s.deviceCode, got.appPassword, s.userCode.replace('-', '')]) {
      expect(log).not.toContain(secret);
      expect(await databaseHolds(secret)).toBe(false);
    }
  });

  /** Whether the store holds `secret` anywhere: the SQLite files' bytes, or every PostgreSQL text column. */
  async function databaseHolds(secret: string): Promise<boolean> {
    if (t.databaseUrl === null) {
      return readdirSync(t.dataDir).some((f) =>
        readFileSync(join(t.dataDir, f)).includes(Buffer.from(secret)),
      );
    }
    const { sql } = await import('kysely');
    const r = await sql<{ n: number }>`select count(*)::int as n from (
      select to_jsonb(d)::text as j from device_logins d
      union all select to_jsonb(a)::text from app_passwords a
      union all select to_jsonb(e)::text from audit_events e) x where j like ${`%${secret}%`}`.execute(
      t.store.db,
    );
    return Number(r.rows[0]!.n) > 0;
  }

  it.runIf(kind.available)('deny: the app gets access_denied, the page says so', async () => {
    const s = await start('Phone mail');
    const c = await signedIn();
    let r = await ask(c, s.userCode);
    expect(r.statusCode).toBe(200);
    r = await c.post('/device', { code: s.userCode, decision: 'deny' });
    expect(r.statusCode).toBe(200);
    expect(text(r.body)).toContain('Request denied');
    expect(await pollCode(s.deviceCode)).toBe('access_denied');
    tick(5_000);
    expect(await pollCode(s.deviceCode)).toBe('access_denied');
    // Approving afterwards changes nothing.
    r = await c.post('/device', { code: s.userCode, decision: 'approve' });
    expect(text(r.body)).toContain('Request denied');
    tick(5_000);
    expect(await pollCode(s.deviceCode)).toBe('access_denied');
    expect((await core.audit.listAudit(admin, { limit: 5 })).map((a) => a.action)).toContain(
      'device_login.denied',
    );
  });

  it.runIf(kind.available)('expiry after 10 minutes: expired_token, and the page says so', async () => {
    const s = await start('Old laptop');
    const c = await signedIn();
    tick(600_000);
    expect(await pollCode(s.deviceCode)).toBe('expired_token');
    const r = await ask(c, s.userCode);
    expect(r.statusCode).toBe(410);
    expect(text(r.body)).toContain('This code has expired');
    const approve = await c.post('/device', { code: s.userCode, decision: 'approve' });
    expect(text(approve.body)).toContain('This code has expired');
    // Pruned when new requests come: then it is unknown, which the app hears the same way.
    await start('Another');
    expect(await pollCode(s.deviceCode)).toBe('expired_token');
  });

  it.runIf(kind.available)('bad input: 400 with a code, never a 500', async () => {
    const cases: [unknown, string][] = [
      [{}, 'REQUEST_INVALID'],
      [{ app: '' }, 'REQUEST_INVALID'],
      [{ app: 'x'.repeat(65) }, 'REQUEST_INVALID'],
      [{ app: 42 }, 'REQUEST_INVALID'],
      [{ app: 'Mail', extra: 1 }, 'REQUEST_INVALID'],
      [{ app: 'Line\nbreak' }, 'LABEL_INVALID'],
      ['{"app":', 'JSON_INVALID'],
    ];
    for (const [body, code] of cases) {
      const r = await api('/api/v1/device-login', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().code).toBe(code);
    }
    for (const body of [{}, { deviceCode: 7 }, { deviceCode: '' }, { deviceCode: 'x'.repeat(200) }]) {
      const r = await api('/api/v1/device-login/poll', body);
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('REQUEST_INVALID');
    }
    // Well-formed but unknown: the app hears expired_token and starts again.
    expect(await pollCode('A'.repeat(43))).toBe('expired_token');
    expect(await pollCode('not a device code')).toBe('expired_token');
    // The page: a code of the wrong shape, and an unknown one.
    const c = await signedIn();
    let r = await ask(c, '12345');
    expect(r.statusCode).toBe(400);
    expect(text(r.body)).toContain('Codes are eight letters');
    r = await c.get('/device');
    expect(r.statusCode).toBe(200);
    expect(text(r.body)).toContain('Connect a device');
  });

  it.runIf(kind.available)('wrong user codes are throttled per person', async () => {
    const s = await start('Guessed');
    const c = await signedIn();
    for (let i = 0; i < 10; i++) {
      const r = await ask(c, `BBBB-BBB${'CDFGHJKLMN'[i]}`);
      expect(r.statusCode).toBe(404);
      expect(text(r.body)).toContain('No request has this code');
    }
    // Over the budget: even the right code is not looked up until the window ends.
    let r = await ask(c, s.userCode);
    expect(r.statusCode).toBe(429);
    expect(text(r.body)).toContain('Too many wrong codes');
    r = await c.post('/device', { code: s.userCode, decision: 'approve' });
    expect(r.statusCode).toBe(429);
    tick(5_000);
    expect(await pollCode(s.deviceCode)).toBe('authorization_pending');
    tick(15 * 60_000 + 1_000);
    const fresh = await start('Guessed again');
    const d = await signedIn();
    r = await ask(d, fresh.userCode);
    expect(r.statusCode).toBe(200);
  });

  it.runIf(kind.available)(
    'links never count wrong codes: another site cannot lock the person out',
    async () => {
      tick(16 * 60_000);
      const s = await start('Linked');
      const c = await signedIn();
      // A foreign page sends the browser through many wrong codes: each only fills in the field.
      for (let i = 0; i < 15; i++) {
        const r = await c.get(`/device?code=BBBB-BBB${'CDFGHJKLMNPQRST'[i]}`);
        expect(r.statusCode).toBe(200);
        expect(text(r.body)).not.toContain('No request has this code');
      }
      // Nor can it post them: without the page's CSRF token nothing is looked up or counted.
      for (let i = 0; i < 12; i++) {
        const r = await c.post('/device', { code: 'BBBB-CCCC', _csrf: 'x'.repeat(24) });
        expect(r.statusCode).toBe(403);
      }
      const r = await ask(c, s.userCode);
      expect(r.statusCode).toBe(200);
      expect(text(r.body)).toContain('Give Linked an app password?');
    },
  );

  it.runIf(kind.available)('sudo mode: an old sign-in confirms it is the person first', async () => {
    const c = await signedIn();
    await c.get('/account');
    tick(11 * 60_000);
    const s = await start('Tablet');
    let r = await ask(c, s.userCode);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/account/verify');
    r = await c.post('/device', { code: s.userCode, decision: 'approve' });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/account/verify');
    tick(5_000);
    expect(await pollCode(s.deviceCode)).toBe('authorization_pending');
    await c.follow();
    tick(31_000);
    r = await c.post('/account/verify', { method: 'totp', code: totpCode(seed, clock) });
    expect(r.headers.location).toBe(`/device?code=${s.userCode}`);
    r = await c.follow();
    expect(text(r.body)).toContain('Connect a device');
    r = await c.post('/device', { code: s.userCode });
    expect(text(r.body)).toContain('Give Tablet an app password?');
    r = await c.post('/device', { code: s.userCode, decision: 'approve' });
    expect(text(r.body)).toContain('Approved');
    tick(5_000);
    expect((await poll(s.deviceCode)).statusCode).toBe(200);
  });

  it.runIf(kind.available)('the portal rules at approval: the limit and allowAppPasswords', async () => {
    const have = (await core.appPasswords.listAppPasswords(admin, 'erin')).length;
    await core.settings.updateSettings(admin, { maxAppPasswordsPerUser: have });
    tick(2_000);
    const s = await start('Over the limit');
    const c = await signedIn();
    await c.get(`/device?code=${s.userCode}`);
    let r = await c.post('/device', { code: s.userCode, decision: 'approve' });
    expect(r.statusCode).toBe(409);
    expect(text(r.body)).toContain('You have reached the maximum number of app passwords');
    expect(text(r.body)).toContain('Give Over the limit an app password?');
    tick(5_000);
    expect(await pollCode(s.deviceCode)).toBe('authorization_pending');
    await core.settings.updateSettings(admin, { maxAppPasswordsPerUser: 40, allowAppPasswords: false });
    tick(2_000);
    r = await c.post('/device', { code: s.userCode, decision: 'approve' });
    expect(r.statusCode).toBe(403);
    expect(text(r.body)).toContain('Your organization does not allow app passwords');
    // Nor can a new request start.
    r = await api('/api/v1/device-login', { app: 'Anything' });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('APP_PASSWORDS_DISABLED');
    await core.settings.updateSettings(admin, { allowAppPasswords: true });
    tick(2_000);
    // Approved, then app passwords turned off before the app came: it gets access_denied, no password.
    r = await c.post('/device', { code: s.userCode, decision: 'approve' });
    expect(text(r.body)).toContain('Approved');
    await core.settings.updateSettings(admin, { allowAppPasswords: false });
    tick(5_000);
    expect(await pollCode(s.deviceCode)).toBe('access_denied');
    expect((await core.appPasswords.listAppPasswords(admin, 'erin')).map((a) => a.label)).not.toContain(
      'Over the limit',
    );
    await core.settings.updateSettings(admin, { allowAppPasswords: true });
    tick(2_000);
  });

  it.runIf(kind.available)('bounded: requests waiting per address', async () => {
    tick(700_000);
    const ip = '192.0.2.44';
    for (let i = 0; i < 10; i++) await start(`Flood ${i}`, ip);
    const r = await api('/api/v1/device-login', { app: 'One more' }, ip);
    expect(r.statusCode).toBe(429);
    expect(r.json().code).toBe('TOO_MANY_PENDING');
    // Another address is not affected.
    await start('Elsewhere', '192.0.2.45');
  });

  it.runIf(kind.available)('two polls at once after approval: one app password, never two', async () => {
    const s = await start('<b>Raced</b> app');
    const c = await signedIn();
    let r = await ask(c, s.userCode);
    // The app's name is the app's to choose: shown as text, never as markup.
    expect(r.body).toContain('&lt;b&gt;Raced&lt;/b&gt; app');
    expect(r.body).not.toContain('<b>Raced</b>');
    r = await c.post('/device', { code: s.userCode, decision: 'approve' });
    expect(text(r.body)).toContain('Approved');
    tick(5_000);
    const before = (await core.appPasswords.listAppPasswords(admin, 'erin')).length;
    const answers = await Promise.all([poll(s.deviceCode), poll(s.deviceCode), poll(s.deviceCode)]);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    expect((await core.appPasswords.listAppPasswords(admin, 'erin')).length).toBe(before + 1);
  });

  // PostgreSQL only (several nodes share one database there); registered only there, so that no test
  // is reported as skipped on SQLite.
  if (kind.name === 'postgres')
    it.runIf(kind.available)(
      'several nodes: started on one, approved on the other, both polling at once: one app password',
      async () => {
        const store = await openStore({ dataDir: t.dataDir, databaseUrl: t.databaseUrl });
        const core2 = await createCore({
          store,
          keys: t.keys,
          flushIntervalMs: 0,
          now,
          publicUrl: 'https://id.example.org',
        });
        const app2 = buildApp({ core: core2, logLevel: 'silent' });
        try {
          const s = await start('Second node');
          // The person's browser lands on the other node.
          const c = new WebClient(app2);
          tick(31_000);
          await c.get('/sign-in');
          await c.post('/sign-in', { username: 'erin', password: PASSWORD });
          await c.follow();
          await c.post('/sign-in/verify', { method: 'totp', code: totpCode(seed, clock) });
          await c.get(`/device?code=${s.userCode}`);
          const r = await c.post('/device', { code: s.userCode, decision: 'approve' });
          expect(text(r.body)).toContain('Approved');
          tick(5_000);
          const [a, b] = await Promise.all([
            poll(s.deviceCode),
            app2.inject({
              method: 'POST',
              url: '/api/v1/device-login/poll',
              remoteAddress: APP_IP,
              headers: { 'content-type': 'application/json' },
              payload: JSON.stringify({ deviceCode: s.deviceCode }),
            }),
          ]);
          expect([a.statusCode, b.statusCode].sort()).toEqual([200, 400]);
        } finally {
          await app2.close();
          await core2.close();
          await store.close();
        }
      },
    );

  /** Erin as the approval page acts for her (sudo mode is the page's; here the core decides). */
  async function erinActor(ip = '198.51.100.7') {
    const u = await core.users.getUser(admin, 'erin');
    return { kind: 'user' as const, userId: u.id, username: 'erin', role: 'user' as const, ip };
  }
  const labels = async () => (await core.appPasswords.listAppPasswords(admin, 'erin')).map((a) => a.label);

  it.runIf(kind.available)(
    'IPv6: one /64 counts as one source, for waiting requests and wrong codes',
    async () => {
      tick(700_000);
      // Ten requests from ten addresses of one /64 fill that source's share; the eleventh waits.
      for (let i = 1; i <= 10; i++) await start(`From v6 ${i}`, `2001:db8:5:6::${i.toString(16)}`);
      const r = await api('/api/v1/device-login', { app: 'One more' }, '2001:db8:5:6:ffff::99');
      expect(r.statusCode).toBe(429);
      expect(r.json().code).toBe('TOO_MANY_PENDING');
      // Another /64 is another source.
      await start('Next door', '2001:db8:5:7::1');
      // Wrong codes: thirty per /64 in all, whichever addresses and people they come from.
      for (let p = 0; p < 3; p++) {
        for (let i = 0; i < 10; i++) {
          const actor = { ...(await erinActor(`2001:db8:9:9::${p}:${i}`)), userId: `guesser-${p}` };
          expect((await core.deviceLogin.find(actor, 'BBBB-BBBB')).kind).toBe('unknown');
        }
      }
      const fourth = { ...(await erinActor('2001:db8:9:9:abcd::1')), userId: 'guesser-4' };
      expect((await core.deviceLogin.find(fourth, 'BBBB-BBBB')).kind).toBe('throttled');
      const elsewhere = { ...(await erinActor('2001:db8:9:a::1')), userId: 'guesser-5' };
      expect((await core.deviceLogin.find(elsewhere, 'BBBB-BBBB')).kind).toBe('unknown');
    },
  );

  it.runIf(kind.available)('wrong codes at once: exactly the budget is looked up, never more', async () => {
    const actor = { ...(await erinActor('192.0.2.77')), userId: `racer-${kind.name}` };
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => core.deviceLogin.find(actor, 'CCCC-CCCC')),
    );
    expect(answers.filter((a) => a.kind === 'unknown')).toHaveLength(10);
    expect(answers.filter((a) => a.kind === 'throttled')).toHaveLength(15);
    // A right code is refused too, until the window ends.
    const s = await start('After the race', '192.0.2.78');
    expect((await core.deviceLogin.find(actor, s.userCode)).kind).toBe('throttled');
  });

  it.runIf(kind.available)(
    'a failed store write keeps the approval: the next poll gets the password',
    async () => {
      const s = await start('Broken write');
      expect((await core.deviceLogin.decide(await erinActor(), s.userCode, 'approve')).kind).toBe('found');
      const { sql } = await import('kysely');
      if (t.databaseUrl === null) {
        await sql`create trigger fail_write before insert on app_passwords when new.label = 'Broken write'
        begin select raise(abort, 'the disk is full'); end`.execute(t.store.db);
      } else {
        await sql`create function fail_write() returns trigger language plpgsql as $$
        begin if new.label = 'Broken write' then raise exception 'the disk is full'; end if; return new; end $$`.execute(
          t.store.db,
        );
        await sql`create trigger fail_write before insert on app_passwords
        for each row execute function fail_write()`.execute(t.store.db);
      }
      tick(5_000);
      try {
        expect((await poll(s.deviceCode)).statusCode).toBe(500);
      } finally {
        await sql`drop trigger fail_write${sql.raw(t.databaseUrl === null ? '' : ' on app_passwords')}`.execute(
          t.store.db,
        );
        if (t.databaseUrl !== null) await sql`drop function fail_write()`.execute(t.store.db);
      }
      tick(5_000);
      const r = await poll(s.deviceCode);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().appPassword).toMatch(/^[a-z]{24}$/);
      expect(await labels()).toContain('Broken write');
    },
  );

  it.runIf(kind.available)(
    'approved but not collected: a password change, delete all, sign out everywhere, two-step set up again, disabling, two-step off refuse it',
    async () => {
      tick(700_000);
      const events: [string, () => Promise<unknown>][] = [
        ['password changed', () => core.users.setPassword(admin, 'erin', PASSWORD)],
        ['app passwords deleted', () => core.appPasswords.deleteAllAppPasswords(admin, 'erin')],
        [
          'signed out everywhere',
          async () => {
            const user = (await t.store.db
              .selectFrom('users')
              .selectAll()
              .where('username', '=', 'erin')
              .executeTakeFirstOrThrow()) as never;
            await core.browser.signOutEverywhere({ user, actor: await erinActor() } as never);
          },
        ],
        ['two-step set up again', () => core.methods.requireReregistration(admin, 'erin')],
        [
          'disabled and enabled again',
          async () => {
            await core.users.setUserDisabled(admin, 'erin', true);
            await core.users.setUserDisabled(admin, 'erin', false);
          },
        ],
        [
          'two-step turned off',
          async () => {
            await core.settings.updateSettings(admin, { requireAppPasswordsForNonBrowser: true });
            await core.twoStep.setTwoStepState(admin, 'erin', 'disabled');
          },
        ],
      ];
      try {
        for (const [name, event] of events) {
          const s = await start(`Phished: ${name}`);
          tick(1_000);
          const d = await core.deviceLogin.decide(await erinActor(), s.userCode, 'approve');
          expect(d.kind === 'found' && d.request.state, name).toBe('approved');
          tick(1_000);
          await event();
          tick(5_000);
          // Soft: each event is judged on its own, and all are reported.
          expect.soft(await pollCode(s.deviceCode), name).toBe('access_denied');
          tick(5_000);
          expect.soft(await pollCode(s.deviceCode), name).toBe('access_denied');
          expect.soft(await labels(), name).not.toContain(`Phished: ${name}`);
        }
      } finally {
        await core.twoStep.setTwoStepState(admin, 'erin', 'enforced');
        await core.settings.updateSettings(admin, { requireAppPasswordsForNonBrowser: false });
      }
      // An approval after all that is collected as before.
      const s = await start('After the clean-ups');
      await core.deviceLogin.decide(await erinActor(), s.userCode, 'approve');
      tick(5_000);
      expect((await poll(s.deviceCode)).statusCode).toBe(200);
    },
  );

  it.runIf(kind.available)('the OpenAPI document has both calls', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/device-login', '/api/v1/device-login/poll']),
    );
  });
});

/** docs/device-login.sh for `app` against `origin`, its output as it comes, killed after 90 s. */
function runScript(origin: string, app: string) {
  const script = spawn('sh', [join(import.meta.dirname, '..', 'docs', 'device-login.sh'), app], {
    env: { ...process.env, LATCHKEY_URL: origin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  script.stdout.on('data', (d) => {
    out += d;
  });
  script.stderr.on('data', (d) => {
    err += d;
  });
  const killer = setTimeout(() => script.kill(), 90_000);
  const exited = new Promise<number>((resolve) =>
    script.on('exit', (code) => {
      clearTimeout(killer);
      resolve(code ?? -1);
    }),
  );
  return { out: () => out, err: () => err, exited };
}

/** Polls as an app would, every `interval` seconds (5 more after slow_down), until an answer that is not pending. */
async function nodePoller(origin: string, deviceCode: string, interval: number, deadline: number) {
  let wait = interval;
  for (;;) {
    await new Promise((r) => setTimeout(r, wait * 1000));
    const r = await fetch(`${origin}/api/v1/device-login/poll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceCode }),
    });
    const body = (await r.json()) as { code?: string; username?: string; appPassword?: string };
    if (body.code === 'slow_down') wait += 5;
    else if (body.code !== 'authorization_pending') return { status: r.status, body };
    if (Date.now() > deadline) throw new Error('the poller gave up');
  }
}

/** docs/screenshots/device-*.png with LATCHKEY_SCREENSHOTS=1, else a temporary directory. */
const SHOTS = screenshots('latchkey-device-shots-');

describeWithChromium('e2e: device sign-in in Chromium while the app polls', () => {
  let browser: Browser | null = null;
  let server: WebServer;
  const problems: string[] = [];
  let tab: Tab;
  let seed = '';

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startWebServer();
    seed = await personWithTotp(server.core, 'erin', Date.now());
    tab = await newTab(browser!, server.origin, problems);
  }, 60_000);
  afterAll(async () => {
    SHOTS.cleanup();
    await tab?.context.close();
    await browser?.close();
    await server?.stop();
  });

  it('the shell client and a typed code; a followed link and a second poll; a denied request', async () => {
    const { page } = tab;
    // 1. The reference client (docs/device-login.sh) starts and polls over real HTTP.
    const shell = runScript(server.origin, 'Thunderbird on Laptop');
    await expect.poll(() => shell.out(), { timeout: 15_000 }).toContain('or open ');
    const typed = /type the code ([A-Z]{4}-[A-Z]{4})/.exec(shell.out())![1]!;
    expect(shell.out()).toContain(`Open ${server.origin}/device and type the code`);

    // 2. The person opens the address on "another device", signs in with two steps, types the code.
    await page.goto('/device');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Username or email', { exact: true }).fill('erin');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in/verify');
    await page.getByLabel('Code from your authenticator app').fill(totpCode(seed, Date.now()));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/device');
    expect(await heading(page)).toBe('Connect a device');
    await SHOTS.shot(page, 'device-code');
    // Typed as people type: lower case, a space instead of the dash.
    await page.getByLabel('Code', { exact: true }).fill(typed.toLowerCase().replace('-', ' '));
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await heading(page)).toBe('Give Thunderbird on Laptop an app password?');
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain('127.0.0.1');
    expect(facts).toContain(typed);
    expect(await page.locator('main').innerText()).toContain('Approve only if you started this yourself');
    await SHOTS.shot(page, 'device-approve');
    await page.getByRole('button', { name: 'Approve' }).click();
    expect(await heading(page)).toBe('Approved');
    await SHOTS.shot(page, 'device-approved');

    // 3. The client gets the username and the app password, and exits.
    expect(await shell.exited).toBe(0);
    expect(shell.err()).toBe('');
    const username = /username: (\S+)/.exec(shell.out())![1]!;
    const appPassword = /app password: ([a-z]{24})/.exec(shell.out())![1]!;
    expect(username).toBe('erin');
    const check = await fetch(`${server.origin}/auth/basic`, {
      headers: { authorization: basic(username, appPassword) },
    });
    expect(check.status).toBe(200);
    expect(check.headers.get('remote-user')).toBe('erin');
    // 4. It shows in the portal under the app's name.
    await page.goto('/account/app-passwords');
    expect(await page.locator('main').innerText()).toContain('Thunderbird on Laptop');

    // 5. A second app follows the complete link; the person (still within sudo) approves; the app polls
    // twice after: the password once, then expired_token.
    const started = await fetch(`${server.origin}/api/v1/device-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app: 'Phone calendar' }),
    });
    const s = (await started.json()) as {
      verificationUriComplete: string;
      deviceCode: string;
      interval: number;
    };
    const polled = nodePoller(server.origin, s.deviceCode, s.interval, Date.now() + 60_000);
    // The link fills in the code; "Next" asks the question.
    await page.goto(s.verificationUriComplete);
    expect(await heading(page)).toBe('Connect a device');
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await heading(page)).toBe('Give Phone calendar an app password?');
    await page.getByRole('button', { name: 'Approve' }).click();
    expect(await heading(page)).toBe('Approved');
    const first = await polled;
    expect(first.status).toBe(200);
    expect(first.body.appPassword).toMatch(/^[a-z]{24}$/);
    const second = await nodePoller(server.origin, s.deviceCode, s.interval, Date.now() + 30_000);
    expect(second).toEqual({ status: 400, body: expect.objectContaining({ code: 'expired_token' }) });

    // 6. The shell client again, for a request the person denies: it stops and says so.
    const denied = runScript(server.origin, 'Erin\'s "old" phone');
    await expect.poll(() => denied.out(), { timeout: 15_000 }).toContain('or open ');
    await page.goto(/or open (\S+)/.exec(denied.out())![1]!);
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await heading(page)).toBe('Give Erin\'s "old" phone an app password?');
    await page.getByRole('button', { name: 'Deny' }).click();
    expect(await heading(page)).toBe('Request denied');
    expect(await denied.exited).toBe(1);
    expect(denied.err()).toContain('Not connected: The request was denied.');
    expect(denied.out()).not.toContain('app password:');
    expect(problems).toEqual([]);
  }, 120_000);
});
