// Connection exhaustion, measured (third security review, items 1 and 2). A real `latchkey serve` with
// its default settings on a fresh data dir; an attacker from 127.0.0.3 opens idle connections and sends
// nothing (LDAP: 4,100, as in the report; HTTP: two processes of 10,500 sockets each), while another
// source signs in: a Node LDAP client and `curl`-like HTTP requests from 127.0.0.2, and the real
// ldapwhoami from 127.0.0.1. Prints, per phase, the success rate and latency of those sign-ins, how long
// the attacker's sockets lived, and the server's peak of open descriptors.
//
//   npm run build && node --import tsx bench/exhaustion.ts
//
// Settings (environment): BENCH_EXHAUSTION_SECONDS=35 (each attack phase; longer than the default
// LDAP anonymous timeout, 20 s, and HTTP headers timeout, 15 s, so that their effect shows),
// BENCH_LDAP_ATTACK=4100, BENCH_HTTP_ATTACK=10500 (per attacking process), BENCH_HTTP_ATTACKERS=2.
// Talks to 127.0.0.x only, stops what it started, and exits by itself.

import { type ChildProcess, execFile, fork } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import asn1 from '@ldapjs/asn1';
import messages from '@ldapjs/messages';
import {
  CLI,
  cleanEnv,
  freePort,
  runTool,
  scratchDir,
  startChild,
  stopChild,
  waitForLine,
} from './processes.js';

const ATTACKER = '127.0.0.3';
const PROBE = '127.0.0.2';
const PROBE_TIMEOUT_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the attacker: a child process holding idle sockets -------------------------------------------------

interface AttackReport {
  asked: number;
  connected: number;
  /** connect() failed (refused, timed out, no port left). */
  failed: number;
  open: number;
  /** Closed by the server within 5 s of connecting: refused over a cap (timeouts are longer). */
  refusedAtOnce: number;
  /** Lifetimes (ms) of the sockets the server held for longer, then closed. */
  heldLifetimes: number[];
}

async function attacker(port: number, count: number, from: string): Promise<void> {
  const report: AttackReport = {
    asked: count,
    connected: 0,
    failed: 0,
    open: 0,
    refusedAtOnce: 0,
    heldLifetimes: [],
  };
  const sockets: Socket[] = [];
  process.on('message', (m) => {
    if (m === 'stop') {
      for (const s of sockets) s.destroy();
      process.send?.(report, () => process.exit(0));
    }
  });
  const timer = setInterval(() => process.send?.(report), 500);
  timer.unref();
  const openOne = () =>
    new Promise<void>((resolve) => {
      const s = connect({ port, host: '127.0.0.1', localAddress: from });
      sockets.push(s);
      let connectedAt = 0;
      s.on('data', () => {});
      s.on('error', () => {});
      s.once('connect', () => {
        connectedAt = Date.now();
        report.connected++;
        report.open++;
        resolve();
      });
      s.once('close', () => {
        if (connectedAt === 0) {
          report.failed++;
          resolve();
          return;
        }
        report.open--;
        const lived = Date.now() - connectedAt;
        if (lived < 5000) report.refusedAtOnce++;
        else report.heldLifetimes.push(lived);
      });
    });
  // 200 connects in flight at a time: as fast as the listen backlog takes them.
  let next = 0;
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      while (next < count) {
        next++;
        await openOne();
      }
    }),
  );
}

// ---- probes from another source ---------------------------------------------------------------------

function bindRequest(id: number, name: string, password: string): Buffer {
  const w = new asn1.BerWriter();
  w.startSequence();
  w.writeInt(id);
  w.startSequence(0x60);
  w.writeInt(3);
  w.writeString(name);
  w.writeBuffer(Buffer.from(password), 0x80);
  w.endSequence();
  w.endSequence();
  return Buffer.from(w.buffer);
}

/** The length of the first whole BER message in buf (definite lengths, as the server writes them). */
function messageSize(buf: Buffer): number | null {
  if (buf.length < 2) return null;
  let length = buf[1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (buf.length < 2 + n) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[2 + i]!;
    header += n;
  }
  return buf.length >= header + length ? header + length : null;
}

/** Connect, simple bind, read the result code: true when it is success (0). */
function ldapBind(port: number, name: string, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1', localAddress: PROBE });
    let got = Buffer.alloc(0);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    s.on('error', () => done(false));
    s.on('close', () => done(false));
    s.on('connect', () => s.write(bindRequest(1, name, password)));
    s.on('data', (d) => {
      got = Buffer.concat([got, d]);
      const size = messageSize(got);
      if (size === null) return;
      const m = messages.LdapMessage.parse(new asn1.BerReader(got.subarray(0, size)));
      done(m.type === 'BindResponse' && m.status === 0);
    });
  });
}

