// The administration API (/api/v1/…) for admin and helpdesk API tokens. Each route checks its input
// against a JSON schema (which also becomes the OpenAPI document at /api/openapi.json), calls one core
// function with the token's actor, and returns its answer; the core decides what each role may do.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../core/errors.js';
import type { Core } from '../core/index.js';
import { CLIENT_SCOPES } from '../core/oidc-clients.js';
import type { Actor } from '../core/policy.js';
import { SETTINGS } from '../core/settings.js';
import { LOG_DOORS, signInsCsv } from '../core/sign-in-log.js';
import { DOORS, TWO_STEP_STATES } from '../core/validate.js';

const nullableString = (maxLength: number) => ({ type: ['string', 'null'], maxLength }) as const;

const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    email: { type: ['string', 'null'] },
    displayName: { type: ['string', 'null'] },
    role: { type: 'string', enum: ['user', 'helpdesk', 'admin'] },
    status: { type: 'string', enum: ['active', 'disabled'] },
    twoStep: { type: 'string', enum: [...TWO_STEP_STATES] },
    twoStepEffective: { type: 'string', enum: [...TWO_STEP_STATES] },
    passwordSet: { type: 'boolean' },
    passwordMustChange: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const appPasswordSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    label: { type: 'string' },
    scopes: { type: ['array', 'null'], items: { type: 'string' } },
    createdAt: { type: 'string' },
    expiresAt: { type: ['string', 'null'] },
    lastUsedAt: { type: ['string', 'null'] },
    lastUsedIp: { type: ['string', 'null'] },
    lastUsedDoor: { type: ['string', 'null'] },
  },
} as const;

const radiusClientSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    address: { type: 'string', description: 'CIDR: 192.0.2.7/32, 10.0.0.0/24, 2001:db8::/64' },
    requireMessageAuthenticator: { type: 'boolean' },
    createdAt: { type: 'string' },
  },
} as const;

const radiusReplySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    client: { type: ['string', 'null'], description: 'the RADIUS client, or null for every client' },
    group: { type: 'string' },
    attribute: { type: 'string' },
    value: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const clientSchema = {
  type: 'object',
  properties: {
    clientId: { type: 'string' },
    name: { type: 'string' },
    public: { type: 'boolean', description: 'no secret: PKCE only (token_endpoint_auth_method none)' },
    trusted: { type: 'boolean', description: 'people are not asked to consent' },
    redirectUris: { type: 'array', items: { type: 'string' } },
    postLogoutRedirectUris: { type: 'array', items: { type: 'string' } },
    backchannelLogoutUri: { type: ['string', 'null'] },
    scopes: { type: 'array', items: { type: 'string', enum: [...CLIENT_SCOPES] } },
    createdAt: { type: 'string' },
    secretRotatedAt: { type: ['string', 'null'] },
    lastUsedAt: { type: ['string', 'null'] },
  },
} as const;

const uriList = (description: string) =>
  ({
    type: 'array',
    // The core answers REDIRECT_URI_INVALID past 20 URIs of 2000 characters; these bounds only cap the body.
    maxItems: 64,
    items: { type: 'string', maxLength: 4096 },
    description,
  }) as const;

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

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
const nameParam = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 254 } },
} as const;
const limitQuery = { type: 'string', pattern: '^[0-9]{1,6}$' } as const;

const signInFilterProperties = {
  user: { type: 'string', maxLength: 254 },
  door: { type: 'string', enum: [...LOG_DOORS] },
  result: { type: 'string', enum: ['accepted', 'refused'] },
  reason: { type: 'string', maxLength: 64 },
  since: { type: 'string', maxLength: 40, description: 'ISO 8601 date or time' },
  until: { type: 'string', maxLength: 40, description: 'ISO 8601 date or time' },
  before: { type: 'string', maxLength: 40, description: 'the cursor of the last event of the previous page' },
  limit: { type: 'string', pattern: '^[0-9]{1,6}$' },
} as const;

