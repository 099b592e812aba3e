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
  /** The particular refusal as data, when it is one of DETAILS: the pages word it in the person's language. */
  readonly detail: Detail | null;

  /**
   * `detail` replaces the registry's message: one of DETAILS with its parameters (the message is its
   * English sentence), or English text of its own (read in English everywhere). Safe to show: no secrets.
   */
  constructor(code: ErrorCode, detail?: string | Detail) {
    super(
      detail === undefined
        ? ERRORS[code].message
        : typeof detail === 'string'
          ? detail
          : detailMessage(detail),
    );
    this.name = 'LatchkeyError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.detail = typeof detail === 'object' ? detail : null;
  }
}

export function isLatchkeyError(e: unknown): e is LatchkeyError {
  return e instanceof LatchkeyError;
}

/** A list in a refusal: the pages write it in the person's language (Intl.ListFormat), the core in English. */
export interface ListParam {
  readonly items: readonly string[];
  /** `unit`: "a, b, c"; `or`: "a or b". */
  readonly as: 'unit' | 'or';
}
export const listOf = (items: readonly string[], as: ListParam['as'] = 'unit'): ListParam => ({ items, as });

/** Which redirect-type URI of an OpenID Connect client a refusal is about (the nth of a list, when given). */
export interface UriSubject {
  readonly field: 'redirect' | 'postLogout' | 'backChannelLogout';
  readonly n?: number;
}

/** What a refusal's parameter may be; numbers are written without grouping, as the core writes them. */
export type DetailParam = string | number | ListParam | UriSubject;

/** A list written the way of a language; English here is what the core's messages say. */
export function formatList(lang: string, l: ListParam): string {
  const type = l.as === 'or' ? 'disjunction' : 'unit';
  return new Intl.ListFormat(lang, { type, style: l.as === 'or' ? 'long' : 'short' }).format(l.items);
}

const URI_SUBJECT = {
  redirect: 'Redirect URI',
  postLogout: 'Post-logout redirect URI',
  backChannelLogout: 'Back-channel logout URI',
} as const;
const uri = (s: UriSubject) => `${URI_SUBJECT[s.field]}${s.n === undefined ? '' : ` ${s.n}`}`;
const en = (l: ListParam) => formatList('en', l);

/**
 * The particular refusals: an id, its parameters, and the English sentence the API, the CLI and the
 * logs read (the same text as the core wrote before). The pages word each id in the person's language
 * (src/http/i18n: DETAIL_WORDS), so a detail added here without words there is a type error.
 */
