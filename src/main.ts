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
import { currentRequestId, DecisionLog, readableLines } from './ops/log.js';
import { listenForMetrics, Metrics, type MetricsListener } from './ops/metrics.js';
import { createRadiusServer } from './radius/server.js';
import { openStore, type Store } from './store/database.js';

export interface Opened {
  store: Store;
  core: Core;
  /** What the check path and the write-behind counted (served at /metrics by `serve`). */
  metrics: Metrics;
  /**
   * Flushes the write-behind and closes the store. `strict` (a stopping server) reports a flush that
   * failed, after closing; otherwise (the CLI) it is dropped quietly.
   */
  close(opts?: { strict?: boolean }): Promise<void>;
}

export interface OpenOptions {
  flushIntervalMs?: number;
  /** Default: a registry of its own without process metrics (the CLI, the bench). */
  metrics?: Metrics;
  /** Where sign-in decisions are logged; default none. */
  decisions?: DecisionLog | null;
  /** The core's clock (default Date.now): the bench's side-by-side loops run each data set on a clock of its own. */
  now?: () => number;
  /** SQLite's checkpoints on a thread of their own (store/checkpointer.ts): the server's setting. */
  checkpointThread?: boolean;
}

/**
 * Opens the data dir (keys, SQLite file) or PostgreSQL, migrates, and builds the core. The check path
 * is always measured, as a server runs it, so that the bench measures what is served.
 */
