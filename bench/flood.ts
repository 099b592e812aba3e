// A flood of wrong passwords on GET /auth/basic (issue 9, item 4: "password hashing can be driven
// without limit"), against a real `latchkey serve` with its default settings, and what it does to the
// people signing in beside it.
//
//   node --import tsx bench/flood.ts [CHECKOUT]
//
// CHECKOUT is a Latchkey checkout with a built dist/ (default: this repository), so that the same script
// measures an older build: `git worktree add /tmp/latchkey-before <commit>`, `npm ci && npm run build`
// there, then pass /tmp/latchkey-before. Users are created through that checkout's own CLI (its exported
// `run`, in this process), and the server is `node CHECKOUT/dist/cli/main.js serve`: the child is the
// Node process itself, so /proc/PID/stat is the server's CPU, argon2id's thread pool included.
//
// Each scenario (attacker source × kind of flood) gets a fresh data dir and a fresh server, with the
// defaults (SQLite; LATCHKEY_TRUSTED_PROXIES=127.0.0.1,::1) except an ephemeral HTTP port and LDAP off:
//
//   1. alice (primary password, two-step disabled), bob (two-step enabled, one app password) and carol
//      (two-step disabled, for browser sign-ins) are created;
//   2. baseline, FLOOD_BASELINE s: bob's app password on /auth/basic from 127.0.0.3 (5 a second) and
//      carol's browser sign-in, GET /sign-in then POST /sign-in with its _csrf and cookie, from
//      127.0.0.4 (2 a second), each started on a timer whatever the answers take (open loop);
//   3. flood, FLOOD_SECONDS s: FLOOD_LOOPS loops of GET /auth/basic from the attacker's address (bound
//      with the socket's local address; keep-alive), each sending its next request when the last is
//      answered, while the same two probes run. Kinds:
//        same      alice:Winter2026! every time (the same wrong password: counts once toward lockout)
//        distinct  alice with a different wrong password every time (the refusal cache cannot help)
//        names     a different unknown name and password every time (neither the refusal cache nor
//                  an account's lockout can help: only the source's budget or lock) — opt-in
//      Measured: attacker requests a second and their answers; the server's CPU seconds over the window
//      (utime + stime, /proc/PID/stat); the whole machine's, and this process's; the sign-in log rows
//      written (sign_in_events in the SQLite file, read-only: rows and the sum of `count`), all of them
//      and those of the attacker's address by reason.
//
// Attacker sources: 127.0.0.2 is an ordinary client. 127.0.0.1 is a trusted proxy by default, and so a
// relay (no source counter; in the fixed build a 5× budget): what a flood looks like when it arrives
// through nginx without X-Forwarded-For. Everything talks to 127.0.0.x, is bounded in time, and stops
// every server it started.
//
// Settings (environment):
//   FLOOD_SECONDS=15 FLOOD_BASELINE=5 FLOOD_LOOPS=32
//   FLOOD_KINDS=same,distinct        add `names` for the budget-only flood
//   FLOOD_SOURCES=127.0.0.2,127.0.0.1
//   FLOOD_APP_RATE=5 FLOOD_BROWSER_RATE=2    probes a second

import { existsSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import {
  cleanEnv,
  machineBusySeconds,
  runTool,
  scratchDir,
  startChild,
  stopChild,
  treeCpuSeconds,
  waitForLine,
} from './processes.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const REQUEST_TIMEOUT_MS = 10_000;
export const WRONG_PASSWORD = 'Winter2026!';
const APP_SOURCE = '127.0.0.3';
const BROWSER_SOURCE = '127.0.0.4';
const KINDS = ['same', 'distinct', 'names'] as const;
type Kind = (typeof KINDS)[number];

export interface FloodOptions {
  seconds: number;
  baselineSeconds: number;
  loops: number;
  kinds: Kind[];
  sources: string[];
  appRate: number;
  browserRate: number;
  log: (line: string) => void;
}

function num(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
}

function list(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function floodOptionsFromEnv(log: (line: string) => void): FloodOptions {
  const kinds = list('FLOOD_KINDS', 'same,distinct');
  for (const k of kinds) {
    if (!(KINDS as readonly string[]).includes(k)) {
      throw new Error(`FLOOD_KINDS: unknown kind "${k}" (${KINDS.join(', ')})`);
    }
  }
  const sources = list('FLOOD_SOURCES', '127.0.0.2,127.0.0.1');
  for (const s of sources) {
    if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(s)) throw new Error(`FLOOD_SOURCES: ${s} is not 127.x.x.x`);
  }
  return {
    seconds: num('FLOOD_SECONDS', 15, 1),
    baselineSeconds: num('FLOOD_BASELINE', 5, 1),
    loops: Math.floor(num('FLOOD_LOOPS', 32, 1)),
    kinds: kinds as Kind[],
    sources,
    appRate: num('FLOOD_APP_RATE', 5, 0.1),
    browserRate: num('FLOOD_BROWSER_RATE', 2, 0.1),
    log,
  };
}

// --- HTTP from a chosen 127.0.0.x (fetch cannot bind a local address) ---------------------------------

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(
  base: URL,
  agent: HttpAgent,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function agentFrom(localAddress: string, sockets: number): HttpAgent {
  return new HttpAgent({ keepAlive: true, maxSockets: sockets, localAddress });
}

/** bob's app password on /auth/basic: true when answered 200. */
async function appPasswordCheck(base: URL, agent: HttpAgent, appPassword: string): Promise<boolean> {
  const r = await send(base, agent, 'GET', '/auth/basic', {
    authorization: basic('bob', appPassword),
    'user-agent': 'flood-bench-mail-client/1.0',
  });
  return r.status === 200;
}

/** A browser sign-in as a fresh browser does it: true when the POST answers 303 to a page of ours. */
async function browserSignIn(base: URL, agent: HttpAgent, password: string): Promise<boolean> {
  const ua = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' };
  const form = await send(base, agent, 'GET', '/sign-in', ua);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (form.status !== 200 || !csrf) return false;
  const cookie = (form.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const res = await send(
    base,
    agent,
    'POST',
    '/sign-in',
    { ...ua, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    new URLSearchParams({ _csrf: csrf, username: 'carol', password }).toString(),
  );
  return res.status === 303 && (res.headers.location ?? '').startsWith('/');
}

// --- Latency probes -------------------------------------------------------------------------------------

interface Latency {
  count: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
}

function latency(times: number[], failed: number): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
  return { count: sorted.length, failed, p50Ms: pct(50), p99Ms: pct(99) };
}

/** Starts `task` `rate` times a second until stopped (open loop); stop() waits for those in flight. */
function probe(rate: number, task: () => Promise<boolean>) {
  const times: number[] = [];
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const one = async () => {
    const t0 = performance.now();
    try {
      if (!(await task())) failed++;
    } catch {
      failed++;
    }
    times.push(performance.now() - t0);
  };
  const timer = setInterval(() => {
    const p = one();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }, 1000 / rate);
  return {
    async stop(): Promise<Latency> {
      clearInterval(timer);
      await Promise.all(inFlight);
      return latency(times, failed);
    },
  };
}

// --- The sign-in log, read-only --------------------------------------------------------------------------

interface LogCount {
  rows: number;
  sum: number;
  attackerRows: number;
  attackerSum: number;
  /** The attacker's rows by reason and aggregate kind: "reason" (one row each) or "reason/kind". */
  byReason: Map<string, { rows: number; sum: number }>;
}

function countLog(dbFile: string, attacker: string): LogCount {
  const db = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    const all = db
      .prepare('select count(*) as rows, coalesce(sum(count), 0) as sum from sign_in_events')
      .get() as {
      rows: number;
      sum: number;
    };
    const reasons = db
      .prepare(
        `select coalesce(reason, result) as reason,
                case when bucket is null then '' else substr(bucket, 1, instr(bucket, '|') - 1) end as kind,
                count(*) as rows, coalesce(sum(count), 0) as sum
           from sign_in_events where ip = ? group by 1, 2`,
      )
      .all(attacker) as { reason: string; kind: string; rows: number; sum: number }[];
    const byReason = new Map<string, { rows: number; sum: number }>();
    for (const r of reasons) {
      const key = r.kind === '' || r.kind === r.reason ? r.reason : `${r.reason}/${r.kind}`;
      const prev = byReason.get(key) ?? { rows: 0, sum: 0 };
      byReason.set(key, { rows: prev.rows + r.rows, sum: prev.sum + r.sum });
    }
    return {
      rows: all.rows,
      sum: all.sum,
      attackerRows: reasons.reduce((s, r) => s + r.rows, 0),
      attackerSum: reasons.reduce((s, r) => s + r.sum, 0),
      byReason,
    };
  } finally {
    db.close();
  }
}

function logDelta(before: LogCount, after: LogCount): LogCount {
  const byReason = new Map<string, { rows: number; sum: number }>();
  for (const [k, v] of after.byReason) {
    const b = before.byReason.get(k) ?? { rows: 0, sum: 0 };
    if (v.rows !== b.rows || v.sum !== b.sum) byReason.set(k, { rows: v.rows - b.rows, sum: v.sum - b.sum });
  }
  return {
    rows: after.rows - before.rows,
    sum: after.sum - before.sum,
    attackerRows: after.attackerRows - before.attackerRows,
    attackerSum: after.attackerSum - before.attackerSum,
    byReason,
  };
}

// --- Users, through the checkout's own CLI ------------------------------------------------------------------

type CliRun = (
  argv: string[],
  io: { stdin: Readable; stdout: Writable; stderr: Writable; env: NodeJS.ProcessEnv },
) => Promise<number>;

async function cli(run: CliRun, env: NodeJS.ProcessEnv, argv: string[], stdin = ''): Promise<string> {
  let out = '';
  let err = '';
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        write(String(chunk));
        done();
      },
    });
  const code = await run(argv, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
    env,
  });
  if (code !== 0) throw new Error(`latchkey ${argv.join(' ')} failed (${code}): ${out}${err}`);
  return out;
}

