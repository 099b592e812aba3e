// The administrators' overview (/admin/overview, issue 12 item 9) on SQLite and PostgreSQL: sign-ins
// made through the real decider (core.signIn on the real doors) and app passwords created and deleted
// through the core, then the page, read as an administrator would read it — the refusal reasons with
// the counts caused here, the lockout, the app password changes, and the person who signs in to LDAP
// with their account password named among those still on primary passwords. The helpdesk and users
// are refused; an empty store renders. The counts come from an hourly rollup the database keeps with
// triggers (migration 011): it must equal a GROUP BY over the log after inserts and count updates, on
// both stores, count rows written before the migration, survive the log's pruning within the
// retention, and on PostgreSQL not deadlock two nodes' write-behind flushes. With Chromium, a screenshot of the page (LATCHKEY_SCREENSHOTS=1
// writes it to docs/screenshots/admin-overview.png).

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import { getOverview, OVERVIEW_DAYS } from '../src/core/overview.js';
import type { Actor } from '../src/core/policy.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { buildApp } from '../src/http/app.js';
import { overviewBody } from '../src/http/pages/admin/overview.js';
import { type Dialect, openStore, type Store } from '../src/store/database.js';
import {
  addToBuckets,
  insertAuditEvent,
  insertSignInEvent,
  type NewSignInEvent,
} from '../src/store/events.js';
import { up001 } from '../src/store/migrations/001-initial.js';
import { up002 } from '../src/store/migrations/002-doors.js';
import { up003 } from '../src/store/migrations/003-api-tokens.js';
import { up004 } from '../src/store/migrations/004-browser.js';
import { up005 } from '../src/store/migrations/005-user-search.js';
import { up006 } from '../src/store/migrations/006-service-sources.js';
import { up007 } from '../src/store/migrations/007-oidc.js';
import { up008 } from '../src/store/migrations/008-sso.js';
import { up009 } from '../src/store/migrations/009-check-changes.js';
import { up010 } from '../src/store/migrations/010-overview.js';
import type { DB } from '../src/store/schema.js';
import { describeWithChromium, launchChromium } from './helpers/browser.js';
import { heading, newTab, screenshots, startWebServer } from './helpers/e2e.js';
import { cspClean, InjectBrowser } from './helpers/inject-browser.js';
import { createPgDatabase, storeKinds, type TestStore, tempDir } from './helpers/stores.js';

const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery';
const kinds = await storeKinds();

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

/** The text of a page without its tags, entities decoded enough for numbers and words. */
const text = (body: string) =>
  body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** The rollup as rows, and the same sums worked out from the log itself, sorted alike. */
async function rollupAndLog(store: Store): Promise<{ rollup: string[]; log: string[] }> {
  const rollup = await store.db
    .selectFrom('sign_in_hours')
    .select(['hour', 'door', 'result', 'reason', 'credential', 'count'])
    .where('count', '<>', 0)
    .execute();
  const log = await sql<{
    hour: number;
    door: string;
    result: string;
    reason: string;
    credential: string;
    count: number;
  }>`
    select at / 3600000 as hour, door, result, coalesce(reason, '') as reason,
      coalesce(credential, '') as credential, sum(count) as count
    from sign_in_events group by 1, 2, 3, 4, 5`.execute(store.db);
  const line = (r: {
    hour: unknown;
    door: string;
    result: string;
    reason: string;
    credential: string;
    count: unknown;
  }) => `${Number(r.hour)} ${r.door} ${r.result} ${r.reason} ${r.credential} ${Number(r.count)}`;
  return { rollup: rollup.map(line).sort(), log: log.rows.map(line).sort() };
}

