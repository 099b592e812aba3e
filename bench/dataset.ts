// Benchmark data sets: a Latchkey data dir (hmac.key, encryption.key, latchkey.db) holding N users with
// K app passwords each, built once and cached under .bench/ (gitignored) between runs.
//
// The schema and the keys are the product's own: the keys come from loadServerKeys() and the tables
// from openStore(), which runs the real migrations. Only the rows are written past the core, by one raw
// better-sqlite3 transaction: creating a million users through the core would spend hours in argon2id
// and audit events that the check path never reads. Every app-password hash is computed exactly as the
// product computes it, keyedHash(keys.hmac, letters).
//
// The plaintexts are not stored anywhere: each one is derived from a per-data-set seed and its (user,
// slot) position, so the benchmark can recompute any user's real app password without holding 40 million
// strings in memory or on disk.
//
// Each app password is one device (R5) with its own address, already recorded as a familiar source of
// its user: that is the steady state of a running server, where every device that signed in in the last
// 30 days is familiar, and it keeps the lockout part of the check query honest (it probes that table).

import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { APP_PASSWORD_LETTERS, keyedHash } from '../src/crypto/app-passwords.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { hashPassword } from '../src/crypto/passwords.js';
import { openStore } from '../src/store/database.js';

/** Bumped whenever the layout of a built data set changes, so stale caches are rebuilt. */
const FORMAT = 1;
const MARKER = 'bench-dataset.json';
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** Plaintexts are derived as WORDS 32-bit words of LETTERS_PER_WORD letters each (26^6 < 2^32). */
const WORDS = 4;
const LETTERS_PER_WORD = 6;
if (WORDS * LETTERS_PER_WORD !== APP_PASSWORD_LETTERS) {
  throw new Error('bench/dataset.ts derives plaintexts of the wrong length: update WORDS × LETTERS_PER_WORD');
}

interface Marker {
  format: number;
  users: number;
  perUser: number;
  seed: string;
  buildSeconds: number;
}

/**
 * Every user's primary password. The text predates bench/primary.ts, which does check it; it stays as
 * it is because cached data sets hold its hash.
 */
export const PRIMARY_PASSWORD = 'bench primary password, never checked';

export interface DataSet {
  readonly dir: string;
  readonly dbFile: string;
  readonly users: number;
  readonly perUser: number;
  /** Seconds the build took, or null when the data set came from the cache. */
  readonly builtInSeconds: number | null;
  username(user: number): string;
  /** The 24 letters of app password `slot` (0-based) of user `user`: the plaintext the product never stores. */
  appPassword(user: number, slot: number): string;
  /** The address of the device that holds that app password (10.0.0.0/8, one per app password). */
  deviceIp(user: number, slot: number): string;
}

export function dataSetDir(root: string, users: number, perUser: number): string {
  return join(root, `sqlite-${users}u-${perUser}ap`);
}

function makeDataSet(dir: string, marker: Marker, builtInSeconds: number | null): DataSet {
  const bytes = Buffer.from(marker.seed, 'hex');
  const seed = Array.from({ length: WORDS }, (_, w) => bytes.readUInt32LE(4 * w));
  return {
    dir,
    dbFile: join(dir, 'latchkey.db'),
    users: marker.users,
    perUser: marker.perUser,
    builtInSeconds,
    username: (user) => `user${user}`,
    appPassword(user, slot) {
      // 32-bit words from a murmur3-style mixer of (seed word, user, slot), six letters from each. Not a
      // CSPRNG, and slightly biased: the letters only have to be a distinct real plaintext per app
      // password. What the product stores and looks up, the HMAC of these letters, is uniform either
      // way. A crypto hash here would add a third to the build time of the large data sets.
      let out = '';
      for (let w = 0; w < WORDS; w++) {
        let x = mix(mix(seed[w]! ^ user) ^ Math.imul(slot + 1, 0x9e3779b9));
        for (let i = 0; i < LETTERS_PER_WORD; i++) {
          out += String.fromCharCode(97 + (x % 26));
          x = Math.floor(x / 26);
        }
      }
      return out;
    },
    deviceIp(user, slot) {
      const device = (user * marker.perUser + slot) % 2 ** 24;
      return `10.${device >>> 16}.${(device >>> 8) & 255}.${device & 255}`;
    },
  };
}

