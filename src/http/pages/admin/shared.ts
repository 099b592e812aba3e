// What the administration pages share: the catalogue's keys for the core's codes (roles, states,
// statuses, reasons, credentials, counters) with `label` to say them, a few helpers for names and paths, the user a page is about
// (Target), and the context every area gets from the index (core, guards, reading the query).

import type { FastifyRequest } from 'fastify';
import type { AppPasswordView } from '../../../core/app-passwords.js';
import type { SessionView } from '../../../core/browser.js';
import type { Core } from '../../../core/index.js';
import type { MethodsSummary } from '../../../core/methods.js';
import { type Action, type Actor, can } from '../../../core/policy.js';
import type { LoggedReason } from '../../../core/sign-in-log.js';
import type { UserView } from '../../../core/users.js';
import type { ROLES, TWO_STEP_STATES } from '../../../core/validate.js';
import type { Key, Words } from '../../i18n/index.js';
import type { Web } from '../../web.js';
import type { PageGuards } from '../guards.js';

// ---- words
// Each code the core hands out (a role, a state, a reason…) has a key in the catalogue; `label` gives
// its words in the page's language. (The settings' and audit actions' words live with their pages.)

/** The words for one of the core's codes, or the code itself when it has none (a newer core). */
export function label(w: Words, keys: Readonly<Record<string, Key>>, code: string): string {
  const k = Object.hasOwn(keys, code) ? keys[code] : undefined;
  return k === undefined ? code : (w.t as (key: Key) => string)(k);
}

export const ROLE_KEY = {
  user: 'admin.common.role.user',
  helpdesk: 'admin.common.role.helpdesk',
  admin: 'admin.common.role.admin',
} as const satisfies Record<(typeof ROLES)[number], Key>;

/** Two-step states as a state ("On, not set up yet"). */
export const STATE_KEY = {
  disabled: 'admin.common.state.disabled',
  enabled: 'admin.common.state.enabled',
  enforced: 'admin.common.state.enforced',
} as const satisfies Record<(typeof TWO_STEP_STATES)[number], Key>;

/** Two-step states as a choice to make ("On: set up at the next web sign-in"). */
export const STATE_OPTION_KEY = {
  disabled: 'admin.common.stateOption.disabled',
  enabled: 'admin.common.stateOption.enabled',
  enforced: 'admin.common.stateOption.enforced',
} as const satisfies Record<(typeof TWO_STEP_STATES)[number], Key>;

export const STATUS_KEY = {
  active: 'admin.common.status.active',
  disabled: 'admin.common.status.disabled',
} as const satisfies Record<UserView['status'], Key>;

// Typed by the log's reasons: a new reason in the core does not compile until it has words here.
export const REASON_KEY = {
  invalid_credentials: 'admin.common.reason.invalidCredentials',
  unknown_user: 'admin.common.reason.unknownUser',
  user_disabled: 'admin.common.reason.userDisabled',
  app_password_required: 'admin.common.reason.appPasswordRequired',
  app_passwords_disabled: 'admin.common.reason.appPasswordsDisabled',
  app_password_expired: 'admin.common.reason.appPasswordExpired',
  out_of_scope: 'admin.common.reason.outOfScope',
  locked_out: 'admin.common.reason.lockedOut',
  password_change_required: 'admin.common.reason.passwordChangeRequired',
  app_password_in_browser: 'admin.common.reason.appPasswordInBrowser',
  two_step_failed: 'admin.common.reason.twoStepFailed',
  throttled: 'admin.common.reason.throttled',
  consent_refused: 'admin.common.reason.consentRefused',
  method_unsupported: 'admin.common.reason.methodUnsupported',
} as const satisfies Record<LoggedReason, Key>;

export const CREDENTIAL_KEY: Readonly<Record<string, Key>> = {
  primary: 'admin.common.credential.primary',
  password: 'admin.common.credential.password',
  totp: 'admin.common.credential.totp',
  webauthn: 'admin.common.credential.webauthn',
  recovery_code: 'admin.common.credential.recoveryCode',
  remembered_device: 'admin.common.credential.rememberedDevice',
  oidc_token: 'admin.common.credential.oidcToken',
};

export const METHOD_KIND_KEY: Readonly<Record<string, Key>> = {
  totp: 'admin.common.credential.totp',
  webauthn: 'admin.common.credential.webauthn',
};

export const COUNTER_KEY: Readonly<Record<string, Key>> = {
  'primary familiar': 'admin.common.counter.primaryFamiliar',
  'primary unfamiliar': 'admin.common.counter.primaryUnfamiliar',
  'app familiar': 'admin.common.counter.appFamiliar',
  'app unfamiliar': 'admin.common.counter.appUnfamiliar',
  'two_step familiar': 'admin.common.counter.twoStepFamiliar',
  'two_step unfamiliar': 'admin.common.counter.twoStepUnfamiliar',
};

export function who(u: Pick<UserView, 'username' | 'displayName'>): string {
  return u.displayName?.trim() || u.username;
}

export const userPath = (name: string) => `/admin/users/${encodeURIComponent(name)}`;
export const appRemovePath = (name: string, clientId: string) =>
  `${userPath(name)}/apps/${encodeURIComponent(clientId)}/remove`;

export interface Target {
  u: UserView;
  apps: AppPasswordView[];
  methods: MethodsSummary;
  /** The acting person looks at their own account. */
  self: boolean;
}

/** What every admin area gets from the index: the core, the guards, and small readers. */
export interface AdminContext {
  web: Web;
  core: Core;
  requirePermission: PageGuards['requirePermission'];
  requireSudo: PageGuards['requireSudo'];
  /** A query parameter, trimmed and cut to `max` characters ('' when absent). */
  q(req: FastifyRequest, name: string, max?: number): string;
  /** What the page offers: the policy's answer for this action (on this user, with its role if bound). */
  allowed(a: Actor, action: Action, t?: Target, roleBound?: boolean): boolean;
  /** One user with their app passwords and methods, as the acting person may see them. */
  load(a: Actor, name: string, s: SessionView): Promise<Target>;
}

export function adminContext(web: Web, guards: PageGuards): AdminContext {
  const { core } = web;
  return {
    web,
    core,
    requirePermission: guards.requirePermission,
    requireSudo: guards.requireSudo,
    q: (req, name, max = 254) => web.str(req.query, name, max).trim(),
    allowed: (a, action, t, roleBound = false) =>
      can(a, action, t ? t.u.id : null, t && roleBound ? t.u.role : null),
    async load(a, name, s) {
      const u = await core.users.getUser(a, name);
      const [apps, methods] = await Promise.all([
        core.appPasswords.listAppPasswords(a, u.username),
        core.methods.listMethods(a, u.username),
      ]);
      return { u, apps, methods, self: u.id === s.user.id };
    },
  };
}
