// Device sign-in for app passwords (spec B8): the two calls an app makes, without any credential.
//   POST /api/v1/device-login        {app}        → 200 {userCode, verificationUri, …, deviceCode, interval, expiresIn}
//   POST /api/v1/device-login/poll   {deviceCode} → 200 {username, appPassword} once, else 400 with `code`
//                                                   authorization_pending, slow_down, access_denied, expired_token
// The poll's refusals carry RFC 8628's `error` too, so that OAuth device-flow libraries read them.
// Neither the device code nor the app password is ever logged: the request lines name the route only.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DeviceLoginBusy, type PollCode } from '../core/device-login.js';
import type { Core } from '../core/index.js';

const POLL_TITLE: Record<PollCode, string> = {
  authorization_pending: 'The person has not approved the request yet. Poll again after the interval.',
  slow_down: 'Polled faster than the interval. Wait 5 seconds longer between polls from now on.',
  access_denied: 'The request was denied. Start again if this was a mistake.',
  expired_token: 'The request has expired, was already answered, or is unknown. Start again.',
};

const problem = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    requestId: { type: 'string' },
  },
} as const;

export function registerDeviceApi(app: FastifyInstance, core: Core): void {
  app.post(
    '/api/v1/device-login',
    {
      schema: {
        summary: 'Start a device sign-in for an app password (spec B8)',
        body: {
          type: 'object',
          required: ['app'],
          additionalProperties: false,
          properties: {
            app: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              description: 'The app and device, shown to the person and used as the app password name.',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: [
              'userCode',
              'verificationUri',
              'verificationUriComplete',
              'deviceCode',
              'interval',
              'expiresIn',
            ],
            properties: {
              userCode: { type: 'string', description: 'Show it to the person, as given (XXXX-XXXX).' },
              verificationUri: { type: 'string' },
              verificationUriComplete: { type: 'string' },
              deviceCode: {
                type: 'string',
                description: 'Secret: keep it, poll with it, show it to no one.',
              },
              interval: { type: 'integer', description: 'Seconds to wait between polls.' },
              expiresIn: { type: 'integer', description: 'Seconds the request lives.' },
            },
          },
          400: problem,
          403: problem,
          429: problem,
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        return await core.deviceLogin.start({ app: (req.body as { app: string }).app }, client(req));
      } catch (e) {
        if (!(e instanceof DeviceLoginBusy)) throw e;
        return reply.code(429).header('retry-after', '60').type('application/problem+json').send({
          type: 'about:blank',
          title: e.message,
          status: 429,
          code: 'TOO_MANY_PENDING',
          requestId: req.id,
        });
      }
    },
  );

  app.post(
    '/api/v1/device-login/poll',
    {
      schema: {
        summary: 'Poll a device sign-in: the app password once approved (spec B8)',
        body: {
          type: 'object',
          required: ['deviceCode'],
          additionalProperties: false,
          properties: { deviceCode: { type: 'string', minLength: 1, maxLength: 128 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['username', 'appPassword'],
            properties: { username: { type: 'string' }, appPassword: { type: 'string' } },
          },
          400: {
            ...problem,
            properties: {
              ...problem.properties,
              code: {
                type: 'string',
                description:
                  'authorization_pending, slow_down, access_denied or expired_token (REQUEST_INVALID, JSON_INVALID for a malformed body).',
              },
              error: { type: 'string', description: 'The same code, under the name RFC 8628 gives it.' },
            },
          },
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const r = await core.deviceLogin.poll((req.body as { deviceCode: string }).deviceCode, client(req));
      if (r.ok) return { username: r.username, appPassword: r.appPassword };
      return pollRefusal(req, reply, r.code);
    },
  );
}

function client(req: FastifyRequest) {
  const ua = req.headers['user-agent'];
  return { ip: req.ip, userAgent: typeof ua === 'string' ? ua : null };
}

function pollRefusal(req: FastifyRequest, reply: FastifyReply, code: PollCode) {
  return reply.code(400).type('application/problem+json').send({
    type: 'about:blank',
    title: POLL_TITLE[code],
    status: 400,
    code,
    error: code,
    requestId: req.id,
  });
}
