// The HTTP door. buildApp(deps) wires routes and never listens, so tests call inject(). Handlers only
// translate between HTTP and one core function.

import type { Socket } from 'node:net';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, LogController, type RouteOptions } from 'fastify';
import {
  addressMatcher,
  capConnections,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
  SourceCap,
  ThrottledWarning,
} from '../connections.js';
import { isLatchkeyError } from '../core/errors.js';
import type { Core } from '../core/index.js';
import { readiness } from '../ops/health.js';
import { logRequests, requestIds, trackHandlers } from '../ops/log.js';
import { bearerToken, type Metrics, tokenMatches } from '../ops/metrics.js';
import { registerAdminApi } from './api-admin.js';
import { registerDeviceApi } from './api-device.js';
import { registerApiVerify } from './api-verify.js';
import { registerAuthBasic } from './auth-basic.js';
import { registerAutoconfig } from './autoconfig.js';
import { createOidcDoor, oidcPages, registerOidcEndpoints } from './oidc.js';
import { registerAccountPages } from './pages/account/index.js';
import { registerAdminPages } from './pages/admin/index.js';
import { registerDevicePages } from './pages/device.js';
import { registerSignInPages } from './pages/sign-in.js';
import { createSsoDoor } from './sso.js';
import { registerStatic } from './static.js';
import { notFoundPage, registerWeb } from './web.js';

export interface AppDeps {
  core: Core;
  logLevel?: string;
  /** Proxies whose X-Forwarded-For names the client; req.ip is then the client's address. */
  trustedProxies?: string[];
  realm?: string;
  /** PEM certificate and key: the server speaks HTTPS. */
  https?: { cert: Buffer; key: Buffer } | null;
  /** Where log lines go (default standard output); tests read them to prove no secret is logged. */
  logStream?: NodeJS.WritableStream;
  /** How often the OpenID Connect door looks for new signing keys (default 10 s; tests go faster). */
  oidcKeysPollMs?: number;
  /** What one client may hold of the server's connections (defaults as in src/config.ts). */
  connections?: HttpConnectionLimits;
  /**
   * Single sign-on for apps behind a proxy (/auth/request, /auth/forward): LATCHKEY_COOKIE_DOMAIN (null:
   * no lk_sso cookie, only requests to Latchkey's own host are known) and LATCHKEY_SSO_DOMAINS.
   */
  sso?: { cookieDomain: string | null; domains: string[] };
  /** True from the moment the node begins to stop: /readyz then answers 503 so that balancers move on. */
  shuttingDown?: () => boolean;
  /** The node's metrics: open connections and failed requests are counted into them. */
  metrics?: Metrics | null;
  /**
   * LATCHKEY_METRICS_TOKEN: GET /metrics on this door, for this bearer token only. Null (or no metrics):
   * no such route, /metrics is 404 here (it may be on LATCHKEY_METRICS_ADDRESS instead).
   */
  metricsToken?: string | null;
  /** Sees every route as it is registered (Fastify's onRoute): the page-guard table test lists them. */
  onRoute?: (route: RouteOptions, instance: FastifyInstance) => void;
}

export interface HttpConnectionLimits {
  /** Open connections beyond which new ones are closed at once (default 4096). */
  maxConnections?: number;
  /** Open connections one source may hold; trusted proxies are exempt (default 256; 0 = no cap). */
  maxConnectionsPerSource?: number;
  /** Time to send a request's headers; also the most a new connection may wait before it (default 15 s). */
  headersTimeoutMs?: number;
  /** Time a kept-alive connection may wait for its next request, and any socket may sit silent (75 s). */
  idleTimeoutMs?: number;
}

const DEFAULT_HEADERS_TIMEOUT_MS = 15_000;
const DEFAULT_IDLE_TIMEOUT_MS = 75_000;
/** After its headers, a request's body (64 KiB at most) has this long to arrive. */
const BODY_TIMEOUT_MS = 30_000;

