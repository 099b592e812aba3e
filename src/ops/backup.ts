// `latchkey backup DIR` and `latchkey restore DIR`. A backup is the database and the two server keys
// together: the database alone opens nothing (app passwords are keyed hashes, TOTP seeds are sealed),
// and the keys alone hold no account. With SQLite the database is copied with SQLite's online backup,
// page by page, while the server keeps serving; with PostgreSQL the database is pg_dump's job (the
// procedure is printed) and this copies the keys.
//
// The directory holds, besides the copies, latchkey-backup.json: what was backed up, from which store,
// at which migration, and the keys' fingerprint, so that a restore can refuse a database whose keys
// are not in the backup.

import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { keyFingerprint, loadServerKeys } from '../crypto/keys.js';
import { OpsError } from './errors.js';

export const DB_FILE = 'latchkey.db';
export const KEY_FILES = { hmac: 'hmac.key', encryption: 'encryption.key' } as const;
export const MANIFEST = 'latchkey-backup.json';

export interface Manifest {
  format: 1;
  createdAt: string;
  store: 'sqlite' | 'postgres';
  /** The database file in the backup, or null (PostgreSQL: the dump is made with pg_dump). */
  database: string | null;
  /** The key files copied; a key set in the environment is not a file and must be kept by its owner. */
  keys: string[];
  /** Keys given by environment variables instead of files (names only). */
  keysFromEnvironment: string[];
  /** The last migration the database had, when known. */
  migration: string | null;
  /** keyFingerprint() of the keys, as the database records it. */
  keyFingerprint: string;
}

export const SECRETS_WARNING =
  'Warning: this backup holds secrets. With the server keys beside the database, anyone who reads it can ' +
  'check app passwords and decrypt authenticator seeds. Keep it as safe as the server itself: encrypted, ' +
  'off this machine, readable by its owner only (files 0600, directory 0700).';

/** What to run for the database of a PostgreSQL node; the URL stays in the variable, never on screen. */
export function pgDumpProcedure(dir: string): string {
  return [
    'The database is in PostgreSQL: back it up with pg_dump (it takes a consistent snapshot while nodes serve):',
    `  pg_dump --format=custom --no-owner --file ${shellQuote(join(dir, 'latchkey.pgdump'))} "$DATABASE_URL"`,
    `  chmod 600 ${shellQuote(join(dir, 'latchkey.pgdump'))}`,
    'Keep the dump with the keys in this directory: one is useless without the other.',
  ].join('\n');
}

