// The administrators' overview (/admin/overview) at scale: how long the page takes on a store with
// 100,000 users and a week of sign-in log — the core's getOverview() (its GROUP BY queries) and the
// rendering of the page body, timed together, on SQLite and optionally PostgreSQL — then each of its
// queries alone (on SQLite each one holds every door for its length).
//
//   npx node --import tsx bench/overview.ts [--users 100000] [--per-day 6] [--postgres URL] [--runs 5]
//
// The data is written in SQL (a numbers series crossed with the days), past the core: creating the
// users through the core would spend hours in argon2id, and the overview reads only the tables. Each
// user has `--per-day` sign-in log rows a day, spread over the day and over the doors as a mixed
// organisation's would be: mostly aggregated accepted checks of mail, calendar and directory apps (a
// third of the users still on their account password), browser sign-ins, and a trickle of refusals
// and lockouts. Audit events: ~2% of the users create an app password each day, ~1% delete one.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createCore } from '../src/core/index.js';
import { getOverview, overviewWindow } from '../src/core/overview.js';
import { DOORS } from '../src/core/validate.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { overviewBody } from '../src/http/pages/admin/overview.js';
import { openStore, type Store } from '../src/store/database.js';
import {
  appPasswordsByDay,
  DAY_MS,
  lockedOutNames,
  primaryPasswordUsers,
  signInsByHour,
} from '../src/store/overview.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const USERS = Number(arg('users', '100000'));
const PER_DAY = Number(arg('per-day', '6'));
const RUNS = Number(arg('runs', '5'));
const PG_URL = arg('postgres', '');

