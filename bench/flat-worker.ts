// One data set's side of the side-by-side flatness bench (bench/flat.ts): a child process that opens
// the data set as `latchkey serve` would, and runs core.signIn back to back only when the parent asks,
// for a slice at a time, so that every data set is measured under the same load of the machine.
//
// Its clock (the core's `now`) stands still while it waits: a data set measured in 250-ms slices, one
// slice in five, lives through the same minutes of check traffic as one measured alone, so that each
// device's per-minute aggregate and the minute's end cost what they cost in a server. The write-behind
// flush is started every second of that clock from inside the loop (as the server's timer would start
// it between requests), runs interleaved with the checks, and is finished before the slice answers.

import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { openCore } from '../src/main.js';
import { ensureDataSet } from './dataset.js';
import { pickSamples, resetSignInLog, sampleCheck, warmFileCache } from './samples.js';

export type FlatCommand = { run: number } | { stop: true };
export interface FlatReady {
  ready: true;
  users: number;
  perUser: number;
}
export interface FlatSlice {
  ops: number;
  /** Wall seconds the slice took, flush included. */
  seconds: number;
  failures: number;
  longestPauseMs: number;
}

const [root, usersArg, perUserArg, samplesArg] = process.argv.slice(2);
const send = (m: FlatReady | FlatSlice) => process.send!(m);

const ds = await ensureDataSet(root!, Number(usersArg), Number(perUserArg), {
  rebuild: false,
  log: () => {},
});
resetSignInLog(ds);
warmFileCache(ds);
const samples = pickSamples(ds, Number(samplesArg));

let idleSince: number | null = Date.now();
let stood = 0;
const now = () => (idleSince === null ? Date.now() : idleSince) - stood;
const resume = () => {
  if (idleSince !== null) stood += Date.now() - idleSince;
  idleSince = null;
};

// SQLite's checkpoints on their own thread, as `latchkey serve` runs them (BENCHMARKS.md, session 8).
const opened = await openCore(loadConfig({ dataDir: ds.dir }, {}), {
  flushIntervalMs: 0,
  now,
  checkpointThread: true,
});
const { core } = opened;
const usage = core.ctx.usage;
const check = sampleCheck(core, samples);
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

// Seen once and written down, as in bench/verify.ts: the loops measure the steady state.
resume();
for (let i = 0; i < samples.length; i++) {
  await check(i);
  if ((i & 63) === 0) await yieldToEventLoop();
}
await usage.flush(false);
idleSince = Date.now();

let next = 0;
let flushing: Promise<void> | null = null;
let nextFlushAt = now() + 1000;

async function slice(ms: number): Promise<FlatSlice> {
  resume();
  const start = performance.now();
  const end = start + ms;
  let ops = 0;
  let failures = 0;
  let longest = 0;
  let t = start;
  // A flush in flight at the slice's end is this data set's work: checks go on until it is done, as
  // they would in a server, so that it ends inside the slice and its cost is counted here.
  while (t < end || flushing !== null) {
    if (!(await check(next++))) failures++;
    ops++;
    if ((ops & 63) === 0) {
      if (flushing === null && t < end && now() >= nextFlushAt) {
        nextFlushAt = now() + 1000;
        const f0 = performance.now();
        const pending = usage.pending;
        flushing = usage.flush(false).finally(() => {
          flushing = null;
          if (process.env.FLAT_DEBUG)
            console.error(
              `flush ${ds.users}x${ds.perUser} ${pending} pending, ${(performance.now() - f0).toFixed(1)} ms`,
            );
        });
      }
      await yieldToEventLoop();
    }
    const d = performance.now();
    if (d - t > longest) longest = d - t;
    t = d;
  }
  idleSince = Date.now();
  if (process.env.FLAT_DEBUG)
    console.error(
      JSON.stringify({
        users: ds.users,
        ops,
        hits: core.ctx.checks.hits,
        misses: core.ctx.checks.misses,
        ms: t - start,
        longest,
      }),
    );
  return { ops, seconds: (t - start) / 1000, failures: failures + usage.dropped, longestPauseMs: longest };
}

process.on('message', (m: FlatCommand) => {
  if ('stop' in m) {
    opened.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    return;
  }
  slice(m.run).then(send, (e: Error) => {
    console.error(e);
    process.exit(1);
  });
});
send({ ready: true, users: ds.users, perUser: ds.perUser });
