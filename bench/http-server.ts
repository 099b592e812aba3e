// The server of the HTTP bench (bench/http.ts starts it as a child process): the real HTTP door —
// buildApp over a core opened by openCore, exactly as `latchkey serve` wires them — plus one bare route,
// GET /bench/hello, that answers "hello" without touching the core. Both routes run in the same process,
// through the same Fastify instance, hooks and error handler, so the gap between them is what the
// /auth/basic handler and the sign-in decision cost, and nothing else.
//
// A third route, GET /bench/loop-delay, reports how late the event loop ran since the previous call
// (perf_hooks' monitorEventLoopDelay, sampling every 10 ms: cheap next to thousands of requests a
// second): a pause there holds every request on every door, and is where a p99 goes.
//
// Environment: BENCH_HTTP_DATA_DIR (required), the data dir to serve; BENCH_HTTP_WRITE_BEHIND=0 leaves
// the write-behind timer off (a diagnostic: what the once-a-second batch costs the route). It listens on 127.0.0.1 with a
// port picked by the kernel, prints "listening on http://…", and stops on SIGTERM or SIGINT (flushing the
// write-behind batch as `latchkey serve` does).

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { openCore } from '../src/main.js';

async function main(): Promise<void> {
  const dataDir = process.env.BENCH_HTTP_DATA_DIR;
  if (!dataDir) throw new Error('BENCH_HTTP_DATA_DIR is not set');
  // Only the data dir: no DATABASE_URL or keys from the environment (the bench clears them anyway).
  const config = loadConfig({ dataDir }, {});
  const writeBehind = process.env.BENCH_HTTP_WRITE_BEHIND !== '0';
  // SQLite's checkpoints on their own thread, as `latchkey serve` runs them.
  const opened = await openCore(config, {
    flushIntervalMs: writeBehind ? 1000 : 0,
    checkpointThread: writeBehind,
  });
  // Settings as `latchkey serve` with LATCHKEY_LOG_LEVEL=warn and the bench playing nginx on loopback:
  // X-Forwarded-For names each device, as a reverse proxy's auth_request sub-request would.
  const app = buildApp({ core: opened.core, logLevel: 'warn', trustedProxies: ['127.0.0.1'] });
  app.get('/bench/hello', () => 'hello');
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  app.get('/bench/loop-delay', () => {
    // The histogram is in ns; `max` is the longest the loop was late for its 10 ms timer.
    const r = { p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 };
    delay.reset();
    return r;
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`listening on ${address}\n`);

  const stop = async () => {
    await app.close();
    await opened.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(
    `bench http server failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