/** Migrations 001 to 010 as they landed: a store from before the rollup. */
function before011(dialect: Dialect): Record<string, Migration> {
  const ups = [up001, up002, up003, up004, up005, up006, up007, up008, up009, up010];
  const names = [
    '001-initial',
    '002-doors',
    '003-api-tokens',
    '004-browser',
    '005-user-search',
    '006-service-sources',
    '007-oidc',
    '008-sso',
    '009-check-changes',
    '010-overview',
  ];
  return Object.fromEntries(names.map((n, i) => [n, { up: ups[i]!(dialect) }]));
}

/** An event of the log as the write-behind or a refusal writes it. */
function event(e: Partial<NewSignInEvent> & { at: number; door: string }): NewSignInEvent {
  return {
    last_at: e.at,
    count: 1,
    username: 'someone',
    user_id: null,
    ip: '192.0.2.1',
    user_agent: null,
    result: 'accepted',
    reason: null,
    credential: 'app_password',
    app_password_id: null,
    app_password_label: null,
    bucket: null,
    ...e,
  };
}

/** The cells of the table whose caption starts with `caption`, row by row, as text. */
function tableRows(body: string, caption: string): string[][] {
  const start = body.indexOf(`<caption>${caption}`);
  if (start < 0) return [];
  const end = body.indexOf('</table>', start);
  const tbody = body.slice(body.indexOf('<tbody>', start), end);
  return [...tbody.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) =>
    [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) => text(c[1]!).trim()),
  );
}

