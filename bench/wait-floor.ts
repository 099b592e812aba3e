// The machine's floor for bench/heap.ts's "longest wait": the same fixed-rate loop (checks due, then the
// event loop's turn: setImmediate when behind, else a 1-ms timer), with an HMAC for each check and
// nothing else in the process — no store, no cache, no write-behind. What it measures is the timer and
// the scheduler of this machine; a wait of Latchkey's at or under it is not Latchkey's.
//
//   node --import tsx bench/wait-floor.ts            (WAIT_SECONDS=45 WAIT_RATE=20000)

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

const seconds = Number(process.env.WAIT_SECONDS ?? 45);
const rate = Number(process.env.WAIT_RATE ?? 20_000);
const key = Buffer.alloc(32, 7);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

const start = performance.now();
const end = start + seconds * 1000;
let ops = 0;
let longest = 0;
const waits: number[] = [];
/** The main thread's time on a CPU and runnable but waiting for one, in ns (as bench/heap.ts traces). */
const schedstat = () => readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
const traced: { waitMs: number; mainCpuMs: number; runnableMs: number }[] = [];
for (let t = start; t < end; ) {
  const due = Math.min(Math.floor((rate * (t - start)) / 1000), ops + 256);
  while (ops < due) {
    createHmac('sha256', key).update(`user${ops}`).digest();
    ops++;
  }
  const s0 = schedstat();
  const w0 = performance.now();
  const behind = ops < Math.floor((rate * (w0 - start)) / 1000);
  if (behind) await yieldNow();
  else await sleep(1);
  t = performance.now();
  const w = t - w0 - (behind ? 0 : 1);
  if (w > 15) waits.push(Math.round(w));
  if (w > 8) {
    const s1 = schedstat();
    traced.push({
      waitMs: Math.round(w * 10) / 10,
      mainCpuMs: Math.round((s1[0]! - s0[0]!) / 1e5) / 10,
      runnableMs: Math.round((s1[1]! - s0[1]!) / 1e5) / 10,
    });
  }
  if (w > longest) longest = w;
}
console.log(
  JSON.stringify({
    checksPerSecond: Math.round(ops / ((performance.now() - start) / 1000)),
    longestWaitMs: Math.round(longest * 10) / 10,
    waitsOver15: waits.length,
    worstWaits: waits.sort((a, b) => b - a).slice(0, 8),
    // What the worst waits were made of: the thread on a CPU, runnable, or asleep (the rest).
    worstTraced: traced.sort((a, b) => b.waitMs - a.waitMs).slice(0, 8),
  }),
);
