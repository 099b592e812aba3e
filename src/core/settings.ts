// Organization settings: the registry (key, type, default, bounds, one line of doc) and a small cache.
// Settings live in the store so that every node shares them. Each node re-reads them at most once a
// second; a change made on this node applies here at once.

import { LatchkeyError } from './errors.js';

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
type SettingDef = BooleanSetting | IntegerSetting;

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
} as const satisfies Record<string, SettingDef>;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = {
  readonly [K in SettingKey]: (typeof SETTINGS)[K]['type'] extends 'boolean' ? boolean : number;
};
export type SettingValue = boolean | number;

export const DEFAULT_SETTINGS: Settings = Object.freeze(
  Object.fromEntries(Object.entries(SETTINGS).map(([k, d]) => [k, d.default])) as unknown as Settings,
);

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/** Checks a value from JSON (API) or from text (CLI) and returns it in its type. */
export function parseSettingValue(key: string, value: unknown): SettingValue {
  if (!isSettingKey(key)) {
    throw new LatchkeyError(
      'SETTING_UNKNOWN',
      `Unknown setting "${truncate(key)}". Known: ${Object.keys(SETTINGS).join(', ')}.`,
    );
  }
  const def: SettingDef = SETTINGS[key];
  if (def.type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new LatchkeyError('SETTING_INVALID', `${key} must be true or false.`);
  }
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d{1,10}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(n) || n < def.min || n > def.max) {
    throw new LatchkeyError(
      'SETTING_INVALID',
      `${key} must be a whole number from ${def.min} to ${def.max}.`,
    );
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

function truncate(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}
