// RADIUS reply rules (issue 13): attributes an Access-Accept carries by group, checked with the real
// `radclient -x`, which prints the attributes it received. Rules are managed by the CLI, the admin API
// and the core; a change holds on the next request.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import { checkReplyValue, encodeReplyAttribute } from '../src/core/radius-replies.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { buildApp } from '../src/http/app.js';
import { createRadiusServer, type RadiusServer } from '../src/radius/server.js';
import { openStore, type Store } from '../src/store/database.js';
import { apiCaller } from './helpers/api-client.js';
import { runCli } from './helpers/cli.js';
import { type StoreKind, storeKinds } from './helpers/stores.js';

const RADCLIENT = ['/usr/bin/radclient', '/usr/local/bin/radclient'].find((p) => existsSync(p)) ?? null;
const describeRadclient = RADCLIENT || process.env.CI ? describe : describe.skip;
const admin = { kind: 'system', name: 'test', ip: null } as const;

function radclient(port: number, secret: string, attrs: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(RADCLIENT ?? 'radclient', [
      '-x',
      '-r',
      '1',
      '-t',
      '2',
      `127.0.0.1:${port}`,
      'auth',
      secret,
    ]);
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    child.on('close', () => resolve(out));
    child.stdin.end(`${attrs}\n`);
  });
}

const pap = (user: string, password: string) =>
  `User-Name = "${user}", User-Password = "${password}", Message-Authenticator = 0x00`;

/** The attributes radclient printed for the answer it received (the lines after "Received"). */
function received(out: string): string {
  const at = out.indexOf('Received Access-');
  return at < 0 ? '' : out.slice(at);
}

