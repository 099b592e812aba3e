// Flat from 1,000 to 1,000,000 users (issue 11), measured side by side: one child process per data set
// (bench/flat-worker.ts), all started at once, each running core.signIn only in its own 250-ms slices,
// in turn. Every data set thus runs under the same load of the machine, which on a shared machine moves
// more between two sequential 60-s loops than the figures do. Each child's clock stands still between
// its slices, so every data set lives through whole minutes of its own traffic (the minute's end, when
// each device's aggregate is written, included). FLAT_DEBUG=1 prints each slice and each flush on stderr.

import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FlatCommand, FlatReady, FlatSlice } from './flat-worker.js';
import { cleanEnv, startChild, stopChild } from './processes.js';

const WORKER = fileURLToPath(new URL('./flat-worker.ts', import.meta.url));
const USE_DIST = fileURLToPath(new URL('./use-dist.mjs', import.meta.url));

export interface FlatSet {
  users: number;
  perUser: number;
}

export interface FlatResult extends FlatSet {
  ops: number;
  seconds: number;
  perSecond: number;
  failures: number;
  longestPauseMs: number;
  /** Checks/s of each whole (virtual) minute of this set's running time. */
  minutes: number[];
}

function message<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`flat worker exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolve(m as T);
    });
  });
}

export async function benchFlat(
  sets: FlatSet[],
  opts: { root: string; seconds: number; sliceMs: number; samples: number; log: (line: string) => void },
): Promise<FlatResult[]> {
  const children = sets.map((s) =>
    startChild(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        USE_DIST,
        WORKER,
        opts.root,
        String(s.users),
        String(s.perUser),
        String(opts.samples),
      ],
      {
        stdio: ['ignore', 'pipe', process.env.FLAT_DEBUG ? 'inherit' : 'pipe', 'ipc'],
        env: cleanEnv(process.env.FLAT_DEBUG ? { FLAT_DEBUG: '1' } : {}),
      },
    ),
  );
  try {
    // One at a time: each reads its data set and makes its warm pass alone.
    for (const [i, child] of children.entries()) {
      opts.log(
        `  ${sets[i]!.users.toLocaleString('en')} × ${sets[i]!.perUser}: opening, one pass over the draws…`,
      );
      await message<FlatReady>(child);
    }
    const results: FlatResult[] = sets.map((s) => ({
      ...s,
      ops: 0,
      seconds: 0,
      perSecond: 0,
      failures: 0,
      longestPauseMs: 0,
      minutes: [],
    }));
    const minute = results.map(() => ({ ops: 0, seconds: 0 }));
    const rounds = Math.max(1, Math.round((opts.seconds * 1000) / opts.sliceMs));
    opts.log(`  ${rounds} rounds of ${opts.sliceMs} ms per data set, in turn…`);
    for (let round = 0; round < rounds; round++) {
      // The order turns each round, so that no data set always follows the same neighbour.
      for (let k = 0; k < children.length; k++) {
        const i = (k + round) % children.length;
        const child = children[i]!;
        const reply = message<FlatSlice>(child);
        child.send({ run: opts.sliceMs } satisfies FlatCommand);
        const s = await reply;
        const r = results[i]!;
        r.ops += s.ops;
        r.seconds += s.seconds;
        r.failures += s.failures;
        r.longestPauseMs = Math.max(r.longestPauseMs, s.longestPauseMs);
        const m = minute[i]!;
        m.ops += s.ops;
        m.seconds += s.seconds;
        if (m.seconds >= 60) {
          r.minutes.push(m.ops / m.seconds);
          m.ops = 0;
          m.seconds = 0;
        }
      }
      if ((round + 1) % Math.max(1, Math.round(10_000 / opts.sliceMs)) === 0) {
        opts.log(`  ${(((round + 1) * opts.sliceMs) / 1000).toFixed(0)} s of ${opts.seconds} s each`);
      }
    }
    for (const r of results) r.perSecond = r.ops / r.seconds;
    for (const child of children) child.send({ stop: true } satisfies FlatCommand);
    return results;
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
  }
}
