// The stores every conformance test runs against: a real SQLite file in a temporary directory, and a
// real PostgreSQL database created for this run and dropped after it. PostgreSQL may be missing on a
// laptop (the suite says so and skips it); in CI (CI=true) a missing PostgreSQL is a failure.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadServerKeys, type ServerKeys } from '../../src/crypto/keys.js';
import { openStore, type Store } from '../../src/store/database.js';

export const PG_ADMIN_URL = process.env.LATCHKEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestStore {
  store: Store;
  keys: ServerKeys;
  dataDir: string;
  databaseUrl: string | null;
  cleanup(): Promise<void>;
}

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  available: boolean;
  open(): Promise<TestStore>;
}

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `latchkey_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function tempDir(prefix = 'latchkey-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function storeKinds(): Promise<StoreKind[]> {
  const hasPg = await pgReachable();
  if (!hasPg && process.env.CI === 'true') {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_ADMIN_URL}, and CI=true forbids skipping its suite.`,
    );
  }
  if (!hasPg)
    console.warn(`PostgreSQL not reachable at ${PG_ADMIN_URL}: skipping the PostgreSQL store suite.`);
  return [
    {
      name: 'sqlite',
      available: true,
      async open() {
        const dataDir = tempDir();
        const keys = loadServerKeys({ dataDir, hmacKey: null, encryptionKey: null });
        const store = await openStore({ dataDir, databaseUrl: null });
        return {
          store,
          keys,
          dataDir,
          databaseUrl: null,
          async cleanup() {
            await store.close().catch(() => {});
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    },
    {
      name: 'postgres',
      available: hasPg,
      async open() {
        const dataDir = tempDir();
        const keys = loadServerKeys({ dataDir, hmacKey: null, encryptionKey: null });
        const db = await createPgDatabase();
        const store = await openStore({ dataDir, databaseUrl: db.url });
        return {
          store,
          keys,
          dataDir,
          databaseUrl: db.url,
          async cleanup() {
            await store.close().catch(() => {});
            await db.drop();
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
}
