// A real nginx in front of a real Latchkey: the configuration of docs/nginx.md, run as written (only
// ports rewritten), with plain HTTP requests through nginx and a tiny app behind it that reports what it
// receives. nginx missing: skipped, saying so — except in CI (CI=true), where that is a failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/core/policy.js';
import { type Opened, openCore, serve } from '../src/main.js';
import {
  findNginx,
  nginxBlockAfter,
  type RunningNginx,
  replaceExactly,
  startNginx,
} from './helpers/nginx.js';

const NGINX = findNginx();
if (NGINX === null) {
  if (process.env.CI === 'true') {
    throw new Error(
      'nginx is not installed, and CI=true forbids skipping the nginx test (apt-get install nginx).',
    );
  }
  console.warn(
    'nginx not found (PATH, /usr/sbin): skipping test/nginx.test.ts. apt-get install nginx to run it.',
  );
}

const DOC = 'docs/nginx.md';
const MARKER = '<!-- test/nginx.test.ts runs the next nginx block -->';
const CHALLENGE = 'Basic realm="Latchkey", charset="UTF-8"';
const admin: Actor = { kind: 'system', name: 'nginx-test', ip: null };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the app behind nginx received, or null if nginx never let the request through. */
interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

let dataDir: string;
let opened: Opened;
let latchkey: { port: number; stop(): Promise<void> };
let app: Server;
let appPort: number;
let seen: Seen[] = [];
let nginx: RunningNginx;
let laptop: { id: string; password: string };
let calendar: { id: string; password: string };

