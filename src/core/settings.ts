// Organization settings: the registry (key, type, default, bounds, one line of doc) and a small cache.
// Settings live in the store so that every node shares them. Each node re-reads them at most once a
// second; a change made on this node applies here at once.

import { LatchkeyError, listOf } from './errors.js';
import { LANGUAGES } from './languages.js';

interface BooleanSetting {
  type: 'boolean';
  default: boolean;
  doc: string;
}
interface IntegerSetting {
  type: 'integer';
  default: number;
  min: number;
  max: number;
  doc: string;
}
/**
 * Text, checked by its format: `text` is one line a person reads (no control characters); `host` a DNS
 * name (no address, no port); `https-url` an absolute https URL without credentials or fragment;
 * `domains` a comma-separated list of DNS names, stored lowercase, deduplicated, ", "-joined;
 * `time-zone` an IANA time zone name Intl knows (Europe/Amsterdam), stored in its own spelling.
 * The empty string is always accepted and means "not set" (for the services: not offered).
 */
interface StringSetting {
  type: 'string';
  default: string;
  format: 'text' | 'host' | 'https-url' | 'domains' | 'time-zone';
  maxLength: number;
  doc: string;
}
interface EnumSetting {
  type: 'enum';
  default: string;
  values: readonly string[];
  doc: string;
}
type SettingDef = BooleanSetting | IntegerSetting | StringSetting | EnumSetting;