export const DETAILS = {
  // RADIUS clients and reply rules
  radiusClientName: () =>
    'RADIUS client names are 1–64 characters from a–z, 0–9, ".", "_" and "-", starting with a letter or digit.',
  radiusClientAddress: () =>
    'The address must be an IP address or a range in CIDR notation, such as 192.0.2.7 or 10.0.0.0/24.',
  radiusClientExists: () => 'A RADIUS client with this name already exists.',
  radiusClientNotFound: () => 'No such RADIUS client.',
  radiusReplyNotFound: () => 'No such RADIUS reply rule.',
  radiusReplyExists: (p: { group: string; attribute: string }) =>
    `Group ${p.group} already has a ${p.attribute} rule: delete it first.`,
  radiusReplyExistsForClient: (p: { group: string; attribute: string; client: string }) =>
    `Group ${p.group} already has a ${p.attribute} rule for ${p.client}: delete it first.`,
  radiusReplyAttribute: (p: { attributes: ListParam }) => `Reply attributes are one of: ${en(p.attributes)}.`,
  radiusReplyGroup: (p: { groups: ListParam }) => `Groups are one of: ${en(p.groups)}.`,
  radiusReplyText: (p: { attribute: string; max: number }) =>
    `${p.attribute} is 1–${p.max} bytes of printable text.`,
  radiusReplyInteger: (p: { attribute: string; min: number; max: number }) =>
    `${p.attribute} is a whole number from ${p.min} to ${p.max}.`,
  radiusReplyIpv4: (p: { attribute: string }) => `${p.attribute} is an IPv4 address such as 255.255.255.0.`,
  radiusReplyEnum: (p: { attribute: string; values: ListParam }) => `${p.attribute} is ${en(p.values)}.`,
  radiusReplyVlan: (p: { attribute: string }) => `${p.attribute} is a VLAN id from 1 to 4094.`,
  // Settings, the language, the mail profile
  settingUnknown: (p: { key: string; known: ListParam }) =>
    `Unknown setting "${p.key}". Known: ${en(p.known)}.`,
  settingBoolean: (p: { key: string }) => `${p.key} must be true or false.`,
  settingEnum: (p: { key: string; values: ListParam }) => `${p.key} must be one of: ${en(p.values)}.`,
  settingInteger: (p: { key: string; min: number; max: number }) =>
    `${p.key} must be a whole number from ${p.min} to ${p.max}.`,
  settingText: (p: { key: string }) => `${p.key} must be text.`,
  settingTooLong: (p: { key: string; max: number }) => `${p.key} must be at most ${p.max} characters.`,
  settingOneLine: (p: { key: string }) => `${p.key} must be one line of plain text.`,
  settingHost: (p: { key: string }) =>
    `${p.key} must be a host name such as mail.example.org (no address, port or scheme).`,
  settingDomain: (p: { key: string; domain: string }) =>
    `${p.key}: "${p.domain}" is not a domain name such as example.org.`,
  settingTooManyDomains: (p: { key: string; max: number }) => `${p.key} may list at most ${p.max} domains.`,
  settingTimeZone: (p: { key: string }) =>
    `${p.key} must be a time zone name such as Europe/Amsterdam or UTC.`,
  settingHttps: (p: { key: string }) =>
    `${p.key} must be an https address such as https://dav.example.org/ (no user name, password or #fragment).`,
  languageUnknown: (p: { languages: ListParam }) => `The language must be one of: ${en(p.languages)}.`,
  mailServerUnset: () => 'The organization has set no mail, calendar or contacts server.',
  // Doors
  doorUnknown: (p: { doors: ListParam }) => `Unknown door. Doors: ${en(p.doors)}.`,
  scopeDoorUnknown: (p: { door: string; doors: ListParam }) =>
    `Unknown door "${p.door}" in scope. Doors: ${en(p.doors)}.`,
  // Users, sign-in, security keys, tokens
  helpdeskChoosesPassword: () =>
    'The helpdesk resets passwords to a one-time password; it cannot choose one.',
  signInTooManyAttempts: () => 'Too many attempts. Wait a few minutes, then sign in again.',
  sudoTooManyAttempts: () => 'Too many wrong attempts. Wait a few minutes, then try again.',
  securityKeyRegistered: () => 'This security key is already registered. Use another key.',
  tokenRole: () => 'API tokens have the role admin or helpdesk.',
  // User import
  csvNotCsv: (p: { reason: string }) => `The file is not valid CSV: ${p.reason}.`,
  csvNotCsvAt: (p: { line: number; reason: string }) =>
    `The file is not valid CSV (line ${p.line}): ${p.reason}.`,
  csvEmpty: () => 'The file is empty; it needs a header line.',
  csvHeader: (p: { columns: string }) =>
    `The header must name columns from ${p.columns}, each once, including username.`,
  csvHeaderUnknown: (p: { columns: string; unknown: string }) =>
    `The header must name columns from ${p.columns}, each once, including username (unknown: ${p.unknown}).`,
  csvTooManyRows: (p: { max: number }) => `At most ${p.max} rows per file.`,
  importAlsoOnLine: (p: { line: number }) => `Also on line ${p.line}.`,
  importEmailOwner: (p: { username: string }) => `Another user (${p.username}) has this email address.`,
  // OpenID Connect clients' redirect URIs
  uriEmpty: (p: { what: UriSubject }) => `${uri(p.what)}: must be a non-empty string.`,
  uriTooLong: (p: { what: UriSubject; max: number }) =>
    `${uri(p.what)}: must be at most ${p.max} characters.`,
  uriNotAscii: (p: { what: UriSubject }) =>
    `${uri(p.what)}: must be printable ASCII without spaces or backslashes (percent-encode other characters).`,
  uriNotAbsolute: (p: { what: UriSubject }) =>
    `${uri(p.what)}: must be an absolute https:// URI (http:// only for localhost or a loopback address).`,
  uriUserInfo: (p: { what: UriSubject }) => `${uri(p.what)}: must not contain a user name or password.`,
  uriFragment: (p: { what: UriSubject }) => `${uri(p.what)}: must not contain a fragment (#).`,
  uriInvalid: (p: { what: UriSubject }) => `${uri(p.what)}: is not a valid URI.`,
  uriNoHost: (p: { what: UriSubject }) => `${uri(p.what)}: must name a host.`,
  uriNotHttps: (p: { what: UriSubject }) =>
    `${uri(p.what)}: must use https (http only for localhost or a loopback address).`,
  urisRequired: (p: { what: UriSubject }) => `${uri(p.what)}: at least one is required.`,
  urisNotList: (p: { what: UriSubject }) => `${uri(p.what)}: must be a list.`,
  urisTooMany: (p: { what: UriSubject; max: number }) => `${uri(p.what)}: at most ${p.max}.`,
  // Filters of the audit log and the sign-in log
  auditBefore: () => 'before must be the id of an audit event.',
  signInsTime: (p: { name: string }) =>
    `${p.name} must be a date or time such as 2026-11-22 or 2026-11-22T10:00Z.`,
  signInsResult: () => 'result must be accepted or refused.',
  signInsReason: (p: { reasons: ListParam }) => `reason must be one of ${en(p.reasons)}.`,
  signInsBefore: () => 'before must be the cursor of a sign-in event.',
  signInsUntil: () => 'until must be after since.',
} as const satisfies Record<string, (p: never) => string>;

export type DetailId = keyof typeof DETAILS;
/** The parameters of a detail (an empty record for one without). */
export type DetailParams<D extends DetailId> =
  Parameters<(typeof DETAILS)[D]> extends [infer P] ? P : Record<never, never>;
/** A particular refusal as data: its id and parameters. */
export type Detail = {
  [D in DetailId]: Parameters<(typeof DETAILS)[D]> extends [unknown]
    ? { readonly detail: D; readonly params: DetailParams<D> }
    : { readonly detail: D; readonly params?: undefined };
}[DetailId];

/** The English sentence of a detail: the API's, the CLI's and the logs' text. */
export function detailMessage(d: Detail): string {
  return (DETAILS[d.detail] as (p: unknown) => string)(d.params ?? {});
}