/** One request through nginx; `from` picks the client's source address on the loopback network. */
function get(path: string, headers: Record<string, string> = {}, from = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: nginx.port, path, headers, localAddress: from, agent: false, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from nginx for ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Runs a request and returns it with what the app saw of it. */
async function through(path: string, headers: Record<string, string> = {}, from?: string) {
  seen = [];
  const reply = await get(path, headers, from);
  return { reply, app: seen[0] ?? null };
}

async function lastSignIn() {
  const [e] = await opened.core.signInLog.listSignIns(admin, { username: 'alice', limit: 1 });
  return e;
}

describe.skipIf(NGINX === null)('nginx auth_request in front of Latchkey', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'latchkey-nginx-data-'));
    const config = loadConfig({ dataDir, httpPort: '0', ldapPort: '0', logLevel: 'silent' }, {});
    // The operator's side: the same data directory the server uses, as the CLI would open it.
    opened = await openCore(config, { flushIntervalMs: 0 });
    const { core } = opened;
    await core.users.createUser(admin, {
      username: 'alice',
      email: 'alice@example.org',
      displayName: 'Alice Ångström',
      password: 'alice primary password',
    });
    await core.twoStep.setTwoStepState(admin, 'alice', 'enforced');
    laptop = await core.appPasswords.createAppPassword(admin, 'alice', { label: 'Laptop' });
    calendar = await core.appPasswords.createAppPassword(admin, 'alice', {
      label: 'Phone calendar',
      scopes: 'dav',
    });

    latchkey = await serve(config, () => {});

    // The app behind nginx: it answers 200 and remembers what reached it.
    app = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.end(`hello ${req.headers['remote-user'] ?? 'nobody'}\n`);
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appPort = (app.address() as { port: number }).port;

    const site = nginxBlockAfter(DOC, MARKER);
    nginx = await startNginx(NGINX!, (port) => {
      let s = replaceExactly(site, 'listen 80;', `listen 127.0.0.1:${port};`, 1);
      s = replaceExactly(s, '127.0.0.1:8080', `127.0.0.1:${latchkey.port}`, 1);
      s = replaceExactly(s, '127.0.0.1:3000', `127.0.0.1:${appPort}`, 1);
      return replaceExactly(s, '127.0.0.1:5232', `127.0.0.1:${appPort}`, 1);
    });
  });

  afterAll(async () => {
    await nginx?.stop();
    await latchkey?.stop();
    await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
    await opened?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for credentials: 401 with Latchkey’s Basic challenge, and the app is never reached', async () => {
    const { reply, app } = await through('/private/report');
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe(CHALLENGE);
    expect(app).toBeNull();
  });

  it('lets an app password in, and the app sees who it is — not the password, not a forged name', async () => {
    const { reply, app } = await through('/private/report?x=1', {
      authorization: basic('alice', laptop.password),
      // A client trying to speak for nginx:
      'remote-user': 'mallory',
      'remote-groups': 'users,admins',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('hello alice\n');
    expect(app?.url).toBe('/private/report?x=1');
    expect(app?.headers['remote-user']).toBe('alice');
    expect(app?.headers['remote-email']).toBe('alice@example.org');
    // UTF-8 bytes end to end (Node reads header bytes as Latin-1).
    expect(Buffer.from(app?.headers['remote-name'] as string, 'latin1').toString('utf8')).toBe(
      'Alice Ångström',
    );
    expect(app?.headers['remote-groups']).toBe('users');
    expect(app?.headers.authorization).toBeUndefined();

    // Typed in capitals without spaces, as people do: the same app password.
    const typed = laptop.password.replaceAll(' ', '').toUpperCase();
    expect((await through('/private/', { authorization: basic('alice', typed) })).reply.status).toBe(200);
  });

  it('refuses the primary password once two-step is enforced; the log has the reason, door and client', async () => {
    const { reply, app } = await through(
      '/private/',
      {
        authorization: basic('alice', 'alice primary password'),
        // Forged by the client: nginx overwrites both.
        'x-forwarded-for': '203.0.113.66',
        'x-latchkey-door': 'imap',
      },
      '127.0.0.2',
    );
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe(CHALLENGE);
    expect(app).toBeNull();
    expect(await lastSignIn()).toMatchObject({
      result: 'refused',
      reason: 'app_password_required',
      door: 'http',
      // nginx connects from 127.0.0.1 (trusted by default) and names the client in X-Forwarded-For.
      ip: '127.0.0.2',
    });
  });

  it('names the door: a dav-scoped app password opens /dav/ and not /private/', async () => {
    const auth = { authorization: basic('alice', calendar.password) };
    const dav = await through('/dav/alice/calendar/', auth);
    expect(dav.reply.status).toBe(200);
    expect(dav.app?.headers['remote-user']).toBe('alice');

    const web = await through('/private/', auth);
    expect(web.reply.status).toBe(401);
    expect(web.app).toBeNull();
    expect(await lastSignIn()).toMatchObject({ reason: 'out_of_scope', door: 'http' });
  });

  it.each([
    ['Bearer', 'Bearer abc'],
    ['Basic without credentials', 'Basic'],
    ['not base64', 'Basic !!!!'],
    ['no colon', `Basic ${Buffer.from('alice').toString('base64')}`],
    ['invalid UTF-8', `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`],
    ['long', `Basic ${'QUFB'.repeat(1500)}`],
  ])('answers a malformed Authorization header (%s) with 401, not 500', async (_name, header) => {
    const { reply, app } = await through('/private/', { authorization: header });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe(CHALLENGE);
    expect(app).toBeNull();
  });

  it('shuts the door at once when the app password is deleted', async () => {
    const auth = { authorization: basic('alice', laptop.password) };
    expect((await through('/private/', auth)).reply.status).toBe(200);
    await opened.core.appPasswords.deleteAppPassword(admin, 'alice', laptop.id);
    const after = await through('/private/', auth);
    expect(after.reply.status).toBe(401);
    expect(after.reply.headers['www-authenticate']).toBe(CHALLENGE);
    expect(after.app).toBeNull();
    // Nothing went wrong inside nginx along the way (a 5xx from the check would be logged here).
    expect(nginx.errorLog()).not.toMatch(/auth request unexpected status|\[(error|crit|alert|emerg)\]/);
  });
});
