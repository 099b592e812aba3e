// SQLite moves the write-ahead log back into the database file (a checkpoint) inside whichever commit
// crosses its threshold; better-sqlite3 is synchronous, so that commit held the event loop, and every
// door with it, for as long as the copy took (the write-behind's pauses of a quarter of a second at
// 100,000 users: issue 11). A server turns that off on its own connection and checkpoints here, on a
// thread of its own with a connection of its own: a PASSIVE checkpoint never waits for a writer or
// a reader, and the event loop never waits for it.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread checkpoints; the log grows by at most what a second of writes adds. */
const EVERY_MS = 1000;

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 100');
const run = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next round tries again.
  }
};
const timer = setInterval(run, workerData.every);
parentPort.on('message', (m) => {
  if (m === 'close') {
    clearInterval(timer);
    run();
    db.close();
    parentPort.close();
  }
});
`;

export interface Checkpointer {
  close(): Promise<void>;
}

export function startCheckpointer(file: string): Checkpointer {
  const require = createRequire(import.meta.url);
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { file, module: require.resolve('better-sqlite3'), every: EVERY_MS },
  });
  worker.unref();
  // A failing checkpointer must not take the server down: SQLite checkpoints when the last
  // connection closes in any case, and the log only grows meanwhile.
  worker.on('error', () => {});
  return {
    close: () =>
      new Promise<void>((resolve) => {
        const done = setTimeout(() => {
          void worker.terminate().finally(resolve);
        }, 2000);
        worker.once('exit', () => {
          clearTimeout(done);
          resolve();
        });
        worker.postMessage('close');
      }),
  };
}
