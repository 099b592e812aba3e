// `npm run bench`: the performance targets of spec §6 that this build can be measured against.
//
//   verify   App-password verification in process, through the real decision (core.signIn), on SQLite,
//            for each data set size × app passwords per user, next to a raw HMAC + prepared-`get`
//            floor; and one argon2id primary-password check, for contrast.
//   rss      Resident memory of `latchkey serve` with 100,000 users.
//   ldap     LDAP simple binds per second with app passwords over 32 connections: OpenLDAP's slapd,
//            `latchkey serve`, and `latchkey serve` with LATCHKEY_WORKERS=2, side by side.
//   http     GET /auth/basic against a bare route of the same server, with wrk at 64 connections.
//   primary  Primary-password repeat checks (verified-credential cache) against app-password checks.
//   flood    Opt-in (BENCH_ONLY=flood): a flood of wrong passwords on /auth/basic against a real
//            `latchkey serve`, and what it does to sign-ins beside it (bench/flood.ts, FLOOD_* settings).
//            An attack simulation on 127.0.0.x, so never part of the default set.
//
// Everything is bounded in time, talks to 127.0.0.1 only, stops every server it started, and exits 0
// once the report is printed; a missed target is reported, not turned into a failure of the command.
//
// Settings (environment):
//   BENCH_ONLY=verify,rss,ldap,http,primary,signins   which sections run (default, or `all`: these
//                                     six); `flood` runs only when named
//   BENCH_SIZES=1000,100000,1000000   users per data set (verify)
//   BENCH_PER_USER=1,40               app passwords per user (verify)
//   BENCH_MAX_APP_PASSWORDS=5000000   data sets with more app passwords are skipped (0 = no limit):
//                                     1,000,000 × 40 takes about 13 minutes and 11 GB, so it is opt-in
//   BENCH_SECONDS=5 BENCH_WARMUP=1    timed and warm-up seconds of each in-process loop (verify, primary)
//   BENCH_SAMPLES=131072              random (user, app password) draws each loop cycles through
//   BENCH_FLAT_SECONDS=60 BENCH_FLAT_SLICE_MS=250   flat: running seconds of each data set, slice length
//   BENCH_RSS_USERS=100000            users in the data dir `latchkey serve` is measured on (rss)
//   BENCH_DOOR_USERS=10000            users (one app password each) of the ldap, http and primary sections
//   BENCH_LDAP_CONNECTIONS=32 BENCH_LDAP_CLIENTS=2 BENCH_LDAP_SECONDS=10 BENCH_LDAP_WARMUP=3
//   BENCH_LDAP_ROUNDS=2               rounds in which the servers take turns (figures: their mean)
//   BENCH_LDAP_FLOOR=1                also measure the Node floor server (0 = skip it)
//   BENCH_HTTP_CONNECTIONS=64 BENCH_HTTP_THREADS=2 BENCH_HTTP_SECONDS=10 BENCH_HTTP_WARMUP=3
//   BENCH_HTTP_WRITE_BEHIND=0         diagnostic: the HTTP bench server runs without its write-behind timer
//   BENCH_SIGNIN_RATE=20 BENCH_SIGNIN_CONNECTIONS=16   browser sign-ins a second beside /auth/basic (signins)
//   BENCH_PRIMARY_USERS=1000          users checked with the primary password (one argon2id each first)
//   BENCH_DIR=.bench BENCH_REBUILD=1  where data sets are cached; rebuild them

import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { type Argon2Result, benchArgon2 } from './argon2.js';
import { type DataSet, ensureDataSet } from './dataset.js';
import { benchFlat, type FlatSet } from './flat.js';
import { benchFlood, floodOptionsFromEnv } from './flood.js';
import { benchHttp, benchSignIns, type HttpResult, type SignInLoadResult, wrkAvailable } from './http.js';
import { BASE_DN, benchLdap, type LdapRow, meanOfRounds } from './ldap.js';
import { benchPrimary, type PrimaryResult } from './primary.js';
import { measureServeRss, type RssResult } from './serve-rss.js';
import {
  benchDecision,
  benchRaw,
  type DecisionResult,
  type LoopResult,
  pickSamples,
  resetSignInLog,
  warmFileCache,
} from './verify.js';