const PASSWORDS = {
  alice: 'Alice-right-password-2026',
  bob: 'Bob-right-password-2026',
  carol: 'Carol-right-password-2026',
};

async function createUsers(run: CliRun, env: NodeJS.ProcessEnv): Promise<{ bobAppPassword: string }> {
  for (const name of ['alice', 'bob', 'carol'] as const) {
    await cli(run, env, ['user', 'add', name, '--password-stdin'], PASSWORDS[name]);
  }
  await cli(run, env, ['two-step', 'set', 'alice', 'disabled']);
  await cli(run, env, ['two-step', 'set', 'carol', 'disabled']);
  await cli(run, env, ['two-step', 'set', 'bob', 'enabled']);
  const bobAppPassword = (await cli(run, env, ['app-password', 'create', 'bob', '--label', 'Laptop'])).trim();
  if (!/^[a-z -]{20,}$/i.test(bobAppPassword)) {
    throw new Error(`app-password create printed "${bobAppPassword}", not an app password`);
  }
  return { bobAppPassword };
}

// --- One scenario ------------------------------------------------------------------------------------------

export interface Scenario {
  source: string;
  kind: Kind;
  baseline: { app: Latency; browser: Latency };
  flood: {
    app: Latency;
    browser: Latency;
    seconds: number;
    attempts: number;
    perSecond: number;
    statuses: Record<string, number>;
    errors: number;
    attackerP50Ms: number;
    serverCpuSeconds: number;
    machineCpuSeconds: number;
    clientCpuSeconds: number;
    log: LogCount;
  };
}

function attackerCredentials(kind: Kind, loop: number, i: number): string {
  switch (kind) {
    case 'same':
      return basic('alice', WRONG_PASSWORD);
    case 'distinct':
      return basic('alice', `${WRONG_PASSWORD}-${loop}-${i}`);
    case 'names':
      return basic(`nobody-${loop}-${i}`, `${WRONG_PASSWORD}-${loop}-${i}`);
  }
}

