// What the administration pages share: the words they show for the core's codes (roles, states,
// reasons, audit actions, settings), a few helpers for names and paths, the user a page is about
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
import { ENGLISH, type Key, type Words } from '../../i18n/index.js';
import type { Web } from '../../web.js';
import type { PageGuards } from '../guards.js';

// ---- words
// Each code the core hands out (a role, a state, a reason…) has a key in the catalogue; `label` gives
// its words in the page's language. The English tables (ROLE_LABEL…) are the same words, for the
// areas still on English; they go when the last of those has moved to `label`.

/** The words for one of the core's codes, or the code itself when it has none (a newer core). */
export function label(w: Words, keys: Readonly<Record<string, Key>>, code: string): string {
  const k = Object.hasOwn(keys, code) ? keys[code] : undefined;
  return k === undefined ? code : (w.t as (key: Key) => string)(k);
}

function english(keys: Readonly<Record<string, Key>>): Record<string, string> {
  return Object.fromEntries(Object.keys(keys).map((code) => [code, label(ENGLISH, keys, code)]));
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

export const AUDIT_KEY: Readonly<Record<string, Key>> = {
  'admin.initialized': 'admin.common.audit.adminInitialized',
  'user.created': 'admin.common.audit.userCreated',
  'user.updated': 'admin.common.audit.userUpdated',
  'user.disabled': 'admin.common.audit.userDisabled',
  'user.enabled': 'admin.common.audit.userEnabled',
  'user.deleted': 'admin.common.audit.userDeleted',
  'user.password_set': 'admin.common.audit.userPasswordSet',
  'user.role_changed': 'admin.common.audit.userRoleChanged',
  'user.unlocked': 'admin.common.audit.userUnlocked',
  'two_step.state_changed': 'admin.common.audit.twoStepStateChanged',
  'two_step.method_added': 'admin.common.audit.twoStepMethodAdded',
  'two_step.method_removed': 'admin.common.audit.twoStepMethodRemoved',
  'two_step.default_changed': 'admin.common.audit.twoStepDefaultChanged',
  'two_step.recovery_codes_generated': 'admin.common.audit.twoStepRecoveryCodesGenerated',
  'two_step.reregistration_required': 'admin.common.audit.twoStepReregistrationRequired',
  'app_password.created': 'admin.common.audit.appPasswordCreated',
  'app_password.deleted': 'admin.common.audit.appPasswordDeleted',
  'app_password.deleted_all': 'admin.common.audit.appPasswordDeletedAll',
  'app_password.auto_revoked': 'admin.common.audit.appPasswordAutoRevoked',
  'devices.revoked': 'admin.common.audit.devicesRevoked',
  'sessions.revoked': 'admin.common.audit.sessionsRevoked',
  'settings.changed': 'admin.common.audit.settingsChanged',
  'service.created': 'admin.common.audit.serviceCreated',
  'service.deleted': 'admin.common.audit.serviceDeleted',
  'radius_client.created': 'admin.common.audit.radiusClientCreated',
  'radius_client.deleted': 'admin.common.audit.radiusClientDeleted',
  'radius_reply.created': 'admin.common.audit.radiusReplyCreated',
  'radius_reply.deleted': 'admin.common.audit.radiusReplyDeleted',
  'token.created': 'admin.common.audit.tokenCreated',
  'token.revoked': 'admin.common.audit.tokenRevoked',
  'oidc_client.created': 'admin.common.audit.oidcClientCreated',
  'oidc_client.deleted': 'admin.common.audit.oidcClientDeleted',
  'oidc_client.secret_rotated': 'admin.common.audit.oidcClientSecretRotated',
  'oidc_keys.rotated': 'admin.common.audit.oidcKeysRotated',
  'oidc_access.revoked': 'admin.common.audit.oidcAccessRevoked',
};

export const SETTING_KEY: Readonly<Record<string, Key>> = {
  allowAppPasswords: 'admin.common.setting.allowAppPasswords',
  maxAppPasswordsPerUser: 'admin.common.setting.maxAppPasswordsPerUser',
  revokeAppPasswordsOnPasswordChange: 'admin.common.setting.revokeAppPasswordsOnPasswordChange',
  autoRevokeUnusedAppPasswordsDays: 'admin.common.setting.autoRevokeUnusedAppPasswordsDays',
  requireAppPasswordsForNonBrowser: 'admin.common.setting.requireAppPasswordsForNonBrowser',
  requireTwoStepForEveryone: 'admin.common.setting.requireTwoStepForEveryone',
  rememberDeviceDays: 'admin.common.setting.rememberDeviceDays',
  lockoutThreshold: 'admin.common.setting.lockoutThreshold',
  lockoutSeconds: 'admin.common.setting.lockoutSeconds',
  sessionLifetimeMinutes: 'admin.common.setting.sessionLifetimeMinutes',
  signInLogRetentionDays: 'admin.common.setting.signInLogRetentionDays',
  organizationName: 'admin.common.setting.organizationName',
  mailDomains: 'admin.common.setting.mailDomains',
  mailLoginName: 'admin.common.setting.mailLoginName',
  imapHost: 'admin.common.setting.imapHost',
  imapPort: 'admin.common.setting.imapPort',
  imapSecurity: 'admin.common.setting.imapSecurity',
  smtpHost: 'admin.common.setting.smtpHost',
  smtpPort: 'admin.common.setting.smtpPort',
  smtpSecurity: 'admin.common.setting.smtpSecurity',
  calDavUrl: 'admin.common.setting.calDavUrl',
  cardDavUrl: 'admin.common.setting.cardDavUrl',
};

export const ENUM_KEY: Readonly<Record<string, Key>> = {
  address: 'admin.common.enum.address',
  username: 'admin.common.enum.username',
  ssl: 'admin.common.enum.ssl',
  starttls: 'admin.common.enum.starttls',
};

export const ROLE_LABEL = english(ROLE_KEY);
export const STATE_LABEL = english(STATE_KEY);
export const STATE_OPTION = english(STATE_OPTION_KEY);
export const REASON_LABEL = english(REASON_KEY) as Record<LoggedReason, string>;
export const CREDENTIAL_LABEL = english(CREDENTIAL_KEY);
export const METHOD_KIND_LABEL = english(METHOD_KIND_KEY);
export const COUNTER_LABEL = english(COUNTER_KEY);
export const AUDIT_LABEL = english(AUDIT_KEY);
export const SETTING_LABEL = english(SETTING_KEY);
export const ENUM_LABEL = english(ENUM_KEY);

/** The settings page's groups: `titleKey` in the page's words (`title` is its English). */
export const SETTING_GROUPS: { title: string; titleKey: Key; keys: string[] }[] = (
  [
    {
      titleKey: 'admin.common.settingGroup.appPasswords',
      keys: [
        'allowAppPasswords',
        'maxAppPasswordsPerUser',
        'revokeAppPasswordsOnPasswordChange',
        'autoRevokeUnusedAppPasswordsDays',
        'requireAppPasswordsForNonBrowser',
      ],
    },
    {
      titleKey: 'admin.common.settingGroup.twoStep',
      keys: ['requireTwoStepForEveryone', 'rememberDeviceDays'],
    },
    { titleKey: 'admin.common.settingGroup.lockout', keys: ['lockoutThreshold', 'lockoutSeconds'] },
    {
      titleKey: 'admin.common.settingGroup.sessions',
      keys: ['sessionLifetimeMinutes', 'signInLogRetentionDays'],
    },
    {
      titleKey: 'admin.common.settingGroup.mail',
      keys: [
        'organizationName',
        'mailDomains',
        'mailLoginName',
        'imapHost',
        'imapPort',
        'imapSecurity',
        'smtpHost',
        'smtpPort',
        'smtpSecurity',
        'calDavUrl',
        'cardDavUrl',
      ],
    },
  ] as const satisfies { titleKey: Key; keys: string[] }[]
).map((g) => ({ title: ENGLISH.t(g.titleKey), titleKey: g.titleKey, keys: [...g.keys] }));

/** "maxAppPasswordsPerUser" → "Max app passwords per user", for keys without a label yet. */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The registry's docs cite the spec ("(R12)"); administrators do not need that. */
export function plainDoc(doc: string): string {
  return doc.replace(/\s*\((?:[RB]\d+(?:,\s*)?)+\)/g, '');
}

export function who(u: Pick<UserView, 'username' | 'displayName'>): string {
  return u.displayName?.trim() || u.username;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
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
