// `latchkey doctor`: what would stop this node from starting or serving well, found before it does,
// each with what to do. It only reads: the database is opened read-only (SQLite) or queried without
// migrating (PostgreSQL), key files are read but never created or re-moded, ports are bound for an
// instant and released. It works beside a running server.

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, isIP } from 'node:net';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { CONFIG_FIELDS, type Config, loadConfig } from '../config.js';
import type { ServerKeys } from '../crypto/keys.js';
import type { DB } from '../store/schema.js';
import { DB_FILE, KEY_FILES } from './backup.js';
import { knownMigrations, storeStatus } from './health.js';

export type Status = 'ok' | 'warn' | 'fail';

export interface Check {
  check: string;
  status: Status;
  message: string;
  /** What to do about it; null when there is nothing to do. */
  fix: string | null;
}

const DAY = 86_400_000;
/** A certificate that ends within this many days is a warning. */
const CERT_WARN_DAYS = 21;
/** Clocks further apart than this (database and node) confuse TOTP windows and lockout periods. */
const MAX_SKEW_MS = 5_000;

function ok(check: string, message: string): Check {
  return { check, status: 'ok', message, fix: null };
}
function warn(check: string, message: string, fix: string | null = null): Check {
  return { check, status: 'warn', message, fix };
}
function fail(check: string, message: string, fix: string): Check {
  return { check, status: 'fail', message, fix };
}

export interface DoctorOptions {
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

export async function doctor(opts: DoctorOptions): Promise<Check[]> {
  let config: Config;
  try {
    config = loadConfig({}, opts.env);
  } catch (e) {
    return [fail('config', (e as Error).message, 'Correct the setting (latchkey --help lists them all).')];
  }
  const now = opts.now ?? Date.now;
  const checks: Check[] = [ok('config', `settings read (data dir ${resolve(config.dataDir)})`)];
  const keys = checkKeys(config, checks);
  const dbNow = await checkStore(config, keys, checks);
  checks.push(...checkTls(config, now()));
  checks.push(...(await checkPorts(config)));
  checks.push(...(await checkRadiusPort(config)));
  checks.push(checkPublicUrl(config));
  checks.push(checkClock(now(), dbNow));
  return checks;
}

// ---- keys --------------------------------------------------------------------------------------------

function decodeKey(text: string): Buffer | null {
  const t = text.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  return buf.length === 32 ? buf : null;
}

function checkKeys(config: Config, checks: Check[]): ServerKeys | null {
  const dataDir = resolve(config.dataDir);
  const hasDb = !config.databaseUrl && existsSync(join(dataDir, DB_FILE));
  const found: Partial<Record<'hmac' | 'encryption', Buffer>> = {};
  for (const which of ['hmac', 'encryption'] as const) {
    const envName = which === 'hmac' ? CONFIG_FIELDS.hmacKey.env : CONFIG_FIELDS.encryptionKey.env;
    const envValue = which === 'hmac' ? config.hmacKey : config.encryptionKey;
    const name = `keys.${which}`;
    if (envValue) {
      const key = decodeKey(envValue);
      if (!key) {
        checks.push(
          fail(
            name,
            `${envName} is not 32 bytes (base64 or hex).`,
            `Set ${envName} to the key this store was created with.`,
          ),
        );
        continue;
      }
      found[which] = key;
      checks.push(ok(name, `from ${envName}`));
      continue;
    }
    const path = join(dataDir, KEY_FILES[which]);
    if (!existsSync(path)) {
      if (hasDb || config.databaseUrl)
        checks.push(
          fail(
            name,
            `${path} is missing.`,
            `Restore it from a backup ("latchkey restore DIR"), or set ${envName}. A new key would make every app password fail.`,
          ),
        );
      else checks.push(ok(name, `${path} does not exist yet: the first start generates it (mode 0600)`));
      continue;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      checks.push(
        fail(
          name,
          `${path} cannot be read (${(e as NodeJS.ErrnoException).code}).`,
          'Run doctor as the user the server runs as (e.g. sudo -u latchkey latchkey doctor).',
        ),
      );
      continue;
    }
    const key = decodeKey(text);
    if (!key) {
      checks.push(fail(name, `${path} does not hold a 32-byte key.`, 'Restore the file from a backup.'));
      continue;
    }
    found[which] = key;
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077)
      checks.push(
        warn(name, `${path} is readable by others (mode ${mode.toString(8)}).`, `chmod 600 ${path}`),
      );
    else checks.push(ok(name, `${path} (mode 600)`));
  }
  return found.hmac && found.encryption ? { hmac: found.hmac, encryption: found.encryption } : null;
}