const TARGET_PER_SECOND = 50_000;
const TARGET_RSS_MB = 200;
const TARGET_LDAP_RATIO = 1;
const TARGET_HTTP_RATIO = 0.5;
const TARGET_HTTP_P99_MS = 5;
/** Spec §6 asks ≤ 2× an app-password check; issue 11 asks ≤ 1×. */
const TARGET_PRIMARY_RATIO = 2;
const TARGET_PRIMARY_RATIO_ISSUE = 1;
const TARGET_SIGNIN_P99_MS = 10;

const SECTIONS = ['verify', 'flat', 'rss', 'ldap', 'http', 'primary', 'signins', 'flood'] as const;
type Section = (typeof SECTIONS)[number];
/** Sections that run only when BENCH_ONLY names them: `flood` is an attack simulation. */
const OPT_IN: readonly Section[] = ['flood'];

function intList(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback;
  const list = raw.split(',').map((s) => s.trim().replace(/_/g, ''));
  if (list.some((s) => !/^\d+$/.test(s) || Number(s) < 1)) {
    throw new Error(`${name} must be a comma-separated list of positive integers, got "${raw}"`);
  }
  return [...new Set(list.map(Number))].sort((a, b) => a - b);
}

function num(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
}

function sections(): Set<Section> {
  const raw = process.env.BENCH_ONLY;
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'all') {
    return new Set(SECTIONS.filter((s) => !OPT_IN.includes(s)));
  }
  const picked = raw.split(',').map((s) => s.trim().toLowerCase());
  for (const s of picked) {
    if (!(SECTIONS as readonly string[]).includes(s)) {
      throw new Error(`BENCH_ONLY: unknown section "${s}" (sections: ${SECTIONS.join(', ')}, or all)`);
    }
  }
  return new Set(picked as Section[]);
}

const settings = {
  only: sections(),
  sizes: intList('BENCH_SIZES', '1000,100000,1000000'),
  perUser: intList('BENCH_PER_USER', '1,40'),
  maxAppPasswords: num('BENCH_MAX_APP_PASSWORDS', 5_000_000, 0),
  seconds: num('BENCH_SECONDS', 5, 0.1),
  warmup: num('BENCH_WARMUP', 1, 0),
  samples: Math.floor(num('BENCH_SAMPLES', 131_072, 1)),
  flatSeconds: num('BENCH_FLAT_SECONDS', 60, 1),
  flatSliceMs: Math.floor(num('BENCH_FLAT_SLICE_MS', 250, 10)),
  rssUsers: Math.floor(num('BENCH_RSS_USERS', 100_000, 1)),
  doorUsers: Math.floor(num('BENCH_DOOR_USERS', 10_000, 1)),
  ldap: {
    connections: Math.floor(num('BENCH_LDAP_CONNECTIONS', 32, 1)),
    clients: Math.floor(num('BENCH_LDAP_CLIENTS', 2, 1)),
    seconds: num('BENCH_LDAP_SECONDS', 10, 0.5),
    warmupSeconds: num('BENCH_LDAP_WARMUP', 3, 0),
    rounds: Math.floor(num('BENCH_LDAP_ROUNDS', 2, 1)),
    floor: process.env.BENCH_LDAP_FLOOR !== '0',
  },
  http: {
    connections: Math.floor(num('BENCH_HTTP_CONNECTIONS', 64, 1)),
    threads: Math.floor(num('BENCH_HTTP_THREADS', 2, 1)),
    // wrk takes whole seconds.
    seconds: Math.round(num('BENCH_HTTP_SECONDS', 10, 1)),
    warmupSeconds: Math.round(num('BENCH_HTTP_WARMUP', 3, 1)),
    writeBehind: process.env.BENCH_HTTP_WRITE_BEHIND !== '0',
  },
  primaryUsers: Math.floor(num('BENCH_PRIMARY_USERS', 1000, 1)),
  signIns: {
    rate: num('BENCH_SIGNIN_RATE', 20, 1),
    connections: Math.floor(num('BENCH_SIGNIN_CONNECTIONS', 16, 1)),
  },
  // .bench/ at the top of the repository (gitignored), wherever the bench is started from.
  dir: process.env.BENCH_DIR
    ? resolve(process.env.BENCH_DIR)
    : fileURLToPath(new URL('../.bench', import.meta.url)),
  rebuild: process.env.BENCH_REBUILD === '1',
};
const timing = { warmupSeconds: settings.warmup, seconds: settings.seconds };