export const SETTINGS = {
  allowAppPasswords: {
    type: 'boolean',
    default: true,
    doc: 'Allow users to create app passwords to sign in to non-browser apps (R12). Off: none can be created and existing ones are refused, not deleted.',
  },
  maxAppPasswordsPerUser: {
    type: 'integer',
    default: 40,
    min: 1,
    max: 1000,
    doc: 'Most app passwords one user may hold (R6).',
  },
  revokeAppPasswordsOnPasswordChange: {
    type: 'boolean',
    default: true,
    doc: "Delete a user's app passwords when their primary password is changed or reset (B3).",
  },
  autoRevokeUnusedAppPasswordsDays: {
    type: 'integer',
    default: 0,
    min: 0,
    max: 3650,
    doc: 'Delete app passwords unused for this many days (B11); 0 = never.',
  },
  requireAppPasswordsForNonBrowser: {
    type: 'boolean',
    default: false,
    doc: 'Refuse the primary password on every non-browser door, even for users without two-step verification (B12). Apps then need app passwords whatever the two-step state, so turning two-step off keeps them.',
  },
  requireTwoStepForEveryone: {
    type: 'boolean',
    default: false,
    doc: 'Every user is at least "enabled" for two-step verification (R1). Turning it off turns two-step off for users whose own state is disabled, so their app passwords are deleted as when it is turned off for one user (B3), unless requireAppPasswordsForNonBrowser is on.',
  },
  lockoutThreshold: {
    type: 'integer',
    default: 10,
    min: 1,
    max: 1000,
    doc: 'Failed attempts before a source is locked out of an account (B6).',
  },
  lockoutSeconds: {
    type: 'integer',
    default: 60,
    min: 1,
    max: 86400,
    doc: 'First lockout length in seconds; it doubles on repeat (B6).',
  },
  rememberDeviceDays: {
    type: 'integer',
    default: 0,
    min: 0,
    max: 365,
    doc: 'Days a browser may skip the two-step check after "remember this device"; 0 = off.',
  },
  sessionLifetimeMinutes: {
    type: 'integer',
    default: 720,
    min: 5,
    max: 43200,
    doc: 'How long a browser session lasts.',
  },
  signInLogRetentionDays: {
    type: 'integer',
    default: 90,
    min: 1,
    max: 3650,
    doc: 'How long sign-in events are kept (B4).',
  },
  // The services people's devices connect to (B8): mail client autoconfiguration, Outlook's
  // Autodiscover and Apple configuration profiles are built from these. Empty = not offered.
  organizationName: {
    type: 'string',
    format: 'text',
    default: '',
    maxLength: 100,
    doc: "The organization's name as devices show it (mail account and profile names); empty = the mail domain.",
  },
  mailDomains: {
    type: 'string',
    format: 'domains',
    default: '',
    maxLength: 1000,
    doc: 'Mail domains whose addresses the autoconfig and Autodiscover answers serve, comma-separated (example.org, example.net); empty = those answers are not offered.',
  },
  mailLoginName: {
    type: 'enum',
    values: ['address', 'username'],
    default: 'address',
    doc: 'What mail, calendar and contacts apps sign in with: the whole e-mail address, or the Latchkey username (the local part, for autoconfig answers).',
  },
  imapHost: {
    type: 'string',
    format: 'host',
    default: '',
    maxLength: 253,
    doc: 'IMAP server host name devices read mail from (mail.example.org); empty = no incoming mail is offered.',
  },
  imapPort: {
    type: 'integer',
    default: 993,
    min: 1,
    max: 65535,
    doc: 'IMAP server port (993 for ssl, 143 for starttls).',
  },
  imapSecurity: {
    type: 'enum',
    values: ['ssl', 'starttls'],
    default: 'ssl',
    doc: 'IMAP connection security: ssl (TLS from the start) or starttls.',
  },
  smtpHost: {
    type: 'string',
    format: 'host',
    default: '',
    maxLength: 253,
    doc: 'SMTP submission server host name devices send mail through; empty = no outgoing mail is offered.',
  },
  smtpPort: {
    type: 'integer',
    default: 465,
    min: 1,
    max: 65535,
    doc: 'SMTP submission port (465 for ssl, 587 for starttls).',
  },
  smtpSecurity: {
    type: 'enum',
    values: ['ssl', 'starttls'],
    default: 'ssl',
    doc: 'SMTP connection security: ssl (TLS from the start) or starttls.',
  },
  calDavUrl: {
    type: 'string',
    format: 'https-url',
    default: '',
    maxLength: 500,
    doc: 'CalDAV server address for calendars (https://dav.example.org/); empty = no calendar account in profiles.',
  },
  cardDavUrl: {
    type: 'string',
    format: 'https-url',
    default: '',
    maxLength: 500,
    doc: 'CardDAV server address for contacts (https://dav.example.org/); empty = no contacts account in profiles.',
  },
  // The pages' words (src/http/i18n): the language for people who chose none and whose browser asks
  // for none of ours, and the clock the pages show dates and times on.
  defaultLanguage: {
    type: 'enum',
    values: LANGUAGES,
    default: 'en',
    doc: "The pages' language for people who have not chosen one and whose browser asks for none Latchkey speaks (en = English, nl = Nederlands).",
  },
  timeZone: {
    type: 'string',
    format: 'time-zone',
    default: 'UTC',
    maxLength: 64,
    doc: 'The time zone the pages show dates and times in, as an IANA name (Europe/Amsterdam); empty = UTC.',
  },
} as const satisfies Record<string, SettingDef>;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = {
  readonly [K in SettingKey]: (typeof SETTINGS)[K]['type'] extends 'boolean'
    ? boolean
    : (typeof SETTINGS)[K]['type'] extends 'integer'
      ? number
      : string;
};
export type SettingValue = boolean | number | string;

export const DEFAULT_SETTINGS: Settings = Object.freeze(
  Object.fromEntries(Object.entries(SETTINGS).map(([k, d]) => [k, d.default])) as unknown as Settings,
);

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/** Checks a value from JSON (API) or from text (CLI) and returns it in its type. */
export function parseSettingValue(key: string, value: unknown): SettingValue {
  if (!isSettingKey(key)) {
    throw new LatchkeyError('SETTING_UNKNOWN', {
      detail: 'settingUnknown',
      params: { key: truncate(key), known: listOf(Object.keys(SETTINGS)) },
    });
  }
  const def: SettingDef = SETTINGS[key];
  if (def.type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new LatchkeyError('SETTING_INVALID', { detail: 'settingBoolean', params: { key } });
  }
  if (def.type === 'enum') {
    if (typeof value === 'string' && def.values.includes(value)) return value;
    throw new LatchkeyError('SETTING_INVALID', {
      detail: 'settingEnum',
      params: { key, values: listOf(def.values) },
    });
  }
  if (def.type === 'string') return parseText(key, def, value);
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d{1,10}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(n) || n < def.min || n > def.max) {
    throw new LatchkeyError('SETTING_INVALID', {
      detail: 'settingInteger',
      params: { key, min: def.min, max: def.max },
    });
  }
  return n;
}

