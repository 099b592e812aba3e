// Server keys live outside the database, so that a dump of the database alone can neither verify
// an app password nor decrypt a TOTP secret. They come from the environment (every node of a
// cluster must share them) or are generated into the data dir on first start, mode 0600.

import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LatchkeyError } from '../core/errors.js';

export interface ServerKeys {
  /** HMAC-SHA-256 key for app passwords, service secrets and other high-entropy tokens. */
  readonly hmac: Buffer;
  /** AES-256-GCM key for secrets the server must read back (TOTP seeds). */
  readonly encryption: Buffer;
}

function decodeKey(value: string, name: string): Buffer {
  const trimmed = value.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (buf.length !== 32) {
    throw new LatchkeyError('CONFIG_INVALID', `${name} must be 32 bytes, base64 or hex encoded.`);
  }
  return buf;
}

function loadOrCreate(dataDir: string, file: string, envValue: string | null, envName: string): Buffer {
  if (envValue) return decodeKey(envValue, envName);
  const path = join(dataDir, file);
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) chmodSync(path, 0o600);
    return decodeKey(readFileSync(path, 'utf8'), path);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // 'wx' fails if another process created the file meanwhile; then we read theirs.
  try {
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return decodeKey(readFileSync(path, 'utf8'), path);
    throw e;
  }
  return key;
}

export function loadServerKeys(opts: {
  dataDir: string;
  hmacKey: string | null;
  encryptionKey: string | null;
}): ServerKeys {
  return {
    hmac: loadOrCreate(opts.dataDir, 'hmac.key', opts.hmacKey, 'LATCHKEY_HMAC_KEY'),
    encryption: loadOrCreate(opts.dataDir, 'encryption.key', opts.encryptionKey, 'LATCHKEY_ENCRYPTION_KEY'),
  };
}

/**
 * A value stored in the database at first start and compared at every start: a node started with
 * other keys would silently refuse every app password, so it refuses to start instead.
 */
export function keyFingerprint(keys: ServerKeys): string {
  const a = createHmac('sha256', keys.hmac).update('latchkey key check v1').digest('base64url');
  const b = createHmac('sha256', keys.encryption).update('latchkey key check v1').digest('base64url');
  return `${a.slice(0, 22)}.${b.slice(0, 22)}`;
}
