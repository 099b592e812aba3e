// The services devices connect to (issue 13, items 5–6): the text and choice settings that describe
// them (checked on the admin API and the CLI, on SQLite and PostgreSQL), and the answers mail clients
// ask for with only an address: Thunderbird's config-v1.1.xml and Outlook's Autodiscover (POX), parsed
// back as XML by a parser of its own (xmldom) and checked field by field; 404s; bodies that are too
// big, malformed or carry a DTD refused with a 4xx while the server keeps answering.

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { apiCaller } from './helpers/api-client.js';
import { runCli } from './helpers/cli.js';
import {
  findNginx,
  nginxBlockAfter,
  type RunningNginx,
  replaceExactly,
  startNginx,
} from './helpers/nginx.js';
import { type StoreKind, storeKinds, type TestStore, tempDir } from './helpers/stores.js';
import { text, WebClient } from './helpers/web-client.js';

const system: Actor = { kind: 'system', name: 'test', ip: null };
const kinds: StoreKind[] = await storeKinds();
const NGINX = findNginx();
if (NGINX === null && process.env.CI === 'true') {
  throw new Error('nginx is not installed, and CI=true forbids skipping its part of this test.');
}

const NS_REQUEST = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006';
const NS_RESPONSE = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
const NS_OUTLOOK = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

const MAIL = {
  organizationName: 'Example & Co',
  mailDomains: 'Example.org, example.net',
  imapHost: 'Mail.Example.org',
  imapPort: 993,
  imapSecurity: 'ssl',
  smtpHost: 'smtp.example.org',
  smtpPort: 587,
  smtpSecurity: 'starttls',
};

function parseXml(body: string): Element {
  const doc = new DOMParser({
    onError: (level, msg) => {
      throw new Error(`${level}: ${msg}`);
    },
  }).parseFromString(body, 'text/xml');
  return doc.documentElement as Element;
}

/** The text of the one child element named `name` (in any namespace). */
function child(e: Element, name: string): Element {
  const found = Array.from(e.childNodes).filter(
    (n): n is Element => n.nodeType === 1 && (n as Element).localName === name,
  );
  if (found.length !== 1) throw new Error(`${found.length} <${name}> in <${e.localName}>`);
  return found[0]!;
}
const textOf = (e: Element, name: string) => child(e, name).textContent;
const children = (e: Element, name: string) =>
  Array.from(e.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === name);

function autodiscoverRequest(address: string, schema = NS_OUTLOOK): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="${NS_REQUEST}">
  <Request>
    <EMailAddress>${address}</EMailAddress>
    <AcceptableResponseSchema>${schema}</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;
}

