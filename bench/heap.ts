// The long-lived heap of the check path and the pauses of V8's collector (issue 11, BENCHMARKS.md "The
// check path, session 7"): what is deterministic about memory, measured apart from throughput.
//
// Opens a data set as `latchkey serve` does (openCore, the write-behind flushing once a second on its own
// timer), then
//   1. heap used after open (forced gc),
//   2. heap used after one pass over the draws (every draw is a cached device with this minute's aggregate),
//   3. checks at a fixed rate for HEAP_SECONDS, with every V8 gc event (PerformanceObserver 'gc') and the
//      longest time the loop waited for the event loop (a door's pause: gc, the flush's synchronous work),
//   4. heap used at the end (forced gc), and the resident set.
// Prints one JSON line. HEAP_DIST=/other/tree/dist measures another build with the same loop (A/B).
//
//   npm run -s build && BENCH_DIR=/work/.bench-data HEAP_USERS=1000000 HEAP_PER_USER=1 \
//     node --expose-gc --import tsx bench/heap.ts
// Optional: HEAP_SECONDS=60 HEAP_RATE=20000 (checks/s) HEAP_SAMPLES=131072 (draws)
//           HEAP_SNAPSHOT=file.heapsnapshot (written after the pass; summarise with bench/heap-summary.ts)
//           HEAP_TRACE=file.json: every wait over HEAP_TRACE_MS (8) with what ran in it: the main
//             thread's own CPU time and its time runnable but not running (/proc/thread-self/schedstat),
//             the machine's steal time (/proc/stat), the gc events and write-behind flushes it overlaps,
//             and its wall-clock start (epoch ms) to set beside `strace -ttt -T` of the same process.

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { ensureDataSet } from './dataset.js';
import { pickSamples, resetSignInLog, sampleCheck, warmFileCache } from './samples.js';

const env = process.env;
const users = Number(env.HEAP_USERS ?? 1_000_000);
const perUser = Number(env.HEAP_PER_USER ?? 1);
const seconds = Number(env.HEAP_SECONDS ?? 60);
const rate = Number(env.HEAP_RATE ?? 20_000);
const sampleCount = Number(env.HEAP_SAMPLES ?? 131_072);
const dist = pathToFileURL(`${resolve(env.HEAP_DIST ?? new URL('../dist', import.meta.url).pathname)}/`).href;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const { openCore } = await import(`${dist}main.js`);
const { loadConfig } = await import(`${dist}config.js`);

const ds = await ensureDataSet(resolve(env.BENCH_DIR ?? '.bench'), users, perUser, {
  rebuild: false,
  log: () => {},
});
resetSignInLog(ds);
warmFileCache(ds);
const samples = pickSamples(ds, sampleCount);

const mb = (n: number) => Math.round(n / 1e5) / 10;
/** Full (non-incremental) collections timed: a walk of the whole live heap, the work a Mark-Compact does. */
const fullGcMs: number[] = [];
const heapUsed = () => {
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    gc();
    fullGcMs.push(Math.round((performance.now() - t) * 10) / 10);
  }
  return v8.getHeapStatistics().used_heap_size;
};

const tracing = env.HEAP_TRACE;
const traceOver = Number(env.HEAP_TRACE_MS ?? 8);
/** [start, end, what] in performance.now() time: gc events and flushes, for the trace. */
const spans: [number, number, string][] = [];

// As `latchkey serve` opens it: SQLite's checkpoints on their own thread (HEAP_CHECKPOINT_THREAD=0: not).
const checkpointThread = env.HEAP_CHECKPOINT_THREAD !== '0';
const opened = await openCore(loadConfig({ dataDir: ds.dir }, {}), { checkpointThread });
const core = opened.core;
const check = sampleCheck(core, samples);
if (tracing) {
  // Every flush the write-behind's timer starts, as a span (the timer calls usage.flush on the instance).
  const usage = core.ctx.usage as {
    flush: (everything?: boolean) => Promise<void>;
    flushing: Promise<void> | null;
  };
  const flush = usage.flush.bind(usage);
  usage.flush = (everything?: boolean) => {
    // A call while one is in flight waits for it: only the flushes that start now are spans.
    const starts = usage.flushing === null;
    const s0 = performance.now();
    const p = flush(everything);
    if (starts) void p.finally(() => spans.push([s0, performance.now(), 'flush'])).catch(() => {});
    return p;
  };
}

const yieldNow = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const afterOpen = heapUsed();
let failures = 0;
for (let i = 0; i < samples.length; i++) {
  if (!(await check(i))) failures++;
  if ((i & 63) === 0) await yieldNow();
}
const afterPass = heapUsed();
if (env.HEAP_SNAPSHOT) v8.writeHeapSnapshot(env.HEAP_SNAPSHOT);

