// The Apple configuration profile (issue 13, item 5; spec B8) through the portal's pages over inject(),
// on SQLite and PostgreSQL: a person with two-step verification downloads, once, a profile named after
// the device. The file is checked as a device would read it: the CMS signature verified by openssl
// (`openssl cms -verify -inform DER`) against the server's TLS certificate, the plist inside parsed
// back payload by payload, and its app password opening /auth/basic and listed under the device's name.
// Also: the same form cannot be posted twice, sudo mode is asked for, limits and two-step rules hold.

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import {
  appleProfilePlist,
  deviceServices,
  issueAppleProfile,
  offerAppleProfile,
  stableUuid,
} from '../src/core/mail-profile.js';
import type { Actor } from '../src/core/policy.js';
import { DEFAULT_SETTINGS } from '../src/core/settings.js';
import { createCmsSigner } from '../src/crypto/cms-sign.js';
import { totpCode } from '../src/crypto/totp.js';
import { buildApp } from '../src/http/app.js';
import { cspClean } from './helpers/inject-browser.js';
import { type StoreKind, storeKinds, type TestStore, tempDir } from './helpers/stores.js';
import { text, WebClient } from './helpers/web-client.js';

const system: Actor = { kind: 'system', name: 'test', ip: null };
const kinds: StoreKind[] = await storeKinds();
const APPLE = '/account/app-passwords/apple';

const SERVICES = {
  organizationName: 'Example',
  mailDomains: 'example.org',
  imapHost: 'mail.example.org',
  imapPort: 993,
  imapSecurity: 'ssl',
  smtpHost: 'mail.example.org',
  smtpPort: 587,
  smtpSecurity: 'starttls',
  calDavUrl: 'https://dav.example.org/dav/calendars/',
  cardDavUrl: 'https://dav.example.org:8443/dav/contacts/',
};

type Dict = Record<string, unknown>;

/** A self-signed certificate for id.example.org, as LATCHKEY_TLS_CERT / LATCHKEY_TLS_KEY would hold. */
function makeCertificate(dir: string): { cert: Buffer; key: Buffer; certFile: string } {
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=id.example.org',
      '-days',
      '2',
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certFile), key: readFileSync(keyFile), certFile };
}

/** openssl's view of a signed profile: the content, if the signature (and with a CA file, the chain) holds. */
function opensslVerify(der: Buffer, dir: string, caFile: string | null): string {
  const file = join(dir, `profile-${Date.now()}-${Math.random()}.mobileconfig`);
  writeFileSync(file, der);
  const args = ['cms', '-verify', '-inform', 'DER', '-in', file];
  args.push(...(caFile ? ['-CAfile', caFile, '-purpose', 'any'] : ['-noverify']));
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
}

