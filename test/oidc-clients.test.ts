// OpenID Connect clients and signing keys (issue 10) on both stores: registration and its checks,
// secrets that exist only in the answer, deletion that ends everything issued to a client, the key
// set's order across a rotation, and the same through the CLI and the admin API.

import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import { PUBLISH_BEFORE_SIGN_MS, type SigningJwk, VERIFY_AFTER_RETIRE_MS } from '../src/core/oidc-keys.js';
import type { Actor } from '../src/core/policy.js';
import { keyedHash } from '../src/crypto/app-passwords.js';
import { buildApp } from '../src/http/app.js';
import { apiCaller } from './helpers/api-client.js';
import { runCli } from './helpers/cli.js';
import { type StoreKind, storeKinds, type TestStore, tempDir } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const admin: Actor = { kind: 'token', tokenId: 'adm', role: 'admin', ip: '192.0.2.7' };
const helpdesk: Actor = { kind: 'token', tokenId: 'hd', role: 'helpdesk', ip: null };
const person: Actor = { kind: 'user', userId: 'u1', username: 'alice', role: 'user', ip: null };
const HOUR = 3_600_000;

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toMatchObject({ code });
}

describe.each(kinds)('OpenID Connect clients and keys on $name', (kind) => {
  const test = kind.available ? it : it.skip;
  let t: TestStore;
  let core: Core;
  let clock = Date.UTC(2026, 0, 5, 9);

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({
      store: t.store,
      keys: t.keys,
      now: () => clock,
      flushIntervalMs: 0,
      publicUrl: 'https://id.example.org/',
    });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await core.close();
    await t.cleanup();
  });

  const auditActions = async (n: number) =>
    (await core.audit.listAudit(system, { limit: n })).map((e) => [e.action, e.target, e.actor]);
  const clientRow = (id: string) =>
    t.store.db.selectFrom('oidc_clients').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  test('add, list, show, rotate and delete, each with its audit event', async () => {
    const created = await core.oidcClients.addClient(admin, {
      name: 'Wiki',
      redirectUris: ['https://wiki.example.org/oidc/callback', 'https://wiki.example.org/oidc/callback'],
      postLogoutRedirectUris: ['https://wiki.example.org/'],
      backchannelLogoutUri: 'https://wiki.example.org/oidc/logout',
      scopes: ['email', 'openid'],
      trusted: true,
    });
    expect(created.issuer).toBe('https://id.example.org');
    expect(created.clientId).toMatch(/^lkc_[A-Za-z0-9_-]{22}$/);
    expect(created.clientSecret).toMatch(/^lkcs_[A-Za-z0-9_-]{43}$/);
    expect(await auditActions(1)).toEqual([['oidc_client.created', 'oidc_client:wiki', 'token:adm']]);

    const shown = await core.oidcClients.getClient(admin, 'wiki');
    expect(shown).toMatchObject({
      clientId: created.clientId,
      name: 'wiki',
      public: false,
      trusted: true,
      // Duplicates dropped; scopes in their canonical order.
      redirectUris: ['https://wiki.example.org/oidc/callback'],
      postLogoutRedirectUris: ['https://wiki.example.org/'],
      backchannelLogoutUri: 'https://wiki.example.org/oidc/logout',
      scopes: ['openid', 'email'],
      secretRotatedAt: null,
      lastUsedAt: null,
    });
    expect(await core.oidcClients.getClient(admin, created.clientId)).toEqual(shown);
    expect(JSON.stringify(shown)).not.toContain(created.clientSecret);
    const listed = await core.oidcClients.listClients(admin);
    expect(listed.map((c) => c.name)).toContain('wiki');
    expect(JSON.stringify(listed)).not.toContain(created.clientSecret);

    const rotated = await core.oidcClients.rotateClientSecret(admin, 'wiki');
    expect(rotated.clientId).toBe(created.clientId);
    expect(rotated.clientSecret).toMatch(/^lkcs_/);
    expect(rotated.clientSecret).not.toBe(created.clientSecret);
    expect(await auditActions(1)).toEqual([['oidc_client.secret_rotated', 'oidc_client:wiki', 'token:adm']]);
    const meta = (await core.oidcClients.clientMetadata(created.clientId))!;
    expect(core.oidcClients.checkClientSecret(meta.client_secret!, rotated.clientSecret)).toBe(true);
    expect(core.oidcClients.checkClientSecret(meta.client_secret!, created.clientSecret!)).toBe(false);
    expect((await core.oidcClients.getClient(admin, 'wiki')).secretRotatedAt).not.toBeNull();

    await core.oidcClients.deleteClient(admin, 'wiki');
    expect(await auditActions(1)).toEqual([['oidc_client.deleted', 'oidc_client:wiki', 'token:adm']]);
    await expectCode(core.oidcClients.getClient(admin, 'wiki'), 'CLIENT_NOT_FOUND');
    await expectCode(core.oidcClients.deleteClient(admin, 'wiki'), 'CLIENT_NOT_FOUND');
    expect(await core.oidcClients.clientMetadata(created.clientId)).toBeUndefined();
  });

  test('names are checked like service names, unique, and never look like a client id', async () => {
    for (const name of ['', ' ', '-x', 'a b', 'x'.repeat(65), 'caf\u00e9', 'lkc_abc', '\u212Aate']) {
      await expectCode(
        core.oidcClients.addClient(admin, { name, redirectUris: ['https://a.example/cb'] }),
        'CLIENT_NAME_INVALID',
      );
    }
    await core.oidcClients.addClient(admin, { name: 'grafana', redirectUris: ['https://g.example/cb'] });
    await expectCode(
      core.oidcClients.addClient(admin, { name: 'Grafana', redirectUris: ['https://g.example/cb'] }),
      'CLIENT_EXISTS',
    );
    await expectCode(core.oidcClients.getClient(admin, 'lkc_nosuchclient'), 'CLIENT_NOT_FOUND');
  });

  test('bad redirect, post-logout and back-channel URIs are refused and nothing is stored', async () => {
    const before = (await core.oidcClients.listClients(admin)).length;
    const auditBefore = (await core.audit.listAudit(system, { limit: 10000 })).length;
    const bad: unknown[] = [
      'http://app.example.org/cb', // plain http off loopback
      'https://app.example.org/cb#frag',
      '/relative/cb',
      'app.example.org/cb',
      'https:app.example.org/cb',
      'javascript:alert(1)',
      'com.example.app:/cb', // private-use schemes are not allowed here
      'ftp://app.example.org/cb',
      'https://user:pw@app.example.org/cb',
      'https://@app.example.org/cb',
      'https://evil.example\\@app.example.org/cb',
      'https://app.example.org/c b',
      'https://app.example.org/\u0000cb',
      'https://app.example.org/\u00e9',
      'https://app.example.org/cb\n',
      `https://app.example.org/${'a'.repeat(2000)}`,
      'http://localhost.evil.example/cb',
      'http://10.0.0.1/cb',
      '',
      42,
    ];
    for (const uri of bad) {
      await expectCode(
        core.oidcClients.addClient(admin, { name: 'bad', redirectUris: [uri as string] }),
        'REDIRECT_URI_INVALID',
      );
      await expectCode(
        core.oidcClients.addClient(admin, {
          name: 'bad',
          redirectUris: ['https://ok.example/cb'],
          postLogoutRedirectUris: [uri as string],
        }),
        'REDIRECT_URI_INVALID',
      );
      if (uri !== '') {
        await expectCode(
          core.oidcClients.addClient(admin, {
            name: 'bad',
            redirectUris: ['https://ok.example/cb'],
            backchannelLogoutUri: uri as string,
          }),
          'REDIRECT_URI_INVALID',
        );
      }
    }
    await expectCode(
      core.oidcClients.addClient(admin, { name: 'bad', redirectUris: [] }),
      'REDIRECT_URI_INVALID',
    );
    const many = Array.from({ length: 21 }, (_, i) => `https://app.example.org/cb${i}`);
    await expectCode(
      core.oidcClients.addClient(admin, { name: 'bad', redirectUris: many }),
      'REDIRECT_URI_INVALID',
    );
    for (const scopes of [[], ['openid', 'admin'], ['OPENID'], [1]]) {
      await expectCode(
        core.oidcClients.addClient(admin, {
          name: 'bad',
          redirectUris: ['https://ok.example/cb'],
          scopes: scopes as string[],
        }),
        'CLIENT_SCOPE_INVALID',
      );
    }
    expect((await core.oidcClients.listClients(admin)).length).toBe(before);
    expect((await core.audit.listAudit(system, { limit: 10000 })).length).toBe(auditBefore);

    // RFC 8252 native apps: http on the loopback interface, any port; the URI is kept as typed.
    const ok = await core.oidcClients.addClient(admin, {
      name: 'native',
      redirectUris: [
        'http://127.0.0.1:8765/callback',
        'http://[::1]:8765/callback',
        'http://localhost/callback',
        'https://app.example.org/cb?tenant=1',
        `https://app.example.org/${'a'.repeat(1970)}`,
      ],
      postLogoutRedirectUris: [],
      public: true,
    });
    expect((await core.oidcClients.getClient(admin, ok.clientId)).redirectUris[3]).toBe(
      'https://app.example.org/cb?tenant=1',
    );
  });

  test('a public client has no secret, cannot rotate one, and authenticates with none', async () => {
    const pub = await core.oidcClients.addClient(admin, {
      name: 'cli-tool',
      redirectUris: ['http://127.0.0.1/callback'],
      public: true,
    });
    expect(pub.clientSecret).toBeNull();
    expect((await clientRow(pub.clientId)).secret_hash).toBeNull();
    await expectCode(core.oidcClients.rotateClientSecret(admin, 'cli-tool'), 'CLIENT_PUBLIC');
    const meta = await core.oidcClients.clientMetadata(pub.clientId);
    expect(meta).toMatchObject({ token_endpoint_auth_method: 'none', latchkey_trusted: false });
    expect(meta).not.toHaveProperty('client_secret');
    expect((await core.oidcClients.getClient(admin, 'cli-tool')).scopes).toEqual([
      'openid',
      'profile',
      'email',
      'groups',
      'offline_access',
    ]);
  });

  test('the secret is stored only as a keyed hash; checkClientSecret takes the right one only', async () => {
    const c = await core.oidcClients.addClient(admin, {
      name: 'nextcloud',
      redirectUris: ['https://cloud.example.org/apps/user_oidc/code'],
    });
    const secret = c.clientSecret!;
    const row = await clientRow(c.clientId);
    expect(Buffer.from(row.secret_hash!).equals(keyedHash(t.keys.hmac, secret))).toBe(true);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret.slice(5));

    const meta = (await core.oidcClients.clientMetadata(c.clientId))!;
    expect(meta).toEqual({
      client_id: c.clientId,
      client_name: 'nextcloud',
      redirect_uris: ['https://cloud.example.org/apps/user_oidc/code'],
      post_logout_redirect_uris: [],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      scope: 'openid profile email groups offline_access',
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret: Buffer.from(row.secret_hash!).toString('base64url'),
      latchkey_trusted: false,
    });
    expect(meta.client_secret).not.toContain(secret);
    const check = core.oidcClients.checkClientSecret;
    expect(check(meta.client_secret!, secret)).toBe(true);
    for (const wrong of [
      '',
      `${secret}x`,
      secret.slice(0, -1),
      secret.toUpperCase(),
      meta.client_secret!,
      'x'.repeat(2000),
    ]) {
      expect(check(meta.client_secret!, wrong), wrong.slice(0, 20)).toBe(false);
    }
    expect(check('', secret)).toBe(false);
    expect(check('short', secret)).toBe(false);
    expect(check(meta.client_secret!, undefined as unknown as string)).toBe(false);
    // Unknown, malformed or foreign ids find nothing.
    for (const id of ['lkc_nope', 'nextcloud', '', 'x'.repeat(500), undefined]) {
      expect(await core.oidcClients.clientMetadata(id as string)).toBeUndefined();
    }
  });

  test('deleting a client ends every code, token and grant issued to it, and nothing else', async () => {
    const a = await core.oidcClients.addClient(admin, {
      name: 'doomed',
      redirectUris: ['https://d.example/cb'],
    });
    const b = await core.oidcClients.addClient(admin, {
      name: 'kept',
      redirectUris: ['https://k.example/cb'],
    });
    const row = (model: string, id: string, clientId: string | null) => ({
      model,
      id,
      payload: JSON.stringify({ jti: id, clientId }),
      grant_id: `g-${id}`,
      user_code: null,
      uid: null,
      client_id: clientId,
      account_id: 'acc1',
      expires_at: clock + HOUR,
      consumed_at: null,
    });
    await t.store.db
      .insertInto('oidc_payloads')
      .values([
        row('AccessToken', 'at1', a.clientId),
        row('RefreshToken', 'rt1', a.clientId),
        row('Grant', 'gr1', a.clientId),
        row('AccessToken', 'at2', b.clientId),
        row('Session', 'se1', null),
      ])
      .execute();
    await core.oidcClients.deleteClient(admin, a.clientId);
    const left = await t.store.db.selectFrom('oidc_payloads').select(['model', 'id']).orderBy('id').execute();
    expect(left).toEqual([
      { model: 'AccessToken', id: 'at2' },
      { model: 'Session', id: 'se1' },
    ]);
    const [e] = await core.audit.listAudit(system, { limit: 1 });
    expect(e).toMatchObject({
      action: 'oidc_client.deleted',
      target: 'oidc_client:doomed',
      details: { clientId: a.clientId, objectsRevoked: 3 },
    });
  });

  test('only administrators manage clients and keys', async () => {
    const auditBefore = (await core.audit.listAudit(system, { limit: 10000 })).length;
    for (const who of [helpdesk, person]) {
      await expectCode(core.oidcClients.listClients(who), 'FORBIDDEN');
      await expectCode(core.oidcClients.getClient(who, 'kept'), 'FORBIDDEN');
      await expectCode(
        core.oidcClients.addClient(who, { name: 'x', redirectUris: ['https://x.example/cb'] }),
        'FORBIDDEN',
      );
      await expectCode(core.oidcClients.rotateClientSecret(who, 'kept'), 'FORBIDDEN');
      await expectCode(core.oidcClients.deleteClient(who, 'kept'), 'FORBIDDEN');
      await expectCode(core.oidcKeys.rotateKeys(who), 'FORBIDDEN');
    }
    expect((await core.audit.listAudit(system, { limit: 10000 })).length).toBe(auditBefore);
    expect((await core.oidcClients.getClient(admin, 'kept')).name).toBe('kept');
  });

  test('touchClient writes last use at most once a minute per client', async () => {
    const c = await core.oidcClients.addClient(admin, {
      name: 'touched',
      redirectUris: ['https://t.example/cb'],
    });
    const lastUsed = async () => (await clientRow(c.clientId)).last_used_at;
    await core.oidcClients.touchClient(c.clientId);
    expect(await lastUsed()).toBe(clock);
    const first = clock;
    clock += 30_000;
    await core.oidcClients.touchClient(c.clientId);
    expect(await lastUsed()).toBe(first);
    clock += 31_000;
    await core.oidcClients.touchClient(c.clientId);
    expect(await lastUsed()).toBe(clock);
    expect((await core.oidcClients.getClient(admin, 'touched')).lastUsedAt).toBe(
      new Date(clock).toISOString(),
    );
    // Unknown ids are harmless.
    await core.oidcClients.touchClient('lkc_unknown');
  });

  test('signing keys: the first is made once, even when asked for at the same time', async () => {
    expect(await t.store.db.selectFrom('oidc_keys').selectAll().execute()).toEqual([]);
    // Three callers (on PostgreSQL: three connections, as three nodes would be) find no key, generate
    // one each and reach their insert together: here the table is locked against writes until they all
    // wait on it (on SQLite the open transaction holds the only write connection).
    let pending: Promise<{ keys: SigningJwk[] }[]> | null = null;
    await t.store.transaction(async (trx) => {
      if (t.store.dialect === 'postgres') await sql`lock table oidc_keys in exclusive mode`.execute(trx);
      pending = Promise.all([
        core.oidcKeys.signingKeys(),
        core.oidcKeys.signingKeys(),
        core.oidcKeys.signingKeys(),
      ]);
      await new Promise((r) => setTimeout(r, 1500));
    });
    const sets = await pending!;
    const rows = await t.store.db.selectFrom('oidc_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    for (const s of sets) expect(s.keys.map((k) => k.kid)).toEqual([rows[0]!.kid]);

    const [jwk] = sets[0]!.keys;
    expect(jwk).toMatchObject({ kid: rows[0]!.kid, alg: 'RS256', use: 'sig', kty: 'RSA' });
    expect(typeof jwk!.d).toBe('string');
    expect(rows[0]).toMatchObject({ alg: 'RS256', created_at: clock, signs_from: clock, retired_at: null });
    // Sealed: neither the private exponent nor any field name is in the row.
    expect(rows[0]!.sealed_jwk).not.toContain(jwk!.d!);
    expect(rows[0]!.sealed_jwk).not.toContain(jwk!.d!.slice(0, 16));
    expect(rows[0]!.sealed_jwk).not.toContain('"d"');
    expect(rows[0]!.sealed_jwk).toMatch(/^v1\./);
    // A working RSA key pair of 2048 bits.
    const priv = createPrivateKey({ key: jwk!, format: 'jwk' });
    expect(priv.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const sig = sign('sha256', Buffer.from('payload'), priv);
    expect(verify('sha256', Buffer.from('payload'), createPublicKey(priv), sig)).toBe(true);
  });

  test('rotation: published at once, signing an hour later, the old key verifying a day after that', async () => {
    const [old] = (await core.oidcKeys.signingKeys()).keys;
    const v0 = await core.oidcKeys.keysVersion();
    expect(await core.oidcKeys.keysVersion()).toBe(v0);
    const start = clock;
    const r = await core.oidcKeys.rotateKeys(admin);
    expect(r.signsFrom).toBe(new Date(start + PUBLISH_BEFORE_SIGN_MS).toISOString());
    const [e] = await core.audit.listAudit(system, { limit: 1 });
    expect(e).toMatchObject({
      action: 'oidc_keys.rotated',
      actor: 'token:adm',
      target: `oidc_key:${r.kid}`,
      details: { kid: r.kid, signsFrom: r.signsFrom },
    });
    const v1 = await core.oidcKeys.keysVersion();
    expect(v1).not.toBe(v0);

    const kids = async () => (await core.oidcKeys.signingKeys()).keys.map((k) => k.kid);
    // Published, but the old key still signs until the new one's caches have had their hour.
    expect(await kids()).toEqual([old!.kid, r.kid]);
    clock = start + PUBLISH_BEFORE_SIGN_MS - 1;
    expect(await kids()).toEqual([old!.kid, r.kid]);
    expect(await core.oidcKeys.keysVersion()).toBe(v1);
    clock = start + PUBLISH_BEFORE_SIGN_MS;
    expect(await kids()).toEqual([r.kid, old!.kid]);
    const v2 = await core.oidcKeys.keysVersion();
    expect(v2).not.toBe(v1);
    const oldRow = await t.store.db
      .selectFrom('oidc_keys')
      .selectAll()
      .where('kid', '=', old!.kid)
      .executeTakeFirstOrThrow();
    expect(oldRow.retired_at).toBe(start + PUBLISH_BEFORE_SIGN_MS);

    // Still verifying until the window ends; pruning before then removes nothing.
    clock = start + PUBLISH_BEFORE_SIGN_MS + VERIFY_AFTER_RETIRE_MS - 1;
    expect(await core.oidcKeys.pruneKeys()).toBe(0);
    expect(await kids()).toEqual([r.kid, old!.kid]);
    clock += 1;
    // Out of the published set at once (a version change tells the provider), deleted by housekeeping.
    expect(await kids()).toEqual([r.kid]);
    expect(await core.oidcKeys.keysVersion()).not.toBe(v2);
    expect(await core.oidcKeys.pruneKeys()).toBe(1);
    expect(await core.oidcKeys.pruneKeys()).toBe(0);
    expect((await t.store.db.selectFrom('oidc_keys').select('kid').execute()).map((k) => k.kid)).toEqual([
      r.kid,
    ]);
  });

  test('two rotations within the hour: each key signs in turn, none stays published forever', async () => {
    const [k1] = (await core.oidcKeys.signingKeys()).keys;
    const t0 = clock;
    const k2 = await core.oidcKeys.rotateKeys(system);
    clock = t0 + 10 * 60_000;
    const k3 = await core.oidcKeys.rotateKeys(system);
    const kids = async () => (await core.oidcKeys.signingKeys()).keys.map((k) => k.kid);
    expect(await kids()).toEqual([k1!.kid, k2.kid, k3.kid]);
    clock = t0 + HOUR;
    expect(await kids()).toEqual([k2.kid, k3.kid, k1!.kid]);
    clock = t0 + 10 * 60_000 + HOUR;
    expect(await kids()).toEqual([k3.kid, k2.kid, k1!.kid]);
    clock = t0 + 10 * 60_000 + HOUR + VERIFY_AFTER_RETIRE_MS;
    expect(await kids()).toEqual([k3.kid]);
    expect(await core.oidcKeys.pruneKeys()).toBe(2);
  });
});

