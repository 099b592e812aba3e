// What an operator (or a load balancer) asks about a node's store: does it answer, are this build's
// migrations applied, do the server keys in hand match the ones the database was created with.
// Shared by /readyz and `latchkey doctor`, so both say the same thing.

import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { keyFingerprint, type ServerKeys } from '../crypto/keys.js';
import type { Store } from '../store/database.js';

/** The migrations this build ships: the numbered files beside the store (src/ or dist/, same names). */
let known: string[] | null = null;
export function knownMigrations(): string[] {
  const dir = new URL('../store/migrations/', import.meta.url);
  known ??= readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .sort();
  return known;
}

export interface StoreStatus {
  /** The store answered a query within the time allowed. */
  reachable: boolean;
  /** Migrations of this build that the database has not recorded (empty when up to date). */
  pending: string[];
  /** Migrations the database recorded that this build does not know (a newer version migrated it). */
  unknown: string[];
  /** The last migration the database recorded, or null. */
  version: string | null;
  /** null when the database holds no fingerprint yet (never started). */
  keysMatch: boolean | null;
  /** Why the store did not answer: for the operator's console (doctor), never for a public answer. */
  error: string | null;
}

/** A store that does not answer within this long counts as unreachable (a load balancer polls every few seconds). */
export const STORE_CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('store check timed out')), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Reads only: `latchkey doctor` passes a read-only connection that the migrator never touched. */
export async function storeStatus(store: Pick<Store, 'db'>, keys: ServerKeys): Promise<StoreStatus> {
  const status: StoreStatus = {
    reachable: false,
    pending: [],
    unknown: [],
    version: null,
    keysMatch: null,
    error: null,
  };
  try {
    const [migrations, fingerprint] = await withTimeout(
      Promise.all([
        sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db),
        store.db.selectFrom('meta').select('value').where('key', '=', 'key_fingerprint').executeTakeFirst(),
      ]),
      STORE_CHECK_TIMEOUT_MS,
    );
    status.reachable = true;
    const applied = migrations.rows.map((r) => r.name);
    const known = knownMigrations();
    status.pending = known.filter((m) => !applied.includes(m));
    status.unknown = applied.filter((m) => !known.includes(m));
    status.version = applied.at(-1) ?? null;
    status.keysMatch = fingerprint ? fingerprint.value === keyFingerprint(keys) : null;
  } catch (e) {
    // Unreachable, or a database without Latchkey's tables: either way it cannot serve. The cause
    // (which may name hosts) goes to doctor's console only, never into /readyz.
    status.error = (e as Error).message;
  }
  return status;
}

export interface Readiness {
  ready: boolean;
  checks: { store: string; migrations: string; keys: string; shutdown: string };
}

/** /readyz: ready when the store answers, migrations are applied, the keys match, and no shutdown began. */
export async function readiness(store: Store, keys: ServerKeys, shuttingDown: boolean): Promise<Readiness> {
  const s = await storeStatus(store, keys);
  const checks = {
    store: s.reachable ? 'ok' : 'unreachable',
    migrations: !s.reachable ? 'unknown' : s.pending.length > 0 ? 'pending' : 'ok',
    keys: !s.reachable
      ? 'unknown'
      : s.keysMatch === true
        ? 'ok'
        : s.keysMatch === null
          ? 'missing'
          : 'mismatch',
    shutdown: shuttingDown ? 'stopping' : 'no',
  };
  const ready = checks.store === 'ok' && checks.migrations === 'ok' && checks.keys === 'ok' && !shuttingDown;
  return { ready, checks };
}