export function pgRestoreProcedure(dir: string): string {
  return [
    'The database is in PostgreSQL: with every node stopped, restore the dump into an empty database:',
    `  pg_restore --no-owner --exit-on-error --dbname "$DATABASE_URL" ${shellQuote(join(dir, 'latchkey.pgdump'))}`,
    'then start the nodes, each with these keys (or the same LATCHKEY_HMAC_KEY and LATCHKEY_ENCRYPTION_KEY).',
  ].join('\n');
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface BackupResult {
  dir: string;
  manifest: Manifest;
}

function emptyDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new OpsError('BACKUP_DIR_NOT_EMPTY', `${dir} exists and is not a directory.`);
    if (readdirSync(dir).length > 0)
      throw new OpsError(
        'BACKUP_DIR_NOT_EMPTY',
        `${dir} is not empty: choose a new directory (a backup never overwrites another).`,
      );
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** The key files of the data dir that exist, and the keys set in the environment instead. */
function keySources(config: Config, dataDir: string) {
  const files: string[] = [];
  const fromEnv: string[] = [];
  const missing: string[] = [];
  for (const [which, file] of Object.entries(KEY_FILES)) {
    const env = which === 'hmac' ? config.hmacKey : config.encryptionKey;
    if (env) fromEnv.push(which === 'hmac' ? 'LATCHKEY_HMAC_KEY' : 'LATCHKEY_ENCRYPTION_KEY');
    else if (existsSync(join(dataDir, file))) files.push(file);
    else missing.push(join(dataDir, file));
  }
  return { files, fromEnv, missing };
}

function readMeta(db: SQLite.Database): { fingerprint: string | null; migration: string | null } {
  const fp = db.prepare("select value from meta where key = 'key_fingerprint'").get() as
    | { value: string }
    | undefined;
  const m = db.prepare('select name from kysely_migration order by name desc limit 1').get() as
    | { name: string }
    | undefined;
  return { fingerprint: fp?.value ?? null, migration: m?.name ?? null };
}

export async function backup(config: Config, dirArg: string): Promise<BackupResult> {
  const dataDir = resolve(config.dataDir);
  const dir = resolve(dirArg);
  const keys = keySources(config, dataDir);
  const sqlite = !config.databaseUrl;
  const source = join(dataDir, DB_FILE);
  if (sqlite && !existsSync(source))
    throw new OpsError(
      'BACKUP_SOURCE_MISSING',
      `No database at ${source}: nothing to back up (is LATCHKEY_DATA_DIR right?).`,
    );
  if (keys.missing.length > 0)
    throw new OpsError(
      'BACKUP_SOURCE_MISSING',
      `The server key ${keys.missing[0]} is missing: a backup without it could never be used.`,
    );
  if (dir === dataDir || dir.startsWith(`${dataDir}/`))
    throw new OpsError('BACKUP_DIR_NOT_EMPTY', 'Back up to a directory outside the data directory.');
  const serverKeys = loadServerKeys({
    dataDir,
    hmacKey: config.hmacKey,
    encryptionKey: config.encryptionKey,
  });
  const fingerprint = keyFingerprint(serverKeys);
  emptyDir(dir);

  let migration: string | null = null;
  if (sqlite) {
    const target = join(dir, DB_FILE);
    const db = new SQLite(source, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 10000');
      // Online backup: copies the pages in steps, restarting if a writer changes what was copied.
      await db.backup(target);
    } finally {
      db.close();
    }
    chmodSync(target, 0o600);
    const copy = new SQLite(target, { fileMustExist: true });
    try {
      // One self-contained file (no -wal, -shm beside it); the server turns WAL on again when it opens it.
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new OpsError('BACKUP_INVALID', `The copy failed SQLite's check: ${check}.`);
      const meta = readMeta(copy);
      migration = meta.migration;
      if (meta.fingerprint !== null && meta.fingerprint !== fingerprint)
        throw new OpsError(
          'BACKUP_INVALID',
          'The keys in hand do not match this database (the server would refuse to start with them): nothing useful to back up.',
        );
    } finally {
      copy.close();
    }
  }
  for (const f of keys.files) {
    copyFileSync(join(dataDir, f), join(dir, f));
    chmodSync(join(dir, f), 0o600);
  }
  const manifest: Manifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    store: sqlite ? 'sqlite' : 'postgres',
    database: sqlite ? DB_FILE : null,
    keys: keys.files,
    keysFromEnvironment: keys.fromEnv,
    migration,
    keyFingerprint: fingerprint,
  };
  writeFile0600(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, manifest };
}

function writeFile0600(path: string, text: string): void {
  // Created 0600 from the start, not chmod-ed after.
  writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
}

export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new OpsError(
      'BACKUP_INVALID',
      code === 'ENOENT'
        ? `${dir} is not a Latchkey backup (no ${MANIFEST}).`
        : `${path} cannot be read (${code ?? 'not valid JSON'}).`,
    );
  }
  if (
    m === null ||
    typeof m !== 'object' ||
    m.format !== 1 ||
    (m.store !== 'sqlite' && m.store !== 'postgres') ||
    !Array.isArray(m.keys) ||
    !m.keys.every((k) => Object.values(KEY_FILES).includes(k as never)) ||
    typeof m.keyFingerprint !== 'string'
  )
    throw new OpsError('BACKUP_INVALID', `${path} is not a backup description this version understands.`);
  for (const f of [...m.keys, ...(m.database ? [m.database] : [])]) {
    if (f !== DB_FILE && !m.keys.includes(f)) throw new OpsError('BACKUP_INVALID', `${path} names ${f}.`);
    if (!existsSync(join(dir, f))) throw new OpsError('BACKUP_INVALID', `${join(dir, f)} is missing.`);
  }
  return m;
}

