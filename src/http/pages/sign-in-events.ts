// Sign-in events in plain words, for the person themselves (Recent sign-ins) and for the helpdesk
// looking at their account: where the sign-in came in (the door), what the second step was, which
// browser it was, and how often it repeated. Every sentence is the catalogue's (`events.*`); browser and
// operating system names are names, and stay as they are in every language.

import { OIDC_DOOR, type SignInEventView } from '../../core/sign-in-log.js';
import { TOKEN_CREDENTIAL } from '../../core/token-sign-ins.js';
import { ENGLISH, type Key, type Words } from '../i18n/index.js';
import { html, type SafeHtml } from './html.js';
import { timeAgo } from './layout.js';

const DOOR_KEY: Record<string, Key> = {
  browser: 'events.door.browser',
  imap: 'events.door.imap',
  pop3: 'events.door.pop3',
  smtp: 'events.door.smtp',
  ldap: 'events.door.ldap',
  http: 'events.door.http',
  dav: 'events.door.dav',
  activesync: 'events.door.activesync',
  radius: 'events.door.radius',
  oidc: 'events.door.oidc',
};

/** Where a sign-in came in, as people name it: "Mail (IMAP)", "VPN or Wi-Fi (RADIUS)". */
export function doorLabel(door: string, words: Words = ENGLISH): string {
  const key = Object.hasOwn(DOOR_KEY, door) ? DOOR_KEY[door] : undefined;
  return key === undefined ? door : words.t(key as 'events.door.browser');
}

const METHOD_KEY: Record<string, Key> = {
  totp: 'events.method.totp',
  webauthn: 'events.method.webauthn',
  recovery_code: 'events.method.recoveryCode',
  remembered_device: 'events.method.rememberedDevice',
  password: 'events.method.passwordOnly',
};

/** The second step of a web sign-in, in lower case for the middle of a sentence. */
export function methodLabel(credential: string | null, words: Words = ENGLISH): string {
  const key =
    credential !== null && Object.hasOwn(METHOD_KEY, credential) ? METHOD_KEY[credential] : undefined;
  return words.t((key ?? 'events.method.none') as 'events.method.none');
}

/**
 * A sign-in event as a sentence someone can act on: the person themselves ("your account password"),
 * or the helpdesk looking at their account ("the account password; they need …").
 */
export function describeSignIn(
  e: SignInEventView,
  perspective: 'self' | 'staff' = 'self',
  words: Words = ENGLISH,
): string {
  const self = perspective === 'self';
  const w = words;
  const door = doorLabel(e.door, w);
  const appPassword = e.appPasswordLabel
    ? w.t('events.appPassword.named', { label: e.appPasswordLabel })
    : w.t('events.appPassword.unnamed');
  if (e.door === OIDC_DOOR) {
    if (e.result === 'accepted')
      return w.t('events.oidc.accepted', { app: e.clientName ?? w.t('events.someApp.lower') });
    const app = e.clientName ?? w.t('events.someApp');
    if (e.reason === 'consent_refused')
      return self ? w.t('events.oidc.cancelled.self', { app }) : w.t('events.oidc.cancelled.staff', { app });
    return w.t('events.oidc.refused', { app });
  }
  if (e.result === 'accepted') {
    if (e.door === 'browser') return w.t('events.accepted.web', { method: methodLabel(e.credential, w) });
    if (e.credential === 'app_password') return w.t('events.accepted.appPassword', { door, appPassword });
    if (e.credential === TOKEN_CREDENTIAL)
      return w.t('events.accepted.token', { door, app: e.clientName ?? w.t('events.someApp.lower') });
    return self
      ? w.t('events.accepted.password.self', { door })
      : w.t('events.accepted.password.staff', { door });
  }
  switch (e.reason) {
    case 'app_password_required':
      return self
        ? w.t('events.refused.appPasswordRequired.self', { door })
        : w.t('events.refused.appPasswordRequired.staff', { door });
    case 'app_password_in_browser':
      return self
        ? w.t('events.refused.appPasswordInBrowser.self')
        : w.t('events.refused.appPasswordInBrowser.staff');
    case 'app_passwords_disabled':
      return w.t('events.refused.appPasswordsOff', { door, appPassword });
    case 'app_password_expired':
      return self
        ? w.t('events.refused.appPasswordExpired.self', { door, appPassword })
        : w.t('events.refused.appPasswordExpired.staff', { door, appPassword });
    case 'out_of_scope':
      return w.t('events.refused.outOfScope', { door, appPassword });
    case 'locked_out':
      return w.t('events.refused.lockedOut', { door });
    case 'throttled':
      return w.t('events.refused.throttled', { door });
    case 'user_disabled':
      return self
        ? w.t('events.refused.disabled.self', { door })
        : w.t('events.refused.disabled.staff', { door });
    case 'password_change_required':
      return self
        ? w.t('events.refused.oneTimePassword.self', { door })
        : w.t('events.refused.oneTimePassword.staff', { door });
    case 'unknown_user':
      return w.t('events.refused.unknownUser', { door });
    case 'method_unsupported':
      return w.t('events.refused.methodUnsupported', { door });
    case 'two_step_failed':
      return e.credential === 'password'
        ? w.t('events.refused.confirmPasswordWrong')
        : w.t('events.refused.secondStepWrong');
    default:
      return e.door === 'browser'
        ? w.t('events.refused.webPasswordWrong')
        : w.t('events.refused.passwordWrong', { door });
  }
}

/**
 * A user agent as people name their browsers: "Firefox on Windows", "Safari on iPhone". Anything not
 * recognized is shown as sent, cut to fit a table cell (the whole of it is on hover).
 */
export function shortAgent(ua: string | null, words: Words = ENGLISH): string {
  if (!ua) return words.t('events.agent.unknown');
  const browser = /Edg(A|iOS)?\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\/|FxiOS\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|CriOS\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua) && /Version\//.test(ua)
            ? 'Safari'
            : null;
  const os = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /Android/.test(ua)
        ? 'Android'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /CrOS/.test(ua)
              ? 'ChromeOS'
              : /Linux/.test(ua)
                ? 'Linux'
                : null;
  if (browser && os) return words.t('events.agent.onOs', { browser, os });
  if (browser) return browser;
  return ua.length > 60 ? `${ua.slice(0, 59)}…` : ua;
}

/** "12 times since 3 hours ago", or "12 times" when they all fell in the last minute. */
export function repeats(e: SignInEventView, now: number, words: Words = ENGLISH): SafeHtml {
  const first = Date.parse(e.at);
  return Date.parse(e.lastAt) - first < 60_000
    ? html`${words.t('events.repeats', { count: e.count })}`
    : words.markup('events.repeatsSince', { count: e.count, since: timeAgo(first, now, words) });
}