async function runScenario(
  checkout: string,
  run: CliRun,
  source: string,
  kind: Kind,
  o: FloodOptions,
): Promise<Scenario> {
  const dir = scratchDir('latchkey-flood-');
  const env = cleanEnv({
    LATCHKEY_DATA_DIR: dir.path,
    // The defaults, but an ephemeral port and LDAP off, so that nothing else on the machine collides.
    LATCHKEY_HTTP_PORT: '0',
    LATCHKEY_LDAP_PORT: '0',
  });
  const agents: HttpAgent[] = [];
  try {
    const { bobAppPassword } = await createUsers(run, env);
    const server = startChild(process.execPath, [join(checkout, 'dist/cli/main.js'), 'serve'], {
      cwd: checkout,
      env,
    });
    try {
      const base = new URL(
        (await waitForLine(server, /listening on (http:\/\/[^\s]+)/, 'latchkey serve'))[1]!,
      );
      const pid = server.pid!;
      const appAgent = agentFrom(APP_SOURCE, 4);
      const browserAgent = agentFrom(BROWSER_SOURCE, 4);
      const attackAgent = agentFrom(source, o.loops);
      agents.push(appAgent, browserAgent, attackAgent);
      const app = () => appPasswordCheck(base, appAgent, bobAppPassword);
      const browser = () => browserSignIn(base, browserAgent, PASSWORDS.carol);
      // The setup is right before anything is timed, and the first requests' warm-up stays out.
      for (let i = 0; i < 3; i++) {
        if (!(await app())) throw new Error("bob's app password was refused before the flood");
        if (!(await browser())) throw new Error("carol's browser sign-in failed before the flood");
      }

      o.log(`  ${source} ${kind}: baseline ${o.baselineSeconds} s…`);
      let appProbe = probe(o.appRate, app);
      let browserProbe = probe(o.browserRate, browser);
      await new Promise((r) => setTimeout(r, o.baselineSeconds * 1000));
      const baseline = { app: await appProbe.stop(), browser: await browserProbe.stop() };

      o.log(`  ${source} ${kind}: flood, ${o.loops} loops, ${o.seconds} s…`);
      const logBefore = countLog(join(dir.path, 'latchkey.db'), source);
      const statuses: Record<string, number> = {};
      const attackerTimes: number[] = [];
      let errors = 0;
      let attempts = 0;
      const t0 = performance.now();
      const end = t0 + o.seconds * 1000;
      const cpu0 = treeCpuSeconds(pid);
      const machine0 = machineBusySeconds();
      const client0 = process.cpuUsage();
      appProbe = probe(o.appRate, app);
      browserProbe = probe(o.browserRate, browser);
      const loop = async (k: number) => {
        for (let i = 0; performance.now() < end; i++) {
          const started = performance.now();
          try {
            const r = await send(base, attackAgent, 'GET', '/auth/basic', {
              authorization: attackerCredentials(kind, k, i),
              'user-agent': 'curl/8.5.0',
            });
            // Answers after the window are not counted: the rate is over the window.
            if (performance.now() <= end) {
              statuses[r.status] = (statuses[r.status] ?? 0) + 1;
              attempts++;
              attackerTimes.push(performance.now() - started);
            }
          } catch {
            errors++;
          }
        }
      };
      const loops = Array.from({ length: o.loops }, (_, k) => loop(k));
      await new Promise((r) => setTimeout(r, o.seconds * 1000));
      const seconds = (performance.now() - t0) / 1000;
      const serverCpuSeconds = treeCpuSeconds(pid) - cpu0;
      const machineCpuSeconds = machineBusySeconds() - machine0;
      const client = process.cpuUsage(client0);
      const flood = { app: await appProbe.stop(), browser: await browserProbe.stop() };
      await Promise.all(loops);
      // Refusals are written at once; accepted sign-ins behind, within a second.
      await new Promise((r) => setTimeout(r, 1500));
      const log = logDelta(logBefore, countLog(join(dir.path, 'latchkey.db'), source));
      return {
        source,
        kind,
        baseline,
        flood: {
          ...flood,
          seconds,
          attempts,
          perSecond: attempts / seconds,
          statuses,
          errors,
          attackerP50Ms: latency(attackerTimes, 0).p50Ms,
          serverCpuSeconds,
          machineCpuSeconds,
          clientCpuSeconds: (client.user + client.system) / 1e6,
          log,
        },
      };
    } finally {
      for (const a of agents) a.destroy();
      await stopChild(server);
    }
  } finally {
    dir.remove();
  }
}

// --- Report --------------------------------------------------------------------------------------------------

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isFinite(n) ? (n < 100 ? n.toFixed(1) : n.toFixed(0)) : '–');

