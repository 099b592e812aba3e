// The browser door behind a real nginx with TLS: the configuration of docs/portal.md, run as written
// (only ports and certificate paths rewritten), with HTTPS requests from several loopback addresses.
// It checks what the guide promises: Secure cookies and HSTS under an https public URL, a sign-in that
// finishes through the proxy, and people's own addresses (not nginx's, not one they forge) in the
// sign-in log and the session list. nginx or openssl missing: skipped, saying so — except in CI.

import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/core/policy.js';
import { type Opened, openCore, serve } from '../src/main.js';
import {
  findNginx,
  freePort,
  nginxBlockAfter,
  type RunningNginx,
  replaceExactly,
  startNginx,
} from './helpers/nginx.js';
import { tempDir } from './helpers/stores.js';

const NGINX = findNginx();
const OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
if (NGINX === null || !OPENSSL) {
  if (process.env.CI === 'true') {
    throw new Error('nginx and openssl are required in CI (apt-get install nginx openssl).');
  }
  console.warn('nginx or openssl not found: skipping test/portal-nginx.test.ts.');
}
const DOC = 'docs/portal.md';
const MARKER = '<!-- test/portal-nginx.test.ts runs the next nginx block -->';
const HOST = 'id.example.org';
const admin: Actor = { kind: 'system', name: 'portal-nginx-test', ip: null };

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let dir: string;
let opened: Opened;
let latchkey: { port: number; stop(): Promise<void> };
let nginx: RunningNginx;
let plainPort: number;

/** One HTTPS request through nginx from a loopback address of our choice. */
function https(
  method: string,
  path: string,
  o: { from?: string; cookie?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: nginx.port,
        servername: HOST,
        method,
        path,
        localAddress: o.from ?? '127.0.0.1',
        rejectUnauthorized: false,
        agent: false,
        timeout: 5000,
        headers: {
          host: HOST,
          ...(o.cookie ? { cookie: o.cookie } : {}),
          ...(o.body !== undefined
            ? {
                'content-type': 'application/x-www-form-urlencoded',
                'content-length': Buffer.byteLength(o.body),
              }
            : {}),
          ...o.headers,
        },
      },
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
    req.end(o.body);
  });
}

const cookiesOf = (r: Reply) =>
  (r.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));

/** Signs in through nginx from `from` with a form, as a browser would; returns the session cookie. */
async function signIn(
  from: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
) {
  const form = await https('GET', '/sign-in', { from, headers });
  expect(form.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const pre = cookiesOf(form).join('; ');
  const body = new URLSearchParams({ _csrf: csrf, username, password }).toString();
  const posted = await https('POST', '/sign-in', { from, cookie: pre, body, headers });
  return { form, posted, session: cookiesOf(posted).find((c) => c.startsWith('__Host-lk_session=')) ?? null };
}

describe.skipIf(NGINX === null || !OPENSSL)('the portal behind nginx with TLS (docs/portal.md)', () => {
  beforeAll(async () => {
    dir = tempDir('latchkey-portal-nginx-');
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${HOST}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
    if (made.status !== 0) throw new Error('openssl could not make a certificate');
    const dataDir = join(dir, 'data');
    const config = loadConfig(
      {
        dataDir,
        httpPort: '0',
        ldapPort: '0',
        logLevel: 'silent',
        publicUrl: `https://${HOST}`,
        trustedProxies: '127.0.0.1',
      },
      {},
    );
    opened = await openCore(config, { flushIntervalMs: 0 });
    await opened.core.users.createUser(admin, { username: 'nina', password: 'nina password 1' });
    latchkey = await serve(config, () => {});
    plainPort = await freePort();
    const site = nginxBlockAfter(DOC, MARKER);
    nginx = await startNginx(NGINX!, (port) => {
      let s = replaceExactly(site, 'listen 80;', `listen 127.0.0.1:${plainPort};`, 1);
      s = replaceExactly(s, 'listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`, 1);
      s = replaceExactly(s, `/etc/letsencrypt/live/${HOST}/fullchain.pem`, cert, 1);
      s = replaceExactly(s, `/etc/letsencrypt/live/${HOST}/privkey.pem`, key, 1);
      return replaceExactly(s, '127.0.0.1:8080', `127.0.0.1:${latchkey.port}`, 1);
    });
  });

  afterAll(async () => {
    await nginx?.stop();
    await latchkey?.stop();
    await opened?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plain HTTP is sent to HTTPS', async () => {
    const r = await new Promise<Reply>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: plainPort,
          path: '/sign-in',
          headers: { host: HOST },
          agent: false,
          timeout: 5000,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe(`https://${HOST}/sign-in`);
  });

  it('the pages arrive with their security headers and Secure cookies', async () => {
    const r = await https('GET', '/sign-in');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(r.headers['cache-control']).toBe('no-store');
    const pre = (r.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-lk_pre='))!;
    expect(pre).toMatch(/; Secure/);
    expect(pre).toMatch(/; HttpOnly/);
    expect(pre).toMatch(/; SameSite=Lax/);
    const css = await https('GET', '/static/style.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it("a sign-in finishes through the proxy, and records the person's address, not nginx's or a forged one", async () => {
    // The client tries to choose its address; nginx replaces the header with the one it saw.
    const { posted, session } = await signIn('127.0.0.23', 'nina', 'nina password 1', {
      'x-forwarded-for': '203.0.113.66',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('/account');
    expect(session).not.toBeNull();
    expect((posted.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-lk_session='))).toMatch(
      /; Secure/,
    );
    const account = await https('GET', '/account', { from: '127.0.0.23', cookie: session! });
    expect(account.status).toBe(200);
    expect(account.body).toContain('127.0.0.23');
    expect(account.body).not.toContain('203.0.113.66');
    const log = await opened.core.signInLog.listSignIns(admin, {
      username: 'nina',
      door: 'browser',
      limit: 5,
    });
    expect(log[0]).toMatchObject({ result: 'accepted', ip: '127.0.0.23' });
  });

  it('wrong passwords are counted against the address that sent them', async () => {
    const r = await signIn('127.0.0.42', 'nina', 'not her password');
    expect(r.posted.status).toBe(401);
    const log = await opened.core.signInLog.listSignIns(admin, {
      username: 'nina',
      result: 'refused',
      limit: 5,
    });
    expect(log[0]).toMatchObject({ door: 'browser', ip: '127.0.0.42', reason: 'invalid_credentials' });
  });
});
