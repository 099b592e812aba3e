// The administrators' overview (issue 12, item 9): the last 7 days of the sign-in log and of the app
// password changes in the audit log, as numbers a page can draw. The store answers with aggregates
// (store/overview.ts); this lays them out on a fixed grid of hours and days, so that quiet hours are
// zeros rather than gaps, and works out the share of non-browser sign-ins still made with primary
// passwords — the people to move to app passwords or OpenID Connect.
//
// The window is the 7 UTC days ending today: from midnight UTC six days ago until now. Hours and days
// are UTC, like every time the administration pages show.

import {
  type AppPasswordDay,
  appPasswordsByDay,
  DAY_MS,
  HOUR_MS,
  lockedOutNames,
  type PrimaryUser,
  primaryPasswordUsers,
  signInsByHour,
  type Window,
} from '../store/overview.js';
import type { CoreContext } from './context.js';
import { type Actor, authorize } from './policy.js';
import { LOG_DOORS } from './sign-in-log.js';
import { TOKEN_CREDENTIAL } from './token-sign-ins.js';
import { DOORS } from './validate.js';

export const OVERVIEW_DAYS = 7;
/** How many accounts still on primary passwords the overview names. */
export const TOP_PRIMARY_USERS = 10;

export interface DoorSeries {
  door: string;
  /** One count per hour of `Overview.hours`. */
  accepted: number[];
  refused: number[];
  acceptedTotal: number;
  refusedTotal: number;
}

export interface Overview {
  now: number;
  /** The window: `since` is midnight UTC six days ago, `until` is now. */
  since: number;
  until: number;
  /** The start (ms) of each day of the window, oldest first. */
  days: number[];
  /** The start (ms) of each hour of the window's days, oldest first (24 × days; later hours of today are zeros). */
  hours: number[];
  /** Doors with at least one sign-in in the window, in the log's order of doors. */
  doors: DoorSeries[];
  accepted: number;
  refused: number;
  perDay: { day: number; accepted: number; refused: number }[];
  /** Refusals by reason, most frequent first. */
  reasons: { reason: string; count: number }[];
  lockouts: { names: number; attempts: number; days: { day: number; names: number; attempts: number }[] };
  appPasswords: { created: number; deleted: number; days: AppPasswordDay[] };
  /** Accepted sign-ins through the non-browser doors (LDAP, HTTP Basic, mail, DAV, …), by credential. */
  nonBrowser: {
    total: number;
    primary: number;
    appPassword: number;
    token: number;
    /** primary / total, or null when there was none. */
    primaryShare: number | null;
    /** Accounts that signed in with their primary password through a non-browser door. */
    accounts: number;
    /** The accounts that did so last, latest first. */
    top: PrimaryUser[];
  };
}

/** The window of the overview at `now`: OVERVIEW_DAYS UTC days, today included. */
export function overviewWindow(now: number): Window {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { since: today - (OVERVIEW_DAYS - 1) * DAY_MS, until: now + 1 };
}

export async function getOverview(ctx: CoreContext, actor: Actor): Promise<Overview> {
  // The page counts app password changes (the audit log) beside the sign-in log: both permissions.
  authorize(actor, 'signIns.read');
  authorize(actor, 'audit.read');
  // Count what was accepted in the last second too.
  await ctx.usage.flush().catch(() => {});
  const now = ctx.now();
  const w = overviewWindow(now);
  const db = ctx.store.db;
  // Each of these reads a few thousand rows at most, whatever the size of the log (store/overview.ts).
  const [hourly, lockedOut, apDays, primary] = await Promise.all([
    signInsByHour(db, w),
    lockedOutNames(db, w),
    appPasswordsByDay(ctx.store, w),
    primaryPasswordUsers(db, w, DOORS, TOP_PRIMARY_USERS),
  ]);

  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => w.since + i * DAY_MS);
  const hours = Array.from({ length: OVERVIEW_DAYS * 24 }, (_, i) => w.since + i * HOUR_MS);
  const firstHour = w.since / HOUR_MS;
  const firstDay = w.since / DAY_MS;

  const series = new Map<string, DoorSeries>();
  const perDay = days.map((day) => ({ day, accepted: 0, refused: 0 }));
  const nonBrowserDoors = new Set<string>(DOORS);
  const nonBrowser = { total: 0, primary: 0, appPassword: 0, token: 0 };
  const reasonCounts = new Map<string, number>();
  const lockDays = days.map((day) => ({ day, names: 0, attempts: 0 }));
  let accepted = 0;
  let refused = 0;
  for (const g of hourly) {
    const i = g.hour - firstHour;
    if (i < 0 || i >= hours.length) continue;
    let s = series.get(g.door);
    if (!s) {
      s = {
        door: g.door,
        accepted: new Array<number>(hours.length).fill(0),
        refused: new Array<number>(hours.length).fill(0),
        acceptedTotal: 0,
        refusedTotal: 0,
      };
      series.set(g.door, s);
    }
    const d = perDay[Math.floor(i / 24)]!;
    if (g.result === 'accepted') {
      s.accepted[i]! += g.count;
      s.acceptedTotal += g.count;
      d.accepted += g.count;
      accepted += g.count;
      if (nonBrowserDoors.has(g.door)) {
        nonBrowser.total += g.count;
        if (g.credential === 'primary') nonBrowser.primary += g.count;
        else if (g.credential === 'app_password') nonBrowser.appPassword += g.count;
        else if (g.credential === TOKEN_CREDENTIAL) nonBrowser.token += g.count;
      }
    } else {
      s.refused[i]! += g.count;
      s.refusedTotal += g.count;
      const reason = g.reason ?? 'unknown';
      reasonCounts.set(reason, (reasonCounts.get(reason) ?? 0) + g.count);
      if (reason === 'locked_out') lockDays[Math.floor(i / 24)]!.attempts += g.count;
      d.refused += g.count;
      refused += g.count;
    }
  }
  const order = (door: string) => {
    const i = (LOG_DOORS as readonly string[]).indexOf(door);
    return i < 0 ? LOG_DOORS.length : i;
  };
  const doors = [...series.values()].sort(
    (a, b) => order(a.door) - order(b.door) || a.door.localeCompare(b.door),
  );

  const reasons = [...reasonCounts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));

  for (const l of lockedOut.days) {
    const d = lockDays[l.day - firstDay];
    if (d) d.names = l.names;
  }
  const apByDay = days.map((day) => ({ day, created: 0, deleted: 0 }));
  for (const a of apDays) {
    const d = apByDay[a.day - firstDay];
    if (d) {
      d.created = a.created;
      d.deleted = a.deleted;
    }
  }

  return {
    now,
    since: w.since,
    until: w.until,
    days,
    hours,
    doors,
    accepted,
    refused,
    perDay,
    reasons,
    lockouts: {
      names: lockedOut.names,
      attempts: lockDays.reduce((s, d) => s + d.attempts, 0),
      days: lockDays,
    },
    appPasswords: {
      created: apByDay.reduce((s, d) => s + d.created, 0),
      deleted: apByDay.reduce((s, d) => s + d.deleted, 0),
      days: apByDay,
    },
    nonBrowser: {
      ...nonBrowser,
      primaryShare: nonBrowser.total > 0 ? nonBrowser.primary / nonBrowser.total : null,
      accounts: primary.accounts,
      top: primary.top,
    },
  };
}