function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        headers,
        localAddress: PROBE,
        agent: false,
        timeout: PROBE_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
        res.on('error', () => resolve(false));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

function ldapwhoami(port: number, dn: string, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      'ldapwhoami',
      ['-x', '-H', `ldap://127.0.0.1:${port}`, '-D', dn, '-w', password, '-o', 'nettimeout=5'],
      { timeout: PROBE_TIMEOUT_MS + 1000, env: { ...process.env, LDAPCONF: '/dev/null' } },
      (err) => resolve(err === null),
    );
  });
}

interface ProbeStats {
  name: string;
  ok: number;
  failed: number;
  latencies: number[];
}

/** Runs `probe` every `everyMs` (one at a time) until `stop` resolves. */
async function probeLoop(
  name: string,
  everyMs: number,
  probe: () => Promise<boolean>,
  stop: Promise<void>,
): Promise<ProbeStats> {
  const stats: ProbeStats = { name, ok: 0, failed: 0, latencies: [] };
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  while (!stopped) {
    const started = performance.now();
    const ok = await probe();
    const took = performance.now() - started;
    if (ok) {
      stats.ok++;
      stats.latencies.push(took);
    } else stats.failed++;
    await sleep(Math.max(0, everyMs - took));
  }
  return stats;
}

// ---- one phase: an attack (or none) with the probes beside it ---------------------------------------------

interface Phase {
  name: string;
  probes: ProbeStats[];
  attack: AttackReport | null;
  peakFds: number;
}

function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

function startAttacker(
  port: number,
  count: number,
): Promise<{ child: ChildProcess; last: () => AttackReport }> {
  const child = fork(fileURLToPath(import.meta.url), ['--attacker', String(port), String(count), ATTACKER], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let last: AttackReport | null = null;
  child.on('message', (m) => {
    last = m as AttackReport;
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`an attacker exited (${code})`)));
    child.once('message', () => resolve({ child, last: () => last! }));
  });
}

async function stopAttacker(a: { child: ChildProcess; last: () => AttackReport }): Promise<AttackReport> {
  const final = new Promise<AttackReport>((resolve) => {
    a.child.removeAllListeners('exit');
    a.child.once('message', (m) => resolve(m as AttackReport));
    a.child.once('exit', () => resolve(a.last()));
  });
  a.child.send('stop');
  const report = await final;
  await new Promise<void>((resolve) =>
    a.child.exitCode !== null ? resolve() : a.child.once('exit', () => resolve()),
  );
  return report;
}

function merge(reports: AttackReport[]): AttackReport {
  return reports.reduce((a, b) => ({
    asked: a.asked + b.asked,
    connected: a.connected + b.connected,
    failed: a.failed + b.failed,
    open: a.open + b.open,
    refusedAtOnce: a.refusedAtOnce + b.refusedAtOnce,
    heldLifetimes: [...a.heldLifetimes, ...b.heldLifetimes],
  }));
}

// ---- the report -------------------------------------------------------------------------------------------

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (x: number) => (Number.isNaN(x) ? '-' : `${x.toFixed(1)} ms`);
const max = (xs: number[]) => (xs.length === 0 ? Number.NaN : Math.max(...xs));
const s1 = (x: number) => (Number.isNaN(x) ? '-' : `${(x / 1000).toFixed(1)} s`);

function print(phases: Phase[]): void {
  for (const phase of phases) {
    console.log(`\n${phase.name}`);
    console.log(
      `  ${'probe (other source)'.padEnd(34)} ${'ok'.padStart(9)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'max'.padStart(10)}`,
    );
    for (const p of phase.probes) {
      const total = p.ok + p.failed;
      console.log(
        `  ${p.name.padEnd(34)} ${`${p.ok}/${total}`.padStart(9)} ${ms(pct(p.latencies, 50)).padStart(10)} ` +
          `${ms(pct(p.latencies, 99)).padStart(10)} ${ms(max(p.latencies)).padStart(10)}`,
      );
    }
    const a = phase.attack;
    if (a) {
      const held = a.heldLifetimes;
      console.log(
        `  attacker ${ATTACKER}: ${a.asked} asked, ${a.connected} connected, ${a.failed} failed to connect; ` +
          `${a.refusedAtOnce} closed by the server within 5 s (refused over a cap)`,
      );
      console.log(
        `  held, then closed by the server: ${held.length}, after ${s1(pct(held, 0))} to ${s1(max(held))} ` +
          `(median ${s1(pct(held, 50))}); still open when the attacker let go: ${a.open}`,
      );
    }
    console.log(`  server: at most ${phase.peakFds} open file descriptors`);
  }
}

