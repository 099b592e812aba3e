// Wiring only: load config → open the store → build the core → start the doors.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from './config.js';
import { LISTEN_BACKLOG } from './connections.js';
import { LatchkeyError } from './core/errors.js';
import { type Core, createCore } from './core/index.js';
import type { Actor } from './core/policy.js';
import { loadServerKeys } from './crypto/keys.js';
import { buildApp } from './http/app.js';
import { createLdapServer } from './ldap/server.js';
import { openStore, type Store } from './store/database.js';

export interface Opened {
  store: Store;
  core: Core;
  close(): Promise<void>;
}

/** Opens the data dir (keys, SQLite file) or PostgreSQL, migrates, and builds the core. */
export async function openCore(config: Config, opts: { flushIntervalMs?: number } = {}): Promise<Opened> {
  const dataDir = resolve(config.dataDir);
  const keys = loadServerKeys({ dataDir, hmacKey: config.hmacKey, encryptionKey: config.encryptionKey });
  const store = await openStore({
    dataDir,
    databaseUrl: config.databaseUrl,
    // A server (it writes behind) keeps checkpoints off its event loop; a CLI command has no need.
    backgroundCheckpoints: (opts.flushIntervalMs ?? 1000) > 0,
  });
  let core: Core;
  try {
    core = await createCore({
      store,
      keys,
      flushIntervalMs: opts.flushIntervalMs ?? 1000,
      relays: config.trustedProxies,
      passwordChecksPerSource: config.passwordChecksPerSource,
      publicUrl: config.publicUrl,
      checkCacheSize: config.checkCacheSize,
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  return {
    store,
    core,
    async close() {
      await core.close().catch(() => {});
      await store.close();
    },
  };
}

const SYSTEM: Actor = { kind: 'system', name: 'server', ip: null };
const HOUR = 3_600_000;

export interface ServeOptions {
  /** Auto-revoke and log retention run in one process of a cluster only. */
  housekeeping?: boolean;
  /** Print the start-up lines (one process of a cluster prints them). */
  announce?: boolean;
}

export async function serve(
  config: Config,
  log: (line: string) => void = console.log,
  options: ServeOptions = {},
): Promise<{ stop(): Promise<void>; port: number; ldapPort: number | null; ldapsPort: number | null }> {
  if (options.announce === false) log = () => {};
  const opened = await openCore(config);
  const { core } = opened;
  const https =
    config.tlsCert && config.tlsKey
      ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
      : null;
  const app = buildApp({
    core,
    logLevel: config.logLevel,
    trustedProxies: config.trustedProxies,
    https,
    sso: { cookieDomain: config.cookieDomain, domains: config.ssoDomains },
    // Caps are per process: with LATCHKEY_WORKERS each worker holds its own.
    connections: {
      maxConnections: config.maxConnections,
      maxConnectionsPerSource: config.maxConnectionsPerSource,
      headersTimeoutMs: config.httpHeadersTimeout * 1000,
      idleTimeoutMs: config.httpIdleTimeout * 1000,
    },
  });
  const address = await app.listen({ host: config.httpHost, port: config.httpPort, backlog: LISTEN_BACKLOG });
  log(`Latchkey is listening on ${address} (store: ${opened.store.dialect} ${opened.store.location})`);

  // The LDAP door shares the HTTP host: one address to firewall.
  const tls = https;
  const ldap =
    config.ldapPort > 0 || config.ldapsPort > 0
      ? createLdapServer({
          core,
          baseDn: config.ldapBaseDn,
          domain: config.domain,
          tls,
          log: (obj, msg) => app.log.warn(obj, msg),
          maxConnections: config.maxConnections,
          maxConnectionsPerSource: config.maxConnectionsPerSource,
          anonymousTimeoutMs: config.ldapAnonymousTimeout * 1000,
          idleTimeoutMs: config.ldapIdleTimeout * 1000,
        })
      : null;
  let ldapPort: number | null = null;
  let ldapsPort: number | null = null;
  try {
    if (ldap && config.ldapPort > 0) {
      ldapPort = await ldap.listen(config.ldapPort, config.httpHost);
      log(
        `LDAP on ldap://${config.httpHost}:${ldapPort} (base ${config.ldapBaseDn}${tls ? ', StartTLS' : ''})`,
      );
    }
    if (ldap && config.ldapsPort > 0) {
      if (!tls)
        throw new LatchkeyError(
          'CONFIG_INVALID',
          'LATCHKEY_LDAPS_PORT needs LATCHKEY_TLS_CERT and LATCHKEY_TLS_KEY.',
        );
      ldapsPort = await ldap.listenTls(config.ldapsPort, config.httpHost);
      log(`LDAPS on ldaps://${config.httpHost}:${ldapsPort}`);
    }
  } catch (e) {
    await ldap?.close();
    await app.close();
    await opened.close();
    throw e;
  }
  if ((await core.users.userCount()) === 0) {
    log('No users yet. Create the first administrator with:\n  npx latchkey init --admin NAME [--email E]');
  }

  // Housekeeping: auto-revoke unused app passwords (B11) and sign-in log retention (B4).
  const housekeeping = async () => {
    try {
      const revoked = await core.appPasswords.revokeUnusedAppPasswords(SYSTEM);
      const pruned = await core.signInLog.pruneSignIns();
      await core.lockout.pruneLockoutState();
      // Expired OpenID Connect codes, tokens, grants and sessions; keys past their verify window.
      await core.oidcState.prune();
      // Expired sign-in flows, browser sessions and remembered devices.
      await core.browser.prune();
      if (revoked || pruned) app.log.info({ revoked, pruned }, 'housekeeping');
    } catch (err) {
      app.log.error({ err }, 'housekeeping failed');
    }
  };
  const timer = options.housekeeping === false ? null : setInterval(housekeeping, HOUR);
  if (timer) void housekeeping();
  timer?.unref();

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (timer) clearInterval(timer);
      await ldap?.close();
      await app.close();
      await opened.close();
    })();
    return stopping;
  };
  const port = (app.server.address() as { port: number }).port;
  return { stop, port, ldapPort, ldapsPort };
}
