// Reading the sign-in log (B4). Writing happens in sign-in.ts (refusals, at once), usage.ts
// (accepted non-browser checks, aggregated per minute) and oidc-access.ts (sign-ins to apps through the
// OpenID Connect provider).
//
// Doors of the log: the non-browser doors of the decision table, `browser` (the sign-in page) and
// `oidc` (an app signed the person in through the provider). For `oidc` events the app_password_id and
// app_password_label columns hold the app's client id and name: the column names the credential's
// subject, which for these events is the app. The view calls them clientId and clientName.

import { listSignInEvents, pruneSignInEvents } from '../store/events.js';
import { pruneOverview } from '../store/overview.js';
import type { SignInEventRow } from '../store/schema.js';
import { findUserByName } from '../store/users.js';
import type { CoreContext } from './context.js';
import { LatchkeyError, listOf } from './errors.js';
import { type Actor, authorize } from './policy.js';
import { BROWSER, type SignInReason } from './sign-in.js';
import { checkDoor, checkLimit, DOORS, isValidUsername } from './validate.js';

/** An app signed the person in through the OpenID Connect provider. */
export const OIDC_DOOR = 'oidc';

/** Every door an event of the log may name. */
export const LOG_DOORS = [...DOORS, BROWSER, OIDC_DOOR] as const;

/**
 * Why an event was refused: the decision's reasons, and `consent_refused` (the person chose Cancel
 * when an app asked to sign them in; only the `oidc` door records it).
 */
export type LoggedReason =
  | SignInReason
  | 'consent_refused'
  /** Door `radius`: CHAP, MS-CHAP or EAP, which cannot be checked against keyed hashes. */
  | 'method_unsupported';

export interface SignInEventView {
  id: number;
  at: string;
  lastAt: string;
  count: number;
  username: string;
  door: string;
  ip: string | null;
  userAgent: string | null;
  result: 'accepted' | 'refused';
  reason: string | null;
  credential: string | null;
  appPasswordId: string | null;
  appPasswordLabel: string | null;
  /** Door `oidc`: the app (OpenID Connect client) the person signed in to. */
  clientId: string | null;
  clientName: string | null;
  /** Pass as `before` to get the events after this one (the next page). */
  cursor: string;
}

export function signInView(r: SignInEventRow): SignInEventView {
  const app = r.door === OIDC_DOOR;
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    lastAt: new Date(r.last_at).toISOString(),
    count: r.count,
    username: r.username,
    door: r.door,
    ip: r.ip,
    userAgent: r.user_agent,
    result: r.result,
    reason: r.reason,
    credential: r.credential,
    appPasswordId: app ? null : r.app_password_id,
    appPasswordLabel: app ? null : r.app_password_label,
    clientId: app ? r.app_password_id : null,
    clientName: app ? r.app_password_label : null,
    cursor: `${r.last_at}.${r.id}`,
  };
}

export async function listSignIns(
  ctx: CoreContext,
  actor: Actor,
  q: SignInFilter = {},
): Promise<SignInEventView[]> {
  const limit = checkLimit(q.limit, 50);
  const filter = checkFilter(q);
  // Show what was accepted in the last second too.
  await ctx.usage.flush().catch(() => {});
  if (q.username) {
    // Any name that was tried can be looked up ("service:dovecot", a mistyped address), not only users.
    const name = q.username.trim().toLowerCase().slice(0, 128);
    const user = isValidUsername(name) ? await findUserByName(ctx.store.db, name) : undefined;
    authorize(actor, 'signIns.read', user?.id ?? null);
    // Attempts on names that do not exist are in the log under the name that was tried.
    const rows = await listSignInEvents(
      ctx.store.db,
      user ? { ...filter, userId: user.id, limit } : { ...filter, username: name, limit },
    );
    return rows.map(signInView);
  }
  authorize(actor, 'signIns.read');
  return (await listSignInEvents(ctx.store.db, { ...filter, limit })).map(signInView);
}

export interface SignInFilter {
  username?: string | null;
  door?: string | null;
  result?: string | null;
  reason?: string | null;
  /** ISO 8601 time or date. */
  since?: string | null;
  until?: string | null;
  /** The cursor of the last event of the previous page (SignInEventView.cursor). */
  before?: string | null;
  limit?: unknown;
}

const REASONS = new Set<LoggedReason>([
  'invalid_credentials',
  'unknown_user',
  'user_disabled',
  'app_password_required',
  'app_passwords_disabled',
  'app_password_expired',
  'out_of_scope',
  'locked_out',
  'password_change_required',
  'app_password_in_browser',
  'two_step_failed',
  'throttled',
  'consent_refused',
]);

function checkTime(value: string | null | undefined, name: string): number | null {
  if (!value) return null;
  const t = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (!Number.isFinite(t))
    throw new LatchkeyError('FILTER_INVALID', { detail: 'signInsTime', params: { name } });
  return t;
}

/** The filters of the sign-in log, checked: unknown values are errors, not empty results. */
function checkFilter(q: SignInFilter) {
  const door = q.door ? (q.door === BROWSER || q.door === OIDC_DOOR ? q.door : checkDoor(q.door)) : null;
  if (q.result && q.result !== 'accepted' && q.result !== 'refused') {
    throw new LatchkeyError('FILTER_INVALID', { detail: 'signInsResult' });
  }
  if (q.reason && !REASONS.has(q.reason as LoggedReason)) {
    throw new LatchkeyError('FILTER_INVALID', {
      detail: 'signInsReason',
      params: { reasons: listOf([...REASONS]) },
    });
  }
  let before: { lastAt: number; id: number } | null = null;
  if (q.before) {
    const m = /^(\d{1,15})\.(\d{1,15})$/.exec(q.before);
    if (!m) throw new LatchkeyError('FILTER_INVALID', { detail: 'signInsBefore' });
    before = { lastAt: Number(m[1]), id: Number(m[2]) };
  }
  const since = checkTime(q.since, 'since');
  const until = checkTime(q.until, 'until');
  if (since !== null && until !== null && until <= since) {
    throw new LatchkeyError('FILTER_INVALID', { detail: 'signInsUntil' });
  }
  return {
    door,
    result: (q.result as 'accepted' | 'refused' | undefined) ?? null,
    reason: q.reason ?? null,
    since,
    until,
    before,
  };
}

/** The sign-in log as CSV (RFC 4180), for the export. */
export function signInsCsv(events: SignInEventView[]): string {
  const cols = [
    'at',
    'lastAt',
    'count',
    'username',
    'door',
    'ip',
    'userAgent',
    'result',
    'reason',
    'credential',
    'appPasswordLabel',
    'clientName',
  ] as const;
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    // Quote always-safe; a leading =, +, - or @ would be a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return `"${safe.replace(/"/g, '""')}"`;
  };
  return `${[cols.join(','), ...events.map((e) => cols.map((c) => cell(e[c])).join(','))].join('\r\n')}\r\n`;
}

export async function pruneSignIns(ctx: CoreContext): Promise<number> {
  const days = (await ctx.settings.get()).signInLogRetentionDays;
  // The overview's rollup keeps what it counted, for as long as the log keeps its rows.
  await pruneOverview(ctx.store.db, ctx.now() - days * 86_400_000);
  return pruneSignInEvents(ctx.store.db, ctx.now() - days * 86_400_000);
}
