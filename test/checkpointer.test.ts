// SQLite's WAL checkpoints on a thread of their own (store/checkpointer.ts, issue 11): the server's
// write connection no longer copies the log into the database inside a commit, yet the log still
// stays small, nothing committed is lost, and a failed thread hands the work back.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_BOUND_PAGES, startCheckpointer } from '../src/store/checkpointer.js';
import { openStore, type Store } from '../src/store/database.js';
import { BIN, startServe } from './helpers/serve-process.js';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(checkpointThread: boolean): Promise<{ store: Store; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-ckpt-'));
  dirs.push(dir);
  const store = await openStore({ dataDir: dir, databaseUrl: null, checkpointThread });
  stores.push(store);
  await sql`create table filler (id integer primary key, body blob not null)`.execute(store.db);
  return { store, dir };
}

/**
 * About 12 MB in 96 commits of 128 KiB, as the write-behind writes (Store.runBatch, one row to a
 * commit here): past SQLite's 1,000-page automatic checkpoint, below the thread's 10,000-page bound.
 */
async function write12MB(store: Store): Promise<void> {
  const items = Array.from({ length: 96 }, () => 131_072);
  await store.runBatch!('insert into filler (body) values (randomblob(?))', items, (n) => [n], 1);
}
const walBytes = (dir: string) => statSync(join(dir, 'latchkey.db-wal')).size;
const rows = (dir: string) => {
  const db = new SQLite(join(dir, 'latchkey.db'), { readonly: true });
  try {
    return db.prepare('select count(*) from filler').pluck().get();
  } finally {
    db.close();
  }
};

/**
 * Commits 2 MB through a connection of the test's own that never checkpoints, and reports how much the
 * database file grew within five seconds: only a checkpoint thread copies those commits into it.
 */
async function copiedByThread(dir: string): Promise<number> {
  const file = join(dir, 'latchkey.db');
  const db = new SQLite(file);
  try {
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table if not exists probe (id integer primary key, body blob not null)');
    const before = statSync(file).size;
    const insert = db.prepare('insert into probe (body) values (randomblob(131072))');
    for (let i = 0; i < 16; i++) insert.run();
    const deadline = Date.now() + 5000;
    while (statSync(file).size - before < 2_000_000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return statSync(file).size - before;
  } finally {
    db.close();
  }
}

describe('WAL checkpoints on their own thread', () => {
  it('keeps the log small while the write connection never checkpoints, and loses nothing', async () => {
    const { store, dir } = await open(true);
    await write12MB(store);
    // The batch waited for the thread every 20 commits and the log started over: the file holds a
    // few batches' worth (2.5–4 MB), not the 12 MB that went through it.
    expect(walBytes(dir)).toBeLessThan(6 * 1024 * 1024);
    // And the thread is still the one checkpointing (not the write connection's fallback).
    expect(await copiedByThread(dir)).toBeGreaterThanOrEqual(2_000_000);
    await store.close();
    stores.length = 0;
    expect(rows(dir)).toBe(96);
  });

  it('without the thread (a CLI command), the write connection checkpoints for itself as before', async () => {
    const { store, dir } = await open(false);
    await write12MB(store);
    // SQLite's own auto-checkpoint at 1,000 pages kept the log near 4 MB.
    expect(walBytes(dir)).toBeLessThan(5 * 1024 * 1024);
    await store.close();
    stores.length = 0;
    expect(rows(dir)).toBe(96);
  });

  it('a thread that cannot start gives the write connection its checkpoints back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-ckpt-'));
    dirs.push(dir);
    const writer = new SQLite(join(dir, 'a.db'));
    writer.pragma('journal_mode = WAL');
    // The thread opens a file that is not there (fileMustExist) and fails.
    const ckpt = startCheckpointer(join(dir, 'missing.db'), writer);
    expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(LOG_BOUND_PAGES);
    const deadline = Date.now() + 5000;
    while (
      writer.pragma('wal_autocheckpoint', { simple: true }) === LOG_BOUND_PAGES &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await ckpt.close();
    writer.close();
  });

  it("`latchkey serve` runs the thread: it copies even another connection's commits into the database", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-ckpt-serve-'));
    dirs.push(dir);
    const server = await startServe({ LATCHKEY_DATA_DIR: dir, LATCHKEY_LDAP_PORT: '0' });
    try {
      expect(await copiedByThread(dir)).toBeGreaterThanOrEqual(2_000_000);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('a server that cannot start (its port taken) exits with the error instead of hanging on the thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-ckpt-port-'));
    dirs.push(dir);
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    try {
      const child = spawn(process.execPath, [BIN, 'serve', '--http-port', String(port)], {
        env: {
          ...process.env,
          LATCHKEY_DATA_DIR: dir,
          LATCHKEY_LDAP_PORT: '0',
          LATCHKEY_HTTP_HOST: '127.0.0.1',
        },
      });
      let out = '';
      child.stderr.on('data', (c) => {
        out += c;
      });
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(-1);
        }, 15_000);
        child.once('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code).not.toBe(-1);
      expect(code).not.toBe(0);
      expect(out).toMatch(/EADDRINUSE/);
    } finally {
      taken.close();
    }
  });
});