export interface RestoreResult {
  dataDir: string;
  store: 'sqlite' | 'postgres';
  restored: string[];
  /** What was in the way, renamed (with --force) rather than deleted. */
  setAside: string[];
}

export async function restore(
  config: Config,
  dirArg: string,
  opts: { force: boolean },
): Promise<RestoreResult> {
  const dir = resolve(dirArg);
  const dataDir = resolve(config.dataDir);
  const manifest = readManifest(dir);
  if (manifest.store === 'sqlite' && config.databaseUrl)
    throw new OpsError(
      'BACKUP_INVALID',
      'This backup holds a SQLite database, but DATABASE_URL selects PostgreSQL: unset it to restore here.',
    );
  if (manifest.store === 'postgres' && !config.databaseUrl)
    throw new OpsError(
      'BACKUP_INVALID',
      'This backup is of a PostgreSQL node: set DATABASE_URL (and restore the dump with pg_restore) to restore its keys.',
    );

  // The keys the restored node will use: the backup's files, else the environment's.
  const keyText = (which: 'hmac' | 'encryption') => {
    const file = KEY_FILES[which];
    if (manifest.keys.includes(file)) return readFileSync(join(dir, file), 'utf8');
    const env = which === 'hmac' ? config.hmacKey : config.encryptionKey;
    if (!env)
      throw new OpsError(
        'BACKUP_INVALID',
        `The backup has no ${file} (it was set in the environment then): set ${which === 'hmac' ? 'LATCHKEY_HMAC_KEY' : 'LATCHKEY_ENCRYPTION_KEY'} to it.`,
      );
    return env;
  };
  const keys = loadServerKeys({
    dataDir: dir,
    hmacKey: keyText('hmac'),
    encryptionKey: keyText('encryption'),
  });
  if (keyFingerprint(keys) !== manifest.keyFingerprint)
    throw new OpsError('BACKUP_INVALID', 'The keys do not match the ones this backup was made with.');

  if (manifest.database) {
    const copy = new SQLite(join(dir, manifest.database), { readonly: true, fileMustExist: true });
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok')
        throw new OpsError('BACKUP_INVALID', `The backed-up database is damaged: ${check}.`);
      const meta = readMeta(copy);
      if (meta.fingerprint !== null && meta.fingerprint !== manifest.keyFingerprint)
        throw new OpsError(
          'BACKUP_INVALID',
          "The backed-up database was made with other keys than the backup's.",
        );
    } catch (e) {
      if (e instanceof OpsError) throw e;
      throw new OpsError('BACKUP_INVALID', `The backed-up database cannot be read: ${(e as Error).message}.`);
    } finally {
      copy.close();
    }
  }

  // What restoring would replace: a database (a live store) always counts; a key file only when it differs.
  const inTheWay: string[] = [];
  if (manifest.database) {
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`])
      if (existsSync(join(dataDir, f))) inTheWay.push(f);
  }
  for (const f of manifest.keys) {
    const p = join(dataDir, f);
    if (existsSync(p) && readFileSync(p, 'utf8') !== readFileSync(join(dir, f), 'utf8')) inTheWay.push(f);
  }
  if (inTheWay.length > 0 && !opts.force)
    throw new OpsError(
      'RESTORE_WOULD_OVERWRITE',
      `${dataDir} already holds ${inTheWay.join(', ')}. Stop the server, then run "latchkey restore ${dirArg} --force" ` +
        '(what is there is renamed to *.before-restore-TIME, not deleted).',
    );

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const setAside: string[] = [];
  for (const f of inTheWay) {
    const aside = `${f}.before-restore-${stamp}`;
    renameSync(join(dataDir, f), join(dataDir, aside));
    setAside.push(aside);
  }
  const restored: string[] = [];
  // Each file is copied beside its place and renamed into it: a restore cut short leaves no half file.
  const place = (f: string) => {
    const tmp = join(dataDir, `${f}.restoring`);
    copyFileSync(join(dir, f), tmp);
    chmodSync(tmp, 0o600);
    renameSync(tmp, join(dataDir, f));
    restored.push(f);
  };
  for (const f of manifest.keys) place(f);
  if (manifest.database) place(manifest.database);
  return { dataDir, store: manifest.store, restored, setAside };
}
