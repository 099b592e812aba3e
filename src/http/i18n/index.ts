// Words for a page in one language: sentences from the catalogue with their placeholders filled and
// plural forms chosen by Intl.PluralRules, numbers, dates and times through Intl in the person's
// language and the organisation's time zone. Also how a request's language is decided: the person's
// own choice, else this browser's cookie, else Accept-Language, else the organisation's default.

import {
  type Detail,
  type DetailId,
  type DetailParam,
  type DetailParams,
  ERRORS,
  formatList,
  type LatchkeyError,
  type UriSubject,
} from '../../core/errors.js';
import { escapeHtml, SafeHtml } from '../pages/html.js';
import { CATALOGUES, DEFAULT_LANG, isLang, LANGUAGES, type Lang } from './languages.js';
import type { Key, Message, ParamsOf, PluralMessage } from './types.js';

export type { Key };
export { CATALOGUES, DEFAULT_LANG, isLang, LANGUAGES, type Lang };

type Args<K extends Key, V> = [ParamsOf<K>] extends [never] ? [] : [params: Record<ParamsOf<K>, V>];

export interface Words {
  readonly lang: Lang;
  readonly timeZone: string;
  /** The sentence as text, placeholders filled (numbers in this language's digits and separators). */
  t<K extends Key>(key: K, ...params: Args<K, string | number>): string;
  /** The sentence as markup: its text escaped, each placeholder filled with escaped text or SafeHtml. */
  markup<K extends Key>(key: K, ...params: Args<K, string | number | SafeHtml>): SafeHtml;
  number(n: number): string;
  /** Date and time in the organisation's time zone, e.g. "29 nov 2026, 14:05". */
  dateTime(ms: number): string;
  /** "3 minutes ago", "over 5 dagen". */
  relative(ms: number, now: number): string;
}

const PLACEHOLDER = /\{(\w+)\}/g;
const RELATIVE_UNITS: [limit: number, unit: Intl.RelativeTimeFormatUnit, ms: number][] = [
  [60 * 60_000, 'minute', 60_000],
  [24 * 60 * 60_000, 'hour', 60 * 60_000],
  [30 * 24 * 60 * 60_000, 'day', 24 * 60 * 60_000],
  [365 * 24 * 60 * 60_000, 'month', 30 * 24 * 60 * 60_000],
  [Number.POSITIVE_INFINITY, 'year', 365 * 24 * 60 * 60_000],
];

/** The sentence of a message for these parameters: a plural message picks its form by `count`. */
export function sentenceOf(lang: Lang, message: Message, params: Record<string, unknown>): string {
  if (typeof message === 'string') return message;
  const n = Number(params.count);
  if (n === 0 && message['=0'] !== undefined) return message['=0'];
  const category = plurals(lang).select(n) as keyof PluralMessage;
  return message[category] ?? message.other;
}

const pluralCache = new Map<Lang, Intl.PluralRules>();
function plurals(lang: Lang): Intl.PluralRules {
  let r = pluralCache.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang);
    pluralCache.set(lang, r);
  }
  return r;
}

const wordsCache = new Map<string, Words>();

/** The words of one language; `timeZone` must be an IANA name (the setting is checked when it is set). */
export function wordsFor(lang: Lang, timeZone = 'UTC'): Words {
  const tz = timeZone || 'UTC';
  const cacheKey = `${lang} ${tz}`;
  const cached = wordsCache.get(cacheKey);
  if (cached) return cached;
  const catalogue = CATALOGUES[lang] as Record<Key, Message>;
  const numbers = new Intl.NumberFormat(lang);
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz });
  const relatives = new Intl.RelativeTimeFormat(lang, { numeric: 'always' });
  const show = (v: unknown): string => (typeof v === 'number' ? numbers.format(v) : String(v));
  const w: Words = {
    lang,
    timeZone: tz,
    t(key, ...params) {
      const p: Record<string, unknown> = params[0] ?? {};
      return sentenceOf(lang, catalogue[key], p).replace(PLACEHOLDER, (whole, name: string) =>
        Object.hasOwn(p, name) ? show(p[name]) : whole,
      );
    },
    markup(key, ...params) {
      const p: Record<string, unknown> = params[0] ?? {};
      const sentence = sentenceOf(lang, catalogue[key], p);
      let out = '';
      let last = 0;
      for (const m of sentence.matchAll(PLACEHOLDER)) {
        out += escapeHtml(sentence.slice(last, m.index));
        const v = Object.hasOwn(p, m[1]!) ? p[m[1]!] : m[0];
        out += v instanceof SafeHtml ? v.value : escapeHtml(show(v));
        last = m.index + m[0].length;
      }
      return new SafeHtml(out + escapeHtml(sentence.slice(last)));
    },
    number: (n) => numbers.format(n),
    dateTime: (ms) => dates.format(ms),
    relative(ms, now) {
      const diff = ms - now;
      const abs = Math.abs(diff);
      if (abs < 45_000) return w.t(diff <= 0 ? 'time.justNow' : 'time.inAMoment');
      for (const [limit, unit, size] of RELATIVE_UNITS) {
        const n = Math.max(1, Math.round(abs / size));
        // 59.6 minutes rounds to 60: that reads better as "1 hour", the next unit.
        if (n * size < limit) return relatives.format(diff < 0 ? -n : n, unit);
      }
      return '';
    },
  };
  wordsCache.set(cacheKey, w);
  return w;
}