/** Builds settings from stored JSON values; a stored value that no longer parses falls back to its default. */
export function settingsFromStored(stored: Map<string, string>): Settings {
  const out: Record<string, SettingValue> = { ...DEFAULT_SETTINGS };
  for (const [k, raw] of stored) {
    if (!isSettingKey(k)) continue;
    try {
      out[k] = parseSettingValue(k, JSON.parse(raw));
    } catch {
      // keep the default
    }
  }
  return Object.freeze(out) as unknown as Settings;
}

/** A DNS host name: letters, digits and hyphens in dot-separated labels, not an address. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export function isHostName(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  const labels = s.split('.');
  // Two labels at least: devices elsewhere cannot resolve a bare "mail". The last must hold a letter:
  // "10.0.0.1" is an address, and TLS certificates name hosts.
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /[a-z]/.test(labels[labels.length - 1]!);
}

function parseText(key: string, def: StringSetting, value: unknown): string {
  if (typeof value !== 'string')
    throw new LatchkeyError('SETTING_INVALID', { detail: 'settingText', params: { key } });
  const v = value.trim();
  if (v === '') return '';
  if (v.length > def.maxLength) {
    throw new LatchkeyError('SETTING_INVALID', {
      detail: 'settingTooLong',
      params: { key, max: def.maxLength },
    });
  }
  switch (def.format) {
    case 'text':
      if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(v)) {
        throw new LatchkeyError('SETTING_INVALID', { detail: 'settingOneLine', params: { key } });
      }
      return v;
    case 'host': {
      const host = v.toLowerCase();
      if (!isHostName(host)) {
        throw new LatchkeyError('SETTING_INVALID', { detail: 'settingHost', params: { key } });
      }
      return host;
    }
    case 'domains': {
      const names = [
        ...new Set(
          v
            .toLowerCase()
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x !== ''),
        ),
      ];
      const bad = names.find((n) => !isHostName(n));
      if (bad !== undefined || names.length > 50) {
        throw new LatchkeyError(
          'SETTING_INVALID',
          bad !== undefined
            ? { detail: 'settingDomain', params: { key, domain: truncate(bad) } }
            : { detail: 'settingTooManyDomains', params: { key, max: 50 } },
        );
      }
      return names.join(', ');
    }
    case 'time-zone': {
      const zone = timeZoneNamed(v);
      if (zone === null) {
        throw new LatchkeyError('SETTING_INVALID', { detail: 'settingTimeZone', params: { key } });
      }
      return zone;
    }
    case 'https-url': {
      let url: URL | null = null;
      try {
        url = new URL(v);
      } catch {
        url = null;
      }
      if (
        url === null ||
        url.protocol !== 'https:' ||
        url.username !== '' ||
        url.password !== '' ||
        url.hash !== '' ||
        !isHostName(url.hostname) ||
        /[\s"<>\\^`{|}]/.test(v)
      ) {
        throw new LatchkeyError('SETTING_INVALID', { detail: 'settingHttps', params: { key } });
      }
      return url.href;
    }
  }
}

/** The IANA name Intl knows for `name` (any letter case), or null. */
export function timeZoneNamed(name: string): string | null {
  const wanted = name.toLowerCase();
  if (wanted === 'utc') return 'UTC';
  return Intl.supportedValuesOf('timeZone').find((z) => z.toLowerCase() === wanted) ?? null;
}

/** The mail domains setting as a list. */
export function mailDomainList(s: Pick<Settings, 'mailDomains'>): string[] {
  return s.mailDomains === '' ? [] : s.mailDomains.split(', ');
}

function truncate(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}
