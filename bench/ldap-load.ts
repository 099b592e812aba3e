// The LDAP bind load client, parent side: starts the client processes (bench/ldap-load-client.ts), runs
// them closed-loop against one server for a warm-up and then a timed window, and adds up what they saw.
//
// Why processes and not one event loop: the client shares the machine's cores with the server it
// measures, and one Node event loop driving 32 connections at tens of thousands of binds per second
// would itself be the bottleneck. Why not worker_threads: the bench runs its TypeScript through tsx,
// whose loader worker threads do not get. The client's own CPU is reported, so the reader can see how
// much of the machine it took.

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineBusySeconds, treeCpuSeconds } from './processes.js';

/** One bind a client sends: the DN and the secret, as a mail server would send them for a user. */
export interface BindCredential {
  dn: string;
  password: string;
}

/** Latency histogram: HIST_STEP_US wide buckets up to HIST_BUCKETS × HIST_STEP_US, then one overflow bucket. */
export const HIST_STEP_US = 10;
export const HIST_BUCKETS = 20_000;

export type ToClient =
  | {
      type: 'init';
      host: string;
      port: number;
      connections: number;
      /** Where in `requests` this process's first connection starts, so that clients do not send in lockstep. */
      offset: number;
      requests: BindCredential[];
    }
  | { type: 'go' }
  | { type: 'measure' }
  | { type: 'stop' };

export interface ClientReport {
  type: 'result';
  ok: number;
  errors: number;
  /** resultCode → count, for binds that did not succeed. */
  codes: Record<string, number>;
  /** Connections the server closed during the run. */
  closed: number;
  seconds: number;
  cpuSeconds: number;
  /** Sparse latency histogram: [bucket, count] pairs. */
  histogram: Array<[number, number]>;
}

export type FromClient = { type: 'ready' } | { type: 'failed'; message: string } | ClientReport;

export interface BindLoadResult {
  perSecond: number;
  ok: number;
  errors: number;
  codes: Record<string, number>;
  closed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU of the client processes during the timed window, in cores (1.0 = one core busy all the time). */
  clientCores: number;
  /** CPU of the server (and its workers) during the timed window, in cores; NaN when not measured. */
  serverCores: number;
  /** CPU of the whole machine during the timed window, in cores: server + client + anything else. */
  machineCores: number;
}

const CLIENT = fileURLToPath(new URL('./ldap-load-client.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPLY_TIMEOUT_MS = 30_000;

function nextMessage(child: ChildProcess, what: string): Promise<FromClient> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`bind load client: no answer to ${what} within ${REPLY_TIMEOUT_MS} ms`));
    }, REPLY_TIMEOUT_MS);
    const onMessage = (m: FromClient) => {
      cleanup();
      if (m.type === 'failed') reject(new Error(`bind load client: ${m.message}`));
      else resolve(m);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`bind load client exited (${code}) during ${what}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(hist: Map<number, number>, total: number, p: number): number {
  if (total === 0) return Number.NaN;
  const rank = Math.ceil(total * p);
  let seen = 0;
  for (const bucket of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(bucket)!;
    // The upper edge of the bucket: a conservative reading of where that rank lies.
    if (seen >= rank) return ((bucket + 1) * HIST_STEP_US) / 1000;
  }
  return Number.NaN;
}

/**
 * `clients` processes share `connections` connections; each connection has one bind outstanding at a
 * time (closed loop), cycling through `requests`. Counts only what completes inside the timed window.
 */
export async function runBindLoad(opts: {
  host: string;
  port: number;
  connections: number;
  clients: number;
  requests: BindCredential[];
  warmupSeconds: number;
  seconds: number;
  serverPid?: number;
}): Promise<BindLoadResult> {
  const children: ChildProcess[] = [];
  try {
    for (let c = 0; c < opts.clients; c++) {
      // Through tsx like the bench itself; stdout and stderr go to the bench's stderr.
      const child = fork(CLIENT, [], {
        cwd: ROOT,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 2, 2, 'ipc'],
      });
      children.push(child);
    }
    // Connections split as evenly as they go: 32 over 2 clients is 16 each.
    const ready = children.map((child, c) => {
      const connections =
        Math.floor(opts.connections / opts.clients) + (c < opts.connections % opts.clients ? 1 : 0);
      const reply = nextMessage(child, 'init');
      const msg: ToClient = {
        type: 'init',
        host: opts.host,
        port: opts.port,
        connections,
        offset: Math.floor((c * opts.requests.length) / opts.clients),
        requests: opts.requests,
      };
      child.send(msg);
      return reply;
    });
    await Promise.all(ready);
    for (const child of children) child.send({ type: 'go' } satisfies ToClient);
    await sleep(opts.warmupSeconds * 1000);
    const serverCpu0 = opts.serverPid ? treeCpuSeconds(opts.serverPid) : Number.NaN;
    const machine0 = machineBusySeconds();
    const t0 = performance.now();
    for (const child of children) child.send({ type: 'measure' } satisfies ToClient);
    await sleep(opts.seconds * 1000);
    const reports = children.map((child) => nextMessage(child, 'stop'));
    for (const child of children) child.send({ type: 'stop' } satisfies ToClient);
    const serverSeconds = (performance.now() - t0) / 1000;
    const serverCpu1 = opts.serverPid ? treeCpuSeconds(opts.serverPid) : Number.NaN;
    const machine1 = machineBusySeconds();
    const results = (await Promise.all(reports)) as ClientReport[];

    const hist = new Map<number, number>();
    const codes: Record<string, number> = {};
    let ok = 0;
    let errors = 0;
    let closed = 0;
    let perSecond = 0;
    let clientCores = 0;
    let seconds = 0;
    for (const r of results) {
      ok += r.ok;
      errors += r.errors;
      closed += r.closed;
      // Each client's rate over its own window: the windows start and end a message apart.
      perSecond += r.ok / r.seconds;
      clientCores += r.cpuSeconds / r.seconds;
      seconds = Math.max(seconds, r.seconds);
      for (const [code, n] of Object.entries(r.codes)) codes[code] = (codes[code] ?? 0) + n;
      for (const [bucket, n] of r.histogram) hist.set(bucket, (hist.get(bucket) ?? 0) + n);
    }
    const total = [...hist.values()].reduce((a, b) => a + b, 0);
    return {
      perSecond,
      ok,
      errors,
      codes,
      closed,
      seconds,
      p50Ms: percentile(hist, total, 0.5),
      p99Ms: percentile(hist, total, 0.99),
      clientCores,
      serverCores: (serverCpu1 - serverCpu0) / serverSeconds,
      machineCores: (machine1 - machine0) / serverSeconds,
    };
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            // The client exits by itself once it has reported; this is for a run cut short.
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
            if (child.connected) child.disconnect();
          }),
      ),
    );
  }
}
