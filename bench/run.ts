// `npm run bench`: the performance targets of spec §6 that this build can be measured against.
//
//   1. App-password verification in process, through the real decision (core.signIn), on SQLite, for
//      each data set size × app passwords per user, next to a raw HMAC + prepared-`get` floor.
//   2. One argon2id primary-password check, for contrast.
//   3. Resident memory of `latchkey serve` with 100,000 users.
//
// Everything is bounded in time, talks to 127.0.0.1 only, and exits 0 once the table is printed; a
// missed target is reported in the table, not as a failure of the command.
//
// Settings (environment):
//   BENCH_SIZES=1000,100000,1000000   users per data set
//   BENCH_PER_USER=1,40               app passwords per user
//   BENCH_MAX_APP_PASSWORDS=5000000   data sets with more app passwords are skipped (0 = no limit):
//                                     1,000,000 × 40 takes about 13 minutes and 11 GB, so it is opt-in
//   BENCH_SECONDS=5 BENCH_WARMUP=1    timed seconds and warm-up seconds of each verification loop
//   BENCH_SAMPLES=131072              random (user, app password) draws each loop cycles through
//   BENCH_RSS_USERS=100000            users in the data dir `latchkey serve` is measured on
//   BENCH_DIR=.bench BENCH_REBUILD=1  where data sets are cached; rebuild them

import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { type Argon2Result, benchArgon2 } from './argon2.js';
import { type DataSet, ensureDataSet } from './dataset.js';
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