describe.each(kinds)('Apple configuration profile on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let unsignedApp: FastifyInstance;
  let dir: string;
  let tls: ReturnType<typeof makeCertificate>;
  let clock = Date.UTC(2026, 10, 29, 9, 0, 0);
  const now = () => clock;
  let erin: WebClient;
  let seed: string;
  const logStream = new PassThrough();
  const logLines: string[] = [];

  const count = async (u: string) => (await core.appPasswords.listAppPasswords(system, u)).length;
  const basic = (user: string, secret: string) =>
    app.inject({
      method: 'GET',
      url: '/auth/basic',
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`,
        'x-latchkey-door': 'imap',
      },
      remoteAddress: '203.0.113.9',
    });

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    dir = tempDir('latchkey-profile-');
    tls = makeCertificate(dir);
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0, now });
    logStream.on('data', (c: Buffer) => logLines.push(c.toString('utf8')));
    app = buildApp({ core, logLevel: 'debug', logStream, https: { cert: tls.cert, key: tls.key } });
    unsignedApp = buildApp({ core, logLevel: 'silent' });
    await core.users.createUser(system, {
      username: 'erin',
      email: 'erin.e@example.org',
      displayName: 'Erin E',
      password: 'erin password 1',
    });
    await core.twoStep.setTwoStepState(system, 'erin', 'enabled');
    await core.users.createUser(system, { username: 'frank', password: 'frank password 1' });

    // Erin registers an authenticator through the pages, as a person does (R7).
    erin = new WebClient(app);
    let r = await erin.signIn('erin', 'erin password 1');
    expect(r.headers.location).toBe('/sign-in/register');
    r = await erin.follow();
    seed = /class="secret-value small"[^>]*>([A-Z2-7 ]+)</.exec(r.body)![1]!.replace(/ /g, '');
    r = await erin.post('/sign-in/register', { method: 'totp', code: totpCode(seed, clock) });
    await erin.follow();
    await erin.post('/sign-in/recovery-codes');
    await erin.follow();
    await erin.post('/sign-in/app-password', { label: 'Laptop' });
    r = await erin.post('/sign-in/done');
    expect(r.headers.location).toBe('/account');
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await unsignedApp.close();
    await core.close();
    await t.cleanup();
  });

  it.runIf(kind.available)('is not offered until the organization sets its servers', async () => {
    const list = await erin.get('/account/app-passwords');
    expect(list.statusCode).toBe(200);
    expect(text(list.body)).not.toContain('Set up an iPhone, iPad or Mac');
    const r = await erin.get(APPLE);
    expect(r.statusCode).toBe(404);
    expect(text(r.body)).toContain('has not set up mail, calendar or contacts servers');
    await core.settings.updateSettings(system, SERVICES);
  });

  it.runIf(kind.available)(
    'downloads a signed profile once; its app password opens /auth/basic',
    async () => {
      const list = await erin.get('/account/app-passwords');
      expect(text(list.body)).toContain('Set up an iPhone, iPad or Mac');
      expect(text(list.body)).toContain('mail, calendars and contacts');
      const form = await erin.get(APPLE);
      expect(form.statusCode).toBe(200);
      expect(text(form.body)).toContain('The file holds a new app password');
      expect(text(form.body)).toContain('It is offered once');
      cspClean(form.body);
      cspClean(list.body);
      const offer = /name="offer" value="([^"]+)"/.exec(form.body)![1]!;
      const before = await count('erin');

      const r = await erin.post(APPLE, { offer, device: 'Erin’s iPhone' });
      expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
      expect(r.headers['content-type']).toBe('application/x-apple-aspen-config');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['content-disposition']).toBe('attachment; filename="Erins-iPhone.mobileconfig"');
      expect(await count('erin')).toBe(before + 1);

      // The signature holds, for openssl, against the server's own certificate.
      const der = r.rawPayload;
      expect(der[0]).toBe(0x30); // DER SEQUENCE, not XML
      const xml = opensslVerify(der, dir, tls.certFile);
      expect(opensslVerify(der, dir, null)).toBe(xml);
      const signer = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER'], {
        input: der,
      }).toString('utf8');
      expect(signer).toContain('CN=id.example.org');
      expect(signer).toMatch(/messageDigest/);
      // A flipped byte in the content is caught.
      const tampered = Buffer.from(der);
      const at = tampered.indexOf(Buffer.from('mail.example.org'));
      tampered[at] = 'n'.charCodeAt(0);
      expect(() => opensslVerify(tampered, dir, null)).toThrow();

      const profile = parsePlist(xml) as Dict;
      expect(profile).toMatchObject({
        PayloadType: 'Configuration',
        PayloadVersion: 1,
        PayloadRemovalDisallowed: false,
        PayloadOrganization: 'Example',
        PayloadDisplayName: 'Example: Erin’s iPhone',
      });
      const content = profile.PayloadContent as Dict[];
      expect(content.map((p) => p.PayloadType)).toEqual([
        'com.apple.mail.managed',
        'com.apple.caldav.account',
        'com.apple.carddav.account',
      ]);
      const [mail, cal, card] = content as [Dict, Dict, Dict];
      const password = mail.IncomingPassword as string;
      expect(password).toMatch(/^([a-z]{4} ){5}[a-z]{4}$/);
      expect(mail).toMatchObject({
        EmailAccountType: 'EmailTypeIMAP',
        EmailAddress: 'erin.e@example.org',
        EmailAccountName: 'Erin E',
        IncomingMailServerHostName: 'mail.example.org',
        IncomingMailServerPortNumber: 993,
        IncomingMailServerUseSSL: true,
        IncomingMailServerUsername: 'erin.e@example.org',
        IncomingMailServerAuthentication: 'EmailAuthPassword',
        OutgoingMailServerHostName: 'mail.example.org',
        OutgoingMailServerPortNumber: 587,
        OutgoingMailServerUseSSL: true,
        OutgoingMailServerUsername: 'erin.e@example.org',
        OutgoingPassword: password,
      });
      expect(cal).toMatchObject({
        CalDAVHostName: 'dav.example.org',
        CalDAVPort: 443,
        CalDAVUseSSL: true,
        CalDAVPrincipalURL: 'https://dav.example.org/dav/calendars/',
        CalDAVUsername: 'erin.e@example.org',
        CalDAVPassword: password,
      });
      expect(card).toMatchObject({
        CardDAVHostName: 'dav.example.org',
        CardDAVPort: 8443,
        CardDAVUseSSL: true,
        CardDAVPrincipalURL: 'https://dav.example.org:8443/dav/contacts/',
        CardDAVUsername: 'erin.e@example.org',
        CardDAVPassword: password,
      });
      const uuids = [profile, ...content].map((p) => p.PayloadUUID as string);
      for (const u of uuids)
        expect(u).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-8[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
      expect(new Set(uuids).size).toBe(4);
      const ids = [profile, ...content].map((p) => p.PayloadIdentifier as string);
      expect(new Set(ids).size).toBe(4);
      for (const id of ids) expect(id.startsWith('localhost.latchkey.')).toBe(true);

      // The app password is real: it opens the HTTP door (by address or by name), and is listed under
      // the device's name, created through the portal like any other.
      expect((await basic('erin.e@example.org', password)).statusCode).toBe(200);
      expect((await basic('erin', password.replace(/ /g, ''))).statusCode).toBe(200);
      const listed = text((await erin.get('/account/app-passwords')).body);
      expect(listed).toContain('Erin’s iPhone');
      const audit = await core.audit.listAudit(system, { target: 'erin', limit: 5 });
      expect(audit.find((a) => a.action === 'app_password.created')).toMatchObject({
        actor: 'user:erin',
        details: { label: 'Erin’s iPhone' },
      });
      await core.ctx.usage.flush();
      const log = await core.signInLog.listSignIns(system, { username: 'erin', door: 'imap', limit: 10 });
      expect(log.some((e) => e.result === 'accepted' && e.appPasswordLabel === 'Erin’s iPhone')).toBe(true);
      // Never in a page or a log line: the profile's password is nowhere but in the file.
      expect(listed).not.toContain(password);
      const logs = logLines.join('');
      expect(logs).toContain('Apple configuration profile issued');
      expect(logs).not.toContain(password);
      expect(logs).not.toContain(password.replace(/ /g, ''));

      // The same form again (a reload, a double click, a replay): no second profile, no second password.
      const again = await erin.post(APPLE, { offer, device: 'Erin’s iPhone' });
      expect(again.statusCode).toBe(409);
      expect(again.headers['content-type']).toContain('text/html');
      expect(text(again.body)).toContain('This profile was already downloaded');
      expect(again.body).not.toContain(password);
      expect(await count('erin')).toBe(before + 1);
      // A token that was never offered, or one of another person's forms, is no better.
      const forged = await erin.post(APPLE, { offer: 'A'.repeat(43), device: 'Other' });
      expect(forged.statusCode).toBe(410);
      expect(await count('erin')).toBe(before + 1);
    },
  );

  it.runIf(kind.available)('without a signing certificate the profile is the plain plist', async () => {
    // A server without LATCHKEY_TLS_CERT (and so plain-http cookies): Erin signs in there too.
    const c = new WebClient(unsignedApp);
    expect((await c.signIn('erin', 'erin password 1')).headers.location).toBe('/sign-in/verify');
    clock += 30_000;
    await c.get('/sign-in/verify');
    const signedIn = await c.post('/sign-in/verify', { method: 'totp', code: totpCode(seed, clock) });
    expect(signedIn.headers.location).toBe('/account');
    const form = await c.get(APPLE);
    const offer = /name="offer" value="([^"]+)"/.exec(form.body)![1]!;
    const r = await c.post(APPLE, { offer, device: 'Mac' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-apple-aspen-config');
    expect(r.body.startsWith('<?xml')).toBe(true);
    const profile = parsePlist(r.body) as Dict;
    expect((profile.PayloadContent as Dict[]).length).toBe(3);
    // Its UUIDs come from its own app password: the same each time it is built, none shared.
    const mac = (await core.appPasswords.listAppPasswords(system, 'erin')).find((a) => a.label === 'Mac')!;
    expect(profile.PayloadUUID).toBe(stableUuid(mac.id, 'profile'));
    expect((profile.PayloadContent as Dict[])[0]!.PayloadUUID).toBe(stableUuid(mac.id, 'mail'));
    expect(stableUuid(mac.id, 'profile')).not.toBe(stableUuid(`${mac.id}x`, 'profile'));
    expect(r.body).not.toContain('Erin’s iPhone');
  });

  it.runIf(kind.available)('asks for the second step again when sudo mode has lapsed', async () => {
    clock += 11 * 60_000;
    const before = await count('erin');
    const form = await erin.get(APPLE);
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe('/account/verify');
    const post = await erin.post(APPLE, { offer: 'B'.repeat(43), device: 'iPad' });
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toBe('/account/verify');
    expect(await count('erin')).toBe(before);
    // After the second step it comes back to the form.
    await erin.follow();
    const r = await erin.post('/account/verify', { method: 'totp', code: totpCode(seed, clock) });
    expect(r.headers.location).toBe(APPLE);
    expect((await erin.follow()).statusCode).toBe(200);
  });

  it.runIf(kind.available)(
    'holds the limit, names the device, and keeps people without two-step out',
    async () => {
      const n = await count('erin');
      await core.settings.updateSettings(system, { maxAppPasswordsPerUser: n });
      const full = await erin.get(APPLE);
      expect(full.statusCode).toBe(409);
      expect(text(full.body)).toContain('maximum of');
      await core.settings.updateSettings(system, { maxAppPasswordsPerUser: 40 });

      const form = await erin.get(APPLE);
      const offer = /name="offer" value="([^"]+)"/.exec(form.body)![1]!;
      const unnamed = await erin.post(APPLE, { offer, device: '   ' });
      expect(unnamed.statusCode).toBe(400);
      expect(unnamed.headers['content-type']).toContain('text/html');
      expect(await count('erin')).toBe(n);

      // Frank has no two-step verification: his apps use his password, and no profile is offered (R9).
      const frank = new WebClient(app, '198.51.100.8');
      expect((await frank.signIn('frank', 'frank password 1')).statusCode).toBe(303);
      const r = await frank.get(APPLE);
      expect(r.statusCode).toBe(404);
      expect(await count('frank')).toBe(0);
    },
  );

  it.runIf(kind.available)('a profile that cannot be signed leaves no app password behind', async () => {
    const n = await count('erin');
    const id = (await core.users.getUser(system, 'erin')).id;
    const token = await offerAppleProfile(core.ctx, id);
    const broken = {
      subject: 'CN=broken',
      sign: async () => {
        throw new Error('the signing key went away');
      },
    };
    const account = { userId: id, username: 'erin', email: null, displayName: null };
    await expect(issueAppleProfile(core.ctx, system, account, 'Broken', token, broken)).rejects.toThrow(
      'went away',
    );
    expect(await count('erin')).toBe(n);
  });
});

describe('the login name in the profile', () => {
  // Sign-in by address: a person without an e-mail address must sign in by username, since an address
  // made up from the first mail domain is not one Latchkey knows (and so nothing accepts it).
  const services = deviceServices({ ...DEFAULT_SETTINGS, ...SERVICES, mailLoginName: 'address' });
  const profile = async (email: string | null) => {
    const xml = await appleProfilePlist({
      services,
      account: { username: 'finn', email, displayName: null },
      publicHost: 'id.example.org',
      device: 'iPad',
      appPasswordId: 'ap1',
      password: 'abcdefghijklmnopqrstuvwx',
    });
    const mail = (parsePlist(xml) as { PayloadContent: Record<string, unknown>[] }).PayloadContent.find(
      (c) => c.PayloadType === 'com.apple.mail.managed',
    )!;
    return mail;
  };

  it('uses the address when the account has one, the username when it has none', async () => {
    const withAddress = await profile('finn.f@example.org');
    expect(withAddress.IncomingMailServerUsername).toBe('finn.f@example.org');
    expect(withAddress.OutgoingMailServerUsername).toBe('finn.f@example.org');
    const without = await profile(null);
    expect(without.IncomingMailServerUsername).toBe('finn');
    expect(without.OutgoingMailServerUsername).toBe('finn');
  });
});

describe('the profile signer (LATCHKEY_TLS_CERT / LATCHKEY_TLS_KEY)', () => {
  const dir = tempDir('latchkey-cms-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });

  it('signs with an RSA key, and with a certificate issued by a CA: the chain verifies', async () => {
    // A CA, and an RSA server certificate it issued; the PEM bundle holds both, leaf first.
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-subj',
      '/CN=Test CA',
      '-days',
      '2',
    );
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'srv.key',
      '-out',
      'srv.csr',
      '-subj',
      '/CN=id.example.org',
    );
    ssl(
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'srv.crt',
      '-days',
      '2',
    );
    const bundle = `${readFileSync(join(dir, 'srv.crt'), 'utf8')}${readFileSync(join(dir, 'ca.crt'), 'utf8')}`;
    const signer = await createCmsSigner(bundle, readFileSync(join(dir, 'srv.key'), 'utf8'));
    expect(signer.subject).toBe('CN=id.example.org');
    const content = Buffer.from('<plist>ünïcode</plist>');
    const der = await signer.sign(content);
    expect(opensslVerify(der, dir, join(dir, 'ca.crt'))).toBe(content.toString('utf8'));
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER'], {
      input: der,
    }).toString();
    expect(printed).toContain('CN=Test CA');
    expect(printed).toMatch(/sha256WithRSAEncryption|rsaEncryption/);
  });

  it('refuses a key that does not belong to the certificate, and text that holds no certificate', async () => {
    ssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'a.key',
      '-out',
      'a.crt',
      '-subj',
      '/CN=a',
      '-days',
      '2',
    );
    ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'b.key');
    await expect(
      createCmsSigner(readFileSync(join(dir, 'a.crt'), 'utf8'), readFileSync(join(dir, 'b.key'), 'utf8')),
    ).rejects.toThrow('does not belong');
    await expect(
      createCmsSigner('not a certificate', readFileSync(join(dir, 'b.key'), 'utf8')),
    ).rejects.toThrow('no certificate');
  });
});