// ---- store -------------------------------------------------------------------------------------------

/** Checks the store; returns the database's clock (PostgreSQL) or null. */
async function checkStore(config: Config, keys: ServerKeys | null, checks: Check[]): Promise<number | null> {
  let db: Kysely<DB>;
  let where: string;
  let pool: pg.Pool | null = null;
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    where = `postgres://${url.username ? `${url.username}@` : ''}${url.host}${url.pathname}`;
    pool = new pg.Pool({ connectionString: config.databaseUrl, max: 1, connectionTimeoutMillis: 3000 });
    pool.on('error', () => {});
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  } else {
    const file = join(resolve(config.dataDir), DB_FILE);
    where = file;
    if (!existsSync(file)) {
      checks.push(ok('store', `no database yet at ${file}: the first start creates and migrates it`));
      return null;
    }
    let raw: SQLite.Database;
    try {
      raw = new SQLite(file, { readonly: true, fileMustExist: true });
      raw.pragma('busy_timeout = 3000');
    } catch (e) {
      checks.push(
        fail(
          'store',
          `${file} cannot be opened: ${(e as Error).message}.`,
          "Run doctor as the server's user; check the file.",
        ),
      );
      return null;
    }
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
  }
  try {
    const s = await storeStatus({ db }, keys ?? { hmac: Buffer.alloc(32), encryption: Buffer.alloc(32) });
    if (!s.reachable) {
      checks.push(
        fail(
          'store',
          `${where} does not answer: ${s.error ?? 'unknown error'}.`,
          config.databaseUrl
            ? 'Check that PostgreSQL runs and DATABASE_URL (host, port, user, database, password) is right.'
            : 'Check the file (is it a Latchkey database?), or restore it from a backup.',
        ),
      );
      return null;
    }
    const known = knownMigrations();
    if (s.unknown.length > 0)
      checks.push(
        fail(
          'store.version',
          `${where} was migrated by a newer Latchkey (${s.unknown.join(', ')}); this one knows up to ${known.at(-1)}.`,
          'Upgrade this node to the version the other nodes run.',
        ),
      );
    else if (s.pending.length > 0)
      checks.push(
        warn(
          'store.version',
          `${where} is at ${s.version ?? 'no migration'}; the next start applies ${s.pending.join(', ')}.`,
          'Back up first ("latchkey backup DIR"): migrations go forward only.',
        ),
      );
    else checks.push(ok('store.version', `${where}, migration ${s.version} (up to date)`));
    await checkRadiusClients(config, db, checks);

    if (keys) {
      if (s.keysMatch === false)
        checks.push(
          fail(
            'keys.match',
            'The server keys do not match the ones this database was created with: the server refuses to start (KEY_MISMATCH), and every app password would fail.',
            'Use the original hmac.key and encryption.key (or LATCHKEY_HMAC_KEY / LATCHKEY_ENCRYPTION_KEY), e.g. from the backup taken with this database.',
          ),
        );
      else if (s.keysMatch === null)
        checks.push(ok('keys.match', 'the database records no keys yet: the first start does'));
      else checks.push(ok('keys.match', 'the keys are the ones this database was created with'));
    }
    return pool ? await databaseClock(pool) : null;
  } finally {
    await db.destroy().catch(() => {});
  }
}

async function databaseClock(pool: pg.Pool): Promise<number | null> {
  try {
    const r = await pool.query<{ ms: string }>(
      'select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms',
    );
    return Number(r.rows[0]?.ms);
  } catch {
    return null;
  }
}

// ---- TLS ---------------------------------------------------------------------------------------------

