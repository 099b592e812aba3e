// `latchkey serve` with LATCHKEY_WORKERS > 1: several processes share the HTTP and LDAP ports
// (node:cluster), so binds and checks use every core. Every process is a full node: the store holds
// all shared state (lockout, limits, sessions), exactly as for nodes on several machines.
// Connection caps and timeouts (LATCHKEY_MAX_CONNECTIONS, …_PER_SOURCE) are per process, as they would be
// per machine: with N workers one source may hold N times its share.

import cluster from 'node:cluster';
import type { Config } from './config.js';
import { openCore, serve } from './main.js';

export interface Running {
  stop(): Promise<void>;
}

const RESTART_DELAY_MS = 1000;

export async function serveAll(config: Config, log: (line: string) => void): Promise<Running> {
  if (config.workers <= 1) return serve(config, log);

  if (cluster.isWorker) {
    // The first worker announces and keeps house; the others only serve.
    const first = process.env.LATCHKEY_WORKER_INDEX === '0';
    const server = await serve(config, log, { announce: first, housekeeping: first });
    process.send?.({ ready: true });
    return {
      async stop() {
        await server.stop();
        // The channel to the primary would keep this process alive.
        process.disconnect?.();
      },
    };
  }

  // Primary: create the data dir, the keys and the schema once, before the workers race for them.
  const opened = await openCore(config, { flushIntervalMs: 0 });
  await opened.close();

  let stopping = false;
  const spawn = (index: number) => {
    const worker = cluster.fork({ LATCHKEY_WORKER_INDEX: String(index) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      log(`worker ${index} exited (${signal ?? code}); starting a new one`);
      setTimeout(() => spawn(index), RESTART_DELAY_MS).unref();
    });
    return worker;
  };
  const ready = Array.from(
    { length: config.workers },
    (_, i) =>
      new Promise<void>((resolve, reject) => {
        const w = spawn(i);
        w.once('message', (m: { ready?: boolean }) => (m?.ready ? resolve() : undefined));
        w.once('exit', (code) => reject(new Error(`worker ${i} failed to start (exit ${code})`)));
      }),
  );
  try {
    await Promise.all(ready);
  } catch (e) {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    throw e;
  }
  log(`${config.workers} worker processes are serving.`);

  return {
    async stop() {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              w.once('exit', () => resolve());
              w.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
