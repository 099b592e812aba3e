// Resident memory of the real server: `node dist/cli/main.js serve` on a benchmark data dir, on
// 127.0.0.1 with a port picked by the kernel and LDAP off. It is read from /proc after the server has
// done real work — GET /healthz, then app-password checks through GET /auth/basic as nginx would send
// them, each from its device's address in X-Forwarded-For — so that lazily compiled code, the store's
// page cache and the write-behind maps all count.

import { readFileSync } from 'node:fs';
import type { DataSet } from './dataset.js';
import { CLI, cleanEnv, SERVE_NODE_OPTIONS, startChild, stopChild, waitForLine } from './processes.js';

export interface RssResult {
  /** kB, from /proc/PID/status. */
  rssAfterStartKb: number;
  rssAfterWorkKb: number;
  peakKb: number;
  healthChecks: number;
  verifications: number;
  /** /auth/basic answers other than 200 for a real app password: must be 0. */
  refused: number;
}

/** A request that takes this long means the server is stuck: the bench fails instead of waiting forever. */
const REQUEST_TIMEOUT_MS = 10_000;

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}

export async function measureServeRss(
  ds: DataSet,
  opts: { healthChecks: number; verifications: number; connections: number },
): Promise<RssResult> {
  if (process.platform !== 'linux') throw new Error('resident memory is read from /proc: Linux only');
  // The caller's LATCHKEY_* and DATABASE_URL must not leak in: the server is to open this data dir only.
  const env = cleanEnv({
    LATCHKEY_DATA_DIR: ds.dir,
    LATCHKEY_HTTP_HOST: '127.0.0.1',
    LATCHKEY_HTTP_PORT: '0',
    LATCHKEY_LDAP_PORT: '0',
    LATCHKEY_LOG_LEVEL: 'warn',
    // The bench plays nginx on loopback: X-Forwarded-For names each device.
    LATCHKEY_TRUSTED_PROXIES: '127.0.0.1',
  });
  const child = startChild(process.execPath, [...SERVE_NODE_OPTIONS, CLI, 'serve'], { env });
  try {
    const base = (await waitForLine(child, /listening on (http:\/\/[^\s]+)/, 'latchkey serve'))[1]!;
    const pid = child.pid!;
    const health = async () => {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      if (res.status !== 200) throw new Error(`GET /healthz answered ${res.status}`);
      await res.arrayBuffer();
    };
    await health();
    const rssAfterStartKb = procStatusKb(pid, 'VmRSS');

    let refused = 0;
    const verify = async () => {
      const user = Math.floor(Math.random() * ds.users);
      const slot = Math.floor(Math.random() * ds.perUser);
      const basic = Buffer.from(`${ds.username(user)}:${ds.appPassword(user, slot)}`).toString('base64');
      const res = await fetch(`${base}/auth/basic`, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        headers: {
          authorization: `Basic ${basic}`,
          'x-latchkey-door': 'imap',
          'x-forwarded-for': ds.deviceIp(user, slot),
          'user-agent': 'bench-mail-client/1.0',
        },
      });
      if (res.status !== 200) refused++;
      await res.arrayBuffer();
    };
    // A few connections at a time, like a proxy's keep-alive pool.
    const inParallel = async (total: number, task: () => Promise<void>) => {
      let started = 0;
      const worker = async () => {
        while (started < total) {
          started++;
          await task();
        }
      };
      await Promise.all(Array.from({ length: opts.connections }, worker));
    };
    await inParallel(opts.healthChecks, health);
    await inParallel(opts.verifications, verify);
    // Past one write-behind flush, so its batch is part of the figure.
    await new Promise((r) => setTimeout(r, 1500));
    return {
      rssAfterStartKb,
      rssAfterWorkKb: procStatusKb(pid, 'VmRSS'),
      peakKb: procStatusKb(pid, 'VmHWM'),
      healthChecks: opts.healthChecks,
      verifications: opts.verifications,
      refused,
    };
  } finally {
    await stopChild(child);
  }
}