const log = (line: string) => process.stderr.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (kb: number) => (kb / 1024).toFixed(1);
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const cores = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');

/** Data sets already (re)built in this run: BENCH_REBUILD=1 rebuilds each once, not once per section. */
const rebuilt = new Set<string>();

function dataSet(users: number, perUser: number): Promise<DataSet> {
  const key = `${users}×${perUser}`;
  const rebuild = settings.rebuild && !rebuilt.has(key);
  rebuilt.add(key);
  return ensureDataSet(settings.dir, users, perUser, { rebuild, log });
}

function fits(users: number, perUser: number): boolean {
  return settings.maxAppPasswords === 0 || users * perUser <= settings.maxAppPasswords;
}

/** Left-aligns the first `left` columns, right-aligns the rest. */
function table(header: string[], rows: string[][], left: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

interface Row {
  ds: DataSet;
  decision: DecisionResult;
  decisionNoFlush: DecisionResult;
  cold: DecisionResult;
  raw: LoopResult;
}

/** Wrong answers anywhere, plus aggregates dropped as served (with the flush off, drops are expected). */
function badCount(r: Row): number {
  return (
    r.decision.failures + r.decisionNoFlush.failures + r.cold.failures + r.raw.failures + r.decision.dropped
  );
}

/** Runs a section; a section that fails is reported as such and the others still run. */
async function attempt<T>(name: string, run: () => Promise<T>): Promise<T | string> {
  try {
    return await run();
  } catch (e) {
    log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return e instanceof Error ? e.message.split('\n')[0]! : String(e);
  }
}

// 1. App-password verification in process, and argon2id for contrast.
async function runVerify(out: string[], verdicts: string[]): Promise<boolean> {
  const rows: Row[] = [];
  const skipped: string[] = [];
  for (const users of settings.sizes) {
    for (const perUser of settings.perUser) {
      if (!fits(users, perUser)) {
        skipped.push(
          `${fmt(users)} × ${perUser} (${fmt(users * perUser)} app passwords > BENCH_MAX_APP_PASSWORDS)`,
        );
        continue;
      }
      const ds = await dataSet(users, perUser);
      log(
        `${fmt(users)} users × ${perUser}: ${ds.builtInSeconds === null ? 'cached' : `built in ${ds.builtInSeconds.toFixed(1)} s`}, measuring…`,
      );
      const samples = pickSamples(ds, settings.samples);
      resetSignInLog(ds);
      warmFileCache(ds);
      const raw = benchRaw(ds, samples, timing);
      const decision = await benchDecision(ds, samples, timing, { writeBehind: true });
      const decisionNoFlush = await benchDecision(ds, samples, timing, { writeBehind: false });
      const cold = await benchDecision(ds, samples, timing, { writeBehind: true, cache: false });
      resetSignInLog(ds);
      log(
        `  core.signIn ${fmt(decision.perSecond)}/s, without write-behind ${fmt(decisionNoFlush.perSecond)}/s, raw ${fmt(raw.perSecond)}/s`,
      );
      rows.push({ ds, decision, decisionNoFlush, cold, raw });
    }
  }
  log('argon2id primary-password checks…');
  const argon2: Argon2Result = await benchArgon2({ sequentialChecks: 20, parallelSeconds: 3 });

  const us = (r: LoopResult) => (1e6 / r.perSecond).toFixed(1);
  out.push(
    `App-password verification in process, SQLite, one core, sequential, door imap (${settings.seconds} s after ${settings.warmup} s warm-up, cycling through ${fmt(settings.samples)} random draws of a user and one of their app passwords):`,
  );
  out.push(
    ...table(
      [
        'users',
        'AP/user',
        'app passwords',
        'signIn/s',
        'µs',
        'pause ms',
        'no flush/s',
        'µs',
        'cold/s',
        'µs',
        'raw/s',
        'µs',
        'bad',
      ],
      rows.map((r) => [
        fmt(r.ds.users),
        String(r.ds.perUser),
        fmt(r.ds.users * r.ds.perUser),
        fmt(r.decision.perSecond),
        us(r.decision),
        (r.decision.longestPauseMs ?? 0).toFixed(0),
        fmt(r.decisionNoFlush.perSecond),
        us(r.decisionNoFlush),
        fmt(r.cold.perSecond),
        us(r.cold),
        fmt(r.raw.perSecond),
        us(r.raw),
        String(badCount(r)),
      ]),
      2,
    ),
  );
  out.push(
    'signIn: core.signIn as `latchkey serve` runs it (write-behind flushed every second); pause: the longest time without an answer.',
  );
  out.push(
    'no flush: the same with the write-behind timer off. raw: HMAC + one prepared better-sqlite3 get of the app password and its user.',
  );
  out.push(
    "Each loop first makes one pass over the draws (a server that has seen its clients' devices once). cold: LATCHKEY_CHECK_CACHE_SIZE=0, every check reads the store.",
  );
  out.push('bad: checks that did not accept the right user, plus dropped aggregates (must be 0).');
  for (const s of skipped) out.push(`skipped: ${s}`);
  out.push('');
  out.push(
    `Primary password, argon2id (m=19456 KiB, t=2, p=1): ${argon2.msPerCheck.toFixed(1)} ms per check; ${argon2.parallel2PerSecond.toFixed(1)} checks/s with 2 in parallel${argon2.failures ? ` (${argon2.failures} FAILED)` : ''}`,
  );
  out.push('');

  const worst = rows.reduce<Row | null>(
    (m, r) => (m === null || r.decision.perSecond < m.decision.perSecond ? r : m),
    null,
  );
  const best = rows.reduce<Row | null>(
    (m, r) => (m === null || r.decision.perSecond > m.decision.perSecond ? r : m),
    null,
  );
  if (worst && best) {
    const ok = worst.decision.perSecond >= TARGET_PER_SECOND;
    verdicts.push(
      `Target ≥ ${fmt(TARGET_PER_SECOND)} verifications/s on one core: ${ok ? 'met' : 'MISSED'} (core.signIn ${fmt(worst.decision.perSecond)}–${fmt(best.decision.perSecond)}/s; worst/best ${(worst.decision.perSecond / best.decision.perSecond).toFixed(2)})`,
    );
  }
  return rows.some((r) => badCount(r) > 0) || argon2.failures > 0;
}

// 2. Resident memory of `latchkey serve`: on the data set with the most app passwords that fits.
async function runRss(out: string[], verdicts: string[]): Promise<boolean> {
  const rssPerUser = [...settings.perUser].reverse().find((k) => fits(settings.rssUsers, k)) ?? 1;
  const rssData = await dataSet(settings.rssUsers, rssPerUser);
  log(`latchkey serve on ${fmt(rssData.users)} users × ${rssPerUser}…`);
  const rss: RssResult | string = await attempt('rss', () =>
    measureServeRss(rssData, { healthChecks: 500, verifications: 5000, connections: 8 }),
  );
  if (typeof rss === 'string') {
    out.push(`latchkey serve, ${fmt(rssData.users)} users: could not measure: ${rss}`, '');
    verdicts.push(`Target < ${TARGET_RSS_MB} MB resident: NOT MEASURED (${rss})`);
    return false;
  }
  out.push(
    `latchkey serve, ${fmt(rssData.users)} users × ${rssPerUser} app passwords: RSS ${mb(rss.rssAfterStartKb)} MB after start, ${mb(rss.rssAfterWorkKb)} MB after ${fmt(rss.healthChecks)} GET /healthz and ${fmt(rss.verifications)} GET /auth/basic with app passwords${rss.refused ? ` (${rss.refused} REFUSED)` : ''} (peak ${mb(rss.peakKb)} MB)`,
    '',
  );
  const peakMb = rss.peakKb / 1024;
  verdicts.push(
    `Target < ${TARGET_RSS_MB} MB resident with ${fmt(rssData.users)} users: ${peakMb < TARGET_RSS_MB ? 'met' : 'MISSED'} (peak ${peakMb.toFixed(1)} MB)`,
  );
  return rss.refused > 0;
}

function doorDataSet(): Promise<DataSet> {
  return dataSet(settings.doorUsers, 1);
}

// 3. LDAP binds: slapd and Latchkey side by side.
async function runLdap(out: string[], verdicts: string[]): Promise<boolean> {
  const ds = await doorDataSet();
  const o = settings.ldap;
  log(`LDAP binds, ${fmt(ds.users)} users, ${o.connections} connections, ${o.rounds} round(s)…`);
  const rows: LdapRow[] | string = await attempt('ldap', () =>
    benchLdap(ds, { ...o, samples: Math.min(settings.samples, 16_384), log }),
  );
  out.push(
    `LDAP simple binds with app passwords, ${fmt(ds.users)} users (uid=userN,ou=people,${BASE_DN}), ${o.connections} connections × 1 outstanding bind, ${o.clients} client processes, ${o.seconds} s after ${o.warmupSeconds} s warm-up, ${o.rounds} round(s):`,
  );
  if (typeof rows === 'string') {
    out.push(`could not measure: ${rows}`, '');
    verdicts.push(`Target LDAP binds ≥ ${TARGET_LDAP_RATIO}× slapd: NOT MEASURED (${rows})`);
    return false;
  }
  const means = rows.map((r) => ({ row: r, x: meanOfRounds(r.rounds) }));
  const slapd = means.find((m) => m.row.server === 'slapd')?.x ?? null;
  out.push(
    ...table(
      [
        'server',
        'binds/s',
        'rounds',
        '× slapd',
        'p50 ms',
        'p99 ms',
        'errors',
        'server cores',
        'CPU µs/bind',
        'client cores',
        'other cores',
      ],
      means.map(({ row, x }) => {
        if (x === null)
          return [row.server, `skipped: ${row.skipped ?? ''}`, '', '', '', '', '', '', '', '', ''];
        const errors = `${fmt(x.errors)}${x.errors ? ` ${JSON.stringify(x.codes)}` : ''}${x.closed ? ` (${x.closed} closed)` : ''}`;
        return [
          row.server,
          fmt(x.perSecond),
          row.rounds.map((r) => fmt(r.perSecond)).join(' / '),
          slapd ? (x.perSecond / slapd.perSecond).toFixed(2) : '–',
          ms(x.p50Ms),
          ms(x.p99Ms),
          errors,
          cores(x.serverCores),
          Number.isFinite(x.serverCores) ? ((x.serverCores / x.perSecond) * 1e6).toFixed(1) : '–',
          cores(x.clientCores),
          cores(x.machineCores - x.serverCores - x.clientCores),
        ];
      }),
      1,
    ),
  );
  out.push(
    'binds/s: the mean of the rounds (each round: every server in turn). cores: CPU used in the timed window (1.00 = one core all the time)',
    'by the server (with its workers), the load client, and everything else on the machine; CPU µs/bind: server CPU per successful bind.',
    'Node floor: bench/ldap-floor-server.ts answers every bind with success, checking nothing (one Node process, for scale).',
    '',
  );
  const best = means
    .filter((m) => m.row.server.startsWith('Latchkey') && m.x !== null)
    .reduce<(typeof means)[number] | null>(
      (b, m) => (b === null || m.x!.perSecond > b.x!.perSecond ? m : b),
      null,
    );
  if (slapd && best?.x) {
    const ratio = best.x.perSecond / slapd.perSecond;
    verdicts.push(
      `Target LDAP binds ≥ ${TARGET_LDAP_RATIO.toFixed(1)}× slapd: ${ratio >= TARGET_LDAP_RATIO ? 'met' : 'MISSED'} (best ${best.row.server} ${fmt(best.x.perSecond)}/s, slapd ${fmt(slapd.perSecond)}/s: ${ratio.toFixed(2)}×)`,
    );
  } else {
    verdicts.push(`Target LDAP binds ≥ ${TARGET_LDAP_RATIO}× slapd: NOT MEASURED (see the table)`);
  }
  return rows.some((r) => r.rounds.some((x) => x.errors > 0));
}

// 4. /auth/basic against the bare route of the same server.
async function runHttp(out: string[], verdicts: string[]): Promise<boolean> {
  if (!wrkAvailable()) {
    out.push('HTTP verify: skipped, wrk not found (BENCH_WRK=/path/to/wrk).', '');
    verdicts.push('Target /auth/basic ≥ 50 % of the bare route, p99 < 5 ms: NOT MEASURED (no wrk)');
    return false;
  }
  const ds = await doorDataSet();
  const o = settings.http;
  log(`HTTP verify, wrk ${o.connections} connections…`);
  const r: HttpResult | string = await attempt('http', () => benchHttp(ds, { ...o, users: ds.users, log }));
  if (typeof r === 'string') {
    out.push(`HTTP verify: could not measure: ${r}`, '');
    verdicts.push(`Target /auth/basic ≥ 50 % of the bare route: NOT MEASURED (${r})`);
    return false;
  }
  out.push(
    `HTTP, bench/http-server.ts (buildApp over the core, plus GET /bench/hello${o.writeBehind ? '' : ', WRITE-BEHIND OFF'}), ${fmt(r.users)} users' app passwords rotated per request: ${r.command}`,
  );
  out.push(
    ...table(
      [
        'route',
        'req/s',
        '× hello',
        'p50 ms',
        'p99 ms',
        'max ms',
        'loop late ms',
        'errors',
        'server cores',
        'CPU µs/req',
        'wrk cores',
        'other cores',
      ],
      (
        [
          ['GET /bench/hello', r.hello],
          ['GET /auth/basic', r.auth],
        ] as const
      ).map(([name, w]) => {
        return [
          name,
          fmt(w.perSecond),
          (w.perSecond / r.hello.perSecond).toFixed(2),
          ms(w.p50Ms),
          ms(w.p99Ms),
          ms(w.maxMs),
          ms(w.loopDelayMaxMs),
          fmt(w.errors),
          cores(w.serverCores),
          Number.isFinite(w.serverCores) ? ((w.serverCores / w.perSecond) * 1e6).toFixed(1) : '–',
          cores(w.wrkCores),
          cores(w.machineCores - w.serverCores - w.wrkCores),
        ];
      }),
      1,
    ),
    "loop late: the longest the server's event loop ran late during the run. errors: answers other than 2xx/3xx plus socket errors and timeouts (must be 0).",
    'CPU µs/req: server CPU per request; cores as in the LDAP table (wrk instead of the load client).',
    '',
  );
  const ratio = r.auth.perSecond / r.hello.perSecond;
  verdicts.push(
    `Target /auth/basic ≥ ${TARGET_HTTP_RATIO * 100} % of the bare route: ${ratio >= TARGET_HTTP_RATIO ? 'met' : 'MISSED'} (${(ratio * 100).toFixed(0)} %: ${fmt(r.auth.perSecond)} vs ${fmt(r.hello.perSecond)} req/s)`,
    `Target /auth/basic p99 < ${TARGET_HTTP_P99_MS} ms at ${o.connections} connections: ${r.auth.p99Ms < TARGET_HTTP_P99_MS ? 'met' : 'MISSED'} (p99 ${ms(r.auth.p99Ms)} ms; bare route ${ms(r.hello.p99Ms)} ms)`,
  );
  return r.auth.errors > 0 || r.hello.errors > 0;
}

// 5. Primary-password repeats against app-password checks.
// 1b. The same data sets side by side: flat from 1,000 to 1,000,000 users (bench/flat.ts).
async function runFlat(out: string[], verdicts: string[]): Promise<boolean> {
  const sets: FlatSet[] = [];
  for (const users of settings.sizes) {
    for (const perUser of settings.perUser) {
      if (fits(users, perUser)) {
        await dataSet(users, perUser);
        sets.push({ users, perUser });
      }
    }
  }
  log(
    `Side by side, ${sets.length} data sets, ${settings.flatSeconds} s each in ${settings.flatSliceMs}-ms slices…`,
  );
  const results = await benchFlat(sets, {
    root: settings.dir,
    seconds: settings.flatSeconds,
    sliceMs: settings.flatSliceMs,
    samples: settings.samples,
    log,
  });
  const best = Math.max(...results.map((r) => r.perSecond));
  out.push(
    `The data sets side by side: one process each, core.signIn with write-behind, ${settings.flatSeconds} s of each in ${settings.flatSliceMs}-ms slices taken in turn (each process's clock stands still between its slices, so each lives through whole minutes of its own traffic):`,
  );
  out.push(
    ...table(
      ['users', 'AP/user', 'signIn/s', 'µs', 'of best', 'per minute/s', 'pause ms', 'bad'],
      results.map((r) => [
        fmt(r.users),
        String(r.perUser),
        fmt(r.perSecond),
        (1e6 / r.perSecond).toFixed(1),
        `${((100 * r.perSecond) / best).toFixed(0)} %`,
        r.minutes.length ? r.minutes.map((m) => fmt(m)).join(' / ') : '—',
        r.longestPauseMs.toFixed(0),
        String(r.failures),
      ]),
      2,
    ),
  );
  out.push('pause: the longest time without an answer within a slice, the write-behind flush included.');
  out.push('');
  const worst = Math.min(...results.map((r) => r.perSecond));
  const flat = worst / best;
  const longest = Math.max(...results.map((r) => r.longestPauseMs));
  verdicts.push(
    `Target flat within 20 % from 1,000 to 1,000,000 users (side by side): ${flat >= 0.8 ? 'met' : 'MISSED'} (worst/best ${flat.toFixed(2)}: ${fmt(worst)}–${fmt(best)}/s)`,
  );
  verdicts.push(
    `Target longest pause < 10 ms while the write-behind flushes (side by side, ${settings.flatSeconds} s each): ${longest < 10 ? 'met' : 'MISSED'} (${longest.toFixed(1)} ms)`,
  );
  return results.some((r) => r.failures > 0);
}

async function runPrimary(out: string[], verdicts: string[]): Promise<boolean> {
  const ds = await doorDataSet();
  log(`Primary-password repeats, ${fmt(Math.min(settings.primaryUsers, ds.users))} users…`);
  const r: PrimaryResult | string = await attempt('primary', () =>
    benchPrimary(ds, { users: settings.primaryUsers, timing, log }),
  );
  if (typeof r === 'string') {
    out.push(`Primary-password repeats: could not measure: ${r}`, '');
    verdicts.push(
      `Target primary-password repeat ≤ ${TARGET_PRIMARY_RATIO}× an app password: NOT MEASURED (${r})`,
    );
    return false;
  }
  const us = (x: LoopResult) => (1e6 / x.perSecond).toFixed(1);
  out.push(
    `Primary password vs app password, in process, core.signIn, door imap, the same ${fmt(r.users)} users (two-step enabled) from their device addresses, ${settings.seconds * 2} s each in alternating 250-ms slices (ratio: median of the slices):`,
    ...table(
      ['check', 'per second', 'µs', 'pause ms', 'bad'],
      [
        [
          'first primary (argon2id, 2 at a time)',
          fmt(r.firstPerSecond),
          `${r.firstMs.toFixed(1)} ms`,
          '',
          '0',
        ],
        [
          'primary, repeat (cached)',
          fmt(r.primary.perSecond),
          us(r.primary),
          (r.primary.longestPauseMs ?? 0).toFixed(0),
          String(r.primary.failures),
        ],
        [
          'app password',
          fmt(r.app.perSecond),
          us(r.app),
          (r.app.longestPauseMs ?? 0).toFixed(0),
          String(r.app.failures),
        ],
      ],
      1,
    ),
    '',
  );
  verdicts.push(
    `Target primary-password repeat ≤ ${TARGET_PRIMARY_RATIO}× an app-password check (spec), ≤ ${TARGET_PRIMARY_RATIO_ISSUE}× (issue 11): ${r.ratio <= TARGET_PRIMARY_RATIO ? 'met' : 'MISSED'}, ${r.ratio <= TARGET_PRIMARY_RATIO_ISSUE ? 'met' : 'MISSED'} (${r.ratio.toFixed(2)}×; totals ${us(r.primary)} µs vs ${us(r.app)} µs)`,
  );
  return r.primary.failures + r.app.failures > 0;
}

// 6. /auth/basic beside browser sign-ins (argon2id off the event loop).
async function runSignIns(out: string[], verdicts: string[]): Promise<boolean> {
  if (!wrkAvailable()) {
    out.push('Sign-ins beside /auth/basic: skipped, wrk not found.', '');
    verdicts.push(
      `Target /auth/basic p99 < ${TARGET_SIGNIN_P99_MS} ms during sign-ins: NOT MEASURED (no wrk)`,
    );
    return false;
  }
  const ds = await doorDataSet();
  const o = { ...settings.http, connections: settings.signIns.connections, rate: settings.signIns.rate };
  log(`Sign-ins beside /auth/basic, ${o.rate}/s, wrk ${o.connections} connections…`);
  const r: SignInLoadResult | string = await attempt('signins', () =>
    benchSignIns(ds, { ...o, users: ds.users, log }),
  );
  if (typeof r === 'string') {
    out.push(`Sign-ins beside /auth/basic: could not measure: ${r}`, '');
    verdicts.push(`Target /auth/basic p99 < ${TARGET_SIGNIN_P99_MS} ms during sign-ins: NOT MEASURED (${r})`);
    return false;
  }
  out.push(
    `GET /auth/basic alone and with ${o.rate} browser sign-ins a second (GET + POST /sign-in, one argon2id each) on the same server: ${r.command}`,
    ...table(
      ['run', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'loop late ms', 'errors'],
      (
        [
          ['/auth/basic alone', r.quiet],
          ['/auth/basic + sign-ins', r.busy],
        ] as const
      ).map(([name, w]) => [
        name,
        fmt(w.perSecond),
        ms(w.p50Ms),
        ms(w.p99Ms),
        ms(w.maxMs),
        ms(w.loopDelayMaxMs),
        fmt(w.errors),
      ]),
      1,
    ),
    `Sign-ins: ${fmt(r.signIns.attempted)} started, ${fmt(r.signIns.accepted)} answered 303 (${r.signIns.perSecond.toFixed(1)}/s), ${fmt(r.signIns.failed)} failed; GET+POST p50 ${ms(r.signIns.p50Ms)} ms, p99 ${ms(r.signIns.p99Ms)} ms.`,
    '',
  );
  verdicts.push(
    `Target /auth/basic p99 < ${TARGET_SIGNIN_P99_MS} ms while ${o.rate} sign-ins/s run (${o.connections} connections): ${r.busy.p99Ms < TARGET_SIGNIN_P99_MS ? 'met' : 'MISSED'} (p99 ${ms(r.busy.p99Ms)} ms; alone ${ms(r.quiet.p99Ms)} ms)`,
  );
  return r.busy.errors > 0 || r.signIns.failed > 0;
}

// 7. Opt-in: a password flood against this repository's build (bench/flood.ts).
async function runFlood(out: string[]): Promise<boolean> {
  log('Password flood on /auth/basic (opt-in)…');
  const lines: string[] | string = await attempt('flood', () =>
    benchFlood(fileURLToPath(new URL('..', import.meta.url)), floodOptionsFromEnv(log)),
  );
  if (typeof lines === 'string') {
    out.push(`Password flood: could not measure: ${lines}`, '');
    return false;
  }
  out.push(...lines, '');
  return false;
}

async function main(): Promise<void> {
  const sqliteVersion = (() => {
    const db = new SQLite(':memory:');
    try {
      return (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
    } finally {
      db.close();
    }
  })();
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}, SQLite ${sqliteVersion}`;
  log(`Latchkey bench — ${machine}; sections: ${[...settings.only].join(', ')}`);
  // Other work on the machine skews every figure below; the load average tells the reader if there was any.
  const loadAtStart = loadavg()[0]!;
  const started = performance.now();

  const out: string[] = [];
  const verdicts: string[] = [];
  let wrong = false;
  const runners: Record<Section, (out: string[], verdicts: string[]) => Promise<boolean>> = {
    verify: runVerify,
    flat: runFlat,
    rss: runRss,
    ldap: runLdap,
    http: runHttp,
    primary: runPrimary,
    signins: runSignIns,
    flood: runFlood,
  };
  for (const section of SECTIONS) {
    if (!settings.only.has(section)) continue;
    const load = loadavg()[0]!;
    const body: string[] = [];
    wrong = (await runners[section](body, verdicts)) || wrong;
    out.push(`[${section}] load average ${load.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`, ...body);
  }

  const head = [
    '',
    `Latchkey bench, ${new Date().toISOString()}, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    `Machine: ${machine}`,
    `Load average (1 min): ${loadAtStart.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
    '',
  ];
  const tail = [...verdicts];
  if (wrong) {
    tail.push(
      'WARNING: some real credentials were refused, answers were wrong, or aggregates were dropped: see "bad", "errors" and "REFUSED".',
    );
  }
  process.stdout.write(`${[...head, ...out, ...tail].join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
