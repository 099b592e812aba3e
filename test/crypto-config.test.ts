// App-password generation and normalization (R3), server keys, key mismatch, configuration parsing.

import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import {
  formatAppPassword,
  generateAppPassword,
  keyedHash,
  normalizeAppPassword,
} from '../src/crypto/app-passwords.js';
import { loadServerKeys } from '../src/crypto/keys.js';
import { openStore } from '../src/store/database.js';
import { tempDir } from './helpers/stores.js';

describe('app passwords (R3)', () => {
  it('are 24 lowercase letters, every letter used, no two alike', () => {
    const seen = new Set<string>();
    const letters = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const p = generateAppPassword();
      expect(p).toMatch(/^[a-z]{24}$/);
      seen.add(p);
      for (const c of p) letters.set(c, (letters.get(c) ?? 0) + 1);
    }
    expect(seen.size).toBe(2000);
    expect(letters.size).toBe(26);
    // 48,000 letters: each near 1,846; a biased generator (e.g. byte % 26) skews a–v by ~10%.
    for (const n of letters.values()) expect(Math.abs(n - 48000 / 26)).toBeLessThan(250);
  });

  it('are shown in six groups of four and accepted however they are typed', () => {
    const p = 'abcdefghijklmnopqrstuvwx';
    expect(formatAppPassword(p)).toBe('abcd efgh ijkl mnop qrst uvwx');
    for (const typed of [
      'ABCD EFGH IJKL MNOP QRST UVWX',
      'abcd-efgh-ijkl-mnop-qrst-uvwx',
      ' abcdefghijklmnopqrstuvwx\t',
    ]) {
      expect(normalizeAppPassword(typed)).toBe(p);
    }
    for (const notOne of [
      'abcdefghijklmnopqrstuvw',
      'abcdefghijklmnopqrstuvwxy',
      'abcdefghijklmnopqrstuvw1',
      'äbcdefghijklmnopqrstuvwx',
    ]) {
      expect(normalizeAppPassword(notOne)).toBeNull();
    }
  });

  it('are stored as HMAC-SHA-256 under the server key: another key gives another hash', () => {
    const a = keyedHash(Buffer.alloc(32, 1), 'abcdefghijklmnopqrstuvwx');
    const b = keyedHash(Buffer.alloc(32, 2), 'abcdefghijklmnopqrstuvwx');
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
  });
});

describe('server keys', () => {
  it('are generated once into the data dir with mode 0600 and reused', () => {
    const dir = tempDir();
    try {
      const k1 = loadServerKeys({ dataDir: dir, hmacKey: null, encryptionKey: null });
      const k2 = loadServerKeys({ dataDir: dir, hmacKey: null, encryptionKey: null });
      expect(k1.hmac.equals(k2.hmac)).toBe(true);
      expect(k1.hmac.equals(k1.encryption)).toBe(false);
      expect(statSync(join(dir, 'hmac.key')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'encryption.key')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('come from the environment when given, and must be 32 bytes', () => {
    const dir = tempDir();
    try {
      const hmac = Buffer.alloc(32, 7).toString('base64');
      const enc = Buffer.alloc(32, 8).toString('hex');
      const k = loadServerKeys({ dataDir: dir, hmacKey: hmac, encryptionKey: enc });
      expect(k.hmac.equals(Buffer.alloc(32, 7))).toBe(true);
      expect(k.encryption.equals(Buffer.alloc(32, 8))).toBe(true);
      expect(() => loadServerKeys({ dataDir: dir, hmacKey: 'c2hvcnQ=', encryptionKey: enc })).toThrow(
        /32 bytes/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a store opened with other keys refuses to start instead of refusing every app password', async () => {
    const dir = tempDir();
    try {
      const store = await openStore({ dataDir: dir, databaseUrl: null });
      const keys = loadServerKeys({ dataDir: dir, hmacKey: null, encryptionKey: null });
      await (await createCore({ store, keys, flushIntervalMs: 0 })).close();
      const other = { hmac: Buffer.alloc(32, 9), encryption: keys.encryption };
      await expect(createCore({ store, keys: other, flushIntervalMs: 0 })).rejects.toMatchObject({
        code: 'KEY_MISMATCH',
      });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({}, {})).toMatchObject({
      dataDir: './data',
      databaseUrl: null,
      domain: 'example.org',
      ldapBaseDn: 'dc=example,dc=org',
      httpHost: '127.0.0.1',
      httpPort: 8080,
      publicUrl: 'http://localhost:8080',
      ldapPort: 3389,
    });
  });

  it('takes flags over environment over file', () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'latchkey.json');
      writeFileSync(file, JSON.stringify({ LATCHKEY_DOMAIN: 'file.example', LATCHKEY_HTTP_PORT: 9000 }));
      expect(loadConfig({}, { LATCHKEY_CONFIG: file })).toMatchObject({
        domain: 'file.example',
        httpPort: 9000,
      });
      expect(loadConfig({}, { LATCHKEY_CONFIG: file, LATCHKEY_HTTP_PORT: '9100' }).httpPort).toBe(9100);
      expect(
        loadConfig({ httpPort: '9200' }, { LATCHKEY_CONFIG: file, LATCHKEY_HTTP_PORT: '9100' }).httpPort,
      ).toBe(9200);
      writeFileSync(file, JSON.stringify({ LATCHKEY_NO_SUCH: 1 }));
      expect(() => loadConfig({}, { LATCHKEY_CONFIG: file })).toThrow(/Unknown key LATCHKEY_NO_SUCH/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ LATCHKEY_HTTP_PORT: '70000' }, /port number/],
    [{ LATCHKEY_HTTP_PORT: 'eighty' }, /port number/],
    [{ DATABASE_URL: 'mysql://x' }, /postgres/],
    [{ LATCHKEY_DOMAIN: 'not a domain' }, /domain/],
    [{ LATCHKEY_PUBLIC_URL: 'ftp://x' }, /http/],
    [{ LATCHKEY_LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ LATCHKEY_TRUSTED_PROXIES: '10.0.0.0/99' }, /TRUSTED_PROXIES/],
    [{ LATCHKEY_TRUSTED_PROXIES: 'proxy.example.org' }, /TRUSTED_PROXIES/],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadConfig({}, env)).toThrow(message);
  });
});
