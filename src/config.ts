// Every process-level setting in one schema: its name, environment variable, default and one line of
// documentation. `--help` and docs/configuration.md are built from this table. Parsed once, frozen.
// Organization policy (app passwords allowed, limits, lockout) lives in the store instead: see
// core/settings.ts — it must be the same on every node and changeable without a restart.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { LatchkeyError } from './core/errors.js';

type Kind = 'string' | 'port' | 'url' | 'integer';

interface Field {
  env: string;
  /** null for secrets: they never come from command-line arguments. */
  flag: string | null;
  kind: Kind;
  default: string | null;
  doc: string;
  secret?: boolean;
}

export const CONFIG_FIELDS = {
  dataDir: {
    env: 'LATCHKEY_DATA_DIR',
    flag: '--data-dir',
    kind: 'string',
    default: './data',
    doc: 'SQLite file and generated server keys (created with mode 0600 on first start)',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    flag: '--database-url',
    kind: 'url',
    default: null,
    doc: 'postgres://… selects PostgreSQL; unset means the SQLite file in the data dir',
    secret: true,
  },
  domain: {
    env: 'LATCHKEY_DOMAIN',
    flag: '--domain',
    kind: 'string',
    default: 'example.org',
    doc: 'mail domain of users; the LDAP base DN is derived from it',
  },
  ldapBaseDn: {
    env: 'LATCHKEY_LDAP_BASE_DN',
    flag: '--ldap-base-dn',
    kind: 'string',
    default: null,
    doc: 'LDAP base DN (default: dc=… from LATCHKEY_DOMAIN)',
  },
  httpHost: {
    env: 'LATCHKEY_HTTP_HOST',
    flag: '--http-host',
    kind: 'string',
    default: '127.0.0.1',
    doc: 'address for browser pages, the JSON API and /auth/basic',
  },
  httpPort: {
    env: 'LATCHKEY_HTTP_PORT',
    flag: '--http-port',
    kind: 'port',
    default: '8080',
    doc: 'port for browser pages, the JSON API and /auth/basic',
  },
  trustedProxies: {
    env: 'LATCHKEY_TRUSTED_PROXIES',
    flag: '--trusted-proxies',
    kind: 'string',
    default: '127.0.0.1,::1',
    doc: 'addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client (empty = none)',
  },
  passwordChecksPerSource: {
    env: 'LATCHKEY_PASSWORD_CHECKS_PER_SOURCE',
    flag: '--password-checks-per-source',
    kind: 'string',
    default: '10',
    doc: 'argon2id checks per second one client address may cause on a node (relays have none: their checks queue in the hashing lanes; 0 = no limit)',
  },
  publicUrl: {
    env: 'LATCHKEY_PUBLIC_URL',
    flag: '--public-url',
    kind: 'url',
    default: 'http://localhost:8080',
    doc: 'the address people use (links, WebAuthn origin)',
  },
  cookieDomain: {
    env: 'LATCHKEY_COOKIE_DOMAIN',
    flag: '--cookie-domain',
    kind: 'string',
    default: null,
    doc: "parent domain of the single sign-on cookie lk_sso for /auth/request and /auth/forward (e.g. example.org); unset = no such cookie, and those endpoints know only requests to Latchkey's own host",
  },
  ssoDomains: {
    env: 'LATCHKEY_SSO_DOMAINS',
    flag: '--sso-domains',
    kind: 'string',
    default: null,
    doc: "hosts sign-in may send the browser back to for a forward-auth app, comma-separated: example.org, *.example.org (any host below it); Latchkey's own host always (unset = LATCHKEY_COOKIE_DOMAIN and its subdomains)",
  },
  ldapPort: {
    env: 'LATCHKEY_LDAP_PORT',
    flag: '--ldap-port',
    kind: 'port',
    default: '3389',
    doc: 'plain LDAP with StartTLS (0 = off)',
  },
  ldapsPort: {
    env: 'LATCHKEY_LDAPS_PORT',
    flag: '--ldaps-port',
    kind: 'port',
    default: '0',
    doc: 'LDAPS (0 = off)',
  },
  radiusPort: {
    env: 'LATCHKEY_RADIUS_PORT',
    flag: '--radius-port',
    kind: 'port',
    default: '0',
    doc: 'RADIUS authentication over UDP, PAP only (0 = off; 1812 is the standard port); see docs/radius.md',
  },
  radiusHost: {
    env: 'LATCHKEY_RADIUS_HOST',
    flag: '--radius-host',
    kind: 'string',
    default: null,
    doc: 'address the RADIUS door listens on (unset = LATCHKEY_HTTP_HOST); NAS usually reach it from other machines',
  },
  tlsCert: {
    env: 'LATCHKEY_TLS_CERT',
    flag: '--tls-cert',
    kind: 'string',
    default: null,
    doc: 'PEM certificate for LDAPS/StartTLS (and HTTPS if set)',
  },
  tlsKey: {
    env: 'LATCHKEY_TLS_KEY',
    flag: '--tls-key',
    kind: 'string',
    default: null,
    doc: 'PEM private key for LDAPS/StartTLS (and HTTPS if set)',
  },
  checkCacheSize: {
    env: 'LATCHKEY_CHECK_CACHE_SIZE',
    flag: '--check-cache-size',
    kind: 'integer',
    default: '200000',
    doc: "app passwords the check path keeps in memory (about 300 bytes each), kept true by the store's change feed; 0 = read the store on every check",
  },
  maxConnections: {
    env: 'LATCHKEY_MAX_CONNECTIONS',
    flag: '--max-connections',
    kind: 'integer',
    default: '4096',
    doc: 'open connections per listener (HTTP, LDAP, LDAPS) and per process; beyond it new ones are closed at once',
  },
  maxConnectionsPerSource: {
    env: 'LATCHKEY_MAX_CONNECTIONS_PER_SOURCE',
    flag: '--max-connections-per-source',
    kind: 'integer',
    default: '256',
    doc: 'open connections one client address (IPv6: one /64) may hold per door and process; trusted proxies are exempt (0 = no cap)',
  },
  httpHeadersTimeout: {
    env: 'LATCHKEY_HTTP_HEADERS_TIMEOUT',
    flag: '--http-headers-timeout',
    kind: 'integer',
    default: '15',
    doc: 'seconds a client has to send a request line and headers (a new connection: counted from connecting); slower ones are cut off',
  },
  httpIdleTimeout: {
    env: 'LATCHKEY_HTTP_IDLE_TIMEOUT',
    flag: '--http-idle-timeout',
    kind: 'integer',
    default: '75',
    doc: "seconds a kept-alive HTTP connection may wait for its next request (keep it above a load balancer's idle timeout)",
  },
  ldapAnonymousTimeout: {
    env: 'LATCHKEY_LDAP_ANONYMOUS_TIMEOUT',
    flag: '--ldap-anonymous-timeout',
    kind: 'integer',
    default: '20',
    doc: 'seconds an LDAP connection that has not bound may wait between requests; also the limit of a TLS handshake',
  },
  ldapIdleTimeout: {
    env: 'LATCHKEY_LDAP_IDLE_TIMEOUT',
    flag: '--ldap-idle-timeout',
    kind: 'integer',
    default: '900',
    doc: "seconds a bound LDAP connection may stay idle, as slapd's idletimeout (0 = never); pools such as Dovecot's reconnect",
  },
  shutdownTimeout: {
    env: 'LATCHKEY_SHUTDOWN_TIMEOUT',
    flag: '--shutdown-timeout',
    kind: 'integer',
    default: '10',
    doc: 'seconds a stopping node (SIGTERM, SIGINT) lets requests in flight finish before it closes the connections left; then it writes the pending sign-in aggregates and exits 0',
  },
  hmacKey: {
    env: 'LATCHKEY_HMAC_KEY',
    flag: null,
    kind: 'string',
    default: null,
    doc: 'base64 32-byte key for app-password hashes (default: generated into the data dir); every node needs the same',
    secret: true,
  },
  encryptionKey: {
    env: 'LATCHKEY_ENCRYPTION_KEY',
    flag: null,
    kind: 'string',
    default: null,
    doc: 'base64 32-byte AES-256-GCM key for TOTP secrets (default: generated into the data dir)',
    secret: true,
  },
  workers: {
    env: 'LATCHKEY_WORKERS',
    flag: '--workers',
    kind: 'string',
    default: '1',
    doc: 'server processes sharing the ports (auto = one per core); more binds per second, more memory',
  },
  logLevel: {
    env: 'LATCHKEY_LOG_LEVEL',
    flag: '--log-level',
    kind: 'string',
    default: 'info',
    doc: 'fatal, error, warn, info, debug or silent',
  },
  metricsToken: {
    env: 'LATCHKEY_METRICS_TOKEN',
    flag: null,
    kind: 'string',
    default: null,
    doc: 'bearer token (16+ printable characters) that GET /metrics asks for on the HTTP door (and on LATCHKEY_METRICS_ADDRESS, if both are set); with neither set, /metrics is 404',
    secret: true,
  },
  metricsAddress: {
    env: 'LATCHKEY_METRICS_ADDRESS',
    flag: '--metrics-address',
    kind: 'string',
    default: null,
    doc: 'host:port of a listener of its own for /metrics (e.g. 127.0.0.1:9464 or [::1]:9464); /metrics is then not on the HTTP door',
  },
  configFile: {
    env: 'LATCHKEY_CONFIG',
    flag: '--config',
    kind: 'string',
    default: null,
    doc: 'optional JSON file whose keys are these environment variable names',
  },
} as const satisfies Record<string, Field>;