async function fill(store: Store, now: number): Promise<void> {
  const db = store.db;
  const { since } = overviewWindow(now);
  const pgsql = store.dialect === 'postgres';
  const cat = (...parts: string[]) => parts.join(' || ');
  const numbers = (n: number) =>
    pgsql
      ? `select g as i from generate_series(0, ${n - 1}) as g`
      : `with recursive s(i) as (select 0 union all select i + 1 from s where i < ${n - 1}) select i from s`;
  await sql
    .raw(
      `insert into users (id, username, email, display_name, role, password_hash, password_must_change,
         two_step_state, created_at, updated_at)
       select ${cat("'u'", 'cast(i as text)')}, ${cat("'user'", 'cast(i as text)')},
         ${cat("'user'", 'cast(i as text)', "'@example.org'")}, ${cat("'User '", 'cast(i as text)')}, 'user', null, 0,
         case when i % 3 = 0 then 'disabled' else 'enforced' end, ${since - 30 * DAY_MS}, ${since - 30 * DAY_MS}
       from (${numbers(USERS)}) n`,
    )
    .execute(db);
  // One row per (user, day, slot): `k` picks the door, the hour and what happened.
  const doors = ['imap', 'smtp', 'imap', 'dav', 'ldap', 'browser', 'imap', 'activesync', 'http', 'radius'];
  const doorCase = `case (u + k) % 10 ${doors.map((d, j) => `when ${j} then '${d}'`).join(' ')} end`;
  // Working hours are busier: seconds into the day from two overlapping spreads.
  const second = `(case when (u + k) % 4 = 0 then (u * 7919 + k * 3607 + d * 131) % 86400 else 25200 + (u * 7919 + k * 3607 + d * 131) % 39600 end)`;
  const refused = `((u * 31 + k * 17 + d * 7) % 97 = 0)`;
  const locked = `((u * 13 + k + d) % 1999 = 0)`;
  for (let d = 0; d < 7; d++) {
    const t0 = performance.now();
    await sql
      .raw(
        `insert into sign_in_events (at, last_at, count, username, user_id, door, ip, user_agent, result,
           reason, credential, app_password_id, app_password_label, bucket)
         select at, at + 30000, cnt, ${cat("'user'", 'cast(u as text)')}, ${cat("'u'", 'cast(u as text)')}, door,
           ${cat("'10.'", 'cast(u % 250 as text)', "'.'", 'cast(k % 250 as text)', "'.1'")}, 'Mail/16.0', result,
           reason, credential, null, null,
           case when result = 'accepted' and door <> 'browser' then ${cat("'b|'", 'cast(u as text)', "'|'", 'cast(d as text)', "'|'", 'cast(k as text)')} else null end
         from (
           select u, k, d, ${doorCase} as door,
             ${since} + d * ${DAY_MS} + ${second} * 1000 as at,
             case when ${locked} then 'refused' when ${refused} then 'refused' else 'accepted' end as result,
             case when ${locked} then 'locked_out' when ${refused} then
               (case (u + d) % 5 when 0 then 'app_password_required' when 1 then 'unknown_user' else 'invalid_credentials' end)
               else null end as reason,
             case when ${locked} or ${refused} then 1 else 1 + (u + k * 3) % 12 end as cnt,
             case when ${locked} or ${refused} then null
               when (u + k) % 10 = 5 then 'totp'
               when u % 3 = 0 then 'primary' else 'app_password' end as credential
           from (select i as u from (${numbers(USERS)}) a) users_n
           cross join (select i as k from (${numbers(PER_DAY)}) b) slots
           cross join (select ${d} as d) dd
         ) x
         where x.at < ${now}`,
      )
      .execute(db);
    console.error(`  day ${d + 1}/7 written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  await sql
    .raw(
      `insert into audit_events (at, actor, actor_ip, action, target, details)
       select ${since} + (i % 7) * ${DAY_MS} + (i * 7919) % ${DAY_MS}, ${cat("'user:user'", 'cast(i as text)')}, null,
         case when i % 3 = 2 then 'app_password.deleted' else 'app_password.created' end,
         ${cat("'user'", 'cast(i as text)')}, '{"label":"Phone"}'
       from (${numbers(Math.round(USERS * 0.03 * 7))}) n
       where ${since} + (i % 7) * ${DAY_MS} + (i * 7919) % ${DAY_MS} < ${now}`,
    )
    .execute(db);
  if (pgsql) await sql`analyze`.execute(db);
  else await sql`analyze`.execute(db);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-overview-'));
  let dropPg: (() => Promise<void>) | null = null;
  let databaseUrl: string | null = null;
  if (PG_URL) {
    const name = `latchkey_bench_overview_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropPg = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const keys = loadServerKeys({ dataDir, hmacKey: null, encryptionKey: null });
  const store = await openStore({ dataDir, databaseUrl });
  const core = await createCore({ store, keys, flushIntervalMs: 0 });
  try {
    const now = Date.now();
    console.error(
      `building: ${USERS} users, ${PER_DAY} sign-in log rows per user per day, on ${store.dialect}`,
    );
    const t0 = performance.now();
    await fill(store, now);
    const rows = await store.db
      .selectFrom('sign_in_events')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    console.error(
      `built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${Number(rows.n).toLocaleString('en')} sign-in log rows`,
    );
    const admin = { kind: 'system' as const, name: 'bench', ip: null };
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const o = await getOverview(core.ctx, admin);
      bytes = overviewBody(o).value.length;
      times.push(performance.now() - t);
      if (i === 0)
        console.error(
          `  first: ${o.accepted.toLocaleString('en')} accepted, ${o.refused.toLocaleString('en')} refused, ${o.nonBrowser.accounts.toLocaleString('en')} accounts on primary passwords`,
        );
    }
    const w = overviewWindow(Date.now());
    const queries: Record<string, () => Promise<unknown>> = {
      signInsByHour: () => signInsByHour(store.db, w),
      lockedOutNames: () => lockedOutNames(store.db, w),
      appPasswordsByDay: () => appPasswordsByDay(store, w),
      primaryPasswordUsers: () => primaryPasswordUsers(store.db, w, DOORS, 10),
    };
    const queryMs: Record<string, number> = {};
    for (const [name, run] of Object.entries(queries)) {
      const each: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await run();
        each.push(performance.now() - t);
      }
      each.sort((a, b) => a - b);
      queryMs[name] = Number(each[Math.floor(each.length / 2)]!.toFixed(1));
    }
    const first = times[0]!;
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      JSON.stringify({
        dialect: store.dialect,
        users: USERS,
        signInRows: Number(rows.n),
        runs: RUNS,
        firstMs: Math.round(first),
        medianMs: Math.round(median),
        minMs: Math.round(times[0]!),
        maxMs: Math.round(times[times.length - 1]!),
        bodyBytes: bytes,
        queryMedianMs: queryMs,
      }),
    );
  } finally {
    await core.close();
    await store.close();
    if (!process.env.KEEP) await dropPg?.();
    if (process.env.KEEP) console.error(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