describeRadclient('RADIUS reply rules with radclient', () => {
  let dataDir: string;
  let store: Store;
  let core: Core;
  let server: RadiusServer;
  let port: number;
  let vpnSecret: string;
  let wifiSecret: string;
  const ap: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'latchkey-radius-replies-'));
    const keys = loadServerKeys({ dataDir, hmacKey: null, encryptionKey: null });
    store = await openStore({ dataDir, databaseUrl: null });
    core = await createCore({ store, keys, flushIntervalMs: 0 });
    for (const [name, role] of [
      ['alice', 'user'],
      ['root', 'admin'],
    ] as const) {
      await core.users.createUser(admin, {
        username: name,
        email: `${name}@example.org`,
        password: 'correct horse battery staple',
        role,
      });
      await core.twoStep.setTwoStepState(admin, name, 'enforced');
      ap[name] = (await core.appPasswords.createAppPassword(admin, name, { label: 'VPN' })).password;
    }
    vpnSecret = (await core.radiusClients.addRadiusClient(admin, { name: 'vpn', address: '127.0.0.1' }))
      .secret;
    server = createRadiusServer({ core, log: () => {}, clientsRefreshMs: 100 });
    port = await server.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await server?.close();
    await core?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends no reply attributes but Class when there are no rules', async () => {
    const out = received(await radclient(port, vpnSecret, pap('alice', ap.alice!)));
    expect(out).toContain('Received Access-Accept');
    expect(out).toMatch(/Class = /);
    expect(out).not.toMatch(/Filter-Id|Tunnel-/);
  });

  it('adds a group’s VLAN and filter; a more specific group wins; changes hold on the next request', async () => {
    const add = (group: string, attribute: string, value: string, client: string | null = null) =>
      core.radiusClients.addReplyRule(admin, { group, attribute, value, client });
    await add('users', 'Tunnel-Type', 'VLAN');
    await add('users', 'Tunnel-Medium-Type', 'IEEE-802');
    await add('users', 'Tunnel-Private-Group-Id', '10');
    await add('users', 'Filter-Id', 'staff');
    const adminsVlan = await add('admins', 'Tunnel-Private-Group-Id', '20');
    await add('admins', 'Session-Timeout', '3600');

    const alice = received(await radclient(port, vpnSecret, pap('alice', ap.alice!)));
    expect(alice).toContain('Received Access-Accept');
    expect(alice).toMatch(/Tunnel-Type(:0)? = VLAN/);
    expect(alice).toMatch(/Tunnel-Medium-Type(:0)? = IEEE-802/);
    expect(alice).toMatch(/Tunnel-Private-Group-Id(:0)? = "10"/);
    expect(alice).toMatch(/Filter-Id = "staff"/);
    expect(alice).not.toMatch(/Session-Timeout/);

    const root = received(await radclient(port, vpnSecret, pap('root', ap.root!)));
    expect(root).toMatch(/Tunnel-Private-Group-Id(:0)? = "20"/);
    expect(root).not.toMatch(/Tunnel-Private-Group-Id(:0)? = "10"/);
    expect(root).toMatch(/Session-Timeout = 3600/);
    expect(root).toMatch(/Filter-Id = "staff"/);

    // Deleted: the next request is without it (no cache to wait for).
    await core.radiusClients.deleteReplyRule(admin, adminsVlan.id);
    const after = received(await radclient(port, vpnSecret, pap('root', ap.root!)));
    expect(after).toMatch(/Tunnel-Private-Group-Id(:0)? = "10"/);

    // A rejection carries none of them.
    const wrong = received(await radclient(port, vpnSecret, pap('alice', 'not the password')));
    expect(wrong).toContain('Received Access-Reject');
    expect(wrong).not.toMatch(/Filter-Id|Tunnel-/);
  });

  it('applies a client’s own rule over the rule for every client, to that client only', async () => {
    wifiSecret = (await core.radiusClients.addRadiusClient(admin, { name: 'wifi', address: '127.0.0.0/8' }))
      .secret;
    await core.radiusClients.addReplyRule(admin, {
      group: 'users',
      attribute: 'Filter-Id',
      value: 'guests-only',
      client: 'vpn',
    });
    const viaVpn = received(await radclient(port, vpnSecret, pap('alice', ap.alice!)));
    expect(viaVpn).toMatch(/Filter-Id = "guests-only"/);
    expect(viaVpn).not.toMatch(/Filter-Id = "staff"/);
    expect(wifiSecret).toBeTruthy();
    // Deleting the client deletes its own rules.
    await core.radiusClients.deleteRadiusClient(admin, 'vpn');
    const rules = await core.radiusClients.listReplyRules(admin);
    expect(rules.some((r) => r.value === 'guests-only')).toBe(false);
    // 127.0.0.1 now falls in the wifi range: the rule for every client applies again.
    await new Promise((r) => setTimeout(r, 150));
    const viaWifi = received(await radclient(port, wifiSecret, pap('alice', ap.alice!)));
    expect(viaWifi).toMatch(/Filter-Id = "staff"/);
  });

  it('refuses attributes off the safe list and values of the wrong type, with a clear error', async () => {
    const bad = async (attribute: string, value: string, group = 'users') => {
      const e = await core.radiusClients
        .addReplyRule(admin, { group, attribute, value })
        .then(() => null)
        .catch((err) => err);
      expect(e?.code).toBe('SETTING_INVALID');
      return e.message as string;
    };
    expect(await bad('User-Password', 'x')).toMatch(/Reply attributes are one of/);
    expect(await bad('Class', 'x')).toMatch(/Reply attributes are one of/);
    expect(await bad('Message-Authenticator', 'x')).toMatch(/Reply attributes are one of/);
    expect(await bad('Vendor-Specific', 'x')).toMatch(/Reply attributes are one of/);
    expect(await bad('Tunnel-Private-Group-Id', '4095')).toMatch(/VLAN id from 1 to 4094/);
    expect(await bad('Tunnel-Type', 'PPTP')).toMatch(/VLAN \(13\)/);
    expect(await bad('Session-Timeout', '-5')).toMatch(/whole number/);
    expect(await bad('Framed-IP-Netmask', '255.255.255.256')).toMatch(/IPv4/);
    expect(await bad('Filter-Id', 'a\u0000b')).toMatch(/printable/);
    expect(await bad('Filter-Id', 'x', 'wheel')).toMatch(/Groups are one of/);
    const dup = await core.radiusClients
      .addReplyRule(admin, { group: 'users', attribute: 'filter-id', value: 'again' })
      .catch((err) => err);
    expect(dup.code).toBe('RADIUS_REPLY_EXISTS');
    expect(dup.status).toBe(409);
    expect(checkReplyValue('Tunnel-Type', '13')).toBe('VLAN');
    // RFC 2868: the tunnel integers carry a tag octet (0) before three octets of value.
    expect(encodeReplyAttribute('Tunnel-Type', 'VLAN').value).toEqual(Buffer.from([0, 0, 0, 13]));
    expect(encodeReplyAttribute('Tunnel-Private-Group-Id', '10').value).toEqual(Buffer.from('10'));
  });

  it('is managed through the admin API by admins only, and audited', async () => {
    const app = buildApp({ core, logLevel: 'silent' });
    try {
      const call = apiCaller(() => app);
      const token = (await core.tokens.createToken(admin, { role: 'admin', label: 'r' })).token;
      const helpdesk = (await core.tokens.createToken(admin, { role: 'helpdesk', label: 'h' })).token;
      const made = await call(token, 'POST', '/api/v1/radius-replies', {
        group: 'helpdesk',
        attribute: 'Idle-Timeout',
        value: '600',
      });
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({
        client: null,
        group: 'helpdesk',
        attribute: 'Idle-Timeout',
        value: '600',
      });
      const list = await call(token, 'GET', '/api/v1/radius-replies');
      expect(list.json().map((r: { id: string }) => r.id)).toContain(made.json().id);
      expect((await call(helpdesk, 'GET', '/api/v1/radius-replies')).statusCode).toBe(403);
      const bad = await call(token, 'POST', '/api/v1/radius-replies', {
        group: 'users',
        attribute: 'State',
        value: 'x',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('SETTING_INVALID');
      expect((await call(token, 'DELETE', `/api/v1/radius-replies/${made.json().id}`)).statusCode).toBe(204);
      expect((await call(token, 'DELETE', `/api/v1/radius-replies/${made.json().id}`)).statusCode).toBe(404);
      const audit = await core.audit.listAudit(admin, { limit: 50 });
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['radius_reply.created', 'radius_reply.deleted']),
      );
    } finally {
      await app.close();
    }
  });
});