function table(header: string[], rows: string[][], left: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

async function describeCheckout(checkout: string): Promise<string> {
  try {
    const head = (await runTool('git', ['-C', checkout, 'log', '-1', '--format=%h %s'])).stdout.trim();
    const changed = (
      await runTool('git', ['-C', checkout, 'status', '--porcelain', '--untracked-files=no'])
    ).stdout
      .split('\n')
      .filter((l) => l.trim() !== '').length;
    return `${checkout} at ${head.slice(0, 72)}${changed ? ` (+ ${changed} changed files)` : ''}`;
  } catch {
    return checkout;
  }
}

function report(checkout: string, o: FloodOptions, scenarios: Scenario[]): string[] {
  const lat = (l: Latency) => `${ms(l.p50Ms)} / ${ms(l.p99Ms)}${l.failed ? ` (${l.failed} failed)` : ''}`;
  const out = [
    `Password flood on GET /auth/basic, latchkey serve with default settings (SQLite, fresh data dir), ${checkout}`,
    `${o.loops} attacker loops for ${o.seconds} s after a ${o.baselineSeconds} s baseline; probes: bob's app password from ${APP_SOURCE} (${o.appRate}/s), carol's browser sign-in (GET + POST /sign-in) from ${BROWSER_SOURCE} (${o.browserRate}/s).`,
    ...table(
      [
        'source',
        'flood',
        'req/s',
        '401',
        'other',
        'server CPU s',
        'cores',
        'log rows',
        'Σ count',
        'app p50/p99 ms base',
        'flood',
        'browser p50/p99 ms base',
        'flood',
      ],
      scenarios.map((s) => {
        const f = s.flood;
        const other = Object.entries(f.statuses)
          .filter(([k]) => k !== '401')
          .map(([k, v]) => `${k}:${v}`);
        if (f.errors) other.push(`err:${f.errors}`);
        return [
          s.source,
          s.kind,
          fmt(f.perSecond),
          fmt(f.statuses['401'] ?? 0),
          other.join(' ') || '0',
          f.serverCpuSeconds.toFixed(1),
          (f.serverCpuSeconds / f.seconds).toFixed(2),
          fmt(f.log.rows),
          fmt(f.log.sum),
          lat(s.baseline.app),
          lat(f.app),
          lat(s.baseline.browser),
          lat(f.browser),
        ];
      }),
      2,
    ),
    'log rows / Σ count: sign_in_events rows written during the flood (all sources) and the sum of their count column.',
    'cores: server CPU seconds over the window; the machine has ' +
      `${cpus().length} cores, shared with this process and anything else running.`,
  ];
  for (const s of scenarios) {
    const f = s.flood;
    const reasons = [...f.log.byReason]
      .sort((a, b) => b[1].sum - a[1].sum)
      .map(([k, v]) => `${k} ${fmt(v.rows)} rows/${fmt(v.sum)}`)
      .join(', ');
    out.push(
      `  ${s.source} ${s.kind}: ${fmt(f.attempts)} attempts (median ${ms(f.attackerP50Ms)} ms each); machine ${(f.machineCpuSeconds / f.seconds).toFixed(2)} cores, this process ${(f.clientCpuSeconds / f.seconds).toFixed(2)}, other ${((f.machineCpuSeconds - f.serverCpuSeconds - f.clientCpuSeconds) / f.seconds).toFixed(2)}; attacker's log: ${reasons || 'nothing'}; probes ${s.baseline.app.count}+${f.app.count} app, ${s.baseline.browser.count}+${f.browser.count} browser`,
    );
  }
  return out;
}

/** Every scenario against one checkout; the report's lines. */
export async function benchFlood(checkoutPath: string, o: FloodOptions): Promise<string[]> {
  const checkout = resolve(checkoutPath);
  const main = join(checkout, 'dist/cli/main.js');
  if (!existsSync(main)) throw new Error(`${main} does not exist: build the checkout first (npm run build)`);
  if (process.platform !== 'linux') throw new Error('the server CPU is read from /proc: Linux only');
  const { run } = (await import(pathToFileURL(main).href)) as { run: CliRun };
  if (typeof run !== 'function') throw new Error(`${main} does not export run()`);
  const scenarios: Scenario[] = [];
  for (const source of o.sources) {
    for (const kind of o.kinds) scenarios.push(await runScenario(checkout, run, source, kind, o));
  }
  return report(await describeCheckout(checkout), o, scenarios);
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const o = floodOptionsFromEnv(log);
  const checkout = process.argv[2] ?? REPO;
  const perScenario = o.baselineSeconds + o.seconds + 60;
  // Bounded whatever happens: the exit handlers of processes.ts stop the servers.
  const watchdog = setTimeout(
    () => {
      log('flood: over its time bound, stopping');
      process.exit(1);
    },
    o.sources.length * o.kinds.length * perScenario * 1000,
  );
  watchdog.unref();
  const load = loadavg()[0]!;
  const started = performance.now();
  const lines = await benchFlood(checkout, o);
  process.stdout.write(
    `${[
      `Latchkey flood bench, ${new Date().toISOString()}, ${((performance.now() - started) / 1000).toFixed(0)} s; load average (1 min) ${load.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
      ...lines,
    ].join('\n')}\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`flood failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
