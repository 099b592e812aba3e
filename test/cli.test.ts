// The `latchkey` command as an operator uses it: the README walk-through, --json everywhere, secrets
// from standard input, exit codes 0/1/2, and bad input answered with one line and nothing written.

import { execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/stores.js';

let dataDir: string;
beforeAll(() => {
  dataDir = tempDir('latchkey-cli-');
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs the CLI in this process on the test's data dir, with `stdin` as standard input. */
const cli = (args: string[], stdin = '') => runCli(args, { LATCHKEY_DATA_DIR: dataDir }, stdin);

async function auditCount(): Promise<number> {
  const r = await cli(['audit', '--limit', '10000', '--json']);
  return JSON.parse(r.stdout).length;
}

describe('latchkey CLI', () => {
  it('runs the README walk-through', async () => {
    const init = await cli(['init', '--admin', 'root', '--email', 'root@example.org']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/Created administrator root/);
    expect(init.stdout.trim().split('\n').at(-1)).toMatch(/^[A-Za-z0-9]{20}$/);

    expect(
      (
        await cli(
          ['user', 'add', 'alice', '--email', 'alice@example.org', '--password-stdin'],
          'correct horse battery\n',
        )
      ).code,
    ).toBe(0);
    expect((await cli(['two-step', 'set', 'alice', 'enforced'])).stdout).toMatch(/enforced/);

    const created = await cli(['app-password', 'create', 'alice', '--label', 'Laptop']);
    expect(created.code).toBe(0);
    // The new app password alone on stdout: six groups of four lowercase letters.
    expect(created.stdout).toMatch(/^([a-z]{4} ){5}[a-z]{4}\n$/);
    const password = created.stdout.trim();

    const ok = await cli(['verify', 'alice', '--door', 'imap'], `${password}\n`);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/accepted: alice with app password "Laptop"/);

    const refused = await cli(['verify', 'alice', '--door', 'imap'], 'correct horse battery\n');
    expect(refused.code).toBe(1);
    expect(refused.stdout.trim()).toBe('app_password_required');

    const log = JSON.parse((await cli(['sign-ins', '--user', 'alice', '--json'])).stdout);
    expect(log.map((e: { result: string; reason: string | null }) => [e.result, e.reason])).toEqual([
      ['refused', 'app_password_required'],
      ['accepted', null],
    ]);
    const list = JSON.parse((await cli(['app-password', 'list', 'alice', '--json'])).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ label: 'Laptop', lastUsedDoor: 'imap' });
    expect(JSON.stringify(list)).not.toContain(password.replaceAll(' ', ''));

    const del = await cli(['app-password', 'delete', 'alice', list[0].id]);
    expect(del.code).toBe(0);
    expect((await cli(['verify', 'alice', '--door', 'imap'], password)).code).toBe(1);
  });

  it('prints JSON wherever it prints data', async () => {
    for (const args of [
      ['user', 'list', '--json'],
      ['user', 'show', 'alice', '--json'],
      ['settings', 'get', '--json'],
      ['settings', 'get', 'maxAppPasswordsPerUser', '--json'],
      ['sign-ins', '--json'],
      ['audit', '--json'],
      ['app-password', 'list', 'alice', '--json'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(() => JSON.parse(r.stdout), args.join(' ')).not.toThrow();
    }
    const created = JSON.parse(
      (
        await cli([
          'app-password',
          'create',
          'alice',
          '--label',
          'Phone',
          '--scope',
          'imap,smtp',
          '--expires',
          '30d',
          '--json',
        ])
      ).stdout,
    );
    expect(created).toMatchObject({ label: 'Phone', scopes: ['imap', 'smtp'] });
    expect(created.password).toMatch(/^([a-z]{4} ){5}[a-z]{4}$/);
  });

  it('two-step methods, re-registration and remembered devices (R10)', async () => {
    expect((await cli(['two-step', 'methods', 'alice'])).stdout).toContain('No two-step methods.');
    const json = JSON.parse((await cli(['two-step', 'methods', 'alice', '--json'])).stdout);
    expect(json).toMatchObject({ methods: [], recoveryCodes: { unused: 0 }, rememberedDevices: [] });
    const forget = await cli(['two-step', 'forget-devices', 'alice']);
    expect(forget.code).toBe(0);
    expect(forget.stdout).toMatch(/Revoked 0 remembered device/);
    const again = await cli(['two-step', 'reregister', 'alice', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ methodsRemoved: 0 });
    expect((await cli(['user', 'show', 'alice'])).stdout).toMatch(/enabled/);
    await cli(['two-step', 'set', 'alice', 'enforced']);
    const off = await cli(['two-step', 'reregister', 'nobody']);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/No such user/);
  });

  it('settings get and set', async () => {
    expect((await cli(['settings', 'set', 'maxAppPasswordsPerUser', '12'])).stdout.trim()).toBe(
      'maxAppPasswordsPerUser = 12',
    );
    expect((await cli(['settings', 'get', 'maxAppPasswordsPerUser'])).stdout.trim()).toBe('12');
    expect((await cli(['settings', 'set', 'maxAppPasswordsPerUser', '40'])).code).toBe(0);
  });

  it.each([
    [['user', 'add', 'Bad Name'], 'USERNAME_INVALID'],
    [['user', 'add', 'x'.repeat(65)], 'USERNAME_INVALID'],
    [['app-password', 'create', 'alice', '--label', ''], 'LABEL_INVALID'],
    [['app-password', 'create', 'alice', '--label', 'y'.repeat(65)], 'LABEL_INVALID'],
    [['app-password', 'create', 'alice', '--label', 'ok', '--expires', 'soon'], 'EXPIRES_INVALID'],
    [['app-password', 'create', 'alice', '--label', 'ok', '--expires', '2019-01-01'], 'EXPIRES_INVALID'],
    [['app-password', 'create', 'alice', '--label', 'ok', '--scope', 'gopher'], 'SCOPE_INVALID'],
    [['settings', 'set', 'noSuchKey', '1'], 'SETTING_UNKNOWN'],
    [['settings', 'get', 'noSuchKey'], 'SETTING_UNKNOWN'],
    [['settings', 'set', 'maxAppPasswordsPerUser', 'many'], 'SETTING_INVALID'],
    [['settings', 'set', 'allowAppPasswords', 'yes please'], 'SETTING_INVALID'],
    [['user', 'show', 'nobody'], 'USER_NOT_FOUND'],
    [['two-step', 'set', 'alice', 'sometimes'], 'TWO_STEP_STATE_INVALID'],
    [['sign-ins', '--limit', '0'], 'LIMIT_INVALID'],
  ])('refuses %j with %s, exit 1, one line, nothing written', async (args, code) => {
    const before = await auditCount();
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^latchkey: ${code}: .+\\n$`));
    expect(r.stdout).toBe('');
    expect(await auditCount()).toBe(before);
  });

  it('refuses secrets over 1 KiB on stdin without writing anything', async () => {
    const before = await auditCount();
    const signIns = JSON.parse((await cli(['sign-ins', '--limit', '10000', '--json'])).stdout).length;
    const r = await cli(['verify', 'alice', '--door', 'imap'], 'a'.repeat(1025));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^latchkey: SECRET_TOO_LONG: .+\n$/);
    const p = await cli(['user', 'passwd', 'alice', '--password-stdin'], 'b'.repeat(5000));
    expect(p.stderr).toMatch(/SECRET_TOO_LONG/);
    expect(await auditCount()).toBe(before);
    expect(JSON.parse((await cli(['sign-ins', '--limit', '10000', '--json'])).stdout).length).toBe(signIns);
  });

  it('exits 2 on misuse', async () => {
    expect((await cli(['no-such-command'])).code).toBe(2);
    expect((await cli(['verify', 'alice'])).code).toBe(2); // --door is required
    expect((await cli(['verify', 'alice', '--door', 'gopher'])).code).toBe(2);
    expect((await cli(['app-password', 'create', 'alice'])).code).toBe(2); // --label is required
  });

  it('--help lists every server setting and organization setting', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const name of [
      'LATCHKEY_DATA_DIR',
      'DATABASE_URL',
      'LATCHKEY_DOMAIN',
      'LATCHKEY_HTTP_PORT',
      'LATCHKEY_PUBLIC_URL',
      'LATCHKEY_LDAP_PORT',
      'LATCHKEY_TLS_CERT',
      'allowAppPasswords',
      'maxAppPasswordsPerUser',
      'requireAppPasswordsForNonBrowser',
    ]) {
      expect(r.stdout).toContain(name);
    }
  });

  it('keeps keys at mode 0600 and no secret in the database file', async () => {
    const { statSync } = await import('node:fs');
    for (const f of ['hmac.key', 'encryption.key', 'latchkey.db']) {
      expect(statSync(join(dataDir, f)).mode & 0o777, f).toBe(0o600);
    }
    const created = (await cli(['app-password', 'create', 'alice', '--label', 'Dump test'])).stdout.trim();
    // A checkpoint-free read of the main file and its WAL: neither holds the letters.
    const letters = created.replaceAll(' ', '');
    for (const f of ['latchkey.db', 'latchkey.db-wal']) {
      let bytes = '';
      try {
        bytes = readFileSync(join(dataDir, f)).toString('latin1');
      } catch {}
      expect(bytes).not.toContain(letters);
      expect(bytes).not.toContain('correct horse battery');
    }
  });
});

describe('latchkey as a program', () => {
  const bin = join(process.cwd(), 'dist/cli/main.js');
  const dir = () => tempDir('latchkey-bin-');

  it('reads the secret from a pipe and exits 0 or 1 (built bin)', async () => {
    const d = dir();
    try {
      const exec = (args: string[], input: string) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const p = execFile(
            process.execPath,
            [bin, ...args],
            { env: { ...process.env, LATCHKEY_DATA_DIR: d } },
            (e, stdout, stderr) => resolve({ code: e ? (e.code as number) : 0, stdout, stderr }),
          );
          p.stdin?.end(input);
        });
      expect((await exec(['user', 'add', 'dave', '--password-stdin'], 'dave password 1\n')).code).toBe(0);
      expect((await exec(['verify', 'dave', '--door', 'ldap'], 'dave password 1\n')).code).toBe(0);
      const bad = await exec(['verify', 'dave', '--door', 'ldap'], 'nope nope\n');
      expect(bad.code).toBe(1);
      expect(bad.stdout.trim()).toBe('invalid_credentials');
      expect((await exec(['frobnicate'], '')).code).toBe(2);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('serve creates the data dir, answers /healthz and tells how to create the first admin', async () => {
    const d = join(dir(), 'fresh');
    const child = spawn(process.execPath, [bin, 'serve', '--http-port', '0', '--ldap-port', '0'], {
      env: { ...process.env, LATCHKEY_DATA_DIR: d, LATCHKEY_LOG_LEVEL: 'warn' },
    });
    try {
      let out = '';
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
        child.stdout.on('data', (c) => {
          out += c;
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m && /latchkey init --admin/.test(out)) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
      });
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
      expect(out).toMatch(/No users yet/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(d, { recursive: true, force: true });
    }
  });
});