function checkTls(config: Config, now: number): Check[] {
  const { tlsCert, tlsKey } = config;
  if (!tlsCert && !tlsKey) {
    if (config.ldapsPort > 0)
      return [
        fail(
          'tls',
          'LDAPS is on but no certificate is set.',
          'Set LATCHKEY_TLS_CERT and LATCHKEY_TLS_KEY, or LATCHKEY_LDAPS_PORT=0.',
        ),
      ];
    const exposedLdap = config.ldapPort > 0 && !isLoopback(config.httpHost);
    return [
      exposedLdap
        ? warn(
            'tls',
            `no certificate: LDAP on ${config.httpHost}:${config.ldapPort} offers no StartTLS, so passwords cross the network in the clear.`,
            'Set LATCHKEY_TLS_CERT and LATCHKEY_TLS_KEY (PEM files).',
          )
        : ok('tls', 'no certificate set (HTTP behind a TLS proxy; LDAP on loopback only)'),
    ];
  }
  if (!tlsCert || !tlsKey)
    return [
      fail(
        'tls',
        `${tlsCert ? 'LATCHKEY_TLS_KEY' : 'LATCHKEY_TLS_CERT'} is not set, the other is.`,
        'Set both, or neither.',
      ),
    ];
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(tlsCert));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return [
      fail(
        'tls.cert',
        `${tlsCert} ${isErrno(code) ? `cannot be read (${code})` : 'is not a PEM certificate'}.`,
        "Point LATCHKEY_TLS_CERT at the PEM certificate (full chain), readable by the server's user.",
      ),
    ];
  }
  const out: Check[] = [];
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(readFileSync(tlsKey));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return [
      fail(
        'tls.key',
        `${tlsKey} ${isErrno(code) ? `cannot be read (${code})` : 'is not a PEM private key (or is encrypted)'}.`,
        "Point LATCHKEY_TLS_KEY at the unencrypted PEM key, readable by the server's user only.",
      ),
    ];
  }
  if (!cert.checkPrivateKey(key))
    out.push(
      fail(
        'tls.match',
        `${tlsKey} is not the key of ${tlsCert}.`,
        'Use the key the certificate was issued for.',
      ),
    );
  else out.push(ok('tls.match', 'the key belongs to the certificate'));
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const days = Math.floor((to - now) / DAY);
  if (now < from)
    out.push(
      fail(
        'tls.expiry',
        `the certificate is valid only from ${cert.validFrom}.`,
        'Check the clock, or the certificate.',
      ),
    );
  else if (now >= to)
    out.push(
      fail('tls.expiry', `the certificate expired on ${cert.validTo}.`, 'Renew it, then restart the server.'),
    );
  else if (days < CERT_WARN_DAYS)
    out.push(
      warn(
        'tls.expiry',
        `the certificate expires in ${days} days (${cert.validTo}).`,
        'Renew it, then restart the server.',
      ),
    );
  else out.push(ok('tls.expiry', `valid until ${cert.validTo} (${days} days)`));
  const host = safeHost(config.publicUrl);
  if (host && !isLoopbackName(host) && !(isIP(host) ? cert.checkIP(host) : cert.checkHost(host)))
    out.push(
      warn(
        'tls.name',
        `the certificate does not name ${host}.`,
        'Clients that check names (LDAPS, StartTLS) will refuse it.',
      ),
    );
  const mode = statSync(tlsKey).mode & 0o777;
  if (mode & 0o077)
    out.push(
      warn('tls.key', `${tlsKey} is readable by others (mode ${mode.toString(8)}).`, `chmod 600 ${tlsKey}`),
    );
  return out;
}

// ---- ports -------------------------------------------------------------------------------------------

/**
 * RADIUS clients registered without Message-Authenticator (old equipment): open to BlastRADIUS, said
 * on every doctor run until they are registered again. With the RADIUS door on, also how many there are.
 */
async function checkRadiusClients(config: Config, db: Kysely<DB>, checks: Check[]): Promise<void> {
  let rows: { name: string; require_message_authenticator: number }[];
  try {
    rows = await db.selectFrom('radius_clients').select(['name', 'require_message_authenticator']).execute();
  } catch {
    return; // a database from before migration 012: nothing registered yet
  }
  const optedOut = rows.filter((r) => Number(r.require_message_authenticator) !== 1).map((r) => r.name);
  if (optedOut.length > 0)
    checks.push(
      warn(
        'radius.clients',
        `${optedOut.join(', ')} ${optedOut.length === 1 ? 'is' : 'are'} accepted without Message-Authenticator: open to BlastRADIUS (CVE-2024-3596).`,
        'Update the equipment so that it sends Message-Authenticator, then register it again without --no-message-authenticator.',
      ),
    );
  else if (config.radiusPort > 0)
    checks.push(
      rows.length === 0
        ? warn(
            'radius.clients',
            'LATCHKEY_RADIUS_PORT is set but no RADIUS client is registered: every packet is dropped.',
            'Register your NAS: latchkey radius-client add NAME --address CIDR.',
          )
        : ok('radius.clients', `${rows.length} registered, all require Message-Authenticator`),
    );
}