describe.each(
  kinds.filter((k) => k.available).map((k) => [k.name, k] as const),
)('the overview on %s', (_name, kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;

  async function user(username: string, role = 'user', twoStep: string | null = null) {
    await core.users.createUser(system, {
      username,
      displayName: username.charAt(0).toUpperCase() + username.slice(1),
      email: `${username}@example.org`,
      role,
      password: PASSWORD,
    });
    if (twoStep) await core.twoStep.setTwoStepState(system, username, twoStep);
  }

  async function browser(username: string): Promise<InjectBrowser> {
    const b = new InjectBrowser(() => app);
    b.csrf = csrfOf((await b.get('/sign-in')).body);
    const r = await b.post('/sign-in', { username, password: PASSWORD });
    expect(r.statusCode, r.body).toBe(303);
    return b;
  }

  const signIn = (username: string, secret: string, door: string, ip = '192.0.2.10') =>
    core.signIn({ username, secret, door, ip, userAgent: 'test' });

  beforeAll(async () => {
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
    app = buildApp({ core, logLevel: 'silent' });
  });

  afterAll(async () => {
    await app?.close();
    await core?.close();
    await t?.cleanup();
  });

  it('renders an empty store: every section says there is nothing yet', async () => {
    const o = await getOverview(core.ctx, system);
    expect(o.hours).toHaveLength(OVERVIEW_DAYS * 24);
    const body = overviewBody(o).value;
    cspClean(body);
    const words = text(body);
    expect(words).toContain(`No sign-ins in these ${OVERVIEW_DAYS} days.`);
    expect(words).toContain(`Nothing was refused in these ${OVERVIEW_DAYS} days.`);
    expect(words).toContain(`No lockouts in these ${OVERVIEW_DAYS} days.`);
    expect(words).toContain('No app password was created or deleted');
    expect(words).toContain(`No app signed in in these ${OVERVIEW_DAYS} days.`);
  });

  it('shows what happened, drawn and in tables', async () => {
    await user('root', 'admin');
    await user('hd', 'helpdesk');
    await user('bob');
    // Two-step off: LDAP still takes her account password (R1) — the person to move.
    await user('lena');
    await user('ada', 'user', 'enforced');
    await core.settings.updateSettings(system, { lockoutThreshold: 3 });

    const phone = await core.appPasswords.createAppPassword(system, 'ada', { label: 'Phone' });
    await core.appPasswords.createAppPassword(system, 'ada', { label: 'Laptop' });
    const old = await core.appPasswords.createAppPassword(system, 'ada', { label: 'Old tablet' });
    await core.appPasswords.deleteAppPassword(system, 'ada', old.id);

    for (let i = 0; i < 3; i++) expect((await signIn('lena', PASSWORD, 'ldap')).ok).toBe(true);
    for (let i = 0; i < 2; i++) expect((await signIn('ada', phone.password, 'imap')).ok).toBe(true);
    // Refusals: two different wrong passwords, an account password where an app password is
    // required, a name nobody has.
    expect(await signIn('lena', 'wrong one', 'http')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await signIn('lena', 'wrong two', 'http')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await signIn('ada', PASSWORD, 'imap')).toEqual({ ok: false, reason: 'app_password_required' });
    expect((await signIn('nobody', 'whatever', 'smtp')).ok).toBe(false);
    // Bob's account locks after three failures from an unknown address; the fourth is refused as locked.
    for (const s of ['guess 1', 'guess 2', 'guess 3']) {
      expect(await signIn('bob', s, 'dav', '198.51.100.7')).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
    }
    expect(await signIn('bob', PASSWORD, 'dav', '198.51.100.7')).toEqual({ ok: false, reason: 'locked_out' });

    const root = await browser('root');
    const r = await root.get('/admin/overview');
    expect(r.statusCode, r.body).toBe(200);
    cspClean(r.body);
    const body = r.body;
    const words = text(body);

    // First in the administrators' navigation, and the current page.
    const nav = body.slice(body.indexOf('aria-label="Administration"'));
    expect(/<a[^>]*href="([^"]+)"/.exec(nav)?.[1]).toBe('/admin/overview');
    expect(nav).toMatch(/<a href="\/admin\/overview" aria-current="page">Overview<\/a>/);

    // The refusal reasons: the chart's bars and its table, with the counts caused above.
    expect(body).toMatch(/<svg class="chart chart-bars"[^>]*role="img"/);
    expect(body).toContain('Wrong password: 5 refused</title>');
    const reasons = tableRows(body, 'Refused sign-ins by reason');
    expect(reasons).toContainEqual(['Wrong password', 'invalid_credentials', '5']);
    expect(reasons).toContainEqual(['App password required', 'app_password_required', '1']);
    expect(reasons).toContainEqual(['Unknown user', 'unknown_user', '1']);
    expect(reasons).toContainEqual(['Locked out', 'locked_out', '1']);
    expect(reasons[0]).toEqual(['Wrong password', 'invalid_credentials', '5']);
    expect(body).toContain('href="/admin/sign-ins?result=refused&amp;reason=invalid_credentials&amp;since=');

    // Sign-ins per hour by door: the legend names the doors used; the table has the totals.
    expect(body).toMatch(/<ul class="chart-legend"[^>]*>.*Directory \(LDAP\).*<\/ul>/s);
    const byDoor = tableRows(body, `By door, ${OVERVIEW_DAYS} days`);
    expect(byDoor).toContainEqual(['Directory (LDAP)', '3', '0']);
    expect(byDoor).toContainEqual(['Mail (IMAP)', '2', '1']);
    expect(byDoor).toContainEqual(['Web app (HTTP)', '0', '2']);
    expect(byDoor).toContainEqual(['Calendar and contacts (DAV)', '0', '4']);
    expect(byDoor).toContainEqual(['Web browser', '1', '0']);
    expect(body).toContain('Directory (LDAP), 3 successful</title>');

    // Lockouts: one name, once.
    expect(words).toContain('1 name locked out, 1 attempt refused while locked');

    // App passwords: three created, one deleted, today.
    expect(words).toContain('3 created, 1 deleted');
    const today = tableRows(body, 'App passwords by day');
    expect(today.at(-1)?.slice(1)).toEqual(['3', '1']);

    // Primary passwords: 3 of the 5 successful app sign-ins, by Lena, who is linked.
    expect(words).toContain(
      '60% of successful sign-ins from apps (3 of 5) used an account password, by 1 account.',
    );
    const people = tableRows(body, 'Accounts that used their account password in apps');
    expect(people).toHaveLength(1);
    expect(people[0]!.slice(0, 3)).toEqual(['Lena lena', '3', 'Directory (LDAP)']);
    expect(body).toContain('<a href="/admin/users/lena">Lena</a>');
    expect(body).not.toContain('href="/admin/users/ada"');

    // Headline figures.
    expect(words).toMatch(/Successful sign-ins 6 /);
    expect(words).toMatch(/Refused sign-ins 8 /);
    expect(words).toMatch(/Locked out 1 1 attempt refused /);
  });

  it('keeps the hourly rollup equal to the log after inserts and count updates', async () => {
    // What the sign-ins above wrote: refusals one by one, the lockout counted per minute, the
    // write-behind's aggregates.
    expect((await rollupAndLog(t.store)).rollup).toEqual((await rollupAndLog(t.store)).log);
    const before = await getOverview(core.ctx, system);

    const now = Date.now();
    const hourAgo = now - 3_600_000;
    // An aggregate written, then counted on twice (the write-behind's first sight, then its minute).
    const phone = event({ at: hourAgo, door: 'imap', count: 2, bucket: `t|${now}|phone` });
    await addToBuckets(t.store.db, [phone]);
    await addToBuckets(t.store.db, [{ ...phone, count: 5, last_at: hourAgo + 20_000 }]);
    await addToBuckets(t.store.db, [
      { ...phone, count: 1, last_at: hourAgo + 40_000 },
      event({ at: hourAgo, door: 'smtp', count: 4, bucket: `t|${now}|laptop`, credential: 'primary' }),
    ]);
    // A refusal written at once, and a flood of one refused source counted in one row.
    await insertSignInEvent(
      t.store.db,
      event({ at: hourAgo, door: 'ldap', result: 'refused', reason: 'unknown_user', credential: null }),
    );
    const flood = event({
      at: now,
      door: 'http',
      result: 'refused',
      reason: 'throttled',
      credential: null,
      bucket: `t|${now}|throttled`,
    });
    for (let i = 0; i < 3; i++) await addToBuckets(t.store.db, [flood]);
    // The same wrong secret again through the decider: counted on its minute's row.
    for (let i = 0; i < 2; i++) {
      expect(await signIn('lena', 'wrong one', 'http')).toEqual({ ok: false, reason: 'invalid_credentials' });
    }

    const { rollup, log } = await rollupAndLog(t.store);
    expect(rollup).toEqual(log);
    const after = await getOverview(core.ctx, system);
    expect(after.accepted - before.accepted).toBe(8 + 4);
    expect(after.refused - before.refused).toBe(1 + 3 + 2);
    const doorTotal = (o: typeof after, door: string) => o.doors.find((d) => d.door === door);
    expect(doorTotal(after, 'imap')!.acceptedTotal - doorTotal(before, 'imap')!.acceptedTotal).toBe(8);
    expect(after.reasons).toContainEqual({ reason: 'throttled', count: 3 });
    // The hour of the aggregates: imap 8, smtp 4 more than before.
    const i = after.hours.indexOf(Math.floor(hourAgo / 3_600_000) * 3_600_000);
    const at = (o: typeof after, door: string) => doorTotal(o, door)?.accepted[i] ?? 0;
    expect(at(after, 'imap') - at(before, 'imap')).toBe(8);
    expect(at(after, 'smtp') - at(before, 'smtp')).toBe(4);
    // Account-password use without an account is counted, but names nobody.
    expect(after.nonBrowser.primary - before.nonBrowser.primary).toBe(4);
    expect(after.nonBrowser.accounts).toBe(before.nonBrowser.accounts);
  });

  it("keeps the rollup for the log's retention when the log is pruned", async () => {
    const { signInLogRetentionDays: days } = await core.settings.getSettings(system);
    const old = Date.now() - (days + 2) * 86_400_000;
    const oldHour = Math.floor(old / 3_600_000);
    await insertSignInEvent(t.store.db, event({ at: old, door: 'pop3' }));
    const hours = () =>
      t.store.db
        .selectFrom('sign_in_hours')
        .selectAll()
        .orderBy(['hour', 'door', 'result', 'reason', 'credential'])
        .execute();
    expect((await hours()).map((h) => Number(h.hour))).toContain(oldHour);
    const kept = (await hours()).filter((h) => Number(h.hour) !== oldHour);
    const page = (await getOverview(core.ctx, system)).accepted;

    expect(await core.signInLog.pruneSignIns()).toBeGreaterThanOrEqual(1);
    expect(await hours()).toEqual(kept);
    expect((await getOverview(core.ctx, system)).accepted).toBe(page);
    // Deleting rows of the log takes nothing off the rollup: it keeps its own retention.
    await t.store.db.deleteFrom('sign_in_events').where('door', '=', 'imap').execute();
    expect(await hours()).toEqual(kept);
    expect((await getOverview(core.ctx, system)).accepted).toBe(page);
  });

  it('counts the sign-ins a store held before the rollup existed', async () => {
    // A store migrated up to 010, with a week of log written by that version.
    const dataDir = tempDir();
    const pgdb = kind.name === 'postgres' ? await createPgDatabase() : null;
    const pool = pgdb ? new pg.Pool({ connectionString: pgdb.url }) : null;
    const old = new Kysely<DB>({
      dialect: pool
        ? new PostgresDialect({ pool })
        : new SqliteDialect({ database: new SQLite(join(dataDir, 'latchkey.db')) }),
    });
    let store: Store | null = null;
    let later: Core | null = null;
    try {
      const dialect = kind.name;
      const m = await new Migrator({
        db: old,
        provider: { getMigrations: async () => before011(dialect) },
      }).migrateToLatest();
      expect(m.error).toBeUndefined();
      const now = Date.now();
      await old
        .insertInto('users')
        .values({
          id: 'u-old',
          username: 'olga',
          email: 'olga@example.org',
          display_name: 'Olga',
          role: 'user',
          password_hash: null,
          password_must_change: 0,
          two_step_state: 'disabled',
          created_at: now - 30 * 86_400_000,
          updated_at: now - 30 * 86_400_000,
        })
        .execute();
      const rows = [
        event({
          at: now - 2 * 86_400_000,
          door: 'ldap',
          count: 7,
          credential: 'primary',
          user_id: 'u-old',
          username: 'olga',
          bucket: 'o|1',
        }),
        event({ at: now - 86_400_000, door: 'imap', count: 3, bucket: 'o|2' }),
        event({
          at: now - 3_600_000,
          door: 'dav',
          result: 'refused',
          reason: 'invalid_credentials',
          credential: null,
        }),
      ];
      await old.insertInto('sign_in_events').values(rows).execute();
      await old.destroy();

      // The next version starts on it: migration 011 counts what is there.
      store = await openStore({ dataDir, databaseUrl: pgdb?.url ?? null });
      const { rollup, log } = await rollupAndLog(store);
      expect(rollup).toEqual(log);
      later = await createCore({
        store,
        keys: loadServerKeys({ dataDir, hmacKey: null, encryptionKey: null }),
        flushIntervalMs: 0,
      });
      const o = await getOverview(later.ctx, system);
      expect(o.accepted).toBe(10);
      expect(o.refused).toBe(1);
      expect(o.reasons).toEqual([{ reason: 'invalid_credentials', count: 1 }]);
      expect(o.nonBrowser).toMatchObject({ total: 10, primary: 7, accounts: 1 });
      expect(o.nonBrowser.top.map((u) => [u.username, u.count, u.doors])).toEqual([['olga', 7, ['ldap']]]);
      // And what is written after the upgrade is counted on top.
      await addToBuckets(store.db, [{ ...rows[1]!, count: 2 }]);
      expect((await getOverview(later.ctx, system)).accepted).toBe(12);
    } finally {
      await later?.close();
      await store?.close();
      if (!store) await old.destroy().catch(() => {});
      await pgdb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  // PostgreSQL only: SQLite has one writer at a time, so nothing there can deadlock (and no test is
  // reported as skipped on SQLite for it).
  if (kind.name === 'postgres')
    it('lets two nodes write the same hours in opposite orders without a deadlock', async () => {
      // Two write-behind flushes, each a transaction of several statements over the same rollup rows.
      // Were the rollup counted as each row is written, each would hold one row the other needs next.
      const at = Date.now() - 120_000;
      let arrived = 0;
      let go!: () => void;
      const both = new Promise<void>((resolve) => {
        go = resolve;
      });
      const flush = (first: string, second: string) =>
        t.store.transaction(async (trx) => {
          await insertSignInEvent(trx, event({ at, door: first, credential: 'totp' }));
          if (++arrived === 2) go();
          await both;
          await insertSignInEvent(trx, event({ at, door: second, credential: 'totp' }));
        });
      await Promise.all([flush('radius', 'activesync'), flush('activesync', 'radius')]);
      const hour = await t.store.db
        .selectFrom('sign_in_hours')
        .select(['door', 'count'])
        .where('hour', '=', Math.floor(at / 3_600_000))
        .where('credential', '=', 'totp')
        .orderBy('door')
        .execute();
      expect(hour.map((h) => [h.door, Number(h.count)])).toEqual([
        ['activesync', 2],
        ['radius', 2],
      ]);
    });

  it('refuses the helpdesk and users, and hides the link from them', async () => {
    const hd = await browser('hd');
    const r = await hd.get('/admin/overview');
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('You are not allowed to do this');
    expect(r.body).not.toContain('Why sign-ins were refused');
    expect((await hd.get('/admin/users')).body).not.toContain('/admin/overview');
    const lena = await browser('lena');
    const u = await lena.get('/admin/overview');
    expect(u.statusCode).toBe(403);
    expect(u.body).toContain('This page is for administrators');
    await expect(
      getOverview(core.ctx, { kind: 'user', userId: 'x', username: 'hd', role: 'helpdesk', ip: null }),
    ).rejects.toThrow();
  });

  it('sends a visitor without a session to sign in first', async () => {
    const r = await new InjectBrowser(() => app).get('/admin/overview');
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/sign-in?return=${encodeURIComponent('/admin/overview')}`);
  });
});

describeWithChromium('the overview in Chromium', () => {
  const SHOTS = screenshots('latchkey-overview-');
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startWebServer();
    const { core, t } = server;
    const make = async (username: string, role = 'user', twoStep: string | null = null) => {
      await core.users.createUser(system, { username, displayName: username, role, password: PASSWORD });
      if (twoStep) await core.twoStep.setTwoStepState(system, username, twoStep);
    };
    await make('root', 'admin');
    await make('mira', 'user', 'enforced');
    for (const name of ['lena', 'tom', 'sam']) await make(name);
    const ap = await core.appPasswords.createAppPassword(system, 'mira', { label: 'Phone' });
    for (const [name, door] of [
      ['lena', 'ldap'],
      ['tom', 'imap'],
      ['sam', 'dav'],
    ] as const) {
      expect((await core.signIn({ username: name, secret: PASSWORD, door, ip: '192.0.2.20' })).ok).toBe(true);
    }
    expect(
      (await core.signIn({ username: 'mira', secret: ap.password, door: 'imap', ip: '192.0.2.21' })).ok,
    ).toBe(true);
    // A week of history as the write-behind leaves it: per-minute aggregates, and refusals.
    const users = new Map<string, string>();
    for (const name of ['lena', 'tom', 'sam', 'mira'])
      users.set(name, (await core.users.getUser(system, name)).id);
    const now = Date.now();
    const rows: NewSignInEvent[] = [];
    const day = 86_400_000;
    const start = Math.floor(now / day) * day - 6 * day;
    const doors = ['imap', 'smtp', 'imap', 'dav', 'ldap', 'browser', 'imap', 'activesync'];
    for (let at = start; at < now - 3_600_000; at += 600_000) {
      const hour = new Date(at).getUTCHours();
      const busy = hour >= 7 && hour < 19 ? 3 : 1;
      for (let k = 0; k < busy * 2; k++) {
        const door = doors[(Math.floor(at / 600_000) + k) % doors.length]!;
        const name = ['lena', 'tom', 'sam', 'mira'][k % 4]!;
        const primary = name !== 'mira';
        rows.push({
          at: at + k * 1000,
          last_at: at + k * 1000 + 30_000,
          count: 1 + ((at / 600_000 + k) % 7),
          username: name,
          user_id: users.get(name)!,
          door,
          ip: `10.0.0.${k + 1}`,
          user_agent: 'Mail',
          result: 'accepted',
          reason: null,
          credential: door === 'browser' ? 'totp' : primary ? 'primary' : 'app_password',
          app_password_id: null,
          app_password_label: null,
          bucket: door === 'browser' ? null : `shot|${at}|${k}`,
        });
      }
      if (Math.floor(at / 600_000) % 5 === 0) {
        const reasons = [
          'invalid_credentials',
          'invalid_credentials',
          'unknown_user',
          'app_password_required',
        ];
        rows.push({
          at,
          last_at: at,
          count: 1 + (Math.floor(at / 600_000) % 3),
          username: 'tom',
          user_id: users.get('tom')!,
          door: doors[Math.floor(at / 3_000_000) % doors.length]!,
          ip: '203.0.113.5',
          user_agent: null,
          result: 'refused',
          reason: reasons[Math.floor(at / 3_000_000) % reasons.length]!,
          credential: null,
          app_password_id: null,
          app_password_label: null,
          bucket: `shot-refused|${at}`,
        });
      }
      if (Math.floor(at / 600_000) % 97 === 0) {
        rows.push({
          at,
          last_at: at,
          count: 6,
          username: 'sam',
          user_id: users.get('sam')!,
          door: 'imap',
          ip: '203.0.113.9',
          user_agent: null,
          result: 'refused',
          reason: 'locked_out',
          credential: null,
          app_password_id: null,
          app_password_label: null,
          bucket: `shot-locked|${at}`,
        });
      }
    }
    await addToBuckets(t.store.db, rows);
    for (let d = 0; d < 6; d++) {
      for (let i = 0; i < 2 + ((d * 5) % 7); i++) {
        await insertAuditEvent(t.store.db, {
          at: start + d * day + 36_000_000 + i * 60_000,
          actor: 'user:mira',
          actor_ip: null,
          action: i % 4 === 3 ? 'app_password.deleted' : 'app_password.created',
          target: 'mira',
          details: JSON.stringify({ label: 'Phone' }),
        });
      }
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    SHOTS.cleanup();
  });

  it('draws the page without a CSP complaint, and the screenshot', async () => {
    const tab = await newTab(browser!, server.origin, problems);
    const page = tab.page;
    await page.goto('/sign-in');
    await page.getByLabel('Username or email', { exact: true }).fill('root');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => u.pathname !== '/sign-in');
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL('**/admin/overview');
    expect(await heading(page)).toBe('Overview');
    // Charts are images with names; the top account links to its user page.
    expect(await page.getByRole('img', { name: /Refused sign-ins by reason/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /Successful sign-ins per hour/ }).count()).toBe(1);
    await expect.poll(async () => (await page.locator('svg.chart rect').count()) > 100).toBe(true);
    await SHOTS.shot(page, 'admin-overview');
    await page.getByRole('link', { name: 'lena' }).first().click();
    await page.waitForURL('**/admin/users/lena');
    expect(problems).toEqual([]);
  });
});