export function buildApp(deps: AppDeps): FastifyInstance {
  const limits = deps.connections ?? {};
  const headersTimeout = limits.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const idleTimeout = limits.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  // Node's own guards against slow clients: headersTimeout closes a connection (also a new, silent one)
  // that has not sent whole headers in time, requestTimeout one whose whole request is late. Node checks
  // them every connectionsCheckingInterval (30 s by default, too coarse for a timeout of 15).
  const nodeOptions = {
    headersTimeout,
    requestTimeout: headersTimeout + BODY_TIMEOUT_MS,
    connectionsCheckingInterval: Math.min(1000, Math.max(100, headersTimeout / 4)),
  };
  const app = Fastify({
    ...(deps.https
      ? { https: { cert: deps.https.cert, key: deps.https.key, ...nodeOptions } }
      : { http: nodeOptions }),
    requestTimeout: nodeOptions.requestTimeout,
    // Fastify's default (72 s) outlives load balancers' idle timeouts; Latchkey's default (75 s) too.
    keepAliveTimeout: idleTimeout,
    // A socket with no byte in or out for this long is closed, whatever state it is in.
    connectionTimeout: idleTimeout,
    logger: {
      level: deps.logLevel ?? 'info',
      // Credentials arrive in these headers; they never reach a log line.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]'],
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    // Fastify's own request lines would name the URL with its query string: ours (ops/log.ts) name the
    // route's pattern, and the check doors' lines are debug.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIds(deps.trustedProxies ?? []),
    bodyLimit: 64 * 1024,
    // A JSON API takes the types it documents: 1 is not "1", true is not "true".
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    trustProxy: deps.trustedProxies && deps.trustedProxies.length > 0 ? deps.trustedProxies : false,
  });
  if (deps.onRoute) {
    const see = deps.onRoute;
    app.addHook('onRoute', function (route) {
      see(route, this);
    });
  }
  limitConnections(app, deps, limits);
  trackHandlers(app);
  logRequests(app);
  const metrics = deps.metrics ?? null;
  metrics?.countConnections(
    'http',
    () => new Promise((resolve) => app.server.getConnections((err, n) => resolve(err ? 0 : n))),
  );

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (isLatchkeyError(err)) {
      return reply.code(err.status).type('application/problem+json').send({
        type: 'about:blank',
        title: err.message,
        status: err.status,
        code: err.code,
        requestId: req.id,
      });
    }
    const status =
      typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500
        ? err.statusCode
        : 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      metrics?.storeError('request');
    }
    const code =
      status >= 500
        ? 'INTERNAL'
        : err.code === 'FST_ERR_VALIDATION'
          ? 'REQUEST_INVALID'
          : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? 'JSON_INVALID'
            : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
              ? 'BODY_TOO_LARGE'
              : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
                ? 'MEDIA_TYPE_UNSUPPORTED'
                : 'BAD_REQUEST';
    return reply
      .code(status)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: status >= 500 ? 'Internal error' : err.message,
        status,
        code,
        requestId: req.id,
      });
  });

  app.setNotFoundHandler(async (req, reply) => {
    const secure = deps.https != null || deps.core.publicUrl.startsWith('https:');
    if (await notFoundPage(deps.core, secure, req, reply)) return reply;
    return reply
      .code(404)
      .type('application/problem+json')
      .send({ type: 'about:blank', title: 'Not found', status: 404, code: 'NOT_FOUND', requestId: req.id });
  });

  app.get('/healthz', async (_req, reply) => {
    // One cheap query proves the store answers.
    await deps.core.ctx.store.db.selectFrom('meta').select('key').limit(1).execute();
    return reply.send({ status: 'ok' });
  });

  // Readiness for load balancers and orchestrators: the store answers, this build's migrations are
  // applied, the keys match the database, and the node is not stopping. The body names which failed.
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const { ready, checks } = await readiness(
      deps.core.ctx.store,
      deps.core.ctx.keys,
      deps.shuttingDown?.() ?? false,
    );
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ready ? 'ready' : 'unavailable', checks });
  });

  const metricsToken = deps.metricsToken ?? null;
  if (metrics !== null && metricsToken !== null) {
    app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
      const given = bearerToken(req.headers.authorization);
      if (given === null || !tokenMatches(given, metricsToken)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="latchkey-metrics"')
          .type('application/problem+json')
          .send({
            type: 'about:blank',
            title: 'The metrics token is required (LATCHKEY_METRICS_TOKEN).',
            status: 401,
            code: 'TOKEN_INVALID',
            requestId: req.id,
          });
      }
      return reply
        .header('cache-control', 'no-store')
        .type(metrics.contentType)
        .send(await metrics.render());
    });
  }

  // The OpenAPI document is generated from the route schemas registered after this.
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Latchkey API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  // Registered as plugins so that they load after swagger, which documents the routes it sees added.
  app.register(async (scope) => {
    registerAuthBasic(scope, deps.core, deps.realm ?? 'Latchkey');
    registerApiVerify(scope, deps.core);
    registerDeviceApi(scope, deps.core);
  });
  registerAdminApi(app, deps.core);
  registerAutoconfig(app, deps.core);
  registerStatic(app);
  const secure = deps.https != null || deps.core.publicUrl.startsWith('https:');
  const sso = createSsoDoor(deps.core, deps.sso ?? { cookieDomain: null, domains: [] }, {
    secure,
    realm: deps.realm ?? 'Latchkey',
  });
  sso.register(app);
  const oidc = createOidcDoor(deps.core, {
    secure,
    keysPollMs: deps.oidcKeysPollMs,
    warn: (obj, msg) => app.log.warn(obj, msg),
  });
  registerOidcEndpoints(app, oidc, deps.trustedProxies ?? []);
  registerWeb(app, deps.core, { secure, sso }, [
    registerSignInPages,
    (scope, web) => registerAccountPages(scope, web, { tls: deps.https ?? null }),
    registerDevicePages,
    registerAdminPages,
    oidcPages(oidc),
  ]);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}

/**
 * A global cap on the listener and a per-source cap counted on the TCP connection (the peer's address,
 * not X-Forwarded-For): one client cannot take every descriptor. Trusted proxies are not capped per
 * source, since everyone's requests arrive through them; the global cap still holds for them.
 */
function limitConnections(app: FastifyInstance, deps: AppDeps, limits: HttpConnectionLimits): void {
  const warnings = new ThrottledWarning((obj, msg) => app.log.warn(obj, msg));
  capConnections(app.server, limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS, 'http', warnings);
  const perSource = new SourceCap({
    perSource: limits.maxConnectionsPerSource ?? DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
    exempt: addressMatcher(deps.trustedProxies ?? []),
    door: 'http',
    warnings,
  });
  // For HTTPS this is the TCP connection, before its handshake.
  app.server.on('connection', (socket: Socket) => {
    if (!perSource.admit(socket)) socket.destroy();
  });
}
