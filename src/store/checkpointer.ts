// SQLite's WAL checkpoints on a thread of their own (issue 11).
//
// In WAL mode a commit appends to the log, and every 1,000 pages the committing connection copies the
// log into the database: a checkpoint, which with `synchronous = NORMAL` syncs the log, copies, and
// syncs the database file. better-sqlite3 is synchronous, so that ran on the event loop inside
// whichever commit crossed the line, usually one of the write-behind's: traced on the 1,000,000-user
// data set at 20,000 checks/s, 125 of the 133 waits of the event loop over 10 ms held a checkpoint's
// two fsyncs (about 5 and 11 ms on this machine's disk) beside its copying (BENCHMARKS.md, "The check
// path, session 8").
//
// `latchkey serve` lets a worker thread with a connection of its own checkpoint instead, whenever
// another connection has committed since its last look (PASSIVE: it never waits for a lock and never
// holds up a writer or a reader). The syncs are the same ones in the same order, so what a commit's
// durability was is what it stays; only the thread that waits for the disk changed.
//
// A log is reused from its start only when a write begins with every frame of it already in the
// database. A write-behind that commits without pause never leaves such a moment (measured: the log
// grew to 520 MB over a minute's end at 1,000,000 users), so its batches stop every
// SETTLE_EVERY_TRANSACTIONS commits and wait, without holding the event loop, until the thread has
// checkpointed everything (`settle`): the next commit then starts the log over. The write connection's
// own automatic checkpoint stays on, at LOG_BOUND_PAGES instead of 1,000, as the bound should the
// thread fall behind; should the thread fail, it goes back to 1,000.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** How often the thread looks for new commits to copy into the database. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** SQLite's own default: what the write connection goes back to if the thread fails. */
const AUTO_CHECKPOINT_PAGES = 1000;
/** The write connection checkpoints for itself only past this many pages (40 MiB of log). */
export const LOG_BOUND_PAGES = 10_000;
/** A batch of writes waits for a full checkpoint after this many commits (store.runBatch). */
export const SETTLE_EVERY_TRANSACTIONS = 20;
/** A settle that takes longer than this is given up: the batch goes on, the bound still holds. */
const SETTLE_TIMEOUT_MS = 2000;

// The thread's code: CommonJS with better-sqlite3 only, evaluated as it is (no build step, no loader,
// the same from src/ and dist/), so that the thread costs a Node environment and nothing more.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const version = db.prepare('pragma data_version').pluck();
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
let seen = -1;
const run = () => {
  const v = version.get();
  const r = checkpoint.get();
  // Frames a reader still needs stay in the log: look again next time even without a new commit.
  seen = r.busy === 0 && r.checkpointed >= r.log ? v : -1;
};
const timer = setInterval(() => {
  if (version.get() !== seen) run();
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'settle') {
    run();
    parentPort.postMessage('settled');
    return;
  }
  if (m !== 'close') return;
  clearInterval(timer);
  checkpoint.get();
  db.close();
  parentPort.postMessage('closed');
});
`;

export interface Checkpointer {
  /**
   * Resolves when the thread has checkpointed every commit so far (or could not within two seconds,
   * or is gone): the caller's next commit starts the log over. Concurrent callers share one.
   */
  settle(): Promise<void>;
  /** Stops the thread after a last checkpoint, and gives the write connection its own back. */
  close(): Promise<void>;
}

export function startCheckpointer(
  file: string,
  writer: SQLite.Database,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, { eval: true, workerData: { file, module, intervalMs } });
  worker.unref();
  writer.pragma(`wal_autocheckpoint = ${LOG_BOUND_PAGES}`);
  let alive = true;
  let settling: Promise<void> | null = null;
  let settled: (() => void) | null = null;
  const fallBack = () => {
    if (!alive) return;
    alive = false;
    if (writer.open) writer.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    settled?.();
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  worker.on('message', (m) => {
    if (m === 'settled') settled?.();
  });
  return {
    settle() {
      if (!alive) return Promise.resolve();
      settling ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => settled?.(), SETTLE_TIMEOUT_MS);
        timer.unref();
        settled = () => {
          clearTimeout(timer);
          settled = null;
          settling = null;
          resolve();
        };
        worker.postMessage('settle');
      });
      return settling;
    },
    async close() {
      if (alive) {
        const closed = new Promise<void>((resolve) => {
          worker.on('message', (m) => m === 'closed' && resolve());
          worker.once('exit', () => resolve());
        });
        worker.postMessage('close');
        await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
      }
      fallBack();
      await worker.terminate();
    },
  };
}