const settings = {
  sizes: intList('BENCH_SIZES', '1000,100000,1000000'),
  perUser: intList('BENCH_PER_USER', '1,40'),
  maxAppPasswords: num('BENCH_MAX_APP_PASSWORDS', 5_000_000, 0),
  seconds: num('BENCH_SECONDS', 5, 0.1),
  warmup: num('BENCH_WARMUP', 1, 0),
  samples: Math.floor(num('BENCH_SAMPLES', 131_072, 1)),
  rssUsers: Math.floor(num('BENCH_RSS_USERS', 100_000, 1)),
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

function fits(users: number, perUser: number): boolean {
  return settings.maxAppPasswords === 0 || users * perUser <= settings.maxAppPasswords;
}

interface Row {
  ds: DataSet;
  decision: DecisionResult;
  decisionNoFlush: DecisionResult;
  raw: LoopResult;
}

/** Wrong answers anywhere, plus aggregates dropped as served (with the flush off, drops are expected). */
function badCount(r: Row): number {
  return r.decision.failures + r.decisionNoFlush.failures + r.raw.failures + r.decision.dropped;
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
  log(`Latchkey bench — ${machine}`);
  // Other work on the machine skews every figure below; the load average tells the reader if there was any.
  const loadAtStart = loadavg()[0]!;

  // 1. App-password verification.
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
      const ds = await ensureDataSet(settings.dir, users, perUser, { rebuild: settings.rebuild, log });
      log(
        `${fmt(users)} users × ${perUser}: ${ds.builtInSeconds === null ? 'cached' : `built in ${ds.builtInSeconds.toFixed(1)} s`}, measuring…`,
      );
      const samples = pickSamples(ds, settings.samples);
      resetSignInLog(ds);
      warmFileCache(ds);
      const raw = benchRaw(ds, samples, timing);
      const decision = await benchDecision(ds, samples, timing, { writeBehind: true });
      const decisionNoFlush = await benchDecision(ds, samples, timing, { writeBehind: false });
      resetSignInLog(ds);
      log(
        `  core.signIn ${fmt(decision.perSecond)}/s, without write-behind ${fmt(decisionNoFlush.perSecond)}/s, raw ${fmt(raw.perSecond)}/s`,
      );
      rows.push({ ds, decision, decisionNoFlush, raw });
    }
  }

  // 2. argon2id, for contrast.
  log('argon2id primary-password checks…');
  const argon2: Argon2Result = await benchArgon2({ sequentialChecks: 20, parallelSeconds: 3 });

  // 3. Resident memory of `latchkey serve`: on the data set with the most app passwords that fits.
  const rssPerUser = [...settings.perUser].reverse().find((k) => fits(settings.rssUsers, k)) ?? 1;
  const rssData = await ensureDataSet(settings.dir, settings.rssUsers, rssPerUser, {
    rebuild:
      settings.rebuild && !rows.some((r) => r.ds.users === settings.rssUsers && r.ds.perUser === rssPerUser),
    log,
  });
  log(`latchkey serve on ${fmt(rssData.users)} users × ${rssPerUser}…`);
  let rss: RssResult | string;
  try {
    rss = await measureServeRss(rssData, { healthChecks: 500, verifications: 5000, connections: 8 });
  } catch (e) {
    rss = (e as Error).message;
  }

  // The table.
  const header = [
    'users',
    'AP/user',
    'app passwords',
    'signIn/s',
    'µs',
    'pause ms',
    'no flush/s',
    'µs',
    'raw/s',
    'µs',
    'bad',
  ];
  const us = (r: LoopResult) => (1e6 / r.perSecond).toFixed(1);
  const table = rows.map((r) => [
    fmt(r.ds.users),
    String(r.ds.perUser),
    fmt(r.ds.users * r.ds.perUser),
    fmt(r.decision.perSecond),
    us(r.decision),
    (r.decision.longestPauseMs ?? 0).toFixed(0),
    fmt(r.decisionNoFlush.perSecond),
    us(r.decisionNoFlush),
    fmt(r.raw.perSecond),
    us(r.raw),
    String(badCount(r)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');

  const out: string[] = [];
  out.push('');
  out.push(`Latchkey bench, ${new Date().toISOString()}`);
  out.push(`Machine: ${machine}`);
  out.push(`Load average (1 min): ${loadAtStart.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`);
  out.push('');
  out.push(
    `App-password verification in process, SQLite, one core, sequential, door imap (${settings.seconds} s after ${settings.warmup} s warm-up, cycling through ${fmt(settings.samples)} random draws of a user and one of their app passwords):`,
  );
  out.push(line(header));
  for (const row of table) out.push(line(row));
  out.push(
    'signIn: core.signIn as `latchkey serve` runs it (write-behind flushed every second); pause: the longest time without an answer.',
  );
  out.push(
    'no flush: the same with the write-behind timer off. raw: HMAC + one prepared better-sqlite3 get of the app password and its user.',
  );
  out.push('bad: checks that did not accept the right user, plus dropped aggregates (must be 0).');
  for (const s of skipped) out.push(`skipped: ${s}`);
  out.push('');
  out.push(
    `Primary password, argon2id (m=19456 KiB, t=2, p=1): ${argon2.msPerCheck.toFixed(1)} ms per check; ${argon2.parallel2PerSecond.toFixed(1)} checks/s with 2 in parallel${argon2.failures ? ` (${argon2.failures} FAILED)` : ''}`,
  );
  if (typeof rss === 'string') {
    out.push(`latchkey serve, ${fmt(rssData.users)} users: could not measure: ${rss}`);
  } else {
    out.push(
      `latchkey serve, ${fmt(rssData.users)} users × ${rssPerUser} app passwords: RSS ${mb(rss.rssAfterStartKb)} MB after start, ${mb(rss.rssAfterWorkKb)} MB after ${fmt(rss.healthChecks)} GET /healthz and ${fmt(rss.verifications)} GET /auth/basic with app passwords${rss.refused ? ` (${rss.refused} REFUSED)` : ''} (peak ${mb(rss.peakKb)} MB)`,
    );
  }
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
    out.push(
      `Target ≥ ${fmt(TARGET_PER_SECOND)} verifications/s on one core: ${ok ? 'met' : 'MISSED'} (core.signIn ${fmt(worst.decision.perSecond)}–${fmt(best.decision.perSecond)}/s; worst/best ${(worst.decision.perSecond / best.decision.perSecond).toFixed(2)})`,
    );
  }
  if (typeof rss !== 'string') {
    const peakMb = rss.peakKb / 1024;
    out.push(
      `Target < ${TARGET_RSS_MB} MB resident with ${fmt(rssData.users)} users: ${peakMb < TARGET_RSS_MB ? 'met' : 'MISSED'} (peak ${peakMb.toFixed(1)} MB)`,
    );
  }
  if (rows.some((r) => badCount(r) > 0) || (typeof rss !== 'string' && rss.refused > 0)) {
    out.push(
      'WARNING: some real app passwords were refused, or aggregates were dropped: see "bad" and "REFUSED".',
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