describe('clients and keys through the admin API', () => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let adminToken: string;
  let helpdeskToken: string;

  beforeAll(async () => {
    const [sqlite] = await storeKinds();
    t = await sqlite!.open();
    core = await createCore({
      store: t.store,
      keys: t.keys,
      flushIntervalMs: 0,
      publicUrl: 'https://id.example.org',
    });
    app = buildApp({ core, logLevel: 'silent' });
    adminToken = (await core.tokens.createToken(system, { role: 'admin' })).token;
    helpdeskToken = (await core.tokens.createToken(system, { role: 'helpdesk' })).token;
  });
  afterAll(async () => {
    await app.close();
    await core.close();
    await t.cleanup();
  });

  const call = apiCaller(() => app);

  it('registers, shows, rotates and deletes; secrets only in the answers that create them', async () => {
    const r = await call(adminToken, 'POST', '/api/v1/clients', {
      name: 'grafana',
      redirectUris: ['https://grafana.example.org/login/generic_oauth'],
      scopes: ['openid', 'profile', 'email', 'groups'],
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    const created = r.json();
    expect(Object.keys(created).sort()).toEqual(['clientId', 'clientSecret', 'issuer']);
    expect(created.issuer).toBe('https://id.example.org');
    expect(created.clientSecret).toMatch(/^lkcs_/);

    const list = await call(adminToken, 'GET', '/api/v1/clients');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([expect.objectContaining({ name: 'grafana', clientId: created.clientId })]);
    expect(list.body).not.toContain(created.clientSecret);
    const one = await call(adminToken, 'GET', `/api/v1/clients/${created.clientId}`);
    expect(one.json()).toMatchObject({
      name: 'grafana',
      public: false,
      trusted: false,
      scopes: ['openid', 'profile', 'email', 'groups'],
      backchannelLogoutUri: null,
    });

    const rot = await call(adminToken, 'POST', '/api/v1/clients/grafana/rotate-secret');
    expect(rot.statusCode).toBe(200);
    expect(rot.headers['cache-control']).toBe('no-store');
    expect(rot.json().clientSecret).toMatch(/^lkcs_/);
    const [e] = await core.audit.listAudit(system, { limit: 1 });
    expect(e).toMatchObject({
      action: 'oidc_client.secret_rotated',
      actor: expect.stringMatching(/^token:/),
    });

    const pub = await call(adminToken, 'POST', '/api/v1/clients', {
      name: 'phone-app',
      redirectUris: ['http://127.0.0.1:53682/'],
      public: true,
      trusted: true,
    });
    expect(pub.statusCode).toBe(201);
    expect(pub.json().clientSecret).toBeNull();
    const noRotate = await call(adminToken, 'POST', '/api/v1/clients/phone-app/rotate-secret');
    expect(noRotate.statusCode).toBe(409);
    expect(noRotate.json()).toMatchObject({ code: 'CLIENT_PUBLIC' });

    const del = await call(adminToken, 'DELETE', '/api/v1/clients/grafana');
    expect(del.statusCode).toBe(204);
    const gone = await call(adminToken, 'GET', '/api/v1/clients/grafana');
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toContain('application/problem+json');
    expect(gone.json()).toMatchObject({ code: 'CLIENT_NOT_FOUND' });
  });

  it('answers bad input with problem+json and a stable code, storing nothing', async () => {
    const before = (await core.oidcClients.listClients(system)).length;
    const cases: [unknown, number, string][] = [
      [{ name: 'a', redirectUris: ['http://a.example/cb'] }, 400, 'REDIRECT_URI_INVALID'],
      [{ name: 'a', redirectUris: ['https://a.example/cb#x'] }, 400, 'REDIRECT_URI_INVALID'],
      [{ name: 'a', redirectUris: [] }, 400, 'REDIRECT_URI_INVALID'],
      [
        { name: 'a', redirectUris: Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`) },
        400,
        'REDIRECT_URI_INVALID',
      ],
      [
        {
          name: 'a',
          redirectUris: ['https://a.example/cb'],
          postLogoutRedirectUris: ['https://a.example/#x'],
        },
        400,
        'REDIRECT_URI_INVALID',
      ],
      [
        { name: 'a', redirectUris: ['https://a.example/cb'], backchannelLogoutUri: 'http://a.example/bc' },
        400,
        'REDIRECT_URI_INVALID',
      ],
      [{ name: 'a', redirectUris: ['https://a.example/cb'], scopes: ['write'] }, 400, 'CLIENT_SCOPE_INVALID'],
      [{ name: 'A B', redirectUris: ['https://a.example/cb'] }, 400, 'CLIENT_NAME_INVALID'],
      [{ name: 'phone-app', redirectUris: ['https://a.example/cb'] }, 409, 'CLIENT_EXISTS'],
      [{ name: 'a', redirectUris: ['https://a.example/cb'], public: 'yes' }, 400, 'REQUEST_INVALID'],
      [{ name: 'a', redirectUris: ['https://a.example/cb'], secret: 'chosen' }, 400, 'REQUEST_INVALID'],
      [{ redirectUris: ['https://a.example/cb'] }, 400, 'REQUEST_INVALID'],
    ];
    for (const [body, status, code] of cases) {
      const r = await call(adminToken, 'POST', '/api/v1/clients', body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().code).toBe(code);
    }
    expect((await core.oidcClients.listClients(system)).length).toBe(before);
  });

  it('rotates the signing keys', async () => {
    await core.oidcKeys.signingKeys();
    const r = await call(adminToken, 'POST', '/api/v1/keys/rotate');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body).toEqual({ kid: expect.any(String), signsFrom: expect.any(String) });
    expect((await core.oidcKeys.signingKeys()).keys.map((k) => k.kid)).toContain(body.kid);
  });

  it('is for administrator tokens only', async () => {
    const routes: [string, string, unknown][] = [
      ['GET', '/api/v1/clients', undefined],
      ['POST', '/api/v1/clients', { name: 'x', redirectUris: ['https://x.example/cb'] }],
      ['GET', '/api/v1/clients/phone-app', undefined],
      ['DELETE', '/api/v1/clients/phone-app', undefined],
      ['POST', '/api/v1/clients/phone-app/rotate-secret', undefined],
      ['POST', '/api/v1/keys/rotate', undefined],
    ];
    const auditBefore = (await core.audit.listAudit(system, { limit: 10000 })).length;
    for (const [method, url, body] of routes) {
      const h = await call(helpdeskToken, method, url, body);
      expect(h.statusCode, `${method} ${url}`).toBe(403);
      expect(h.json()).toMatchObject({ code: 'FORBIDDEN' });
      const anon = await call(null, method, url, body);
      expect(anon.statusCode).toBe(401);
    }
    expect((await core.audit.listAudit(system, { limit: 10000 })).length).toBe(auditBefore);
    expect((await core.oidcClients.getClient(system, 'phone-app')).name).toBe('phone-app');
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/v1/clients',
      '/api/v1/clients/{name}',
      '/api/v1/clients/{name}/rotate-secret',
      '/api/v1/keys/rotate',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.paths['/api/v1/clients'].post.requestBody.content['application/json'].schema.required).toEqual(
      ['name', 'redirectUris'],
    );
  });
});

describe('latchkey client and latchkey keys', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = tempDir('latchkey-cli-oidc-');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const cli = (args: string[]) =>
    runCli(args, { LATCHKEY_DATA_DIR: dataDir, LATCHKEY_PUBLIC_URL: 'https://id.example.org/' });

  it('adds, lists, shows, rotates and deletes clients; every change is in the audit log', async () => {
    const add = await cli([
      'client',
      'add',
      'wiki',
      '--redirect-uri',
      'https://wiki.example.org/cb',
      '--redirect-uri',
      'https://wiki.example.org/cb2',
      '--post-logout-uri',
      'https://wiki.example.org/',
      '--backchannel-logout-uri',
      'https://wiki.example.org/bc',
      '--scope',
      'openid,profile',
      '--scope',
      'email',
      '--trusted',
      '--json',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const created = JSON.parse(add.stdout);
    expect(Object.keys(created).sort()).toEqual(['clientId', 'clientSecret', 'issuer']);
    expect(created).toMatchObject({
      issuer: 'https://id.example.org',
      clientSecret: expect.stringMatching(/^lkcs_/),
    });

    const show = JSON.parse((await cli(['client', 'show', 'wiki', '--json'])).stdout);
    expect(show).toMatchObject({
      clientId: created.clientId,
      trusted: true,
      public: false,
      redirectUris: ['https://wiki.example.org/cb', 'https://wiki.example.org/cb2'],
      postLogoutRedirectUris: ['https://wiki.example.org/'],
      backchannelLogoutUri: 'https://wiki.example.org/bc',
      scopes: ['openid', 'profile', 'email'],
    });
    const human = await cli(['client', 'show', created.clientId]);
    expect(human.stdout).toMatch(/^name: +wiki$/m);
    expect(human.stdout).not.toContain(created.clientSecret);

    const plain = await cli(['client', 'add', 'grafana', '--redirect-uri', 'https://g.example.org/cb']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^client id: +lkc_\S+$/m);
    expect(plain.stdout).toMatch(/^client secret: +lkcs_\S+$/m);
    expect(plain.stdout).toMatch(/^issuer: +https:\/\/id\.example\.org$/m);

    const pub = JSON.parse(
      (
        await cli([
          'client',
          'add',
          'rclone',
          '--public',
          '--redirect-uri',
          'http://127.0.0.1:53682/',
          '--json',
        ])
      ).stdout,
    );
    expect(pub.clientSecret).toBeNull();
    const noRotate = await cli(['client', 'rotate-secret', 'rclone']);
    expect(noRotate.code).toBe(1);
    expect(noRotate.stderr).toMatch(/^latchkey: CLIENT_PUBLIC: .+\n$/);

    const list = await cli(['client', 'list']);
    expect(list.stdout).toMatch(/^NAME +CLIENT ID +TYPE/);
    expect(list.stdout).toMatch(/rclone +lkc_\S+ +public/);
    const listed = JSON.parse((await cli(['client', 'list', '--json'])).stdout);
    expect(listed.map((c: { name: string }) => c.name)).toEqual(['grafana', 'rclone', 'wiki']);
    expect(JSON.stringify(listed)).not.toContain('lkcs_');

    const rotated = await cli(['client', 'rotate-secret', 'wiki']);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^lkcs_[A-Za-z0-9_-]{43}\n$/);
    const rotatedJson = JSON.parse((await cli(['client', 'rotate-secret', 'wiki', '--json'])).stdout);
    expect(rotatedJson).toEqual({
      clientId: created.clientId,
      clientSecret: expect.stringMatching(/^lkcs_/),
    });

    const del = await cli(['client', 'delete', 'wiki']);
    expect(del.code).toBe(0);
    const gone = await cli(['client', 'show', 'wiki']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^latchkey: CLIENT_NOT_FOUND: .+\n$/);

    const audit = JSON.parse((await cli(['audit', '--json'])).stdout) as { action: string; target: string }[];
    expect(audit.map((e) => `${e.action} ${e.target}`).reverse()).toEqual([
      'oidc_client.created oidc_client:wiki',
      'oidc_client.created oidc_client:grafana',
      'oidc_client.created oidc_client:rclone',
      'oidc_client.secret_rotated oidc_client:wiki',
      'oidc_client.secret_rotated oidc_client:wiki',
      'oidc_client.deleted oidc_client:wiki',
    ]);
  });

  it('refuses bad input with one line and exit 1, misuse with exit 2', async () => {
    const bad = await cli(['client', 'add', 'evil', '--redirect-uri', 'http://evil.example/cb']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^latchkey: REDIRECT_URI_INVALID: [^\n]+\n$/);
    const scope = await cli([
      'client',
      'add',
      'evil',
      '--redirect-uri',
      'https://e.example/cb',
      '--scope',
      'admin',
    ]);
    expect(scope.code).toBe(1);
    expect(scope.stderr).toMatch(/^latchkey: CLIENT_SCOPE_INVALID: /);
    expect((await cli(['client', 'add', 'evil'])).code).toBe(2);
    expect((await cli(['client', 'frobnicate'])).code).toBe(2);
    expect(
      JSON.parse((await cli(['client', 'list', '--json'])).stdout).map((c: { name: string }) => c.name),
    ).not.toContain('evil');
  });

  it('rotates the signing keys', async () => {
    const r = await cli(['keys', 'rotate', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toEqual({ kid: expect.any(String), signsFrom: expect.any(String) });
    const human = await cli(['keys', 'rotate']);
    expect(human.stdout).toMatch(/^New signing key \S+: published now, signs from \d{4}-\d\d-\d\dT/);
    const audit = JSON.parse((await cli(['audit', '--limit', '2', '--json'])).stdout);
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'oidc_keys.rotated',
      'oidc_keys.rotated',
    ]);
  });

  it('the built bin prints a client secret once, as JSON', async () => {
    const bin = join(process.cwd(), 'dist/cli/main.js');
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, 'client', 'add', 'from-bin', '--redirect-uri', 'https://bin.example.org/cb', '--json'],
        {
          env: { ...process.env, LATCHKEY_DATA_DIR: dataDir, LATCHKEY_PUBLIC_URL: 'https://id.example.org' },
        },
        (e, stdout) => resolve({ code: e ? (e.code as number) : 0, stdout }),
      );
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      issuer: 'https://id.example.org',
      clientSecret: expect.any(String),
    });
  });
});