describe('latchkey radius-reply (CLI)', () => {
  it('adds, lists and deletes rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-radius-reply-cli-'));
    const env = { LATCHKEY_DATA_DIR: dir };
    try {
      expect((await runCli(['radius-client', 'add', 'wifi', '--address', '10.0.0.0/24'], env)).code).toBe(0);
      const add = await runCli(
        [
          'radius-reply',
          'add',
          '--group',
          'admins',
          '--attribute',
          'tunnel-private-group-id',
          '--value',
          '20',
          '--client',
          'wifi',
          '--json',
        ],
        env,
      );
      expect(add.code).toBe(0);
      const rule = JSON.parse(add.stdout);
      expect(rule).toMatchObject({
        client: 'wifi',
        group: 'admins',
        attribute: 'Tunnel-Private-Group-Id',
        value: '20',
      });
      const bad = await runCli(
        ['radius-reply', 'add', '--group', 'admins', '--attribute', 'User-Password', '--value', 'x'],
        env,
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/Reply attributes are one of/);
      const list = await runCli(['radius-reply', 'list'], env);
      expect(list.stdout).toMatch(/wifi\s+admins\s+Tunnel-Private-Group-Id\s+20/);
      expect((await runCli(['radius-reply', 'delete', rule.id], env)).code).toBe(0);
      expect(JSON.parse((await runCli(['radius-reply', 'list', '--json'], env)).stdout)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const kinds: StoreKind[] = await storeKinds();

describe.each(kinds)('RADIUS reply rules on $name', (kind) => {
  const test = kind.available ? it : it.skip;
  test('are stored, chosen by client and group, and go with their client', async () => {
    const t = await kind.open();
    const core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
    try {
      const c = await core.radiusClients.addRadiusClient(admin, { name: 'nas', address: '192.0.2.1' });
      await core.radiusClients.addReplyRule(admin, { group: 'users', attribute: 'Filter-Id', value: 'all' });
      await core.radiusClients.addReplyRule(admin, {
        group: 'users',
        attribute: 'Filter-Id',
        value: 'nas',
        client: 'nas',
      });
      const attrs = await core.radiusClients.replyAttributes(c.id, 'user');
      expect(attrs).toEqual([{ type: 11, value: Buffer.from('nas') }]);
      expect(await core.radiusClients.replyAttributes('someone-else', 'user')).toEqual([
        { type: 11, value: Buffer.from('all') },
      ]);
      await core.radiusClients.deleteRadiusClient(admin, 'nas');
      expect((await core.radiusClients.listReplyRules(admin)).map((r) => r.value)).toEqual(['all']);
    } finally {
      await core.close();
      await t.cleanup();
    }
  });

  test('the same rule added at once by several administrators: one lands, the others hear 409', async () => {
    const t = await kind.open();
    const core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
    try {
      const answers = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          core.radiusClients.addReplyRule(admin, {
            group: 'admins',
            attribute: 'Session-Timeout',
            value: String(3600 + i),
          }),
        ),
      );
      expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const a of answers.filter((x) => x.status === 'rejected')) {
        expect((a as PromiseRejectedResult).reason).toMatchObject({
          code: 'RADIUS_REPLY_EXISTS',
          status: 409,
        });
      }
      expect(await core.radiusClients.listReplyRules(admin)).toHaveLength(1);
    } finally {
      await core.close();
      await t.cleanup();
    }
  });

  // PostgreSQL: a second connection holds the deletion open; SQLite runs one transaction at a time
  // (registered only there, so that no test is reported as skipped on SQLite).
  if (kind.name === 'postgres')
    it.runIf(kind.available)(
      'a rule added while its client is being deleted does not survive as one for every client',
      async () => {
        const t = await kind.open();
        const core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
        const other = await openStore({ dataDir: t.dataDir, databaseUrl: t.databaseUrl });
        try {
          const c = await core.radiusClients.addRadiusClient(admin, { name: 'going', address: '192.0.2.9' });
          let release = () => {};
          const gate = new Promise<void>((r) => {
            release = r;
          });
          let deleting = () => {};
          const deleted = new Promise<void>((r) => {
            deleting = r;
          });
          // The deletion as core/radius-clients.ts does it, its transaction held open on another connection.
          const deletion = other.db.transaction().execute(async (trx) => {
            await trx.deleteFrom('radius_reply_rules').where('client_id', '=', c.id).execute();
            await trx.deleteFrom('radius_clients').where('id', '=', c.id).execute();
            deleting();
            await gate;
          });
          await deleted;
          const adding = core.radiusClients
            .addReplyRule(admin, {
              group: 'users',
              attribute: 'Filter-Id',
              value: 'vpn-only',
              client: 'going',
            })
            .then(
              () => 'added',
              (e) => e.code as string,
            );
          await new Promise((r) => setTimeout(r, 300));
          release();
          await deletion;
          expect(await adding).toBe('SERVICE_NOT_FOUND');
          const rules = await core.radiusClients.listReplyRules(admin);
          expect(rules.filter((r) => r.value === 'vpn-only')).toEqual([]);
          expect(await core.radiusClients.replyAttributes('any-client', 'user')).toEqual([]);
        } finally {
          await other.close();
          await core.close();
          await t.cleanup();
        }
      },
    );
});
