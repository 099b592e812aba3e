// The one registry of error codes. Expected refusals of a sign-in are values (see sign-in.ts);
// these errors are for requests the core will not carry out. Each code has an HTTP status and a
// message that is safe to show: messages never contain a secret.

export const ERRORS = {
  USERNAME_INVALID: {
    status: 400,
    message: 'Usernames are 1–64 characters from a–z, 0–9, ".", "_" and "-".',
  },
  EMAIL_INVALID: { status: 400, message: 'The email address is not valid.' },
  DISPLAY_NAME_INVALID: { status: 400, message: 'Display names are 1–128 printable characters.' },
  ROLE_INVALID: { status: 400, message: 'The role must be one of user, helpdesk, admin.' },
  USER_EXISTS: { status: 409, message: 'A user with this name already exists.' },
  EMAIL_TAKEN: { status: 409, message: 'Another user already has this email address.' },
  USER_NOT_FOUND: { status: 404, message: 'No such user.' },
  PASSWORD_TOO_SHORT: { status: 400, message: 'Passwords must be at least 8 characters long.' },
  SECRET_TOO_LONG: { status: 400, message: 'Secrets are at most 1024 bytes long.' },
  SECRET_INVALID: {
    status: 400,
    message: 'The secret contains characters that are not allowed (line breaks or control characters).',
  },
  TWO_STEP_STATE_INVALID: {
    status: 400,
    message: 'Two-step state must be one of disabled, enabled, enforced.',
  },
  TWO_STEP_REQUIRED: {
    status: 409,
    message: 'App passwords are for users with two-step verification; turn it on for this user first.',
  },
  LABEL_INVALID: { status: 400, message: 'App password names are 1–64 printable characters.' },
  EXPIRES_INVALID: {
    status: 400,
    message:
      'Expiry must be a duration such as 30d, 12w or 24h (at most 3650 days), or a future date YYYY-MM-DD.',
  },
  SCOPE_INVALID: { status: 400, message: 'Unknown door in scope.' },
  DOOR_INVALID: { status: 400, message: 'Unknown door.' },
  APP_PASSWORD_LIMIT: {
    status: 409,
    message:
      'You have reached the maximum number of app passwords. Delete one you no longer use, then try again.',
  },
  APP_PASSWORDS_DISABLED: {
    status: 403,
    message: 'Your organization does not allow app passwords.',
  },
  APP_PASSWORD_NOT_FOUND: { status: 404, message: 'No such app password.' },
  SETTING_UNKNOWN: { status: 400, message: 'Unknown setting.' },
  SETTING_INVALID: { status: 400, message: 'Invalid value for this setting.' },
  SERVICE_NAME_INVALID: {
    status: 400,
    message:
      'Service names are 1–64 characters from a–z, 0–9, ".", "_" and "-", starting with a letter or digit.',
  },
  SERVICE_EXISTS: { status: 409, message: 'A service account with this name already exists.' },
  SERVICE_NOT_FOUND: { status: 404, message: 'No such service account.' },
  RADIUS_REPLY_EXISTS: {
    status: 409,
    message: 'This group already has a rule for this attribute (for this RADIUS client): delete it first.',
  },
  CLIENT_NAME_INVALID: {
    status: 400,
    message:
      'Client names are 1–64 characters from a–z, 0–9, ".", "_" and "-", starting with a letter or digit (not "lkc_").',
  },
  CLIENT_EXISTS: { status: 409, message: 'An OpenID Connect client with this name already exists.' },
  CLIENT_NOT_FOUND: { status: 404, message: 'No such OpenID Connect client.' },
  APP_ACCESS_NOT_FOUND: { status: 404, message: 'This app has no access to the account.' },
  CLIENT_PUBLIC: { status: 409, message: 'This client is public: it has no secret to rotate.' },
  CLIENT_SCOPE_INVALID: {
    status: 400,
    message: 'Client scopes are one or more of openid, profile, email, groups, offline_access.',
  },
  REDIRECT_URI_INVALID: {
    status: 400,
    message:
      'Redirect URIs are absolute https URIs (http only for localhost or a loopback address), without a fragment, at most 2000 characters, at most 20.',
  },
  STATUS_INVALID: { status: 400, message: 'The status must be active or disabled.' },
  TOKEN_NOT_FOUND: { status: 404, message: 'No such API token.' },
  CSV_INVALID: { status: 400, message: 'The file is not a valid user import.' },
  FILTER_INVALID: { status: 400, message: 'Invalid filter.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  LAST_ADMIN: {
    status: 409,
    message: 'This is the last active administrator; make another administrator first.',
  },
  ALREADY_INITIALIZED: { status: 409, message: 'Latchkey already has an administrator.' },
  LIMIT_INVALID: { status: 400, message: 'The limit must be a whole number from 1 to 10000.' },
  KEY_MISMATCH: {
    status: 500,
    message: 'The server keys do not match the ones this database was created with.',
  },
  CONFIG_INVALID: { status: 500, message: 'Invalid configuration.' },
  FLOW_EXPIRED: {
    status: 410,
    message: 'This sign-in has expired or was already finished. Please sign in again.',
  },
  FLOW_STEP: { status: 409, message: 'This step was already completed. Carry on from where you are now.' },
  CODE_INVALID: {
    status: 400,
    message: 'That code is not right, or it was already used. Try the next code.',
  },
  RECOVERY_CODE_INVALID: { status: 400, message: 'That recovery code is not right, or it was already used.' },
  SECURITY_KEY_FAILED: {
    status: 400,
    message: 'Your security key or passkey could not be verified. Try again.',
  },
  METHOD_NOT_FOUND: { status: 404, message: 'No such verification method.' },
  LAST_METHOD: {
    status: 409,
    message:
      'This is your last verification method and two-step verification is required for your account. Add another method first.',
  },
  METHOD_NAME_INVALID: { status: 400, message: 'Method names are 1–64 printable characters.' },
  TWO_STEP_OFF: {
    status: 409,
    message: 'Two-step verification is off for this account; your administrator turns it on.',
  },
  SUDO_REQUIRED: {
    status: 403,
    message: 'For your security, confirm it is you before making this change.',
  },
  PASSWORD_WRONG: { status: 400, message: 'Your current password is not right.' },
  PASSWORDS_DIFFER: { status: 400, message: 'The two new passwords are not the same.' },
  PASSWORD_UNCHANGED: { status: 400, message: 'Choose a password different from your current one.' },
  CSRF_INVALID: {
    status: 403,
    message: 'This form has expired or did not come from this site. Reload the page and try again.',
  },
  SESSION_REQUIRED: { status: 401, message: 'Please sign in.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class LatchkeyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  /** `detail` replaces the registry's message; it must be safe to show (no secrets). */
  constructor(code: ErrorCode, detail?: string) {
    super(detail ?? ERRORS[code].message);
    this.name = 'LatchkeyError';
    this.code = code;
    this.status = ERRORS[code].status;
  }
}

export function isLatchkeyError(e: unknown): e is LatchkeyError {
  return e instanceof LatchkeyError;
}
