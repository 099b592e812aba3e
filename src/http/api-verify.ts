// POST /api/v1/verify: the JSON form of the sign-in decision for programs holding a service account's
// secret as a bearer token. Reasons that would tell an unknown user from a wrong password are folded
// into invalid_credentials, as on every other door.

import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/index.js';
import type { SignInReason } from '../core/sign-in.js';
import { DOORS, normalizeIp, UNKNOWN_SOURCE } from '../core/validate.js';

const WIRE_REASON: Record<SignInReason, string> = {
  invalid_credentials: 'invalid_credentials',
  unknown_user: 'invalid_credentials',
  user_disabled: 'invalid_credentials',
  app_password_required: 'app_password_required',
  app_passwords_disabled: 'app_passwords_disabled',
  app_password_expired: 'app_password_expired',
  out_of_scope: 'out_of_scope',
  locked_out: 'locked_out',
  // Says nothing about the name: every name from a source over its budget gets it.
  throttled: 'throttled',
  password_change_required: 'password_change_required',
  // Browser-only reasons; the verify door never produces them.
  app_password_in_browser: 'invalid_credentials',
  two_step_failed: 'invalid_credentials',
};

export function registerApiVerify(app: FastifyInstance, core: Core): void {
  app.post(
    '/api/v1/verify',
    {
      schema: {
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 256 },
            password: { type: 'string', minLength: 1, maxLength: 1024 },
            door: { type: 'string', enum: [...DOORS] },
            // Where the person is, as the calling app saw them: their failures then count against
            // their own address, not the app's (which is a relay for its users).
            ip: { type: 'string', minLength: 1, maxLength: 64 },
            userAgent: { type: 'string', maxLength: 512 },
          },
        },
      },
    },
    async (req, reply) => {
      const auth = req.headers.authorization;
      const token = auth && /^Bearer [!-~]{1,1024}$/.test(auth) ? auth.slice(7) : null;
      const service = token
        ? await core.services.authenticate(token, null, { door: 'http', ip: req.ip })
        : null;
      if (!service) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="latchkey"')
          .type('application/problem+json')
          .send({
            type: 'about:blank',
            title: 'A service account token is required.',
            status: 401,
            code: 'SERVICE_TOKEN_INVALID',
            requestId: req.id,
          });
      }
      const body = req.body as {
        username: string;
        password: string;
        door?: string;
        ip?: string;
        userAgent?: string;
      };
      const r = await core.signIn({
        username: body.username,
        secret: body.password,
        door: body.door ?? 'http',
        // An address the service gave but that cannot be read counts as the source "unknown", never
        // as no source at all (which would skip the budget and the source counters).
        ip: body.ip === undefined ? req.ip : (normalizeIp(body.ip) ?? UNKNOWN_SOURCE),
        userAgent: body.userAgent ?? req.headers['user-agent'] ?? null,
        // For the log line of this decision (the check itself never looks at it).
        requestId: req.id,
      });
      reply.header('cache-control', 'no-store');
      if (!r.ok) return { ok: false, reason: WIRE_REASON[r.reason] };
      return {
        ok: true,
        reason: null,
        user: { username: r.user.username, email: r.user.email, displayName: r.user.displayName },
        credential:
          r.credential.kind === 'primary'
            ? { kind: 'primary' }
            : { kind: 'app_password', label: r.credential.label },
      };
    },
  );
}
