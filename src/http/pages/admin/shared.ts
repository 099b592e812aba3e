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
import type { Web } from '../../web.js';
import type { PageGuards } from '../guards.js';

// ---- words

export const ROLE_LABEL: Record<string, string> = {
  user: 'User',
  helpdesk: 'Helpdesk',
  admin: 'Administrator',
};

export const STATE_LABEL: Record<string, string> = {
  disabled: 'Off',
  enabled: 'On, not set up yet',
  enforced: 'On',
};

export const STATE_OPTION: Record<string, string> = {
  disabled: 'Off',
  enabled: 'On: set up at the next web sign-in',
  enforced: 'On and required (apps need app passwords)',
};

// Typed by the log's reasons: a new reason in the core does not compile until it has a label here.
export const REASON_LABEL: Record<LoggedReason, string> = {
  invalid_credentials: 'Wrong password',
  unknown_user: 'Unknown user',
  user_disabled: 'Account disabled',
  app_password_required: 'App password required',
  app_passwords_disabled: 'App passwords turned off',
  app_password_expired: 'App password expired',
  out_of_scope: 'App password not allowed here',
  locked_out: 'Locked out',
  password_change_required: 'One-time password used in an app',
  app_password_in_browser: 'App password typed on the web',
  two_step_failed: 'Second step failed',
  throttled: 'Too many attempts from this address',
  consent_refused: 'The person chose Cancel',
  method_unsupported: 'Sign-in method not supported (CHAP, MS-CHAP, EAP)',
};

export const CREDENTIAL_LABEL: Record<string, string> = {
  primary: 'Account password',
  password: 'Password only',
  totp: 'Authenticator app',
  webauthn: 'Security key or passkey',
  recovery_code: 'Recovery code',
  remembered_device: 'Remembered device',
  oidc_token: 'OpenID Connect token',
};

export const METHOD_KIND_LABEL: Record<string, string> = {
  totp: 'Authenticator app',
  webauthn: 'Security key or passkey',
};

export const COUNTER_LABEL: Record<string, string> = {
  'primary familiar': 'Account password, from known places',
  'primary unfamiliar': 'Account password, from unknown places',
  'app familiar': 'App passwords, from known places',
  'app unfamiliar': 'App passwords, from unknown places',
  'two_step familiar': 'Second step on the web, from known places',
  'two_step unfamiliar': 'Second step on the web, from unknown places',
};

export const AUDIT_LABEL: Record<string, string> = {
  'admin.initialized': 'Set up the first administrator',
  'user.created': 'Created the user',
  'user.updated': 'Changed the profile',
  'user.disabled': 'Disabled the account',
  'user.enabled': 'Enabled the account',
  'user.deleted': 'Deleted the user',
  'user.password_set': 'Set the password',
  'user.role_changed': 'Changed the role',
  'user.unlocked': 'Unlocked the account',
  'two_step.state_changed': 'Changed two-step verification',
  'two_step.method_added': 'Added a verification method',
  'two_step.method_removed': 'Removed a verification method',
  'two_step.default_changed': 'Changed the default method',
  'two_step.recovery_codes_generated': 'Made new recovery codes',
  'two_step.reregistration_required': 'Required two-step set-up again',
  'app_password.created': 'Created an app password',
  'app_password.deleted': 'Deleted an app password',
  'app_password.deleted_all': 'Deleted all app passwords',
  'app_password.auto_revoked': 'Deleted an unused app password',
  'devices.revoked': 'Revoked remembered devices',
  'sessions.revoked': 'Signed out everywhere',
  'settings.changed': 'Changed a setting',
  'service.created': 'Created a service account',
  'service.deleted': 'Deleted a service account',
  'radius_client.created': 'Registered a RADIUS client (VPN or Wi-Fi)',
  'radius_client.deleted': 'Deleted a RADIUS client',
  'radius_reply.created': 'Added a RADIUS reply rule',
  'radius_reply.deleted': 'Deleted a RADIUS reply rule',
  'token.created': 'Created an API token',
  'token.revoked': 'Revoked an API token',
  'oidc_client.created': 'Registered an app (OpenID Connect)',
  'oidc_client.deleted': 'Deleted an app (OpenID Connect)',
  'oidc_client.secret_rotated': 'Gave an app a new secret',
  'oidc_keys.rotated': 'Rotated the signing keys',
  'oidc_access.revoked': 'Removed an app’s access',
};

export const SETTING_LABEL: Record<string, string> = {
  allowAppPasswords: 'Allow users to create app passwords to sign in to non-browser apps',
  maxAppPasswordsPerUser: 'Most app passwords per user',
  revokeAppPasswordsOnPasswordChange: 'Delete app passwords when a password is changed or reset',
  autoRevokeUnusedAppPasswordsDays: 'Delete app passwords unused for this many days',
  requireAppPasswordsForNonBrowser: 'Require app passwords for every non-browser app',
  requireTwoStepForEveryone: 'Require two-step verification for everyone',
  rememberDeviceDays: 'Days a browser may skip the second step',
  lockoutThreshold: 'Failed attempts before a lockout',
  lockoutSeconds: 'First lockout, in seconds',
  sessionLifetimeMinutes: 'Browser session length, in minutes',
  signInLogRetentionDays: 'Keep sign-in events for this many days',
  organizationName: 'Organization name',
  mailDomains: 'Mail domains',
  mailLoginName: 'Apps sign in with',
  imapHost: 'IMAP server',
  imapPort: 'IMAP port',
  imapSecurity: 'IMAP security',
  smtpHost: 'SMTP server',
  smtpPort: 'SMTP port',
  smtpSecurity: 'SMTP security',
  calDavUrl: 'CalDAV address',
  cardDavUrl: 'CardDAV address',
};

export const ENUM_LABEL: Record<string, string> = {
  address: 'the e-mail address',
  username: 'the username',
  ssl: 'SSL/TLS (from the start)',
  starttls: 'STARTTLS',
};

export const SETTING_GROUPS: { title: string; keys: string[] }[] = [
  {
    title: 'App passwords',
    keys: [
      'allowAppPasswords',
      'maxAppPasswordsPerUser',
      'revokeAppPasswordsOnPasswordChange',
      'autoRevokeUnusedAppPasswordsDays',
      'requireAppPasswordsForNonBrowser',
    ],
  },
  { title: 'Two-step verification', keys: ['requireTwoStepForEveryone', 'rememberDeviceDays'] },
  { title: 'Lockout', keys: ['lockoutThreshold', 'lockoutSeconds'] },
  { title: 'Sessions and logs', keys: ['sessionLifetimeMinutes', 'signInLogRetentionDays'] },
  {
    title: 'Mail, calendars and contacts on devices',
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
];

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