export type ConfigKey = keyof typeof CONFIG_FIELDS;

export interface Config {
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly domain: string;
  readonly ldapBaseDn: string;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly trustedProxies: string[];
  readonly passwordChecksPerSource: number;
  readonly publicUrl: string;
  /** Null: no single sign-on cookie. */
  readonly cookieDomain: string | null;
  /** `host` or `*.domain` entries, lowercase. */
  readonly ssoDomains: string[];
  readonly ldapPort: number;
  readonly ldapsPort: number;
  /** 0 = no RADIUS door. */
  readonly radiusPort: number;
  readonly radiusHost: string;
  readonly tlsCert: string | null;
  readonly tlsKey: string | null;
  readonly checkCacheSize: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerSource: number;
  /** Seconds. */
  readonly httpHeadersTimeout: number;
  /** Seconds. */
  readonly httpIdleTimeout: number;
  /** Seconds. */
  readonly ldapAnonymousTimeout: number;
  /** Seconds; 0 = never. */
  readonly ldapIdleTimeout: number;
  /** Seconds a stopping node waits for requests in flight. */
  readonly shutdownTimeout: number;
  readonly hmacKey: string | null;
  readonly encryptionKey: string | null;
  readonly logLevel: string;
  readonly workers: number;
  /** Null: /metrics asks for no token (then it is served only on metricsAddress, if that is set). */
  readonly metricsToken: string | null;
  /** Null: no listener of its own for /metrics. */
  readonly metricsAddress: { host: string; port: number } | null;
}

