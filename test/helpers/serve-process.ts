// A real `latchkey serve` in its own process (the built bin, dist/cli/main.js, on this test runner's
// Node), for the tests that signal or kill it (graceful shutdown, SIGKILL, backup while serving) or run
// several of them on one store (check-path, scale-out); and clients that reach it over the network:
// LDAP binds, the admin API, a browser.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import asn1 from '@ldapjs/asn1';
import messages from '@ldapjs/messages';

export const BIN = join(process.cwd(), 'dist/cli/main.js');

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  ldapPort: number | null;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when it exits: its code or signal, and how long after `since` (ms). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export async function startServe(env: NodeJS.ProcessEnv, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--http-port', '0', ...args], {
    env: { ...process.env, LATCHKEY_LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    out += c;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const wantLdap = args.includes('--ldap-port') && args[args.indexOf('--ldap-port') + 1] !== '0';
  const ports = await new Promise<{ port: number; ldapPort: number | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
    const look = () => {
      const http = /listening on https?:\/\/[^:]+:(\d+)/.exec(out);
      const ldap = /LDAP on ldap:\/\/[^:]+:(\d+)/.exec(out);
      if (http && (!wantLdap || ldap)) {
        clearTimeout(timer);
        resolve({ port: Number(http[1]), ldapPort: ldap ? Number(ldap[1]) : null });
      }
    };
    child.stdout.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`serve exited before it listened: ${out}`));
    });
  });
  return { child, ...ports, output: () => out, exited };
}

/** One LDAP connection that binds again and again (as a mail server's pool does). */
export function ldapBinder(port: number) {
  const socket = connect({ port, host: '127.0.0.1' });
  let id = 0;
  let buf = Buffer.alloc(0);
  let waiting: ((code: number | null) => void) | null = null;
  const open = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    waiting?.(null);
    waiting = null;
  });
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const size = messageSize(buf);
      if (size === null) return;
      const m = messages.LdapMessage.parse(new asn1.BerReader(buf.subarray(0, size)));
      buf = buf.subarray(size);
      if (m.type === 'BindResponse' && waiting) {
        const w = waiting;
        waiting = null;
        w(m.status ?? null);
      }
    }
  });
  return {
    open,
    /** The bind's result code, or null when the connection closed first. */
    bind(name: string, password: string): Promise<number | null> {
      if (socket.destroyed) return Promise.resolve(null);
      id += 1;
      return new Promise((resolve) => {
        waiting = resolve;
        socket.write(bindRequest(id, name, password));
      });
    },
    close() {
      socket.destroy();
    },
  };
}

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

/** An answer of a node over real HTTP: status, headers and the body as text. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/** The admin API as a program calls it over the network: a bearer token, a method, a path, JSON. */
export async function apiCall(
  port: number,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpAnswer & { json<T = Record<string, unknown>>(): T }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: text, json: <T>() => JSON.parse(text) as T };
}

/**
 * A browser over real HTTP: keeps its cookies, remembers the last page's CSRF token and fills it into
 * form posts, follows no redirect by itself. `port` may be changed between requests: the same cookies
 * then go to another node, as they do behind a load balancer without stickiness.
 */
export class HttpBrowser {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;
  last: HttpAnswer | null = null;

  constructor(public port: number) {}

  private async send(method: string, path: string, form?: URLSearchParams): Promise<HttpAnswer> {
    const r = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'user-agent': 'HttpBrowser/1.0',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    for (const c of r.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = await r.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(body);
    if (m) this.csrf = m[1]!;
    this.last = { status: r.status, headers: r.headers, body };
    return this.last;
  }

  get(path: string): Promise<HttpAnswer> {
    return this.send('GET', path);
  }

  /** Posts a form with the last page's CSRF token. */
  post(path: string, fields: Record<string, string> = {}): Promise<HttpAnswer> {
    const form = new URLSearchParams();
    if (this.csrf) form.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return this.send('POST', path, form);
  }

  /** The Location of the last answer (a 302/303), or null. */
  location(): string | null {
    return this.last?.headers.get('location') ?? null;
  }
}