/** Binds a UDP port for an instant: null when it could be bound, else the error's code. */
function tryBindUdp(host: string, port: number): Promise<string | null> {
  return new Promise((resolveBind) => {
    const s = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', reuseAddr: false });
    s.once('error', (e: NodeJS.ErrnoException) => {
      s.close();
      resolveBind(e.code ?? 'ERROR');
    });
    s.bind({ address: host, port, exclusive: true }, () => s.close(() => resolveBind(null)));
  });
}

/** The RADIUS door's UDP port, when LATCHKEY_RADIUS_PORT is set. */
async function checkRadiusPort(config: Config): Promise<Check[]> {
  if (config.radiusPort <= 0) return [];
  const where = `udp ${config.radiusHost}:${config.radiusPort}`;
  const err = await tryBindUdp(config.radiusHost, config.radiusPort);
  if (err === null) return [ok('port.radius', `${where} is free`)];
  if (err === 'EADDRINUSE') {
    const running = await isLatchkey(
      config.httpHost,
      config.httpPort,
      Boolean(config.tlsCert && config.tlsKey),
    );
    return [
      running
        ? ok(
            'port.radius',
            `${where} is in use, and a Latchkey runs here (its RADIUS door, or a FreeRADIUS beside it)`,
          )
        : fail(
            'port.radius',
            `${where} is in use by another program (a FreeRADIUS server?).`,
            `Find it with "ss -lunp 'sport = :${config.radiusPort}'", or set LATCHKEY_RADIUS_PORT.`,
          ),
    ];
  }
  if (err === 'EACCES')
    return [
      fail(
        'port.radius',
        `${where} needs privileges (ports below 1024).`,
        'Use 1812, or grant CAP_NET_BIND_SERVICE.',
      ),
    ];
  if (err === 'EADDRNOTAVAIL')
    return [
      fail(
        'port.radius',
        `${config.radiusHost} is not an address of this machine.`,
        'Set LATCHKEY_RADIUS_HOST to one of its addresses.',
      ),
    ];
  return [
    fail(
      'port.radius',
      `${where} cannot be bound (${err}).`,
      'Set LATCHKEY_RADIUS_PORT or LATCHKEY_RADIUS_HOST.',
    ),
  ];
}

function tryBind(host: string, port: number): Promise<string | null> {
  return new Promise((resolveBind) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) => resolveBind(e.code ?? 'ERROR'));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolveBind(null)));
  });
}

/**
 * Whether a Latchkey answers /healthz on the HTTP door. With a certificate configured the door speaks
 * HTTPS; the certificate is not verified here: this only asks who holds the port.
 */
function isLatchkey(host: string, port: number, tls: boolean): Promise<boolean> {
  const hostname = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return new Promise((resolveProbe) => {
    const req = (tls ? httpsRequest : httpRequest)(
      { hostname, port, path: '/healthz', timeout: 2000, rejectUnauthorized: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 1024) body += c;
        });
        res.on('end', () => resolveProbe(res.statusCode === 200 && /"status":"ok"/.test(body)));
        res.on('error', () => resolveProbe(false));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveProbe(false));
    req.end();
  });
}