describe.each(kinds)('device services settings, autoconfig and Autodiscover on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let token: string;
  const call = apiCaller(() => app);
  const cli = (args: string[]) =>
    runCli(args, {
      LATCHKEY_DATA_DIR: t.dataDir,
      ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}),
    });

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
    app = buildApp({ core, logLevel: 'silent' });
    token = (await core.tokens.createToken(system, { role: 'admin', label: 'devices' })).token;
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await core.close();
    await t.cleanup();
  });

  const autoconfig = (url: string, host = 'id.example.org') =>
    app.inject({ method: 'GET', url, headers: { host } });
  const autodiscover = (body: string | Buffer, url = '/autodiscover/autodiscover.xml', type = 'text/xml') =>
    app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': type } });

  it.runIf(kind.available)('answers nothing before the organization sets its servers', async () => {
    for (const url of [
      '/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice%40example.org',
      '/mail/config-v1.1.xml',
    ]) {
      expect((await autoconfig(url, 'autoconfig.example.org')).statusCode).toBe(404);
    }
    expect((await autodiscover(autodiscoverRequest('alice@example.org'))).statusCode).toBe(404);
    // Domains and an SMTP server, but nowhere to read mail: still nothing to set up.
    await core.settings.updateSettings(system, { mailDomains: 'example.org', smtpHost: 'smtp.example.org' });
    expect((await autoconfig('/mail/config-v1.1.xml', 'autoconfig.example.org')).statusCode).toBe(404);
    expect((await autodiscover(autodiscoverRequest('alice@example.org'))).statusCode).toBe(404);
    await core.settings.updateSettings(system, { mailDomains: '', smtpHost: '' });
  });

  it.runIf(kind.available)(
    'settings: bad host, port, URL and choice are refused on the API, nothing is written',
    async () => {
      const bad: [Record<string, unknown>, number, string][] = [
        [{ imapHost: 'mail server' }, 400, 'SETTING_INVALID'],
        [{ imapHost: 'imaps://mail.example.org' }, 400, 'SETTING_INVALID'],
        [{ imapHost: 'mail.example.org:993' }, 400, 'SETTING_INVALID'],
        [{ smtpHost: '192.0.2.1' }, 400, 'SETTING_INVALID'],
        [{ smtpHost: `${'a'.repeat(64)}.example.org` }, 400, 'SETTING_INVALID'],
        [{ imapPort: 0 }, 400, 'REQUEST_INVALID'],
        [{ smtpPort: 65536 }, 400, 'REQUEST_INVALID'],
        [{ imapPort: '993' }, 400, 'REQUEST_INVALID'],
        [{ imapSecurity: 'tls' }, 400, 'REQUEST_INVALID'],
        [{ calDavUrl: 'http://dav.example.org/' }, 400, 'SETTING_INVALID'],
        [{ calDavUrl: 'https://user:pw@dav.example.org/' }, 400, 'SETTING_INVALID'],
        [{ cardDavUrl: 'https://dav.example.org/#x' }, 400, 'SETTING_INVALID'],
        [{ cardDavUrl: 'javascript:alert(1)' }, 400, 'SETTING_INVALID'],
        [{ mailDomains: 'example.org, not a domain' }, 400, 'SETTING_INVALID'],
        [{ organizationName: 'Line one\nline two' }, 400, 'SETTING_INVALID'],
        [{ organizationName: 'x'.repeat(101) }, 400, 'SETTING_INVALID'],
        // All or nothing: a good value beside a bad one is not written either.
        [{ imapHost: 'mail.example.org', smtpHost: 'bad host' }, 400, 'SETTING_INVALID'],
      ];
      for (const [body, status, code] of bad) {
        const r = await call(token, 'PATCH', '/api/v1/settings', body);
        expect([r.statusCode, r.json().code], JSON.stringify(body)).toEqual([status, code]);
      }
      const s = (await call(token, 'GET', '/api/v1/settings')).json();
      expect(s).toMatchObject({
        imapHost: '',
        smtpHost: '',
        imapPort: 993,
        calDavUrl: '',
        organizationName: '',
      });
    },
  );

  it.runIf(kind.available)(
    'settings: bad values are refused on the CLI with exit 1 and the code',
    async () => {
      for (const [key, value] of [
        ['imapHost', 'bad host'],
        ['smtpPort', '0'],
        ['smtpPort', '99999'],
        ['smtpSecurity', 'tls'],
        ['calDavUrl', 'http://dav.example.org/'],
        ['mailDomains', 'example..org'],
      ] as const) {
        const r = await cli(['settings', 'set', key, value]);
        expect([r.code, r.stdout], `${key}=${value}`).toEqual([1, '']);
        expect(r.stderr).toMatch(/^latchkey: SETTING_INVALID: .+\n$/);
      }
      const ok = await cli(['settings', 'set', 'calDavUrl', 'https://DAV.example.org/dav/']);
      expect([ok.code, ok.stdout]).toEqual([0, 'calDavUrl = https://dav.example.org/dav/\n']);
      expect((await cli(['settings', 'get', 'calDavUrl'])).stdout).toBe('https://dav.example.org/dav/\n');
      expect((await cli(['settings', 'set', 'calDavUrl', ''])).code).toBe(0);
    },
  );

  it.runIf(kind.available)('settings: good values are stored normalized and audited', async () => {
    const r = await call(token, 'PATCH', '/api/v1/settings', MAIL);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      organizationName: 'Example & Co',
      mailDomains: 'example.org, example.net',
      imapHost: 'mail.example.org',
      smtpPort: 587,
      smtpSecurity: 'starttls',
    });
    const audit = await core.audit.listAudit(system, { target: 'imapHost', limit: 1 });
    expect(audit[0]).toMatchObject({
      action: 'settings.changed',
      details: { before: '', after: 'mail.example.org' },
    });
  });

  it.runIf(kind.available)(
    'settings: the admin page has a text field per text setting and refuses a bad host',
    async () => {
      await core.users.createUser(system, { username: 'root', role: 'admin', password: 'root password 1' });
      const root = new WebClient(app);
      expect((await root.signIn('root', 'root password 1')).statusCode).toBe(303);
      const form = await root.get('/admin/settings');
      expect(form.statusCode).toBe(200);
      expect(form.body).toMatch(/<input[^>]*type="text"[^>]*name="imapHost"[^>]*value="mail.example.org"/);
      expect(form.body).toMatch(/<input[^>]*type="url"[^>]*name="calDavUrl"/);
      expect(form.body).toMatch(/<select[^>]*name="smtpSecurity"[\s\S]*?<option value="starttls" selected>/);
      expect(text(form.body)).toContain('Mail, calendars and contacts on devices');
      const bad = await root.post('/admin/settings', { imapHost: 'not a host', lockoutThreshold: '10' });
      expect(bad.statusCode).toBe(400);
      expect(text(bad.body)).toContain('Enter a host name such as mail.example.org');
      expect(bad.body).toMatch(/name="imapHost"[^>]*value="not a host"/);
      expect((await core.settings.getSettings(system)).imapHost).toBe('mail.example.org');
      const good = await root.post('/admin/settings', {
        imapHost: 'IMAP.example.org',
        imapSecurity: 'starttls',
        imapPort: '143',
      });
      expect(good.statusCode).toBe(303);
      expect(good.headers.location).toBe('/admin/settings?done=saved&n=3');
      await core.settings.updateSettings(system, {
        imapHost: 'mail.example.org',
        imapSecurity: 'ssl',
        imapPort: 993,
      });
    },
  );

  it.runIf(kind.available)(
    'Thunderbird autoconfig: both paths, by address or by host, field by field',
    async () => {
      const byAddress = await autoconfig(
        '/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice%40example.net',
      );
      const byHost = await autoconfig('/mail/config-v1.1.xml', 'autoconfig.example.net');
      for (const r of [byAddress, byHost]) {
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toBe('application/xml; charset=utf-8');
        const root = parseXml(r.body);
        expect([root.localName, root.getAttribute('version')]).toEqual(['clientConfig', '1.1']);
        const p = child(root, 'emailProvider');
        expect(p.getAttribute('id')).toBe('example.net');
        expect(children(p, 'domain').map((d) => d.textContent)).toEqual(['example.org', 'example.net']);
        expect(textOf(p, 'displayName')).toBe('Example & Co');
        const imap = child(p, 'incomingServer');
        expect(imap.getAttribute('type')).toBe('imap');
        expect(
          ['hostname', 'port', 'socketType', 'authentication', 'username'].map((n) => textOf(imap, n)),
        ).toEqual(['mail.example.org', '993', 'SSL', 'password-cleartext', '%EMAILADDRESS%']);
        const smtp = child(p, 'outgoingServer');
        expect(smtp.getAttribute('type')).toBe('smtp');
        expect(
          ['hostname', 'port', 'socketType', 'authentication', 'username'].map((n) => textOf(smtp, n)),
        ).toEqual(['smtp.example.org', '587', 'STARTTLS', 'password-cleartext', '%EMAILADDRESS%']);
      }
      // The answer is the same for anyone: no address, no account, no secret in it.
      expect(byAddress.body).not.toContain('alice');
      expect(byAddress.body.replace(/password-cleartext/g, '')).not.toMatch(/password|secret/i);

      expect((await call(token, 'PATCH', '/api/v1/settings', { mailLoginName: 'username' })).statusCode).toBe(
        200,
      );
      const local = parseXml((await autoconfig('/mail/config-v1.1.xml?emailaddress=bob%40example.org')).body);
      expect(textOf(child(child(local, 'emailProvider'), 'incomingServer'), 'username')).toBe(
        '%EMAILLOCALPART%',
      );
      expect((await call(token, 'PATCH', '/api/v1/settings', { mailLoginName: 'address' })).statusCode).toBe(
        200,
      );
    },
  );

  it.runIf(kind.available)(
    'Thunderbird autoconfig: 404 for a domain not served, a bad address, an unknown host',
    async () => {
      for (const [url, host] of [
        ['/mail/config-v1.1.xml?emailaddress=alice%40example.com', 'autoconfig.example.org'],
        ['/mail/config-v1.1.xml?emailaddress=alice%40sub.example.org', 'autoconfig.example.org'],
        ['/mail/config-v1.1.xml?emailaddress=not-an-address', 'autoconfig.example.org'],
        ['/mail/config-v1.1.xml?emailaddress=%3Cx%3E%40example.org', 'autoconfig.example.org'],
        ['/mail/config-v1.1.xml', 'autoconfig.example.com'],
        ['/.well-known/autoconfig/mail/config-v1.1.xml', 'id.example.org'],
      ]) {
        const r = await autoconfig(url!, host);
        expect(r.statusCode, `${host}${url}`).toBe(404);
        expect(r.headers['content-type']).toContain('application/problem+json');
      }
    },
  );

  it.runIf(kind.available)(
    'Outlook Autodiscover (POX): Account and Protocol elements, both paths',
    async () => {
      for (const url of ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml']) {
        const r = await autodiscover(autodiscoverRequest('Carol.Smith@Example.org'), url);
        expect(r.statusCode, r.body).toBe(200);
        expect(r.headers['content-type']).toBe('text/xml; charset=utf-8');
        const root = parseXml(r.body);
        expect([root.localName, root.namespaceURI]).toEqual(['Autodiscover', NS_RESPONSE]);
        const response = child(root, 'Response');
        expect(response.namespaceURI).toBe(NS_OUTLOOK);
        const account = child(response, 'Account');
        expect([textOf(account, 'AccountType'), textOf(account, 'Action')]).toEqual(['email', 'settings']);
        const protocols = children(account, 'Protocol');
        expect(protocols.map((p) => textOf(p, 'Type'))).toEqual(['IMAP', 'SMTP']);
        const fields = [
          'Server',
          'Port',
          'LoginName',
          'SSL',
          'Encryption',
          'AuthRequired',
          'SPA',
          'DomainRequired',
        ];
        expect(fields.map((f) => textOf(protocols[0]!, f))).toEqual([
          'mail.example.org',
          '993',
          'Carol.Smith@Example.org',
          'on',
          'SSL',
          'on',
          'off',
          'off',
        ]);
        expect(fields.map((f) => textOf(protocols[1]!, f))).toEqual([
          'smtp.example.org',
          '587',
          'Carol.Smith@Example.org',
          'on',
          'TLS',
          'on',
          'off',
          'off',
        ]);
        expect(r.body).not.toMatch(/password|secret/i);
      }
    },
  );

  it.runIf(kind.available)(
    'Autodiscover: 404 for other domains and schemas; 4xx for bad bodies, and still serving',
    async () => {
      expect((await autodiscover(autodiscoverRequest('alice@example.com'))).statusCode).toBe(404);
      const mobile = 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006';
      expect((await autodiscover(autodiscoverRequest('alice@example.org', mobile))).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/autodiscover/autodiscover.xml' })).statusCode).toBe(
        404,
      );

      const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Autodiscover xmlns="${NS_REQUEST}"><Request><EMailAddress>&lol2;@example.org</EMailAddress></Request></Autodiscover>`;
      const external = `<?xml version="1.0"?>
<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Autodiscover xmlns="${NS_REQUEST}"><Request><EMailAddress>&x;</EMailAddress></Request></Autodiscover>`;
      const bad: [string | Buffer, number, string?][] = [
        [laughs, 400],
        [external, 400],
        [`<Autodiscover><Request><EMailAddress>&x;@example.org</EMailAddress></Request></Autodiscover>`, 400],
        ['<Autodiscover><Request><EMailAddress>alice@example.org</EMailAddress></Request>', 400],
        [
          '<Autodiscover><Request><EMailAddress>a@example.org</EMailAddress></Request></Autodiscover><x/>',
          400,
        ],
        ['<Other><Request><EMailAddress>alice@example.org</EMailAddress></Request></Other>', 400],
        ['<Autodiscover><Request></Request></Autodiscover>', 400],
        ['', 400],
        ['{"EMailAddress": "alice@example.org"}', 400, 'application/json'],
        [`${'<a>'.repeat(20)}${'</a>'.repeat(20)}`, 400],
        [Buffer.alloc(20 * 1024, 'a'), 413],
        [autodiscoverRequest(`${'a'.repeat(17 * 1024)}@example.org`), 413],
      ];
      for (const [body, status, type] of bad) {
        const r = await autodiscover(body, '/autodiscover/autodiscover.xml', type);
        expect(r.statusCode, String(body).slice(0, 80)).toBe(status);
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.body).not.toContain('root:');
        // …and the next good request is answered as before.
        expect((await autodiscover(autodiscoverRequest('alice@example.org'))).statusCode).toBe(200);
      }
    },
  );
});

describe.skipIf(NGINX === null)('the nginx block of docs/device-setup.md, run as written', () => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let nginx: RunningNginx;
  let ca: Buffer;
  let dir: string;

  beforeAll(async () => {
    const [sqlite] = await storeKinds();
    t = await sqlite!.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
    await core.settings.updateSettings(system, MAIL);
    app = buildApp({ core, logLevel: 'silent' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const latchkeyPort = (app.server.address() as AddressInfo).port;
    dir = tempDir('latchkey-autoconfig-nginx-');
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key]
        .concat(['-out', cert, '-subj', '/CN=autoconfig.example.org', '-days', '2'])
        .concat(['-addext', 'subjectAltName=DNS:autoconfig.example.org,DNS:autodiscover.example.org']),
      { stdio: 'ignore' },
    );
    ca = readFileSync(cert);
    let block = nginxBlockAfter(
      'docs/device-setup.md',
      '<!-- test/autoconfig.test.ts runs the next nginx block -->',
    );
    block = replaceExactly(block, 'listen 443 ssl;', 'listen 127.0.0.1:LISTEN_PORT ssl;', 1);
    block = replaceExactly(block, '/etc/letsencrypt/live/autoconfig.example.org/fullchain.pem', cert, 1);
    block = replaceExactly(block, '/etc/letsencrypt/live/autoconfig.example.org/privkey.pem', key, 1);
    nginx = await startNginx(
      NGINX!,
      (port) =>
        `upstream latchkey { server 127.0.0.1:${latchkeyPort}; }\n${block.replace('LISTEN_PORT', String(port))}`,
    );
  });
  afterAll(async () => {
    await nginx?.stop();
    await app?.close();
    await core?.close();
    await t?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One request over TLS to nginx, for the host name a mail client would use. */
  function ask(host: string, method: string, path: string, body?: string | Buffer) {
    return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: nginx.port,
          servername: host,
          ca,
          method,
          path,
          headers: { host, ...(body !== undefined ? { 'content-type': 'text/xml' } : {}) },
          timeout: 5000,
          agent: false,
        },
        (res) => {
          let b = '';
          res.setEncoding('utf8');
          res.on('data', (c) => {
            b += c;
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: b }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from nginx for ${path}`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers autoconfig by host and by address, Autodiscover on both spellings, nothing else', async () => {
    const byHost = await ask('autoconfig.example.org', 'GET', '/mail/config-v1.1.xml');
    expect([byHost.status, byHost.type]).toEqual([200, 'application/xml; charset=utf-8']);
    expect(child(parseXml(byHost.body), 'emailProvider').getAttribute('id')).toBe('example.org');
    const wellKnown = await ask(
      'autoconfig.example.org',
      'GET',
      '/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice%40example.net',
    );
    expect(child(parseXml(wellKnown.body), 'emailProvider').getAttribute('id')).toBe('example.net');
    for (const path of ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml']) {
      const r = await ask('autodiscover.example.org', 'POST', path, autodiscoverRequest('alice@example.org'));
      expect([r.status, r.type], r.body).toEqual([200, 'text/xml; charset=utf-8']);
      const protocols = children(child(child(parseXml(r.body), 'Response'), 'Account'), 'Protocol');
      expect(protocols.map((p) => textOf(p, 'Server'))).toEqual(['mail.example.org', 'smtp.example.org']);
    }
    // nginx refuses an oversized body itself; the portal and the API are not reachable on these hosts.
    const big = await ask(
      'autodiscover.example.org',
      'POST',
      '/autodiscover/autodiscover.xml',
      Buffer.alloc(20_000, 'a'),
    );
    expect(big.status).toBe(413);
    for (const path of ['/', '/sign-in', '/api/v1/settings', '/auth/basic']) {
      expect((await ask('autoconfig.example.org', 'GET', path)).status, path).toBe(404);
    }
    expect(nginx.errorLog()).not.toMatch(/\[(emerg|crit)\]/);
  });
});