type SignInQuery = {
  user?: string;
  door?: string;
  result?: string;
  reason?: string;
  since?: string;
  until?: string;
  before?: string;
  limit?: string;
};

function signInFilter(q: SignInQuery) {
  return {
    username: q.user ?? null,
    door: q.door ?? null,
    result: q.result ?? null,
    reason: q.reason ?? null,
    since: q.since ?? null,
    until: q.until ?? null,
    before: q.before ?? null,
    limit: q.limit,
  };
}

const settingsProperties = Object.fromEntries(
  Object.entries(SETTINGS).map(([k, d]) => [
    k,
    d.type === 'boolean'
      ? { type: 'boolean', description: d.doc }
      : d.type === 'integer'
        ? { type: 'integer', minimum: d.min, maximum: d.max, description: d.doc }
        : d.type === 'enum'
          ? { type: 'string', enum: [...d.values], description: d.doc }
          : // Room for surrounding spaces, which the core trims; the core checks the format.
            { type: 'string', maxLength: d.maxLength + 100, description: d.doc },
  ]),
);

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function registerAdminApi(app: FastifyInstance, core: Core): void {
  app.decorateRequest('actor', null);

  app.register(
    async (api) => {
      api.addHook('onRequest', async (req: FastifyRequest, reply) => {
        const auth = req.headers.authorization;
        const secret = auth && /^Bearer [!-~]{1,1024}$/.test(auth) ? auth.slice(7) : null;
        const actor = secret ? await core.tokens.authenticate(secret, req.ip) : null;
        if (!actor) {
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer realm="latchkey-admin"')
            .type('application/problem+json')
            .send({
              type: 'about:blank',
              title: 'An API token is required (latchkey token create).',
              status: 401,
              code: 'TOKEN_INVALID',
              requestId: req.id,
            });
        }
        req.actor = actor;
        reply.header('cache-control', 'no-store');
      });
      const actor = (req: FastifyRequest): Actor => {
        if (!req.actor) throw new LatchkeyError('FORBIDDEN');
        return req.actor;
      };
      const tags = ['administration'];
      const security = [{ bearer: [] }];

      api.get(
        '/users',
        {
          schema: {
            tags,
            security,
            summary: 'Search users (username or email prefix), in username order',
            querystring: {
              type: 'object',
              additionalProperties: false,
              properties: {
                search: { type: 'string', maxLength: 254 },
                after: { type: 'string', maxLength: 64 },
                limit: limitQuery,
              },
            },
            response: { 200: { type: 'array', items: userSchema }, ...errors },
          },
        },
        async (req) => {
          const q = req.query as { search?: string; after?: string; limit?: string };
          return core.users.listUsers(actor(req), {
            search: q.search ?? null,
            after: q.after ?? null,
            limit: q.limit,
          });
        },
      );

      api.post(
        '/users',
        {
          schema: {
            tags,
            security,
            summary: 'Create a user; without a password, a one-time password is returned once',
            body: {
              type: 'object',
              required: ['username'],
              additionalProperties: false,
              properties: {
                username: { type: 'string', minLength: 1, maxLength: 64 },
                email: nullableString(254),
                displayName: nullableString(128),
                role: { type: 'string', enum: ['user', 'helpdesk', 'admin'] },
                twoStep: { type: 'string', enum: [...TWO_STEP_STATES] },
                password: { type: 'string', minLength: 1, maxLength: 1024 },
              },
            },
            response: {
              201: {
                type: 'object',
                properties: { user: userSchema, oneTimePassword: { type: ['string', 'null'] } },
              },
              ...errors,
            },
          },
        },
        async (req, reply) => {
          const b = req.body as {
            username: string;
            email?: string | null;
            displayName?: string | null;
            role?: string;
            twoStep?: string;
            password?: string;
          };
          const a = actor(req);
          if (b.password) {
            const user = await core.users.createUser(a, b);
            return reply.code(201).send({ user, oneTimePassword: null });
          }
          return reply.code(201).send(await core.users.createUserWithOneTimePassword(a, b));
        },
      );

      api.get(
        '/users/:name',
        {
          schema: {
            tags,
            security,
            summary: 'One user, with app-password count and lockout state',
            params: nameParam,
            response: {
              200: {
                type: 'object',
                properties: {
                  ...userSchema.properties,
                  appPasswords: { type: 'integer' },
                  lockout: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        counter: { type: 'string' },
                        failures: { type: 'integer' },
                        lockedUntil: { type: ['string', 'null'] },
                        lockLevel: { type: 'integer' },
                      },
                    },
                  },
                },
              },
              ...errors,
            },
          },
        },
        async (req) => {
          const { name } = req.params as { name: string };
          const a = actor(req);
          const user = await core.users.getUser(a, name);
          const aps = await core.appPasswords.listAppPasswords(a, name);
          return { ...user, appPasswords: aps.length, lockout: await core.lockout.lockoutStatus(a, name) };
        },
      );

      api.patch(
        '/users/:name',
        {
          schema: {
            tags,
            security,
            summary: 'Change email, display name, role or status (all or nothing)',
            params: nameParam,
            body: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                email: nullableString(254),
                displayName: nullableString(128),
                role: { type: 'string', enum: ['user', 'helpdesk', 'admin'] },
                status: { type: 'string', enum: ['active', 'disabled'] },
              },
            },
            response: { 200: userSchema, ...errors },
          },
        },
        async (req) => {
          const { name } = req.params as { name: string };
          return core.users.patchUser(
            actor(req),
            name,
            req.body as Parameters<typeof core.users.patchUser>[2],
          );
        },
      );

      api.delete(
        '/users/:name',
        {
          schema: {
            tags,
            security,
            summary: 'Delete a user and their app passwords',
            params: nameParam,
            response: { 204: { type: 'null' }, ...errors },
          },
        },
        async (req, reply) => {
          await core.users.deleteUser(actor(req), (req.params as { name: string }).name);
          return reply.code(204).send();
        },
      );

      api.post(
        '/users/:name/password',
        {
          schema: {
            tags,
            security,
            summary: 'Reset the primary password (given, or a one-time password returned once)',
            params: nameParam,
            body: {
              type: ['object', 'null'],
              additionalProperties: false,
              properties: { password: { type: 'string', minLength: 1, maxLength: 1024 } },
            },
            response: {
              200: {
                type: 'object',
                properties: {
                  oneTimePassword: { type: ['string', 'null'] },
                  appPasswordsDeleted: { type: 'integer' },
                },
              },
              ...errors,
            },
          },
        },
        async (req) => {
          const body = (req.body ?? {}) as { password?: string };
          const r = await core.users.setPassword(
            actor(req),
            (req.params as { name: string }).name,
            body.password ?? null,
          );
          return { oneTimePassword: r.generated, appPasswordsDeleted: r.appPasswordsDeleted };
        },
      );

      api.put(
        '/users/:name/two-step',
        {
          schema: {
            tags,
            security,
            summary:
              'Set the two-step verification state (disabled deletes the app passwords, unless two-step stays required for everyone or requireAppPasswordsForNonBrowser is on)',
            params: nameParam,
            body: {
              type: 'object',
              required: ['state'],
              additionalProperties: false,
              properties: { state: { type: 'string', enum: [...TWO_STEP_STATES] } },
            },
            response: {
              200: {
                type: 'object',
                properties: { user: userSchema, appPasswordsDeleted: { type: 'integer' } },
              },
              ...errors,
            },
          },
        },
        async (req) =>
          core.twoStep.setTwoStepState(
            actor(req),
            (req.params as { name: string }).name,
            (req.body as { state: string }).state,
          ),
      );

      api.get(
        '/users/:name/two-step/methods',
        {
          schema: {
            tags,
            security,
            summary:
              "A user's two-step methods, recovery codes left and remembered devices (names and dates only)",
            params: nameParam,
            response: {
              200: {
                type: 'object',
                properties: {
                  methods: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        id: { type: 'string' },
                        kind: { type: 'string' },
                        name: { type: 'string' },
                        isDefault: { type: 'boolean' },
                        createdAt: { type: 'string' },
                        lastUsedAt: { type: ['string', 'null'] },
                      },
                    },
                  },
                  recoveryCodesLeft: { type: 'integer' },
                  rememberedDevices: { type: 'integer' },
                },
              },
              ...errors,
            },
          },
        },
        async (req) => {
          const m = await core.methods.listMethods(actor(req), (req.params as { name: string }).name);
          const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
          return {
            methods: m.methods.map((x) => ({
              ...x,
              createdAt: iso(x.createdAt),
              lastUsedAt: iso(x.lastUsedAt),
            })),
            recoveryCodesLeft: m.recoveryCodes.unused,
            rememberedDevices: m.rememberedDevices.length,
          };
        },
      );

      api.post(
        '/users/:name/two-step/reregister',
        {
          schema: {
            tags,
            security,
            summary:
              'Require the user to register two-step methods again at the next sign-in (R10): methods, recovery codes, remembered devices and sessions go',
            params: nameParam,
            response: {
              200: { type: 'object', properties: { methodsRemoved: { type: 'integer' } } },
              ...errors,
            },
          },
        },
        async (req) => core.methods.requireReregistration(actor(req), (req.params as { name: string }).name),
      );

      api.delete(
        '/users/:name/remembered-devices',
        {
          schema: {
            tags,
            security,
            summary: "Revoke the user's remembered devices: they ask for the second step again (R10)",
            params: nameParam,
            response: {
              200: { type: 'object', properties: { devicesRevoked: { type: 'integer' } } },
              ...errors,
            },
          },
        },
        async (req) =>
          core.methods.revokeRememberedDevices(actor(req), (req.params as { name: string }).name),
      );

      api.get(
        '/users/:name/app-passwords',
        {
          schema: {
            tags,
            security,
            summary: "A user's app passwords (metadata only: the passwords are never shown again)",
            params: nameParam,
            response: { 200: { type: 'array', items: appPasswordSchema }, ...errors },
          },
        },
        async (req) => core.appPasswords.listAppPasswords(actor(req), (req.params as { name: string }).name),
      );

      api.post(
        '/users/:name/app-passwords',
        {
          schema: {
            tags,
            security,
            summary:
              'Create an app password for a user (administrators); the response is the only time it is shown',
            params: nameParam,
            body: {
              type: 'object',
              required: ['label'],
              additionalProperties: false,
              properties: {
                label: { type: 'string', maxLength: 256 },
                expires: {
                  type: ['string', 'null'],
                  maxLength: 32,
                  description: '90d, 12w, 24h or YYYY-MM-DD',
                },
                scopes: {
                  type: ['array', 'null'],
                  maxItems: 16,
                  items: { type: 'string', enum: [...DOORS] },
                },
              },
            },
            response: {
              201: {
                type: 'object',
                properties: { ...appPasswordSchema.properties, password: { type: 'string' } },
              },
              ...errors,
            },
          },
        },
        async (req, reply) => {
          const b = req.body as { label: string; expires?: string | null; scopes?: string[] | null };
          const created = await core.appPasswords.createAppPassword(
            actor(req),
            (req.params as { name: string }).name,
            {
              label: b.label,
              expires: b.expires ?? null,
              scopes: b.scopes ?? null,
            },
          );
          return reply.code(201).header('cache-control', 'no-store').send(created);
        },
      );

      api.delete(
        '/users/:name/app-passwords',
        {
          schema: {
            tags,
            security,
            summary: "Delete all of a user's app passwords (the helpdesk's reset)",
            params: nameParam,
            response: { 200: { type: 'object', properties: { deleted: { type: 'integer' } } }, ...errors },
          },
        },
        async (req) => ({
          deleted: await core.appPasswords.deleteAllAppPasswords(
            actor(req),
            (req.params as { name: string }).name,
            'api',
          ),
        }),
      );

      api.delete(
        '/users/:name/app-passwords/:id',
        {
          schema: {
            tags,
            security,
            summary: 'Delete one app password; it stops working at once',
            params: {
              type: 'object',
              required: ['name', 'id'],
              properties: { name: { type: 'string', maxLength: 254 }, id: { type: 'string', maxLength: 64 } },
            },
            response: { 204: { type: 'null' }, ...errors },
          },
        },
        async (req, reply) => {
          const { name, id } = req.params as { name: string; id: string };
          await core.appPasswords.deleteAppPassword(actor(req), name, id);
          return reply.code(204).send();
        },
      );

      api.post(
        '/users/:name/unlock',
        {
          schema: {
            tags,
            security,
            summary: "Clear the account's failure counters and lockouts",
            params: nameParam,
            response: {
              200: { type: 'object', properties: { countersCleared: { type: 'integer' } } },
              ...errors,
            },
          },
        },
        async (req) => ({
          countersCleared: await core.lockout.unlockUser(actor(req), (req.params as { name: string }).name),
        }),
      );

      api.get(
        '/settings',
        {
          schema: {
            tags,
            security,
            summary: 'Organization settings',
            response: { 200: { type: 'object', properties: settingsProperties }, ...errors },
          },
        },
        async (req) => core.settings.getSettings(actor(req)),
      );

      api.patch(
        '/settings',
        {
          schema: {
            tags,
            security,
            summary: 'Change settings (all or nothing)',
            body: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: settingsProperties,
            },
            response: { 200: { type: 'object', properties: settingsProperties }, ...errors },
          },
        },
        async (req) => core.settings.updateSettings(actor(req), req.body as Record<string, unknown>),
      );

      api.get(
        '/sign-ins',
        {
          schema: {
            tags,
            security,
            summary: 'The sign-in log, newest first',
            querystring: {
              type: 'object',
              additionalProperties: false,
              properties: signInFilterProperties,
            },
            response: {
              200: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    at: { type: 'string' },
                    lastAt: { type: 'string' },
                    count: { type: 'integer' },
                    username: { type: 'string' },
                    door: { type: 'string', enum: [...LOG_DOORS] },
                    ip: { type: ['string', 'null'] },
                    userAgent: { type: ['string', 'null'] },
                    result: { type: 'string', enum: ['accepted', 'refused'] },
                    reason: { type: ['string', 'null'] },
                    credential: { type: ['string', 'null'] },
                    appPasswordId: { type: ['string', 'null'] },
                    appPasswordLabel: { type: ['string', 'null'] },
                    clientId: { type: ['string', 'null'], description: 'door oidc: the app signed in to' },
                    clientName: { type: ['string', 'null'] },
                    cursor: { type: 'string', description: 'pass as before= for the next page' },
                  },
                },
              },
              ...errors,
            },
          },
        },
        async (req) => core.signInLog.listSignIns(actor(req), signInFilter(req.query as SignInQuery)),
      );

      api.get(
        '/sign-ins.csv',
        {
          schema: {
            tags,
            security,
            summary: 'The sign-in log as CSV, with the same filters',
            querystring: { type: 'object', additionalProperties: false, properties: signInFilterProperties },
            produces: ['text/csv'],
          },
        },
        async (req, reply) => {
          const events = await core.signInLog.listSignIns(actor(req), signInFilter(req.query as SignInQuery));
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', 'attachment; filename="sign-ins.csv"')
            .send(signInsCsv(events));
        },
      );

      api.get(
        '/audit',
        {
          schema: {
            tags,
            security,
            summary: 'The audit log, newest first',
            querystring: {
              type: 'object',
              additionalProperties: false,
              properties: {
                target: { type: 'string', maxLength: 254 },
                limit: limitQuery,
                before: {
                  type: 'string',
                  pattern: '^[0-9]{1,15}$',
                  description: 'older than the event with this id',
                },
              },
            },
            response: {
              200: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    at: { type: 'string' },
                    actor: { type: 'string' },
                    actorIp: { type: ['string', 'null'] },
                    action: { type: 'string' },
                    target: { type: ['string', 'null'] },
                    details: { type: ['object', 'null'], additionalProperties: true },
                  },
                },
              },
              ...errors,
            },
          },
        },
        async (req) => {
          const q = req.query as { target?: string; limit?: string; before?: string };
          return core.audit.listAudit(actor(req), {
            target: q.target ?? null,
            limit: q.limit,
            before: q.before,
          });
        },
      );

      api.get(
        '/radius-clients',
        {
          schema: {
            tags,
            security,
            summary: 'RADIUS clients (NAS) allowed to ask the RADIUS door (never their shared secrets)',
            response: { 200: { type: 'array', items: radiusClientSchema }, ...errors },
          },
        },
        async (req) => core.radiusClients.listRadiusClients(actor(req)),
      );

      api.post(
        '/radius-clients',
        {
          schema: {
            tags,
            security,
            summary:
              'Register a RADIUS client (NAS); the response is the only time its shared secret is shown',
            body: {
              type: 'object',
              required: ['name', 'address'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', maxLength: 254 },
                address: {
                  type: 'string',
                  maxLength: 64,
                  description: 'the address or range (CIDR) its packets come from',
                },
                requireMessageAuthenticator: {
                  type: 'boolean',
                  description:
                    'default true; false accepts requests without Message-Authenticator (old equipment: open to BlastRADIUS)',
                },
              },
            },
            response: {
              201: {
                ...radiusClientSchema,
                properties: { ...radiusClientSchema.properties, secret: { type: 'string' } },
              },
              ...errors,
            },
          },
        },
        async (req, reply) => {
          const created = await core.radiusClients.addRadiusClient(
            actor(req),
            req.body as Parameters<typeof core.radiusClients.addRadiusClient>[1],
          );
          return reply.code(201).header('cache-control', 'no-store').send(created);
        },
      );

      api.delete(
        '/radius-clients/:name',
        {
          schema: {
            tags,
            security,
            summary: 'Delete a RADIUS client; its packets are dropped within a second',
            params: nameParam,
            response: { 204: { type: 'null' }, ...errors },
          },
        },
        async (req, reply) => {
          await core.radiusClients.deleteRadiusClient(actor(req), (req.params as { name: string }).name);
          return reply.code(204).send();
        },
      );

      api.get(
        '/radius-replies',
        {
          schema: {
            tags,
            security,
            summary: 'RADIUS reply rules: attributes an Access-Accept carries by group',
            response: { 200: { type: 'array', items: radiusReplySchema }, ...errors },
          },
        },
        async (req) => core.radiusClients.listReplyRules(actor(req)),
      );

      api.post(
        '/radius-replies',
        {
          schema: {
            tags,
            security,
            summary: 'Add a RADIUS reply rule: members of group get attribute = value',
            body: {
              type: 'object',
              required: ['group', 'attribute', 'value'],
              additionalProperties: false,
              properties: {
                group: { type: 'string', maxLength: 64 },
                attribute: { type: 'string', maxLength: 64 },
                value: { type: 'string', maxLength: 253, description: 'checked by the attribute type' },
                client: { type: ['string', 'null'], maxLength: 254 },
              },
            },
            response: { 201: radiusReplySchema, ...errors },
          },
        },
        async (req, reply) => {
          const created = await core.radiusClients.addReplyRule(
            actor(req),
            req.body as Parameters<typeof core.radiusClients.addReplyRule>[1],
          );
          return reply.code(201).send(created);
        },
      );

      api.delete(
        '/radius-replies/:id',
        {
          schema: {
            tags,
            security,
            summary: 'Delete a RADIUS reply rule; the next Access-Accept is without it',
            params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } },
            response: { 204: { type: 'null' }, ...errors },
          },
        },
        async (req, reply) => {
          await core.radiusClients.deleteReplyRule(actor(req), (req.params as { id: string }).id);
          return reply.code(204).send();
        },
      );

      api.get(
        '/clients',
        {
          schema: {
            tags,
            security,
            summary: 'OpenID Connect clients (never their secrets)',
            response: { 200: { type: 'array', items: clientSchema }, ...errors },
          },
        },
        async (req) => core.oidcClients.listClients(actor(req)),
      );

      api.post(
        '/clients',
        {
          schema: {
            tags,
            security,
            summary:
              'Register an OpenID Connect client; the response is the only time its secret is shown (none for public clients)',
            body: {
              type: 'object',
              required: ['name', 'redirectUris'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', maxLength: 254 },
                redirectUris: uriList(
                  'absolute https URIs (http only for localhost or a loopback address), no fragment; 1 to 20',
                ),
                postLogoutRedirectUris: uriList(
                  'where the app may send people after signing out; at most 20',
                ),
                public: {
                  type: 'boolean',
                  description: 'no secret: single-page, native or command-line apps',
                },
                trusted: { type: 'boolean', description: "the organization's own app: no consent asked" },
                scopes: {
                  type: 'array',
                  maxItems: 16,
                  items: { type: 'string', maxLength: 64 },
                  description: `a subset of ${CLIENT_SCOPES.join(', ')} (default: all)`,
                },
                backchannelLogoutUri: { type: ['string', 'null'], maxLength: 4096 },
              },
            },
            response: {
              201: {
                type: 'object',
                properties: {
                  clientId: { type: 'string' },
                  clientSecret: { type: ['string', 'null'] },
                  issuer: { type: 'string' },
                },
              },
              ...errors,
            },
          },
        },
        async (req, reply) => {
          const created = await core.oidcClients.addClient(
            actor(req),
            req.body as Parameters<typeof core.oidcClients.addClient>[1],
          );
          return reply.code(201).header('cache-control', 'no-store').send(created);
        },
      );

      api.get(
        '/clients/:name',
        {
          schema: {
            tags,
            security,
            summary: 'One OpenID Connect client, by name or client id',
            params: nameParam,
            response: { 200: clientSchema, ...errors },
          },
        },
        async (req) => core.oidcClients.getClient(actor(req), (req.params as { name: string }).name),
      );

      api.delete(
        '/clients/:name',
        {
          schema: {
            tags,
            security,
            summary: 'Delete an OpenID Connect client; its codes, tokens and grants stop working at once',
            params: nameParam,
            response: { 204: { type: 'null' }, ...errors },
          },
        },
        async (req, reply) => {
          await core.oidcClients.deleteClient(actor(req), (req.params as { name: string }).name);
          return reply.code(204).send();
        },
      );

      api.post(
        '/clients/:name/rotate-secret',
        {
          schema: {
            tags,
            security,
            summary:
              'A new secret for a confidential client, shown once; the old one stops working at once (409 CLIENT_PUBLIC for public clients)',
            params: nameParam,
            response: {
              200: {
                type: 'object',
                properties: { clientId: { type: 'string' }, clientSecret: { type: 'string' } },
              },
              ...errors,
            },
          },
        },
        async (req, reply) => {
          const r = await core.oidcClients.rotateClientSecret(
            actor(req),
            (req.params as { name: string }).name,
          );
          return reply.header('cache-control', 'no-store').send(r);
        },
      );

      api.post(
        '/keys/rotate',
        {
          schema: {
            tags,
            security,
            summary:
              'Add an OpenID Connect signing key: published now, signing an hour later; the old key stays published a day after that',
            response: {
              200: {
                type: 'object',
                properties: { kid: { type: 'string' }, signsFrom: { type: 'string', format: 'date-time' } },
              },
              ...errors,
            },
          },
        },
        async (req) => core.oidcKeys.rotateKeys(actor(req)),
      );
    },
    { prefix: '/api/v1' },
  );
}
