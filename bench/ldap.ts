// LDAP simple binds per second, Latchkey against OpenLDAP's slapd, side by side in one run: the same
// users, the same secrets, the same BindRequest bytes, the same load client (bench/ldap-load.ts), one
// server at a time on 127.0.0.1.
//
//   slapd         the users as inetOrgPerson entries, userPassword {SSHA} of each user's app password
//   Latchkey ×1   `latchkey serve` on the bench data set (two-step enforced, so only the app password
//                 opens the door), one process
//   Latchkey ×2   the same with LATCHKEY_WORKERS=2: two processes share the port (node:cluster)
//   Node floor    bench/ldap-floor-server.ts, which answers every bind with success and checks nothing:
//                 what one Node process can answer at all on this machine, beside this client
//
// The servers take turns for BENCH_LDAP_ROUNDS rounds (default 2), so that a change of load on a shared
// machine falls on all of them; each figure is the mean of its rounds.
//
// Binds come from 127.0.0.1 for every user, as they do from a Dovecot or Nextcloud next to the
// directory: for Latchkey that source is familiar to each user after their first bind (written behind),
// which is the steady state of such a deployment.

import { fileURLToPath } from 'node:url';
import type { DataSet } from './dataset.js';
import { type BindCredential, type BindLoadResult, runBindLoad } from './ldap-load.js';
import { CLI, cleanEnv, freePort, startChild, stopChild, waitForLine } from './processes.js';
import { type RunningSlapd, slapdAvailable, startSlapd } from './slapd.js';
import { resetSignInLog, warmFileCache } from './verify.js';

