// A real nginx for tests: find the binary, run it in the foreground from a private temporary prefix
// (its pid, logs and temp files stay there), wait until it answers, and stop it. 127.0.0.1 only. The
// other real-peer tests (Apache, Dovecot) use its pieces too: a free port, a guide's block with its
// placeholders replaced, a log file read, a process stopped.

import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The nginx binary (Debian puts it in /usr/sbin, often not on a user's PATH), or null. */
export function findNginx(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

/** A port that was free on 127.0.0.1 a moment ago: bind port 0, read it, let it go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Replaces `from` with `to`, insisting on exactly `times` occurrences so that a drifted doc fails loudly. */
export function replaceExactly(text: string, from: string, to: string, times: number): string {
  const found = text.split(from).length - 1;
  if (found !== times)
    throw new Error(`expected ${times} × "${from}" in the nginx configuration, found ${found}`);
  return text.split(from).join(to);
}

/** The fenced block (```lang) right after `marker` in a Markdown file: what a test runs of a guide. */
export function blockAfter(markdownPath: string, marker: string, lang = ''): string {
  const md = readFileSync(markdownPath, 'utf8');
  const at = md.indexOf(marker);
  if (at < 0) throw new Error(`${markdownPath} has no "${marker}"`);
  const fence = '```';
  const m = new RegExp(`${fence}${lang}\\n([\\s\\S]*?)${fence}`).exec(md.slice(at));
  if (!m) throw new Error(`${markdownPath} has no ${lang || 'plain'} block after "${marker}"`);
  return m[1]!;
}

/** The fenced nginx block right after `marker` in a Markdown file. */
export function nginxBlockAfter(markdownPath: string, marker: string): string {
  return blockAfter(markdownPath, marker, 'nginx');
}

/** The file at `path`, or `missing` when it is not there (a process that never wrote it). */
export function readIfThere(path: string, missing = ''): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return missing;
  }
}

export interface RunningNginx {
  port: number;
  dir: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/** Whether something accepts connections on 127.0.0.1:`port` now. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.setTimeout(500);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Stops `child` with `signal`, and with SIGKILL if it has not gone five seconds later. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  if (!(await waitForExit(child, 5000))) {
    child.kill('SIGKILL');
    await waitForExit(child, 5000);
  }
}

/**
 * Starts nginx with `http` (the contents of the `http { }` block; `LISTEN_PORT` in it is replaced by
 * the port picked here) and resolves once it accepts connections, within `startupMs`.
 */
export async function startNginx(
  binary: string,
  http: (port: number) => string,
  startupMs = 10_000,
): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-nginx-'));
  // Run as root, nginx's workers drop to an unprivileged user, who must reach the temp directories.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const conf = `# Written by test/helpers/nginx.ts
daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log notice;
events { worker_connections 64; }
http {
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
${http(port)}
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(
    binary,
    ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr += c;
  });
  const errorLog = () => `${stderr}${readIfThere(join(dir, 'error.log'))}`;

  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      // SIGQUIT: graceful shutdown; SIGKILL if it has not gone after a few seconds.
      await stopProcess(child, 'SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const deadline = Date.now() + startupMs;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const log = errorLog();
      await stop();
      throw new Error(`nginx did not start on 127.0.0.1:${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, dir, errorLog, stop };
}