/** murmur3's 32-bit finalizer: a cheap, well-spread mix of a 32-bit integer, as an unsigned number. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 12-character id in the product's alphabet (crypto/ids.ts), unique by construction, unlike newId(). */
function sequentialId(prefix: string, n: number): string {
  let out = '';
  for (let i = 0; i < 11; i++) {
    out = ID_ALPHABET[n % 32] + out;
    n = Math.floor(n / 32);
  }
  return prefix + out;
}

function readMarker(dir: string): Marker | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
    return m.format === FORMAT ? m : null;
  } catch {
    return null;
  }
}

/**
 * Returns the cached data set, or builds it. A build interrupted half-way leaves no marker, so the next
 * run starts that data set again from an empty dir.
 */
export async function ensureDataSet(
  root: string,
  users: number,
  perUser: number,
  opts: { rebuild: boolean; log: (line: string) => void },
): Promise<DataSet> {
  const dir = dataSetDir(root, users, perUser);
  const cached = opts.rebuild ? null : readMarker(dir);
  if (cached && cached.users === users && cached.perUser === perUser) {
    return makeDataSet(dir, cached, null);
  }

  const started = performance.now();
  rmSync(dir, { recursive: true, force: true });
  // The product's keys and schema: the server started on this dir later finds exactly what it made.
  const keys = loadServerKeys({ dataDir: dir, hmacKey: null, encryptionKey: null });
  const store = await openStore({ dataDir: dir, databaseUrl: null });
  await store.close();

  const marker: Marker = {
    format: FORMAT,
    users,
    perUser,
    seed: randomBytes(4 * WORDS).toString('hex'),
    buildSeconds: 0,
  };
  const ds = makeDataSet(dir, marker, null);
  // Every user gets the same real argon2id hash: one hash per user would cost 10–20 ms each, and the
  // app-password path never reads it; it makes the rows as wide as real ones, and bench/primary.ts
  // signs in with it (per user, so one user's cache entry never serves another).
  const passwordHash = await hashPassword(PRIMARY_PASSWORD);

  const raw = new SQLite(ds.dbFile);
  try {
    // A bulk load into a throwaway file: no journal, no fsync, and a page cache big enough to keep the
    // random-order unique index on the hash in memory. WAL is restored below, as the product expects.
    raw.pragma('journal_mode = OFF');
    raw.pragma('synchronous = OFF');
    raw.pragma('cache_size = -4000000');
    raw.pragma('foreign_keys = OFF');
    const insertUser = raw.prepare(
      `insert into users (id, username, email, display_name, role, disabled_at, password_hash,
         password_changed_at, password_must_change, two_step_state, two_step_changed_at, created_at, updated_at)
       values (?, ?, ?, ?, 'user', null, ?, ?, 0, 'enforced', ?, ?, ?)`,
    );
    const insertAppPassword = raw.prepare(
      `insert into app_passwords (id, user_id, label, hash, scopes, created_at, expires_at,
         last_used_at, last_used_ip, last_used_door)
       values (?, ?, ?, ?, null, ?, null, null, null, null)`,
    );
    const insertFamiliar = raw.prepare(
      'insert into familiar_sources (user_id, ip, last_success_at) values (?, ?, ?)',
    );
    const now = Date.now();
    const step = Math.max(1, Math.floor(users / 10));
    raw.transaction(() => {
      let apCount = 0;
      for (let u = 0; u < users; u++) {
        const userId = sequentialId('u', u);
        const name = ds.username(u);
        insertUser.run(userId, name, `${name}@example.org`, `User ${u}`, passwordHash, now, now, now, now);
        for (let s = 0; s < perUser; s++) {
          const hash = keyedHash(keys.hmac, ds.appPassword(u, s));
          insertAppPassword.run(sequentialId('a', apCount++), userId, `Device ${s + 1}`, hash, now);
          insertFamiliar.run(userId, ds.deviceIp(u, s), now);
        }
        if ((u + 1) % step === 0) {
          opts.log(`  building ${users} users × ${perUser}: ${Math.round(((u + 1) / users) * 100)}%`);
        }
      }
    })();
    raw.pragma('journal_mode = WAL');
  } finally {
    raw.close();
  }
  marker.buildSeconds = (performance.now() - started) / 1000;
  writeFileSync(join(dir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  return makeDataSet(dir, marker, marker.buildSeconds);
}