const kinds: Record<number, string> = {
  1: 'scavenge',
  2: 'minorMC',
  4: 'markCompact',
  8: 'incremental',
  16: 'weak',
};
const gcs: Record<string, { n: number; ms: number; max: number; over5: number }> = {};
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const k = (e as unknown as { detail: { kind: number } }).detail.kind;
    const kind = kinds[k] ?? String(k);
    const g = gcs[kind] ?? { n: 0, ms: 0, max: 0, over5: 0 };
    gcs[kind] = g;
    g.n++;
    g.ms += e.duration;
    if (e.duration > g.max) g.max = e.duration;
    if (e.duration > 5) g.over5++;
    if (tracing && e.duration > 1) spans.push([e.startTime, e.startTime + e.duration, kind]);
  }
});
obs.observe({ entryTypes: ['gc'] });

// The trace's clocks: the main thread's time on a CPU and waiting for one (ns), and the machine's steal.
const schedstat = () => {
  const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
  return [Number(run), Number(wait)] as const;
};
const steal = () => Number(readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/)[8]);
const traced: Record<string, unknown>[] = [];
// Fixed rate: the loop runs the checks that are due, then gives the event loop its turn. A door's pause
// is the time that turn took (gc, timers, the flush's synchronous work) or a check took.
const start = performance.now();
const end = start + seconds * 1000;
let done = samples.length;
let ops = 0;
let longestWait = 0;
let longestCheck = 0;
const waits: number[] = [];
for (let t = start; t < end; ) {
  const due = Math.min(Math.floor((rate * (t - start)) / 1000), ops + 256);
  while (ops < due) {
    const c0 = performance.now();
    if (!(await check(done++))) failures++;
    const c = performance.now() - c0;
    if (c > longestCheck) longestCheck = c;
    ops++;
  }
  const s0 = tracing ? schedstat() : null;
  const st0 = tracing ? steal() : 0;
  const m0 = tracing ? process.hrtime.bigint() : 0n;
  const w0 = performance.now();
  if (ops < Math.floor((rate * (w0 - start)) / 1000)) await yieldNow();
  else await sleep(1);
  t = performance.now();
  const w = t - w0 - (ops < Math.floor((rate * (w0 - start)) / 1000) ? 0 : 1);
  if (s0 && w > traceOver) {
    const s1 = schedstat();
    traced.push({
      at: Math.round(performance.timeOrigin + w0),
      sinceStartMs: Math.round(w0 - start),
      /** CLOCK_MONOTONIC in µs: the clock of a V8 CPU profile's samples (node --cpu-prof). */
      monoUs: Number(m0 / 1000n),
      waitMs: Math.round(w * 10) / 10,
      mainCpuMs: Math.round((s1[0] - s0[0]) / 1e5) / 10,
      runnableMs: Math.round((s1[1] - s0[1]) / 1e5) / 10,
      stealTicks: steal() - st0,
      w0,
      t,
    });
  }
  if (w > 15) waits.push(Math.round(w));
  if (w > longestWait) longestWait = w;
}
const elapsed = (performance.now() - start) / 1000;
obs.disconnect();
const afterRun = heapUsed();
const spaces = Object.fromEntries(
  v8.getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_used_size)]),
);
console.log(
  JSON.stringify({
    dist: env.HEAP_DIST ?? 'dist',
    checkpointThread,
    users,
    perUser,
    draws: samples.length,
    cached: core.ctx.checks.size,
    heapMB: { afterOpen: mb(afterOpen), afterPass: mb(afterPass), afterRun: mb(afterRun) },
    perDeviceBytes: Math.round((afterPass - afterOpen) / samples.length),
    /** After open, after the pass, after the run: three each, the first of each may have garbage to free. */
    fullGcMs,
    rssMB: mb(process.memoryUsage().rss),
    checksPerSecond: Math.round(ops / elapsed),
    failures: failures + core.ctx.usage.dropped,
    gc: Object.fromEntries(
      Object.entries(gcs).map(([k, g]) => [
        k,
        {
          n: g.n,
          avgMs: Math.round((g.ms / g.n) * 10) / 10,
          maxMs: Math.round(g.max * 10) / 10,
          over5: g.over5,
        },
      ]),
    ),
    longestWaitMs: Math.round(longestWait * 10) / 10,
    longestCheckMs: Math.round(longestCheck * 10) / 10,
    waitsOver15: waits.length,
    worstWaits: waits.sort((a, b) => b - a).slice(0, 8),
    spaces,
  }),
);
if (tracing) {
  // What each traced wait overlapped; spans of flushes still open at the end are left out.
  for (const tr of traced) {
    const a = tr.w0 as number;
    const b = tr.t as number;
    tr.overlaps = spans
      .filter(([s, e]) => s < b && e > a)
      .map(([s, e, what]) => `${what} ${Math.round((e - s) * 10) / 10}ms`);
    delete tr.w0;
    delete tr.t;
  }
  const flushes = spans.filter(([, , what]) => what === 'flush').map(([s, e]) => Math.round(e - s));
  writeFileSync(
    tracing,
    JSON.stringify({ timeOrigin: performance.timeOrigin, flushesMs: flushes, waits: traced }, null, 1),
  );
}
await opened.close();
process.exit(0);
