// `latchkey backup DIR` and `latchkey restore DIR` (issue 12, item 5): a backup made while a real
// `latchkey serve` process serves and writes, the data dir wiped, the backup restored, and an app
// password created before the backup verifies again (CLI and HTTP door); one created after it does not.
// On PostgreSQL: the keys, and the printed pg_dump / pg_restore procedure run as printed.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { basic } from './helpers/e2e.js';
import { startServe } from './helpers/serve-process.js';
import { createPgDatabase, storeKinds, tempDir } from './helpers/stores.js';

const kinds = await storeKinds();
const hasPg = kinds.find((k) => k.name === 'postgres')!.available;

const mode = (p: string) => statSync(p).mode & 0o777;

async function setUp(env: NodeJS.ProcessEnv) {
  const cli = (args: string[], stdin = '') => runCli(args, env, stdin);
  expect((await cli(['user', 'add', 'alice', '--password-stdin'], 'correct horse battery\n')).code).toBe(0);
  expect((await cli(['two-step', 'set', 'alice', 'enforced'])).code).toBe(0);
  const created = await cli(['app-password', 'create', 'alice', '--label', 'Before']);
  expect(created.code).toBe(0);
  return { cli, before: created.stdout.trim() };
}

describe('backup and restore (SQLite)', () => {
  const root = tempDir('latchkey-backup-');
  const dataDir = join(root, 'data');
  const env = { LATCHKEY_DATA_DIR: dataDir };
  const bdir = join(root, 'backup');
  let cli: Awaited<ReturnType<typeof setUp>>['cli'];
  let before: string;
  beforeAll(async () => {
    ({ cli, before } = await setUp(env));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('backs up while the server serves, then a wiped data dir restored verifies the old app password', async () => {
    const server = await startServe(env, ['--ldap-port', '0']);
    const origin = `http://127.0.0.1:${server.port}`;
    let stop = false;
    let served = 0;
    // Checks keep the write-behind writing sign-in aggregates while the backup copies the pages.
    const load = async () => {
      while (!stop) {
        const res = await fetch(`${origin}/auth/basic`, {
          headers: { authorization: basic('alice', before) },
        });
        await res.arrayBuffer();
        expect(res.status).toBe(200);
        served += 1;
      }
    };
    const loops = [load(), load(), load()];
    try {
      await new Promise((r) => setTimeout(r, 1200));
      const made = await cli(['backup', bdir]);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toMatch(
        /^Backed up the SQLite database \(migration \d{3}-[\w-]+\) and hmac\.key and encryption\.key to /,
      );
      expect(made.stderr).toMatch(/this backup holds secrets/);
      // Still serving, and writing, after the backup.
      await new Promise((r) => setTimeout(r, 1100));
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    expect(served).toBeGreaterThan(20);
    // A change after the backup: the restore goes back to before it.
    const after = (await cli(['app-password', 'create', 'alice', '--label', 'After'])).stdout.trim();
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);

    expect(mode(bdir)).toBe(0o700);
    expect(readdirSync(bdir).sort()).toEqual([
      'encryption.key',
      'hmac.key',
      'latchkey-backup.json',
      'latchkey.db',
    ]);
    for (const f of readdirSync(bdir)) expect(mode(join(bdir, f)), f).toBe(0o600);
    expect(readFileSync(join(bdir, 'hmac.key'))).toEqual(readFileSync(join(dataDir, 'hmac.key')));
    const manifest = JSON.parse(readFileSync(join(bdir, 'latchkey-backup.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 1,
      store: 'sqlite',
      database: 'latchkey.db',
      keys: ['hmac.key', 'encryption.key'],
    });

    rmSync(dataDir, { recursive: true, force: true });
    const restored = await cli(['restore', bdir]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Restored hmac\.key, encryption\.key, latchkey\.db into /);
    expect(mode(dataDir)).toBe(0o700);
    for (const f of ['latchkey.db', 'hmac.key', 'encryption.key'])
      expect(mode(join(dataDir, f)), f).toBe(0o600);

    expect((await cli(['verify', 'alice', '--door', 'imap'], `${before}\n`)).code).toBe(0);
    const gone = await cli(['verify', 'alice', '--door', 'imap'], `${after}\n`);
    expect(gone.code).toBe(1);
    expect(gone.stdout.trim()).toBe('invalid_credentials');

    // And through the HTTP door of a server started on the restored data dir.
    const again = await startServe(env, ['--ldap-port', '0']);
    try {
      const res = await fetch(`http://127.0.0.1:${again.port}/auth/basic`, {
        headers: { authorization: basic('alice', before) },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('remote-user')).toBe('alice');
      expect((await fetch(`http://127.0.0.1:${again.port}/readyz`)).status).toBe(200);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  }, 90_000);

  it('restore refuses to overwrite a database without --force, and sets the old one aside with it', async () => {
    const refused = await cli(['restore', bdir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^latchkey: RESTORE_WOULD_OVERWRITE: .* already holds latchkey\.db.*--force/,
    );
    const forced = await cli(['restore', bdir, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/Set aside: latchkey\.db\.before-restore-/);
    expect(readdirSync(dataDir).some((f) => f.startsWith('latchkey.db.before-restore-'))).toBe(true);
    expect((await cli(['verify', 'alice', '--door', 'imap'], `${before}\n`)).code).toBe(0);
  });

  it('refuses bad input with one clear line', async () => {
    // Into a directory that is not empty.
    const again = await cli(['backup', bdir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^latchkey: BACKUP_DIR_NOT_EMPTY: /);
    // Misuse: no directory.
    expect((await cli(['backup'])).code).toBe(2);
    expect((await cli(['restore'])).code).toBe(2);
    // Not a backup.
    const notBackup = tempDir('latchkey-notbackup-');
    const nb = await cli(['restore', notBackup]);
    expect(nb.code).toBe(1);
    expect(nb.stderr).toMatch(/^latchkey: BACKUP_INVALID: .* is not a Latchkey backup/);
    rmSync(notBackup, { recursive: true, force: true });
    // Nothing to back up.
    const empty = tempDir('latchkey-empty-');
    const none = await runCli(['backup', join(empty, 'b')], { LATCHKEY_DATA_DIR: join(empty, 'data') });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^latchkey: BACKUP_SOURCE_MISSING: No database at /);
    rmSync(empty, { recursive: true, force: true });
    // A key swapped in the backup: the restore refuses instead of making a node that refuses everyone.
    const tampered = join(root, 'tampered');
    expect((await cli(['backup', tampered])).code).toBe(0);
    writeFileSync(join(tampered, 'hmac.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`);
    const bad = await runCli(['restore', tampered], { LATCHKEY_DATA_DIR: join(root, 'elsewhere') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^latchkey: BACKUP_INVALID: The keys do not match/);
    expect(existsSync(join(root, 'elsewhere', 'latchkey.db'))).toBe(false);
  });
});

describe.skipIf(!hasPg)('backup and restore (PostgreSQL)', () => {
  it('copies the keys, prints the pg_dump procedure; run as printed, it restores a working node', async () => {
    const root = tempDir('latchkey-backup-pg-');
    const first = await createPgDatabase();
    const second = await createPgDatabase();
    try {
      const dataDir = join(root, 'data');
      const env = { LATCHKEY_DATA_DIR: dataDir, DATABASE_URL: first.url };
      const { cli, before } = await setUp(env);
      const bdir = join(root, 'backup');
      // A password in the URL is never printed.
      const withPassword = new URL(first.url);
      withPassword.password = 'sekret-pw';
      const made = await runCli(['backup', bdir], { ...env, DATABASE_URL: withPassword.toString() });
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toMatch(/Backed up hmac\.key and encryption\.key to /);
      expect(made.stdout).toMatch(/pg_dump --format=custom/);
      expect(`${made.stdout}${made.stderr}`).not.toContain('sekret-pw');
      expect(readdirSync(bdir).sort()).toEqual(['encryption.key', 'hmac.key', 'latchkey-backup.json']);

      // The printed commands, run by a shell with DATABASE_URL set, as an operator would.
      const dump = made.stdout.split('\n').filter((l) => /^\s+(pg_dump|chmod)/.test(l));
      expect(dump).toHaveLength(2);
      execFileSync('bash', ['-c', dump.join('\n')], { env: { ...process.env, DATABASE_URL: first.url } });
      expect(mode(join(bdir, 'latchkey.pgdump'))).toBe(0o600);

      // Disaster: the data dir is gone; a new, empty database.
      rmSync(dataDir, { recursive: true, force: true });
      const env2 = { LATCHKEY_DATA_DIR: dataDir, DATABASE_URL: second.url };
      const restored = await runCli(['restore', bdir], env2);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toMatch(/Restored hmac\.key, encryption\.key into /);
      const load = restored.stdout.split('\n').filter((l) => /^\s+pg_restore/.test(l));
      expect(load).toHaveLength(1);
      execFileSync('bash', ['-c', load[0]!], { env: { ...process.env, DATABASE_URL: second.url } });
      expect((await runCli(['verify', 'alice', '--door', 'imap'], env2, `${before}\n`)).code).toBe(0);
      expect((await cli(['verify', 'alice', '--door', 'imap'], 'not it\n')).code).toBe(1);

      // A SQLite backup is not restored over a PostgreSQL node, nor the other way round.
      const wrong = await runCli(['restore', bdir], { LATCHKEY_DATA_DIR: join(root, 'other') });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/^latchkey: BACKUP_INVALID: This backup is of a PostgreSQL node/);
    } finally {
      await first.drop();
      await second.drop();
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
