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
// the same from src/ and dist/), so that the thread costs a Node environment and nothing more. It
// takes nothing from outside but the two paths. A checkpoint that fails (a full disk, an I/O error) is
// reported and tried again at the next look; the thread goes on.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const version = db.prepare('pragma data_version').pluck();
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
let seen = -1;
const run = () => {
  try {
    const v = version.get();
    const r = checkpoint.get();
    // Frames a reader still needs stay in the log: look again next time even without a new commit.
    seen = r.busy === 0 && r.checkpointed >= r.log ? v : -1;
  } catch (e) {
    seen = -1;
    parentPort.postMessage({ failed: String(e && e.message) });
  }
};
const timer = setInterval(() => {
  try {
    if (version.get() === seen) return;
  } catch {}
  run();
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m && typeof m.settle === 'number') {
    run();
    parentPort.postMessage({ settled: m.settle });
    return;
  }
  if (m !== 'close') return;
  clearInterval(timer);
  run();
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

/** What the thread reports goes to stderr (the journal) as a process warning, at most once a minute. */
const REPORT_EVERY_MS = 60_000;

export function startCheckpointer(
  file: string,
  writer: SQLite.Database,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, { eval: true, workerData: { file, module, intervalMs } });
  writer.pragma(`wal_autocheckpoint = ${LOG_BOUND_PAGES}`);
  let alive = true;
  let reportedAt = -Infinity;
  const report = (what: string) => {
    if (Date.now() - reportedAt < REPORT_EVERY_MS) return;
    reportedAt = Date.now();
    process.emitWarning(`SQLite checkpoint thread: ${what}`, 'LatchkeyWarning');
  };
  // One settle at a time, numbered: a late answer to one that timed out never ends the next.
  let asked = 0;
  let pending: { id: number; done: () => void } | null = null;
  let settling: Promise<void> | null = null;
  // The thread holds the process open only while someone waits for it (a settle, the close): the
  // shutdown's last flush must not be cut short, and an idle server exits as it did without it.
  const busy = (on: boolean) => (on ? worker.ref() : worker.unref());
  const fallBack = (err?: unknown) => {
    if (!alive) return;
    alive = false;
    if (writer.open) writer.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    if (err)
      report(
        `stopped (${String((err as Error)?.message ?? err)}); the write connection checkpoints for itself`,
      );
    pending?.done();
  };
  worker.on('error', fallBack);
  worker.on('exit', () => fallBack());
  worker.on('message', (m: unknown) => {
    const msg = m as { settled?: number; failed?: string } | string;
    if (typeof msg !== 'object' || msg === null) return;
    if (typeof msg.failed === 'string') report(`a checkpoint failed (${msg.failed}); trying again`);
    if (msg.settled !== undefined && pending?.id === msg.settled) pending.done();
  });
  // Listening on the worker refs it: unref after the listeners, so an idle thread keeps nothing alive.
  busy(false);
  let closing: Promise<void> | null = null;
  return {
    settle() {
      if (!alive || closing) return Promise.resolve();
      settling ??= new Promise<void>((resolve) => {
        const id = ++asked;
        const timer = setTimeout(() => pending?.id === id && pending.done(), SETTLE_TIMEOUT_MS);
        timer.unref();
        pending = {
          id,
          done: () => {
            clearTimeout(timer);
            pending = null;
            settling = null;
            busy(false);
            resolve();
          },
        };
        busy(true);
        worker.postMessage({ settle: id });
      });
      return settling;
    },
    close() {
      closing ??= (async () => {
        if (alive) {
          busy(true);
          const closed = new Promise<void>((resolve) => {
            const onMessage = (m: unknown) => {
              if (m !== 'closed') return;
              worker.off('message', onMessage);
              resolve();
            };
            worker.on('message', onMessage);
            worker.once('exit', () => resolve());
          });
          worker.postMessage('close');
          await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
        }
        fallBack();
        await worker.terminate();
      })();
      return closing;
    },
  };
}