/** English in UTC: for a page rendered outside a request (and the default of every page helper). */
export const ENGLISH: Words = wordsFor(DEFAULT_LANG);

/**
 * The best language of ours in an Accept-Language header (RFC 9110 §12.5.4): ranges by their q-value,
 * highest first, ties in the order given; a range matches by its primary subtag (nl-BE → nl). A range
 * with q=0 is refused; "*" means any, so the organisation's default (null) serves it.
 */
export function fromAcceptLanguage(header: string | string[] | undefined): Lang | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return null;
  const ranges: { tag: string; q: number; at: number }[] = [];
  // A header is short; 50 ranges is more than any browser sends.
  for (const [at, part] of value.slice(0, 2000).split(',').slice(0, 50).entries()) {
    const [rawTag, ...params] = part.split(';');
    const tag = rawTag!.trim().toLowerCase();
    if (!/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/.test(tag)) continue;
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*(.*?)\s*$/i.exec(param);
      if (!m) continue;
      q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(m[1]!) ? Number(m[1]) : -1;
    }
    if (q > 0) ranges.push({ tag, q, at });
  }
  ranges.sort((a, b) => b.q - a.q || a.at - b.at);
  for (const r of ranges) {
    if (r.tag === '*') return null;
    const primary = r.tag.split('-')[0]!;
    if (isLang(primary)) return primary;
  }
  return null;
}

/** A request's language: the person's saved choice, this browser's choice, the browser's languages, the default. */
export function resolveLanguage(o: {
  account?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | string[];
  orgDefault?: string | null;
}): Lang {
  if (isLang(o.account)) return o.account;
  if (isLang(o.cookie)) return o.cookie;
  return fromAcceptLanguage(o.acceptLanguage) ?? (isLang(o.orgDefault) ? o.orgDefault : DEFAULT_LANG);
}

/**
 * The codes of refusals a page shows, with their words. Those left out are never read on a page (the
 * API's and configuration's own: unknown setting or door, server keys) and keep the core's English.
 */