/** Latchkey's default base DN for LATCHKEY_DOMAIN=example.org, and so slapd's suffix. */
export const BASE_DN = 'dc=example,dc=org';
const FLOOR = fileURLToPath(new URL('./ldap-floor-server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type LdapServerName = 'slapd' | 'Latchkey ×1' | 'Latchkey ×2' | 'Node floor';

export interface LdapRow {
  server: LdapServerName;
  /** One result per round; empty when the server could not be measured. */
  rounds: BindLoadResult[];
  /** Why a round is missing (slapd not installed, a server that did not start). */
  skipped?: string;
}

export interface LdapOptions {
  connections: number;
  clients: number;
  warmupSeconds: number;
  seconds: number;
  rounds: number;
  /** Also measure the Node floor server. */
  floor: boolean;
  /** How many random (user) draws the client cycles through. */
  samples: number;
  log: (line: string) => void;
}

/** Random users' real binds: the DN a mail server builds, and the user's one app password. */
export function bindRequests(ds: DataSet, count: number): BindCredential[] {
  const out: BindCredential[] = [];
  for (let i = 0; i < count; i++) {
    const user = Math.floor(Math.random() * ds.users);
    out.push({ dn: `uid=${ds.username(user)},ou=people,${BASE_DN}`, password: ds.appPassword(user, 0) });
  }
  return out;
}

type Load = (port: number, pid: number) => Promise<BindLoadResult>;

async function withLatchkey(ds: DataSet, workers: number, load: Load): Promise<BindLoadResult> {
  // LATCHKEY_LDAP_PORT=0 turns the door off, so the bench picks a free port itself.
  const ldapPort = await freePort();
  const env = cleanEnv({
    LATCHKEY_DATA_DIR: ds.dir,
    LATCHKEY_DOMAIN: 'example.org',
    LATCHKEY_HTTP_HOST: '127.0.0.1',
    LATCHKEY_HTTP_PORT: '0',
    LATCHKEY_LDAP_PORT: String(ldapPort),
    LATCHKEY_LOG_LEVEL: 'warn',
    LATCHKEY_WORKERS: String(workers),
  });
  // Each run starts from the same sign-in log and a warm page cache (see verify.ts).
  resetSignInLog(ds);
  warmFileCache(ds);
  const child = startChild(process.execPath, [CLI, 'serve'], { env });
  try {
    // With workers, the first one prints the port (they share it) and the primary says when all serve.
    const ready =
      workers > 1
        ? /LDAP on ldap:\/\/[^\s]+:(\d+)[\s\S]*worker processes are serving/
        : /LDAP on ldap:\/\/[^\s]+:(\d+)/;
    const m = await waitForLine(child, ready, `latchkey serve (LATCHKEY_WORKERS=${workers})`);
    return await load(Number(m[1]), child.pid!);
  } finally {
    await stopChild(child);
  }
}

async function withFloor(load: Load): Promise<BindLoadResult> {
  const child = startChild(process.execPath, ['--import', 'tsx', FLOOR], { cwd: ROOT, env: cleanEnv({}) });
  try {
    const m = await waitForLine(child, /listening on (\d+)/, 'bench/ldap-floor-server.ts');
    return await load(Number(m[1]), child.pid!);
  } finally {
    await stopChild(child);
  }
}

export async function benchLdap(ds: DataSet, opts: LdapOptions): Promise<LdapRow[]> {
  if (ds.perUser !== 1) throw new Error('the LDAP bench compares one password per user: use a 1-AP data set');
  const requests = bindRequests(ds, opts.samples);
  const load: Load = (port, pid) =>
    runBindLoad({
      host: '127.0.0.1',
      port,
      connections: opts.connections,
      clients: opts.clients,
      requests,
      warmupSeconds: opts.warmupSeconds,
      seconds: opts.seconds,
      serverPid: pid,
    });
  const rows: LdapRow[] = [
    { server: 'slapd', rounds: [] },
    { server: 'Latchkey ×1', rounds: [] },
    { server: 'Latchkey ×2', rounds: [] },
    ...(opts.floor ? [{ server: 'Node floor' as const, rounds: [] }] : []),
  ];
  const measure = async (row: LdapRow, run: () => Promise<BindLoadResult>) => {
    opts.log(`  ${row.server}: binding…`);
    try {
      row.rounds.push(await run());
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      opts.log(`  ${row.server} failed: ${message}`);
      row.skipped = message.split('\n')[0]!;
    }
  };

  // slapd is loaded once and stays up (idle) while the others take their turns.
  let slapd: RunningSlapd | null = null;
  if (!slapdAvailable()) {
    rows[0]!.skipped = 'slapd, slapadd or the OpenLDAP schema not found';
  } else {
    opts.log(`  slapd: loading ${ds.users.toLocaleString('en-US')} users…`);
    try {
      slapd = await startSlapd(
        BASE_DN,
        Array.from({ length: ds.users }, (_, u) => ({ uid: ds.username(u), password: ds.appPassword(u, 0) })),
      );
    } catch (e) {
      rows[0]!.skipped = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    }
  }
  try {
    for (let round = 0; round < opts.rounds; round++) {
      opts.log(` round ${round + 1} of ${opts.rounds}`);
      for (const row of rows) {
        if (row.skipped !== undefined) continue;
        if (row.server === 'slapd') await measure(row, () => load(slapd!.port, slapd!.pid));
        else if (row.server === 'Latchkey ×1') await measure(row, () => withLatchkey(ds, 1, load));
        else if (row.server === 'Latchkey ×2') await measure(row, () => withLatchkey(ds, 2, load));
        else await measure(row, () => withFloor(load));
      }
    }
  } finally {
    await slapd?.stop();
    resetSignInLog(ds);
  }
  return rows;
}

/** The mean of a server's rounds (errors and closed connections added up). */
export function meanOfRounds(rounds: BindLoadResult[]): BindLoadResult | null {
  if (rounds.length === 0) return null;
  const mean = (f: (r: BindLoadResult) => number) => rounds.reduce((s, r) => s + f(r), 0) / rounds.length;
  const codes: Record<string, number> = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.codes)) codes[k] = (codes[k] ?? 0) + v;
  return {
    perSecond: mean((r) => r.perSecond),
    ok: rounds.reduce((s, r) => s + r.ok, 0),
    errors: rounds.reduce((s, r) => s + r.errors, 0),
    codes,
    closed: rounds.reduce((s, r) => s + r.closed, 0),
    seconds: rounds.reduce((s, r) => s + r.seconds, 0),
    p50Ms: mean((r) => r.p50Ms),
    p99Ms: mean((r) => r.p99Ms),
    clientCores: mean((r) => r.clientCores),
    serverCores: mean((r) => r.serverCores),
    machineCores: mean((r) => r.machineCores),
  };
}