async function checkPorts(config: Config): Promise<Check[]> {
  const doors = [
    { name: 'http', port: config.httpPort, env: 'LATCHKEY_HTTP_PORT' },
    { name: 'ldap', port: config.ldapPort, env: 'LATCHKEY_LDAP_PORT' },
    { name: 'ldaps', port: config.ldapsPort, env: 'LATCHKEY_LDAPS_PORT' },
  ].filter((d) => d.port > 0);
  const out: Check[] = [];
  const seen = new Map<number, string>();
  let running: boolean | null = null;
  for (const d of doors) {
    const name = `port.${d.name}`;
    const other = seen.get(d.port);
    if (other) {
      out.push(fail(name, `${d.env} is ${d.port}, the same as ${other}.`, 'Give every door its own port.'));
      continue;
    }
    seen.set(d.port, d.env);
    const where = `${config.httpHost}:${d.port}`;
    const err = await tryBind(config.httpHost, d.port);
    if (err === null) out.push(ok(name, `${where} is free`));
    else if (err === 'EADDRINUSE') {
      running ??= await isLatchkey(
        config.httpHost,
        config.httpPort,
        Boolean(config.tlsCert && config.tlsKey),
      );
      if (running) out.push(ok(name, `${where} is in use by the running Latchkey`));
      else
        out.push(
          fail(
            name,
            `${where} is in use by another program.`,
            `Find it with "ss -ltnp 'sport = :${d.port}'", or set ${d.env}.`,
          ),
        );
    } else if (err === 'EACCES')
      out.push(
        fail(
          name,
          `${where} needs privileges (ports below 1024).`,
          'Grant CAP_NET_BIND_SERVICE (AmbientCapabilities= in deploy/latchkey.service) or use a port above 1023.',
        ),
      );
    else if (err === 'EADDRNOTAVAIL')
      out.push(
        fail(
          name,
          `${config.httpHost} is not an address of this machine.`,
          'Set LATCHKEY_HTTP_HOST to one of its addresses.',
        ),
      );
    else out.push(fail(name, `${where} cannot be bound (${err}).`, `Set ${d.env} or LATCHKEY_HTTP_HOST.`));
  }
  return out;
}

// ---- public URL and clock ---------------------------------------------------------------------------

function safeHost(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || isLoopback(host);
}

function isLoopback(host: string): boolean {
  return host === '::1' || host.startsWith('127.');
}

function checkPublicUrl(config: Config): Check {
  const url = new URL(config.publicUrl); // loadConfig has checked that it parses as http(s)
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.username || url.password || url.search || url.hash)
    return fail(
      'public_url',
      `${config.publicUrl} has parts an origin cannot have (user, query or fragment).`,
      'Set LATCHKEY_PUBLIC_URL to https://HOST only.',
    );
  if (url.protocol === 'http:' && !isLoopbackName(host))
    return fail(
      'public_url',
      `${url.origin} is plain http on a name others reach: passwords would cross the network in the clear, cookies could not be Secure, and browsers refuse security keys there.`,
      'Serve it behind a TLS proxy (docs/install.md) and set LATCHKEY_PUBLIC_URL=https://….',
    );
  if (url.pathname !== '/')
    return warn(
      'public_url',
      `${config.publicUrl} has a path; Latchkey serves from the root of its host.`,
      'Give Latchkey its own host name.',
    );
  return ok('public_url', `${url.origin}${url.protocol === 'http:' ? ' (local only)' : ''}`);
}

function checkClock(now: number, dbNow: number | null): Check {
  const year = new Date(now).getUTCFullYear();
  if (year < 2024 || year > 2100)
    return fail(
      'clock',
      `the system clock says ${new Date(now).toISOString()}.`,
      'Set the time (systemd-timesyncd or chrony).',
    );
  if (dbNow !== null && Math.abs(dbNow - now) > MAX_SKEW_MS)
    return warn(
      'clock',
      `this machine and PostgreSQL differ by ${Math.round(Math.abs(dbNow - now) / 1000)} s.`,
      'Synchronise both clocks (NTP): TOTP codes and lockout periods depend on them.',
    );
  return ok('clock', `${new Date(now).toISOString()}${dbNow !== null ? ', within 5 s of PostgreSQL' : ''}`);
}

export function formatChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  return checks
    .map((c) => {
      const tag = c.status === 'ok' ? 'OK  ' : c.status === 'warn' ? 'WARN' : 'FAIL';
      return `${tag}  ${c.check.padEnd(width)}  ${c.message}${c.fix ? ` Fix: ${c.fix}` : ''}`;
    })
    .join('\n');
}

/** A system error (ENOENT, EACCES, …), as opposed to a parse error of OpenSSL (ERR_OSSL_…). */
function isErrno(code: string | undefined): boolean {
  return code !== undefined && /^E[A-Z]+$/.test(code);
}
