// App-password verification in process: the real decision (core.signIn, opened through openCore as
// `latchkey serve` opens it) against a raw floor (one HMAC and one prepared better-sqlite3 `get`), both
// sequential on one core, each for a fixed time after a warm-up.

import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { keyedHash } from '../src/crypto/app-passwords.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { openCore } from '../src/main.js';
import type { DataSet } from './dataset.js';
import { pickSamples, resetSignInLog, type Sample, sampleCheck, warmFileCache } from './samples.js';

export { pickSamples, resetSignInLog, warmFileCache };

export interface Timing {
  warmupSeconds: number;
  seconds: number;
}

export interface LoopResult {
  ops: number;
  seconds: number;
  perSecond: number;
  /** Checks that did not accept the right user: any at all means the benchmark measured the wrong thing. */
  failures: number;
  /** The longest time in which no check completed, in ms (async loops only: the floor is timed in blocks of 64). */
  longestPauseMs: number | null;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Awaits `check` back to back for `seconds`. Every 64 checks it yields to the event loop: on SQLite the
 * whole check resolves in microtasks, so without this the loop would starve the timers, and the core's
 * once-a-second write-behind flush would never run, as it does in a server where checks arrive from I/O.
 */
export async function runAsync(seconds: number, check: (i: number) => Promise<boolean>): Promise<LoopResult> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let ops = 0;
  let failures = 0;
  let longestPauseMs = 0;
  let now = start;
  while (now < end) {
    if (!(await check(ops))) failures++;
    ops++;
    if ((ops & 63) === 0) await yieldToEventLoop();
    const done = performance.now();
    // The gap since the previous check finished, yield included: the write-behind flush runs inside a
    // yield, and its queries all resolve in microtasks, so it holds the whole event loop while it runs.
    // A server's requests wait that long, whichever door they came through.
    if (done - now > longestPauseMs) longestPauseMs = done - now;
    now = done;
  }
  const elapsed = (now - start) / 1000;
  return { ops, seconds: elapsed, perSecond: ops / elapsed, failures, longestPauseMs };
}

/** The synchronous twin of runAsync for the raw floor: reading the clock every 64 checks keeps it out of the figure. */
function runSync(seconds: number, check: (i: number) => boolean): LoopResult {
  const start = performance.now();
  const end = start + seconds * 1000;
  let ops = 0;
  let failures = 0;
  let now = start;
  while (now < end) {
    for (let k = 0; k < 64; k++) {
      if (!check(ops)) failures++;
      ops++;
    }
    now = performance.now();
  }
  const elapsed = (now - start) / 1000;
  return { ops, seconds: elapsed, perSecond: ops / elapsed, failures, longestPauseMs: null };
}

export interface DecisionResult extends LoopResult {
  /** Aggregates the write-behind recorder dropped because too many were pending (should be 0). */
  dropped: number;
}

/**
 * core.signIn as the server runs it. `writeBehind: false` leaves the recorder's timer off, which
 * isolates the decision from the once-a-second batch write; the recorder's maps then grow (up to its
 * cap) for the length of the loop, and what they gathered is discarded at the end.
 */
export async function benchDecision(
  ds: DataSet,
  samples: readonly Sample[],
  timing: Timing,
  opts: { writeBehind: boolean; cache?: boolean },
): Promise<DecisionResult> {
  // An empty environment: the bench must not pick up a DATABASE_URL or keys from the caller's shell.
  const config = loadConfig(
    { dataDir: ds.dir, ...(opts.cache === false ? { checkCacheSize: '0' } : {}) },
    {},
  );
  // With the write-behind, SQLite's checkpoints on their own thread, as `latchkey serve` runs them.
  const opened = await openCore(config, {
    flushIntervalMs: opts.writeBehind ? 1000 : 0,
    checkpointThread: opts.writeBehind,
  });
  try {
    const { core } = opened;
    const check = sampleCheck(core, samples);
    // A server that has been up for a while has seen each of its clients' devices: one pass over the
    // draws first (the check path keeps what it read; with the cache off this only warms the file)...
    for (let i = 0; i < samples.length; i++) {
      await check(i);
      if ((i & 63) === 0) await yieldToEventLoop();
    }
    // ...and has written that down: the first sight of every device (an aggregate row and a last use
    // each) is written before the loops, not inside them. What the loops then pay for the write-behind
    // is its steady state: one aggregate row per device and minute.
    if (opts.writeBehind) await core.ctx.usage.flush(false);
    await runAsync(timing.warmupSeconds, check);
    const result = await runAsync(timing.seconds, check);
    return { ...result, dropped: core.ctx.usage.dropped };
  } finally {
    // With write-behind on, close() writes what is pending, as a stopping server does; with it off,
    // the pending data is deliberately thrown away (only the store is closed).
    if (opts.writeBehind) await opened.close();
    else await opened.store.close();
  }
}

/**
 * What any check must read: the app password and its user, by the unique index on the hash. The
 * product's query (store/app-passwords.ts) reads these columns plus the lockout state of the user and
 * the source (store/guard.ts); that, too, is part of what the decision costs over this floor.
 */
const LOOKUP_SQL = `select a.id, a.user_id, a.label, a.scopes, a.expires_at, a.last_used_at, a.created_at,
  u.username, u.email, u.display_name, u.role, u.disabled_at, u.two_step_state
  from app_passwords as a inner join users as u on u.id = a.user_id where a.hash = ?`;

/** The floor under the decision: HMAC of the letters and one prepared `get`, nothing else. */
export function benchRaw(ds: DataSet, samples: readonly Sample[], timing: Timing): LoopResult {
  const { hmac } = loadServerKeys({ dataDir: ds.dir, hmacKey: null, encryptionKey: null });
  const db = new SQLite(ds.dbFile, { fileMustExist: true });
  try {
    const lookup = db.prepare<[Buffer], { username: string }>(LOOKUP_SQL);
    const check = (i: number) => {
      const s = samples[i % samples.length]!;
      return lookup.get(keyedHash(hmac, s.letters))?.username === s.username;
    };
    runSync(timing.warmupSeconds, check);
    return runSync(timing.seconds, check);
  } finally {
    db.close();
  }
}
