// The HTTP door. buildApp(deps) wires routes and never listens, so tests call inject(). The pages,
// the JSON API and /auth/basic arrive with their issues; today: health.

import Fastify, { type FastifyInstance } from 'fastify';
import { isLatchkeyError } from '../core/errors.js';
import type { Core } from '../core/index.js';

export interface AppDeps {
  core: Core;
  logLevel?: string;
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    logger: {
      level: deps.logLevel ?? 'info',
      // Credentials arrive in these headers; they never reach a log line.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]'],
    },
    disableRequestLogging: true,
    bodyLimit: 64 * 1024,
  });

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
    const status = typeof err.statusCode === 'number' && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply
      .code(status)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: status >= 500 ? 'Internal error' : err.message,
        status,
        code: status >= 500 ? 'INTERNAL' : (err.code ?? 'BAD_REQUEST'),
        requestId: req.id,
      });
  });

  app.get('/healthz', async (_req, reply) => {
    // One cheap query proves the store answers.
    await deps.core.ctx.store.db.selectFrom('meta').select('key').limit(1).execute();
    return reply.send({ status: 'ok' });
  });

  return app;
}