export const ERROR_WORDS: Partial<Record<keyof typeof ERRORS, Key>> = {
  FLOW_EXPIRED: 'error.flowExpired',
  FLOW_STEP: 'error.flowStep',
  CODE_INVALID: 'error.codeInvalid',
  RECOVERY_CODE_INVALID: 'error.recoveryCodeInvalid',
  SECURITY_KEY_FAILED: 'error.securityKeyFailed',
  METHOD_NAME_INVALID: 'error.methodNameInvalid',
  LABEL_INVALID: 'error.labelInvalid',
  APP_PASSWORD_LIMIT: 'error.appPasswordLimit',
  PASSWORD_TOO_SHORT: 'error.passwordTooShort',
  SECRET_TOO_LONG: 'error.secretTooLong',
  SECRET_INVALID: 'error.secretInvalid',
  PASSWORD_WRONG: 'error.passwordWrong',
  PASSWORDS_DIFFER: 'error.passwordsDiffer',
  PASSWORD_UNCHANGED: 'error.passwordUnchanged',
  USERNAME_INVALID: 'error.usernameInvalid',
  EMAIL_INVALID: 'error.emailInvalid',
  DISPLAY_NAME_INVALID: 'error.displayNameInvalid',
  ROLE_INVALID: 'error.roleInvalid',
  USER_EXISTS: 'error.userExists',
  EMAIL_TAKEN: 'error.emailTaken',
  USER_NOT_FOUND: 'error.userNotFound',
  TWO_STEP_STATE_INVALID: 'error.twoStepStateInvalid',
  TWO_STEP_REQUIRED: 'error.twoStepRequired',
  EXPIRES_INVALID: 'error.expiresInvalid',
  APP_PASSWORDS_DISABLED: 'error.appPasswordsDisabled',
  APP_PASSWORD_NOT_FOUND: 'error.appPasswordNotFound',
  SETTING_INVALID: 'error.settingInvalid',
  SERVICE_NAME_INVALID: 'error.serviceNameInvalid',
  SERVICE_EXISTS: 'error.serviceExists',
  SERVICE_NOT_FOUND: 'error.serviceNotFound',
  RADIUS_REPLY_EXISTS: 'error.radiusReplyExists',
  CLIENT_NAME_INVALID: 'error.clientNameInvalid',
  CLIENT_EXISTS: 'error.clientExists',
  CLIENT_NOT_FOUND: 'error.clientNotFound',
  APP_ACCESS_NOT_FOUND: 'error.appAccessNotFound',
  CLIENT_PUBLIC: 'error.clientPublic',
  CLIENT_SCOPE_INVALID: 'error.clientScopeInvalid',
  REDIRECT_URI_INVALID: 'error.redirectUriInvalid',
  STATUS_INVALID: 'error.statusInvalid',
  TOKEN_NOT_FOUND: 'error.tokenNotFound',
  CSV_INVALID: 'error.csvInvalid',
  FILTER_INVALID: 'error.filterInvalid',
  FORBIDDEN: 'error.forbidden',
  LAST_ADMIN: 'error.lastAdmin',
  LIMIT_INVALID: 'error.limitInvalid',
  METHOD_NOT_FOUND: 'error.methodNotFound',
  LAST_METHOD: 'error.lastMethod',
  TWO_STEP_OFF: 'error.twoStepOff',
  SUDO_REQUIRED: 'error.sudoRequired',
  CSRF_INVALID: 'error.csrfInvalid',
  SESSION_REQUIRED: 'error.sessionRequired',
};

/** A key whose sentence has exactly the placeholders P: a detail's words must fill each parameter. */
type KeyWith<P extends string> = {
  [K in Key]: [ParamsOf<K>] extends [P] ? ([P] extends [ParamsOf<K>] ? K : never) : never;
}[Key];

/**
 * The words of each particular refusal of the core (core/errors.ts DETAILS): a detail without words,
 * or words without one of its parameters, is a type error.
 */
export const DETAIL_WORDS: { readonly [D in DetailId]: KeyWith<keyof DetailParams<D> & string> } = {
  radiusClientName: 'refusal.radiusClientName',
  radiusClientAddress: 'refusal.radiusClientAddress',
  radiusClientExists: 'refusal.radiusClientExists',
  radiusClientNotFound: 'refusal.radiusClientNotFound',
  radiusReplyNotFound: 'refusal.radiusReplyNotFound',
  radiusReplyExists: 'refusal.radiusReplyExists',
  radiusReplyExistsForClient: 'refusal.radiusReplyExistsForClient',
  radiusReplyAttribute: 'refusal.radiusReplyAttribute',
  radiusReplyGroup: 'refusal.radiusReplyGroup',
  radiusReplyText: 'refusal.radiusReplyText',
  radiusReplyInteger: 'refusal.radiusReplyInteger',
  radiusReplyIpv4: 'refusal.radiusReplyIpv4',
  radiusReplyEnum: 'refusal.radiusReplyEnum',
  radiusReplyVlan: 'refusal.radiusReplyVlan',
  settingUnknown: 'refusal.settingUnknown',
  settingBoolean: 'refusal.settingBoolean',
  settingEnum: 'refusal.settingEnum',
  settingInteger: 'refusal.settingInteger',
  settingText: 'refusal.settingText',
  settingTooLong: 'refusal.settingTooLong',
  settingOneLine: 'refusal.settingOneLine',
  settingHost: 'refusal.settingHost',
  settingDomain: 'refusal.settingDomain',
  settingTooManyDomains: 'refusal.settingTooManyDomains',
  settingTimeZone: 'refusal.settingTimeZone',
  settingHttps: 'refusal.settingHttps',
  languageUnknown: 'refusal.languageUnknown',
  mailServerUnset: 'refusal.mailServerUnset',
  doorUnknown: 'refusal.doorUnknown',
  scopeDoorUnknown: 'refusal.scopeDoorUnknown',
  helpdeskChoosesPassword: 'refusal.helpdeskChoosesPassword',
  signInTooManyAttempts: 'refusal.signInTooManyAttempts',
  sudoTooManyAttempts: 'refusal.sudoTooManyAttempts',
  securityKeyRegistered: 'refusal.securityKeyRegistered',
  tokenRole: 'refusal.tokenRole',
  csvNotCsv: 'refusal.csvNotCsv',
  csvNotCsvAt: 'refusal.csvNotCsvAt',
  csvEmpty: 'refusal.csvEmpty',
  csvHeader: 'refusal.csvHeader',
  csvHeaderUnknown: 'refusal.csvHeaderUnknown',
  csvTooManyRows: 'refusal.csvTooManyRows',
  importAlsoOnLine: 'refusal.importAlsoOnLine',
  importEmailOwner: 'refusal.importEmailOwner',
  uriEmpty: 'refusal.uriEmpty',
  uriTooLong: 'refusal.uriTooLong',
  uriNotAscii: 'refusal.uriNotAscii',
  uriNotAbsolute: 'refusal.uriNotAbsolute',
  uriUserInfo: 'refusal.uriUserInfo',
  uriFragment: 'refusal.uriFragment',
  uriInvalid: 'refusal.uriInvalid',
  uriNoHost: 'refusal.uriNoHost',
  uriNotHttps: 'refusal.uriNotHttps',
  urisRequired: 'refusal.urisRequired',
  urisNotList: 'refusal.urisNotList',
  urisTooMany: 'refusal.urisTooMany',
  auditBefore: 'refusal.auditBefore',
  signInsTime: 'refusal.signInsTime',
  signInsResult: 'refusal.signInsResult',
  signInsReason: 'refusal.signInsReason',
  signInsBefore: 'refusal.signInsBefore',
  signInsUntil: 'refusal.signInsUntil',
};

