// Child processes of the bench: servers it starts (latchkey serve, the HTTP bench server, slapd) and
// tools it runs (wrk, slapadd). Whatever happens to the bench, no server outlives it: every child is
// registered to be killed when the bench process exits, and every stop waits for the exit.

import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI (npm run bench builds it first), wherever the bench is started from. */
export const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/**
 * Node's options for `latchkey serve`, as deploy/latchkey.service and `npm start` give them
 * (test/deploy.test.ts holds the three equal): a young generation of 2 × 8 MiB instead of V8's 2 × 16
 * makes each scavenge, a pause of every door, about half as long and the process 11 MB smaller, for
 * the same throughput (BENCHMARKS.md, "The check path, session 7").
 */
export const SERVE_NODE_OPTIONS = ['--max-semi-space-size=8'];

const START_TIMEOUT_MS = 30_000;

/**
 * The caller's environment without LATCHKEY_* and DATABASE_URL: a server the bench starts must open the
 * data dir it is given, never a database or keys from the shell the bench was started in.
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('LATCHKEY_') && k !== 'DATABASE_URL' && !k.startsWith('BENCH_')) env[k] = v;
  }
  return Object.assign(env, extra);
}

const live = new Set<ChildProcess>();
const scratch = new Set<string>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A scratch directory that is removed when the bench exits, however it exits, or earlier by `remove`. */
export function scratchDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  scratch.add(path);
  return {
    path,
    remove() {
      rmSync(path, { recursive: true, force: true });
      scratch.delete(path);
    },
  };
}
// Ctrl-C or a kill of the bench: Node's default would end the process without 'exit' handlers, and
// leave its servers running.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}, stopping the servers it started\n`);
    process.exit(130);
  });
}

/** spawn(), with the child killed if the bench exits first. Output is piped (callers read or drop it). */
export function startChild(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  live.add(child);
  child.once('exit', () => live.delete(child));
  // An unread pipe that fills up would block the child: keep draining what nobody listens to.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/**
 * Resolves with the first match of `pattern` on the child's stdout (e.g. the address a server prints
 * once it listens); rejects if the child exits first or takes longer than 30 s.
 */
export function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    const onOut = (chunk: Buffer) => {
      out += chunk.toString();
      const m = pattern.exec(out);
      if (m) {
        done();
        resolvePromise(m);
      }
    };
    const onErr = (chunk: Buffer) => {
      err += chunk.toString();
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`${what} exited (${signal ?? code}) before it was ready:\n${out}${err}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what} was not ready within ${START_TIMEOUT_MS} ms:\n${out}${err}`));
    }, START_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the child has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a tool to completion; rejects with its output if it fails. */
export function runTool(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', (e) => {
      live.delete(child);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (code === 0) resolvePromise({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}):\n${stdout}${stderr}`));
    });
  });
}

/** A port nobody listens on right now, for servers that cannot be told to pick one (slapd). */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePromise(port));
    });
  });
}

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux architecture Node runs on.

/** user + system CPU seconds of one process, from /proc (0 once it is gone). */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Direct children of `pid` (the workers of a node:cluster primary), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // The process ended while /proc was being read.
    }
  }
  return out;
}

/**
 * CPU seconds used so far by a server and its direct children (a cluster's workers). Read before and
 * after a timed window, the difference is what serving took in that window.
 */
export function treeCpuSeconds(pid: number): number {
  if (process.platform !== 'linux') return Number.NaN;
  return cpuSecondsOf(pid) + childrenOf(pid).reduce((sum, p) => sum + cpuSecondsOf(p), 0);
}

/**
 * CPU seconds the whole machine has been busy (all cores, every process, the kernel), from /proc/stat.
 * Over a timed window, busy minus what the server and the client used is what other work on the machine
 * took from the run: the bench prints it, since a shared machine moves every figure.
 */
export function machineBusySeconds(): number {
  if (process.platform !== 'linux') return Number.NaN;
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!;
  return busy / CLOCK_TICKS;
}