const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Builds the configuration from, in order of precedence: explicit values (command-line flags),
 * the environment, the optional JSON config file, the defaults.
 */
export function loadConfig(
  overrides: Partial<Record<ConfigKey, string | undefined>> = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const fileName = overrides.configFile ?? env.LATCHKEY_CONFIG;
  let file: Record<string, unknown> = {};
  if (fileName) {
    try {
      file = JSON.parse(readFileSync(fileName, 'utf8'));
    } catch (e) {
      throw new LatchkeyError(
        'CONFIG_INVALID',
        // Not the parser's message: it quotes the file, which may hold a key.
        `Cannot read config file ${fileName}: ${(e as NodeJS.ErrnoException).code ?? 'not valid JSON'}.`,
      );
    }
    if (typeof file !== 'object' || file === null || Array.isArray(file)) {
      throw new LatchkeyError('CONFIG_INVALID', `Config file ${fileName} must hold a JSON object.`);
    }
    for (const k of Object.keys(file)) {
      if (!Object.values(CONFIG_FIELDS).some((f) => f.env === k)) {
        throw new LatchkeyError('CONFIG_INVALID', `Unknown key ${k} in config file ${fileName}.`);
      }
    }
  }
  const raw = {} as Record<ConfigKey, string | null>;
  for (const [key, field] of Object.entries(CONFIG_FIELDS) as [ConfigKey, Field][]) {
    const fromFile = file[field.env];
    const value = overrides[key] ?? env[field.env] ?? (fromFile === undefined ? undefined : String(fromFile));
    raw[key] = value === undefined || value === '' ? field.default : value;
  }

  const port = (key: ConfigKey): number => {
    const v = raw[key] ?? '0';
    const n = Number(v);
    if (!/^\d+$/.test(v) || n > 65535) {
      throw new LatchkeyError('CONFIG_INVALID', `${CONFIG_FIELDS[key].env} must be a port number 0–65535.`);
    }
    return n;
  };
  const integer = (key: ConfigKey, min: number, max: number): number => {
    const v = raw[key] ?? '';
    const n = Number(v);
    if (!/^\d{1,9}$/.test(v) || n < min || n > max) {
      throw new LatchkeyError(
        'CONFIG_INVALID',
        `${CONFIG_FIELDS[key].env} must be a number from ${min} to ${max}.`,
      );
    }
    return n;
  };
  const domain = (raw.domain ?? 'example.org').toLowerCase();
  if (!DOMAIN.test(domain)) {
    throw new LatchkeyError('CONFIG_INVALID', 'LATCHKEY_DOMAIN must be a domain name such as example.org.');
  }
  const databaseUrl = raw.databaseUrl;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new LatchkeyError('CONFIG_INVALID', 'DATABASE_URL must start with postgres:// or postgresql://.');
  }
  const publicUrl = raw.publicUrl ?? 'http://localhost:8080';
  if (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol)) {
    throw new LatchkeyError('CONFIG_INVALID', 'LATCHKEY_PUBLIC_URL must be an http:// or https:// address.');
  }
  const cookieDomain = raw.cookieDomain === null ? null : raw.cookieDomain.toLowerCase().replace(/^\./, '');
  if (cookieDomain !== null) {
    const host = new URL(publicUrl).hostname;
    if (!DOMAIN.test(cookieDomain) || (host !== cookieDomain && !host.endsWith(`.${cookieDomain}`))) {
      // A browser drops a cookie whose Domain does not cover the host that sets it.
      throw new LatchkeyError(
        'CONFIG_INVALID',
        "LATCHKEY_COOKIE_DOMAIN must be a domain name that is LATCHKEY_PUBLIC_URL's host or a parent of it.",
      );
    }
  }
  const ssoDomains =
    raw.ssoDomains === null
      ? cookieDomain === null
        ? []
        : [cookieDomain, `*.${cookieDomain}`]
      : raw.ssoDomains
          .split(',')
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean);
  for (const d of ssoDomains) {
    if (!/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(d)) {
      throw new LatchkeyError(
        'CONFIG_INVALID',
        `LATCHKEY_SSO_DOMAINS: "${d.slice(0, 64)}" is not a host name or *.domain.`,
      );
    }
  }
  const trustedProxies = (raw.trustedProxies ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of trustedProxies) {
    const [addr, bits, extra] = p.split('/');
    const family = isIP(addr ?? '');
    const max = family === 6 ? 128 : 32;
    if (
      !family ||
      extra !== undefined ||
      (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))
    ) {
      throw new LatchkeyError(
        'CONFIG_INVALID',
        `LATCHKEY_TRUSTED_PROXIES: "${p.slice(0, 64)}" is not an address or CIDR.`,
      );
    }
  }
  const checksRaw = raw.passwordChecksPerSource ?? '10';
  if (!/^\d{1,5}$/.test(checksRaw)) {
    throw new LatchkeyError(
      'CONFIG_INVALID',
      'LATCHKEY_PASSWORD_CHECKS_PER_SOURCE must be a whole number of checks per second (0 = no limit).',
    );
  }
  const workersRaw = raw.workers ?? '1';
  const workers = workersRaw === 'auto' ? availableParallelism() : Number(workersRaw);
  if (!/^(auto|\d{1,2})$/.test(workersRaw) || workers < 1 || workers > 64) {
    throw new LatchkeyError('CONFIG_INVALID', 'LATCHKEY_WORKERS must be a number from 1 to 64, or auto.');
  }
  const logLevel = raw.logLevel ?? 'info';
  if (!LOG_LEVELS.has(logLevel)) {
    throw new LatchkeyError(
      'CONFIG_INVALID',
      `LATCHKEY_LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}.`,
    );
  }
  const metricsToken = raw.metricsToken;
  if (metricsToken !== null && !/^[!-~]{16,1024}$/.test(metricsToken)) {
    throw new LatchkeyError(
      'CONFIG_INVALID',
      'LATCHKEY_METRICS_TOKEN must be 16 to 1024 printable characters without spaces.',
    );
  }
  const metricsAddress = raw.metricsAddress === null ? null : hostPort(raw.metricsAddress);
  if (raw.metricsAddress !== null && metricsAddress === null) {
    throw new LatchkeyError(
      'CONFIG_INVALID',
      'LATCHKEY_METRICS_ADDRESS must be host:port, such as 127.0.0.1:9464 or [::1]:9464.',
    );
  }

  return Object.freeze({
    dataDir: raw.dataDir ?? './data',
    databaseUrl,
    domain,
    ldapBaseDn:
      raw.ldapBaseDn ??
      domain
        .split('.')
        .map((p) => `dc=${p}`)
        .join(','),
    httpHost: raw.httpHost ?? '127.0.0.1',
    httpPort: port('httpPort'),
    trustedProxies,
    passwordChecksPerSource: Number(checksRaw),
    publicUrl,
    cookieDomain,
    ssoDomains,
    ldapPort: port('ldapPort'),
    ldapsPort: port('ldapsPort'),
    radiusPort: port('radiusPort'),
    radiusHost: raw.radiusHost ?? raw.httpHost ?? '127.0.0.1',
    tlsCert: raw.tlsCert,
    tlsKey: raw.tlsKey,
    checkCacheSize: integer('checkCacheSize', 0, 100_000_000),
    maxConnections: integer('maxConnections', 1, 1_000_000),
    maxConnectionsPerSource: integer('maxConnectionsPerSource', 0, 1_000_000),
    httpHeadersTimeout: integer('httpHeadersTimeout', 1, 3600),
    httpIdleTimeout: integer('httpIdleTimeout', 1, 3600),
    ldapAnonymousTimeout: integer('ldapAnonymousTimeout', 1, 3600),
    ldapIdleTimeout: integer('ldapIdleTimeout', 0, 86_400),
    shutdownTimeout: integer('shutdownTimeout', 1, 3600),
    hmacKey: raw.hmacKey,
    encryptionKey: raw.encryptionKey,
    logLevel,
    workers,
    metricsToken,
    metricsAddress,
  });
}

/** `host:port` or `[v6]:port`; null when it is neither. */
export function hostPort(value: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value);
  if (!m || Number(m[3]) > 65535) return null;
  const host = m[1] ?? m[2]!;
  if (m[1] !== undefined && isIP(host) !== 6) return null;
  return { host, port: Number(m[3]) };
}

/** The settings table for `latchkey --help` and the docs. */
export function describeConfig(): string {
  const fields: Field[] = Object.values(CONFIG_FIELDS);
  const envWidth = Math.max(24, ...fields.map((f) => f.env.length));
  const flagWidth = Math.max(22, ...fields.map((f) => (f.flag ?? '').length));
  const rows = fields.map((f) => {
    const def = f.default === null ? 'unset' : f.default;
    return `  ${f.env.padEnd(envWidth)} ${(f.flag ?? '(env only)').padEnd(flagWidth)} ${def.padEnd(12)} ${f.doc}`;
  });
  return [
    `  ${'variable'.padEnd(envWidth)} ${'serve flag'.padEnd(flagWidth)} ${'default'.padEnd(12)} meaning`,
    ...rows,
  ].join('\n');
}