/** The name of an OpenID Connect client's URI field, the nth of its list when numbered. */
const URI_WORDS: Record<UriSubject['field'], [plain: Key, numbered: KeyWith<'n'>]> = {
  redirect: ['refusal.uri.redirect', 'refusal.uri.redirectN'],
  postLogout: ['refusal.uri.postLogout', 'refusal.uri.postLogoutN'],
  backChannelLogout: ['refusal.uri.backChannelLogout', 'refusal.uri.backChannelLogoutN'],
};

const plainNumbers = new Map<Lang, Intl.NumberFormat>();
/** A parameter in the page's language: lists by Intl.ListFormat, numbers ungrouped (as the core writes them). */
function paramText(words: Words, v: DetailParam): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    let f = plainNumbers.get(words.lang);
    if (!f) {
      f = new Intl.NumberFormat(words.lang, { useGrouping: false });
      plainNumbers.set(words.lang, f);
    }
    return f.format(v);
  }
  if ('items' in v) return formatList(words.lang, v);
  const [plain, numbered] = URI_WORDS[v.field];
  return v.n === undefined ? words.t(plain as 'refusal.uri.redirect') : words.t(numbered, { n: v.n });
}

/** A particular refusal in this language, its parameters filled. */
export function detailText(words: Words, d: Detail): string {
  const params: Record<string, string> = {};
  for (const [name, v] of Object.entries((d.params ?? {}) as Record<string, DetailParam>)) {
    params[name] = paramText(words, v);
  }
  return words.t(DETAIL_WORDS[d.detail] as 'refusal.settingBoolean', params as { key: string });
}

/**
 * The sentence a person reads for a refusal: a particular refusal of the core (one of its DETAILS) in
 * the catalogue's words; the registry's own message in the catalogue's words; any other message the
 * core wrote for one case stays as written. Also for refusals kept as data (an import's row errors).
 */
export function refusalText(
  words: Words,
  e: { readonly code: string; readonly message: string; readonly detail?: Detail | null },
): string {
  if (e.detail) return detailText(words, e.detail);
  if (!Object.hasOwn(ERRORS, e.code)) return e.message;
  const code = e.code as keyof typeof ERRORS;
  const key = ERROR_WORDS[code];
  if (key === undefined || e.message !== ERRORS[code].message) return e.message;
  return words.t(key as 'error.codeInvalid');
}

/** The sentence a person reads for the core's refusal (see refusalText). */
export function errorText(words: Words, e: LatchkeyError): string {
  return refusalText(words, e);
}
