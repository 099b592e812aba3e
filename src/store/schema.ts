// The tables as Kysely sees them. Times are milliseconds since the epoch (bigint in PostgreSQL, read
// back as numbers), flags are integers 0/1, so that both databases return the same shapes.

import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Role = 'user' | 'helpdesk' | 'admin';
export type TwoStepState = 'disabled' | 'enabled' | 'enforced';

export interface UsersTable {
  id: string;
  username: string;
  email: string | null;
  display_name: string | null;
  role: Role;
  disabled_at: number | null;
  password_hash: string | null;
  password_changed_at: number | null;
  password_must_change: number;
  two_step_state: TwoStepState;
  two_step_changed_at: number | null;
  created_at: number;
  updated_at: number;
  /** The pages' language the person chose ("en", "nl"), null = not chosen (migration 015). */
  language: string | null;
}

export interface AppPasswordsTable {
  id: string;
  user_id: string;
  label: string;
  hash: Buffer;
  /** Comma-separated doors, or null for every non-browser door. */
  scopes: string | null;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  last_used_ip: string | null;
  last_used_door: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface SignInEventsTable {
  id: Generated<number>;
  at: number;
  last_at: number;
  count: number;
  username: string;
  user_id: string | null;
  door: string;
  ip: string | null;
  user_agent: string | null;
  result: 'accepted' | 'refused';
  reason: string | null;
  credential: string | null;
  app_password_id: string | null;
  app_password_label: string | null;
  /** Aggregation key of accepted non-browser checks (one row per credential, door, source, minute). */
  bucket: string | null;
}

/**
 * The sign-in log summed by hour (migration 011), kept by triggers on sign_in_events: '' stands for
 * no reason and no credential.
 */
export interface SignInHoursTable {
  /** Hours since the epoch (UTC) of the events' first attempt. */
  hour: number;
  door: string;
  result: 'accepted' | 'refused';
  reason: string;
  credential: string;
  count: number;
}

/** Each account's latest accepted sign-in with its account password through an app (migration 011). */
export interface PrimaryPasswordUsersTable {
  user_id: string;
  /** When that sign-in began (ms). */
  last_at: number;
  door: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  actor: string;
  actor_ip: string | null;
  action: string;
  target: string | null;
  /** JSON: before/after values and reasons; never a secret. */
  details: string | null;
}

export interface ServiceAccountsTable {
  id: string;
  name: string;
  hash: Buffer;
  created_at: number;
  last_used_at: number | null;
}

/** RADIUS clients (NAS); the shared secret sealed with encryption.key (migration 012). */
export interface RadiusClientsTable {
  id: string;
  name: string;
  /** Canonical address or range: 192.0.2.7/32, 10.0.0.0/24, 2001:db8::/64. */
  cidr: string;
  secret_sealed: string;
  /** 1: requests without a valid Message-Authenticator are dropped (BlastRADIUS). */
  require_message_authenticator: number;
  created_at: number;
}

/** RADIUS reply rules (migration 014): group → attribute = value, for one client or all (''). */
export interface RadiusReplyRulesTable {
  id: string;
  client_id: string;
  group_name: string;
  attribute: string;
  value: string;
  created_at: number;
}

/** Device sign-in requests (migration 013, spec B8): codes as keyed hashes, never an app password. */
export interface DeviceLoginsTable {
  id: string;
  device_hash: Buffer;
  user_code_hash: Buffer;
  app: string;
  ip: string;
  /** The counter key of `ip` (sourceKey: the address, or an IPv6 address's /64), migration 016. */
  source: string | null;
  user_agent: string | null;
  status: 'pending' | 'approved' | 'denied' | 'delivered';
  interval_seconds: number;
  created_at: number;
  expires_at: number;
  last_poll_at: number | null;
  user_id: string | null;
  decided_at: number | null;
  decided_ip: string | null;
}

/** Wrong user codes typed on the approval page, per person and per address (migration 013). */
export interface DeviceLoginGuessesTable {
  key: string;
  window_start: number;
  tries: number;
}

export interface FailureCountersTable {
  key: string;
  user_id: string | null;
  failures: number;
  first_failure_at: number;
  last_failure_at: number;
  locked_until: number | null;
  lock_level: number;
  recent_tags: string | null;
}

/** An OpenID Connect client registered by an administrator (migration 007). */
export interface OidcClientsTable {
  id: string;
  name: string;
  secret_hash: Buffer | null;
  /** JSON array. */
  redirect_uris: string;
  /** JSON array. */
  post_logout_redirect_uris: string;
  /** Space-separated. */
  scopes: string;
  trusted: number;
  backchannel_logout_uri: string | null;
  created_at: number;
  secret_rotated_at: number | null;
  last_used_at: number | null;
}

/** A signing key of the OpenID Connect provider, sealed with encryption.key (migration 007). */
export interface OidcKeysTable {
  kid: string;
  alg: string;
  sealed_jwk: string;
  created_at: number;
  signs_from: number;
  retired_at: number | null;
}

/** One object of oidc-provider's state (a code, a token, a grant, a session…), migration 007. */
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  client_id: string | null;
  account_id: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

/** An address a service account authenticated from: a relay for its users' attempts (migration 006). */
export interface ServiceSourcesTable {
  ip: string;
  service_id: string;
  last_at: number;
}

/** The change feed of the check path (migration 009): written by triggers, read by every node. */
export interface CheckChangesTable {
  seq: Generated<number>;
  user_id: string | null;
  source: string | null;
  at: Generated<number>;
}

export interface FamiliarSourcesTable {
  user_id: string;
  ip: string;
  last_success_at: number;
}

export interface ApiTokensTable {
  id: string;
  hash: Buffer;
  role: Role;
  label: string | null;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export type MethodKind = 'totp' | 'webauthn';

export interface TwoStepMethodsTable {
  id: string;
  user_id: string;
  kind: MethodKind;
  name: string;
  is_default: number;
  created_at: number;
  last_used_at: number | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  credential_id: string | null;
  public_key: Buffer | null;
  sign_count: number | null;
  transports: string | null;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  hash: Buffer;
  created_at: number;
  used_at: number | null;
}

export interface SignInFlowsTable {
  id: string;
  hash: Buffer;
  kind: string;
  user_id: string | null;
  step: string;
  data: string | null;
  created_at: number;
  expires_at: number;
}

export interface BrowserSessionsTable {
  id: string;
  hash: Buffer;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  two_step_at: number | null;
  method: string | null;
  ip: string | null;
  user_agent: string | null;
}

/** The single sign-on cookie's token (keyed hash), bound to a browser session (migration 008). */
export interface SsoTokensTable {
  hash: Buffer;
  session_id: string;
  created_at: number;
}

export interface RememberedDevicesTable {
  id: string;
  hash: Buffer;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

export interface DB {
  two_step_methods: TwoStepMethodsTable;
  recovery_codes: RecoveryCodesTable;
  sign_in_flows: SignInFlowsTable;
  browser_sessions: BrowserSessionsTable;
  remembered_devices: RememberedDevicesTable;
  sso_tokens: SsoTokensTable;
  api_tokens: ApiTokensTable;
  service_accounts: ServiceAccountsTable;
  radius_clients: RadiusClientsTable;
  device_logins: DeviceLoginsTable;
  device_login_guesses: DeviceLoginGuessesTable;
  radius_reply_rules: RadiusReplyRulesTable;
  failure_counters: FailureCountersTable;
  familiar_sources: FamiliarSourcesTable;
  check_changes: CheckChangesTable;
  service_sources: ServiceSourcesTable;
  oidc_clients: OidcClientsTable;
  oidc_keys: OidcKeysTable;
  oidc_payloads: OidcPayloadsTable;
  users: UsersTable;
  app_passwords: AppPasswordsTable;
  settings: SettingsTable;
  meta: MetaTable;
  sign_in_events: SignInEventsTable;
  sign_in_hours: SignInHoursTable;
  primary_password_users: PrimaryPasswordUsersTable;
  audit_events: AuditEventsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type AppPasswordRow = Selectable<AppPasswordsTable>;
export type SignInEventRow = Selectable<SignInEventsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type TwoStepMethodRow = Selectable<TwoStepMethodsTable>;
export type BrowserSessionRow = Selectable<BrowserSessionsTable>;
export type SignInFlowRow = Selectable<SignInFlowsTable>;
