// Primary-password repeat cost (spec §6: "argon2id once, then a short-lived verified-credential cache:
// repeat checks cost ≤ 2× an app password check"), in process through the real core.signIn.
//
// It needs users whose primary password a non-browser door accepts, i.e. two-step NOT enforced. The
// bench data sets enforce two-step, so this uses a copy of one (a throwaway dir, deleted afterwards)
// with every user's two-step state set to `enabled`: such a user may sign in with the primary password
// (spec §3, until they register) and with their app password. The same users, from the same device
// address, are then checked both ways:
//
//   first    one primary-password check per user: argon2id (the cache is empty), two at a time as a
//            server on two cores would run them; this also fills the verified-credential cache
//   primary  the same users' primary password again, back to back: what a legacy mail client costs
//            once the cache knows it
//   app      the same users' app password, back to back
//
// primary and app are timed twice each, alternating, so that a change of load on the machine during
// the run falls on both.

import { cpSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { openCore } from '../src/main.js';
import { type DataSet, PRIMARY_PASSWORD } from './dataset.js';
import { scratchDir } from './processes.js';
import { type LoopResult, runAsync, type Timing } from './verify.js';

const SLICE_SECONDS = 0.25;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface PrimaryResult {
  users: number;
  /** Mean wall time of one first (argon2id) check, with two running at a time. */
  firstMs: number;
  /** First checks completed per second, two at a time. */
  firstPerSecond: number;
  primary: LoopResult;
  app: LoopResult;
  /** µs per primary repeat over µs per app-password check, the median of the slices' pairs: the target is ≤ 1. */
  ratio: number;
}

/** A copy of `ds` whose users all have two-step `enabled`, in a scratch dir the caller removes. */
function enabledCopy(ds: DataSet): { path: string; remove(): void } {
  const scratch = scratchDir('latchkey-bench-primary-');
  const dir = scratch.path;
  // The WAL is checkpointed into the file first, so that copying the file copies every row.
  const src = new SQLite(ds.dbFile);
  try {
    src.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    src.close();
  }
  cpSync(ds.dir, dir, { recursive: true });
  const db = new SQLite(join(dir, 'latchkey.db'));
  try {
    db.exec(`update users set two_step_state = 'enabled'`);
    db.exec('delete from sign_in_events');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return scratch;
}

/** `count` distinct users, at random. */
function pickUsers(ds: DataSet, count: number): number[] {
  const picked = new Set<number>();
  const n = Math.min(count, ds.users);
  while (picked.size < n) picked.add(Math.floor(Math.random() * ds.users));
  return [...picked];
}

function sumLoops(a: LoopResult, b: LoopResult): LoopResult {
  const ops = a.ops + b.ops;
  const seconds = a.seconds + b.seconds;
  return {
    ops,
    seconds,
    perSecond: ops / seconds,
    failures: a.failures + b.failures,
    longestPauseMs: Math.max(a.longestPauseMs ?? 0, b.longestPauseMs ?? 0),
  };
}

export async function benchPrimary(
  ds: DataSet,
  opts: { users: number; timing: Timing; log: (line: string) => void },
): Promise<PrimaryResult> {
  if (ds.perUser < 1) throw new Error('the primary-password bench needs users with an app password');
  const copy = enabledCopy(ds);
  try {
    const config = loadConfig({ dataDir: copy.path }, {});
    const opened = await openCore(config);
    try {
      const { core } = opened;
      const users = pickUsers(ds, opts.users);
      const attempt = (u: number, secret: string) => ({
        username: ds.username(u),
        secret,
        door: 'imap',
        ip: ds.deviceIp(u, 0),
        userAgent: 'bench-legacy-mail-client/1.0',
      });
      const checkPrimary = async (i: number) => {
        const u = users[i % users.length]!;
        const r = await core.signIn(attempt(u, PRIMARY_PASSWORD));
        return r.ok && r.credential.kind === 'primary' && r.user.username === ds.username(u);
      };
      const checkApp = async (i: number) => {
        const u = users[i % users.length]!;
        const r = await core.signIn(attempt(u, ds.appPassword(u, 0)));
        return r.ok && r.credential.kind === 'app_password' && r.user.username === ds.username(u);
      };

      // First checks: argon2id for each user, two in flight (argon2 runs on libuv's thread pool).
      opts.log(`  first primary-password check of ${users.length} users (argon2id)…`);
      let next = 0;
      let firstFailures = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < users.length) {
          if (!(await checkPrimary(next++))) firstFailures++;
        }
      };
      await Promise.all([worker(), worker()]);
      const firstSeconds = (performance.now() - started) / 1000;
      const firstMs = (firstSeconds * 1000 * 2) / users.length;
      if (firstFailures > 0) throw new Error(`${firstFailures} first primary-password checks were refused`);

      // Short slices, alternating, and the median of the pairs' ratios: on a shared machine the load
      // changes within seconds, and two long rounds each put a different share of it on one side.
      opts.log('  repeats: primary password (cached) and app password, alternating in 250-ms slices…');
      await runAsync(opts.timing.warmupSeconds, checkApp);
      await runAsync(opts.timing.warmupSeconds, checkPrimary);
      const loops: Record<'primary' | 'app', LoopResult[]> = { primary: [], app: [] };
      const ratios: number[] = [];
      const pairs = Math.max(2, Math.round((opts.timing.seconds * 2) / SLICE_SECONDS));
      for (let round = 0; round < pairs; round++) {
        // Which goes first alternates too, so that neither always follows the other's garbage.
        const order = round % 2 === 0 ? (['app', 'primary'] as const) : (['primary', 'app'] as const);
        for (const kind of order) {
          loops[kind].push(await runAsync(SLICE_SECONDS, kind === 'app' ? checkApp : checkPrimary));
        }
        ratios.push(loops.app[round]!.perSecond / loops.primary[round]!.perSecond);
      }
      return {
        users: users.length,
        firstMs,
        firstPerSecond: users.length / firstSeconds,
        primary: loops.primary.reduce(sumLoops),
        app: loops.app.reduce(sumLoops),
        ratio: median(ratios),
      };
    } finally {
      await opened.close();
    }
  } finally {
    copy.remove();
  }
}