// ---- main --------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first');
  const seconds = Number(process.env.BENCH_EXHAUSTION_SECONDS ?? 35);
  const ldapAttack = Number(process.env.BENCH_LDAP_ATTACK ?? 4100);
  const httpAttack = Number(process.env.BENCH_HTTP_ATTACK ?? 10_500);
  const httpAttackers = Number(process.env.BENCH_HTTP_ATTACKERS ?? 2);

  const dir = scratchDir('latchkey-exhaustion-');
  const httpPort = await freePort();
  const ldapPort = await freePort();
  // Default settings, but for where the data lives and which ports are free.
  const env = cleanEnv({
    LATCHKEY_DATA_DIR: dir.path,
    LATCHKEY_HTTP_PORT: String(httpPort),
    LATCHKEY_LDAP_PORT: String(ldapPort),
  });
  const cli = (...args: string[]) => runTool(process.execPath, [CLI, ...args], { env });
  await cli('user', 'add', 'bench', '--email', 'bench@example.org');
  await cli('two-step', 'set', 'bench', 'enforced');
  const password = (await cli('app-password', 'create', 'bench', '--label', 'Bench')).stdout.trim();
  const dn = 'uid=bench,ou=people,dc=example,dc=org';

  const server = startChild(process.execPath, [CLI, 'serve'], { env });
  let warnings = 0;
  server.stdout?.on('data', (d: Buffer) => {
    warnings += (d.toString().match(/connections refused/g) ?? []).length;
  });
  await waitForLine(server, /LDAP on ldap:/, 'latchkey serve');
  const pid = server.pid!;
  console.log(
    `latchkey serve (defaults) pid ${pid}: HTTP ${httpPort}, LDAP ${ldapPort}; ` +
      `ulimit -n of this shell applies to every process`,
  );

  async function phase(name: string, length: number, attack: (() => Promise<AttackReport>) | null) {
    let release!: () => void;
    const stop = new Promise<void>((resolve) => {
      release = resolve;
    });
    let peakFds = openFds(pid);
    const fdTimer = setInterval(() => {
      peakFds = Math.max(peakFds, openFds(pid));
    }, 250);
    const probes = Promise.all([
      probeLoop('LDAP bind, Node client (127.0.0.2)', 200, () => ldapBind(ldapPort, 'bench', password), stop),
      probeLoop('LDAP bind, ldapwhoami (127.0.0.1)', 1000, () => ldapwhoami(ldapPort, dn, password), stop),
      probeLoop('GET /healthz (127.0.0.2)', 200, () => httpGet(httpPort, '/healthz'), stop),
      probeLoop(
        'GET /auth/basic (127.0.0.2)',
        200,
        () =>
          httpGet(httpPort, '/auth/basic', {
            authorization: `Basic ${Buffer.from(`bench:${password}`).toString('base64')}`,
          }),
        stop,
      ),
    ]);
    const report = attack ? attack() : Promise.resolve(null);
    await sleep(length * 1000);
    release();
    const result: Phase = { name, probes: await probes, attack: await report, peakFds };
    clearInterval(fdTimer);
    result.peakFds = Math.max(peakFds, openFds(pid));
    return result;
  }

  const phases: Phase[] = [];
  try {
    phases.push(await phase('No attack (5 s)', 5, null));
    let ldapAttacker: Awaited<ReturnType<typeof startAttacker>> | null = null;
    phases.push(
      await phase(
        `LDAP: ${ldapAttack} idle connections from ${ATTACKER} (${seconds} s)`,
        seconds,
        async () => {
          ldapAttacker = await startAttacker(ldapPort, ldapAttack);
          await sleep(seconds * 1000);
          return stopAttacker(ldapAttacker);
        },
      ),
    );
    await sleep(2000);
    phases.push(
      await phase(
        `HTTP: ${httpAttackers} × ${httpAttack} idle sockets from ${ATTACKER} (${seconds} s)`,
        seconds,
        async () => {
          const attackers = await Promise.all(
            Array.from({ length: httpAttackers }, () => startAttacker(httpPort, httpAttack)),
          );
          await sleep(seconds * 1000);
          return merge(await Promise.all(attackers.map(stopAttacker)));
        },
      ),
    );
  } finally {
    await stopChild(server);
    dir.remove();
  }
  print(phases);
  console.log(`\nwarning lines the server logged about refused connections: ${warnings}`);
}

if (process.argv[2] === '--attacker') {
  const [port, count, from] = process.argv.slice(3);
  void attacker(Number(port), Number(count), from!);
} else {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