export async function openCore(config: Config, opts: OpenOptions = {}): Promise<Opened> {
  const dataDir = resolve(config.dataDir);
  const keys = loadServerKeys({ dataDir, hmacKey: config.hmacKey, encryptionKey: config.encryptionKey });
  const store = await openStore({
    dataDir,
    databaseUrl: config.databaseUrl,
    checkpointThread: opts.checkpointThread ?? false,
  });
  const metrics = opts.metrics ?? new Metrics();
  const decisions = opts.decisions ?? null;
  let core: Core;
  try {
    core = await createCore({
      store,
      keys,
      flushIntervalMs: opts.flushIntervalMs ?? 1000,
      ...(opts.now ? { now: opts.now } : {}),
      relays: config.trustedProxies,
      passwordChecksPerSource: config.passwordChecksPerSource,
      publicUrl: config.publicUrl,
      checkCacheSize: config.checkCacheSize,
      observer: {
        requestId: currentRequestId,
        decided(door, username, source, ok, reason, ms, requestId) {
          metrics.decided(door, ok, reason, ms / 1000);
          decisions?.decided(door, username, source, ok, reason, requestId);
        },
        failed(door, err, ms, requestId) {
          metrics.checkFailed(door, ms / 1000);
          decisions?.failed(door, err, requestId);
        },
      },
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  metrics.watchWriteBehind(core.ctx.usage);
  return {
    store,
    core,
    metrics,
    async close(o: { strict?: boolean } = {}) {
      let failed: Error | null = null;
      await core.close().catch((e: Error) => {
        failed = e;
      });
      await store.close();
      if (failed && o.strict)
        throw new Error(
          `the pending sign-in aggregates and last-used times could not be written: ${(failed as Error).message}`,
        );
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
): Promise<{
  stop(): Promise<void>;
  port: number;
  ldapPort: number | null;
  ldapsPort: number | null;
  radiusPort: number | null;
}> {
  if (options.announce === false) log = () => {};
  const metrics = new Metrics({ process: true });
  const decisions = new DecisionLog();
  // With several processes on one SQLite file (LATCHKEY_WORKERS) the one that keeps house runs the
  // thread; it checkpoints everyone's commits every 200 ms, so the others' own automatic checkpoint
  // (kept as a fallback, at 1,000 pages) seldom comes due.
  const opened = await openCore(config, {
    metrics,
    decisions,
    checkpointThread: options.housekeeping !== false,
  });
  const { core } = opened;
  // Set when stopping begins: /readyz answers 503 from then on.
  let shuttingDown = false;
  // A start that fails (a certificate that cannot be read, a port in use) closes the store first: its
  // write-behind flushes and its checkpoint thread stops, and the process exits with the error.
  const closeAndThrow = async (e: unknown): Promise<never> => {
    await opened.close().catch(() => {});
    throw e;
  };
  let https: { cert: Buffer; key: Buffer } | null = null;
  try {
    https =
      config.tlsCert && config.tlsKey
        ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
        : null;
  } catch (e) {
    await closeAndThrow(e);
  }
  const app = buildApp({
    core,
    logLevel: config.logLevel,
    // JSON lines for a log collector; readable ones for a person at a terminal.
    ...(process.stdout.isTTY ? { logStream: readableLines(process.stdout) } : {}),
    metrics,
    // On a listener of its own when LATCHKEY_METRICS_ADDRESS is set; else here, behind the token.
    metricsToken: config.metricsAddress === null ? config.metricsToken : null,
    trustedProxies: config.trustedProxies,
    https,
    sso: { cookieDomain: config.cookieDomain, domains: config.ssoDomains },
    shuttingDown: () => shuttingDown,
    // Caps are per process: with LATCHKEY_WORKERS each worker holds its own.
    connections: {
      maxConnections: config.maxConnections,
      maxConnectionsPerSource: config.maxConnectionsPerSource,
      headersTimeoutMs: config.httpHeadersTimeout * 1000,
      idleTimeoutMs: config.httpIdleTimeout * 1000,
    },
  });
  decisions.attach(app.log);
  const address = await app
    .listen({ host: config.httpHost, port: config.httpPort, backlog: LISTEN_BACKLOG })
    .catch(async (e: unknown) => {
      await app.close().catch(() => {});
      return closeAndThrow(e);
    });
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
  // The RADIUS door (UDP), off unless LATCHKEY_RADIUS_PORT is set.
  const radius =
    config.radiusPort > 0 ? createRadiusServer({ core, log: (obj, msg) => app.log.warn(obj, msg) }) : null;
  let radiusPort: number | null = null;
  let metricsListener: MetricsListener | null = null;
  if (ldap) metrics.countConnections('ldap', () => Promise.resolve(ldap.openConnections()));
  if (radius) metrics.watchRadius(radius.stats);
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
    if (radius) {
      radiusPort = await radius.listen(config.radiusPort, config.radiusHost);
      const h = config.radiusHost.includes(':') ? `[${config.radiusHost}]` : config.radiusHost;
      log(`RADIUS on udp://${h}:${radiusPort} (PAP)`);
    }
    if (config.metricsAddress) {
      metricsListener = await listenForMetrics(metrics, config.metricsAddress, config.metricsToken);
      const { host } = config.metricsAddress;
      log(`Metrics on http://${host.includes(':') ? `[${host}]` : host}:${metricsListener.port}/metrics`);
    }
  } catch (e) {
    await metricsListener?.close();
    await radius?.close(0);
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
      // Device sign-in requests past their ten minutes, and old wrong-code counts.
      await core.deviceLogin.prune();
      if (revoked || pruned) app.log.info({ revoked, pruned }, 'housekeeping');
    } catch (err) {
      app.log.error({ err }, 'housekeeping failed');
    }
  };
  const timer = options.housekeeping === false ? null : setInterval(housekeeping, HOUR);
  if (timer) void housekeeping();
  timer?.unref();

  // Graceful stop: every door stops accepting at once; HTTP requests in flight are answered (Fastify
  // closes idle keep-alive connections and answers 503 to a new request on a busy one), LDAP operations
  // in flight are answered before their connection is told the server is going; what is still
  // open after LATCHKEY_SHUTDOWN_TIMEOUT is cut. Then the write-behind is flushed (core.close), so the
  // sign-in log holds every check that was answered, and the store is closed.
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      shuttingDown = true;
      if (timer) clearInterval(timer);
      const cut = setTimeout(() => {
        app.log.warn(
          { timeoutSeconds: config.shutdownTimeout },
          'shutdown: requests still in flight after the timeout; closing their connections',
        );
        app.server.closeAllConnections();
      }, config.shutdownTimeout * 1000);
      cut.unref();
      // Node closes the connections idle at close() once; one busy then and kept alive after its answer
      // would wait for the idle timeout. Sweeping costs nothing on the request path.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await Promise.all([
          ldap?.close(config.shutdownTimeout * 1000),
          radius?.close(config.shutdownTimeout * 1000),
          app.close(),
          metricsListener?.close(),
        ]);
      } finally {
        clearTimeout(cut);
        clearInterval(sweep);
        await opened.close({ strict: true });
      }
    })();
    return stopping;
  };
  const port = (app.server.address() as { port: number }).port;
  return { stop, port, ldapPort, ldapsPort, radiusPort };
}

/**
 * Runs `stop` on the first SIGTERM or SIGINT (a repeated or second signal is ignored: systemd and a
 * terminal may signal every process of the group, and a cluster's primary forwards its own). Resolves
 * when the stop is done. A stop that hangs past the timeout plus a margin ends the process with exit 1,
 * so that a supervisor is never left waiting.
 */
export function stopOnSignal(
  stop: () => Promise<void>,
  config: Pick<Config, 'shutdownTimeout'>,
  log: (line: string) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) return;
      signalled = true;
      log(`${signal}: stopping (in-flight requests have ${config.shutdownTimeout} s)…`);
      const backstop = setTimeout(
        () => {
          console.error(
            `latchkey: the server did not stop within ${config.shutdownTimeout + STOP_MARGIN_S} s.`,
          );
          process.exit(1);
        },
        (config.shutdownTimeout + STOP_MARGIN_S) * 1000,
      );
      backstop.unref();
      stop().then(
        () => {
          clearTimeout(backstop);
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          resolve();
        },
        (e) => {
          clearTimeout(backstop);
          reject(e);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** Beyond the shutdown timeout, what the flush of the write-behind and closing the store may take. */
const STOP_MARGIN_S = 5;
