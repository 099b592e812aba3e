// Write-behind of accepted non-browser checks (spec §6). The check path only updates maps in memory;
// once a second a flush writes what must not wait, and the rest waits for its minute to end:
//   - an aggregate of the sign-in log (B4: one row per credential, door, source and minute) is
//     written once its minute is over; one whose credential was not counted the minute before (a
//     device that starts, or starts again) is also written at once, so that the log shows it within
//     a second. A mail client checking every few seconds costs one row write a minute, not one per
//     check (issue 11);
//   - the last-used fields of app passwords (B1; the check skips those the store has to the minute),
//     and sources that became familiar (B9), at the next flush.
// What a crash can lose: the last second of new aggregates, last uses and familiar sources, and the
// counts of the current minute (at most a minute and a second of counting). Refusals are never
// written behind (sign-in.ts). `flush()` and `close()` write everything.

import { type LastUse, recordLastUses } from '../store/app-passwords.js';
import type { Store } from '../store/database.js';
import { yieldToEventLoop } from '../store/database.js';
import { addToBuckets, type NewSignInEvent } from '../store/events.js';
import { recordFamiliarSources } from '../store/guard.js';

/** Beyond this many pending rows (an outage of the database), new aggregates are dropped, not queued. */
const MAX_PENDING = 400_000;
/**
 * More aggregates than this held (devices counted this minute): their counts are written early, and
 * counting starts anew. 250,000 devices a minute hold about 80 MB; below that, a device costs one row
 * write a minute (written early, a busy device would cost one a second).
 */
const HOLD_AT_MOST = 250_000;

const NEVER = -(2 ** 30);

/**
 * A series (credential, door, source) and where it stands: the last minute it was counted in, and that
 * minute's aggregate. It is also what a caller keeps on what it checked (an app password held by the
 * check cache, see UsageSlot), so its parts are here as fields: a repeat from the same door and source
 * then needs no key and no lookup at all. One object and one flat key string per device (issue 11: the
 * long-lived heap is what V8's full collection walks).
 */
class Series {
  /** A small integer (V8 keeps it in the object): no minute is this far before 1970. */
  minute = NEVER;
  held: Held | null = null;
  /** The user agent of the last aggregate: the next minute's keeps the same string if it is the same. */
  userAgent: string | null = null;
  constructor(
    readonly key: string,
    readonly userId: string,
    readonly appPasswordId: string | null,
    readonly door: string,
    readonly ip: string | null,
  ) {}
}

/**
 * One series' aggregate of one minute: a row of the sign-in log (B4) while its minute runs, `count` being
 * what the store does not have yet. Times are kept as milliseconds into the minute (small integers, which
 * V8 holds inside the object), and the bucket key is made only when the row is written.
 */
class Held {
  /** Taken out of memory (written, or on its way): counting goes to a new aggregate. */
  gone = false;
  constructor(
    readonly series: Series,
    readonly minute: number,
    public first: number,
    public last: number,
    public count: number,
    readonly username: string,
    readonly userAgent: string | null,
    readonly credential: 'primary' | 'app_password',
    readonly label: string | null,
  ) {}
}

/**
 * Kept by the caller on what it checked (an app password held by the check cache): the series its
 * last accepted check counted into.
 */
export type UsageSlot = Series;

/** The row of the sign-in log an aggregate is (the bucket key made here, when it is written). */
function eventOf(h: Held): NewSignInEvent {
  const s = h.series;
  const base = h.minute * 60_000;
  return {
    at: base + h.first,
    last_at: base + h.last,
    count: h.count,
    username: h.username,
    user_id: s.userId,
    door: s.door,
    ip: s.ip,
    user_agent: h.userAgent,
    result: 'accepted',
    reason: null,
    credential: h.credential,
    app_password_id: s.appPasswordId,
    app_password_label: h.label,
    bucket: `${h.minute}|${s.key}`,
  };
}

/** Bucket key order (`minute|series key`; minutes have the same number of digits for centuries). */
function bucketLess(a: Held, b: Held): boolean {
  return a.minute < b.minute || (a.minute === b.minute && a.series.key < b.series.key);
}

export class UsageRecorder {
  private lastUses = new Map<string, LastUse>();
  /** Aggregates held in memory, oldest first (made in time order): written once, counting on. */
  private held: Held[] = [];
  /** Aggregates the store has not seen at all yet: written at the next flush. */
  private fresh: Held[] = [];
  /** Each series by its key: one lookup finds the aggregate a repeated check counts into. */
  private series = new Map<string, Series>();
  /** Sources where an account succeeded: they become "familiar" for smart lockout (B9). */
  private familiar = new Map<string, { userId: string; ip: string; at: number }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  dropped = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  recordAccepted(
    e: {
      at: number;
      userId: string;
      username: string;
      door: string;
      ip: string | null;
      userAgent: string | null;
      credential: 'primary' | 'app_password';
      appPasswordId: string | null;
      appPasswordLabel: string | null;
      refreshLastUse?: boolean;
      refreshFamiliar?: boolean;
    },
    holder: { usage: UsageSlot | null } | null = null,
  ): void {
    if (e.appPasswordId && e.refreshLastUse !== false) {
      const prev = this.lastUses.get(e.appPasswordId);
      if (!prev || prev.at <= e.at)
        this.lastUses.set(e.appPasswordId, { id: e.appPasswordId, at: e.at, ip: e.ip, door: e.door });
    }
    if (e.ip && e.refreshFamiliar !== false) {
      const fk = `${e.userId}|${e.ip}`;
      const f = this.familiar.get(fk);
      if (f) f.at = Math.max(f.at, e.at);
      else if (this.familiar.size < MAX_PENDING)
        this.familiar.set(fk, { userId: e.userId, ip: e.ip, at: e.at });
    }
    const minute = Math.floor(e.at / 60_000);
    const into = e.at - minute * 60_000;
    let s = holder?.usage;
    if (
      s == null ||
      s.door !== e.door ||
      s.ip !== e.ip ||
      s.userId !== e.userId ||
      s.appPasswordId !== e.appPasswordId
    ) {
      const apId = e.appPasswordId ?? 'primary';
      // join() makes one flat string; a template literal would keep a tree of its pieces alive for as
      // long as the series lives.
      const key = [e.userId, apId, e.door, e.ip ?? ''].join('|');
      s = this.series.get(key);
      if (s === undefined) {
        s = new Series(key, e.userId, e.appPasswordId, e.door, e.ip);
        this.series.set(key, s);
      }
      if (holder !== null) holder.usage = s;
    }
    // The common case: a device checking again within its minute counts into what memory holds.
    const h = s.held;
    if (h !== null && h.minute === minute && !h.gone) {
      h.count += 1;
      if (into > h.last) h.last = into;
      return;
    }
    if (this.held.length >= MAX_PENDING) {
      this.dropped += 1;
      return;
    }
    const ua = e.userAgent !== null && e.userAgent === s.userAgent ? s.userAgent : e.userAgent;
    s.userAgent = ua;
    const held = new Held(s, minute, into, into, 1, e.username, ua, e.credential, e.appPasswordLabel);
    this.held.push(held);
    // A credential already counted in the minute before is known to be in use: its new minute is
    // written when it is over. Only a series that starts (or starts again) is written at once.
    // (A series dropped from the map while a slot still held it counts on in its own rows: the store's
    // upsert adds counts of the same bucket together.)
    if (s.minute !== minute - 1) this.fresh.push(held);
    s.minute = minute;
    s.held = held;
  }

  /** Rows not yet in the store (aggregates held for their minute count when they have new counts). */
  get pending(): number {
    return this.held.length + this.lastUses.size + this.familiar.size;
  }

  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.flush(false).catch(() => {});
    }, intervalMs);
    this.timer.unref();
  }

  /**
   * Writes what is pending: everything (the default), or what the once-a-second timer writes (new
   * aggregates, counts of minutes that are over, last uses, familiar sources). Concurrent calls share
   * one write.
   */
  flush(everything = true): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush(everything));
    if (this.pending === 0) return Promise.resolve();
    // The maps are swapped at once; everything else (copying, sorting, writing) lets the doors run
    // between slices, so that a large backlog never holds the event loop.
    const lastUses = this.lastUses;
    const familiarMap = this.familiar;
    this.lastUses = new Map();
    this.familiar = new Map();
    let uses: LastUse[] = [];
    let familiar: { userId: string; ip: string; at: number }[] = [];
    let rows: Held[] = [];
    this.flushing = (async () => {
      // The synchronous start of a flush is this much: the copies below go in slices too.
      uses = await valuesInSlices(lastUses);
      familiar = await valuesInSlices(familiarMap);
      rows = await this.take(everything);
      if (uses.length === 0 && familiar.length === 0 && rows.length === 0) return;
      // In key order, consecutive rows land on the same pages of the indexes (by bucket, by user, the
      // app passwords by id): at a minute's end with 130,000 devices that makes a row 5–10× cheaper
      // to write than in the order the checks came (issue 11).
      rows = await sortInSlices(rows, bucketLess);
      uses = await sortInSlices(uses, (a, b) => a.id < b.id);
      if (this.store.runBatch) return writeSqlite(this.store.runBatch, uses, rows, familiar);
      // PostgreSQL: the rows as Kysely takes them, and the users to look for, made in slices too.
      const events: NewSignInEvent[] = [];
      const users = new Set<string>();
      for (let i = 0; i < rows.length; i++) {
        if (i > 0 && (i & 2047) === 0) await yieldToEventLoop();
        events.push(eventOf(rows[i]!));
        users.add(rows[i]!.series.userId);
      }
      for (const f of familiar) users.add(f.userId);
      return this.store.transaction(async (trx) => {
        // A user deleted since their check: keep the event without the link, drop the familiar source.
        const ids = [...users];
        const existing = new Set<string>();
        for (let i = 0; i < ids.length; i += 500) {
          if (i > 0) await yieldToEventLoop();
          const rows = await trx
            .selectFrom('users')
            .select('id')
            .where('id', 'in', ids.slice(i, i + 500))
            .execute();
          for (const r of rows) existing.add(r.id);
        }
        await recordLastUses(trx, uses);
        await addToBuckets(
          trx,
          events.map((e) => (existing.has(e.user_id!) ? e : { ...e, user_id: null })),
        );
        await recordFamiliarSources(
          trx,
          familiar.filter((f) => existing.has(f.userId)),
        );
      });
    })()
      .catch((err) => {
        // Keep the data for the next attempt (within the cap) and report the outage to the caller.
        for (const u of uses) if (!this.lastUses.has(u.id)) this.lastUses.set(u.id, u);
        for (const f of familiar)
          if (!this.familiar.has(`${f.userId}|${f.ip}`)) this.familiar.set(`${f.userId}|${f.ip}`, f);
        for (const h of rows) this.giveBack(h);
        throw err;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /**
   * The aggregates to write now, each with the count the store does not have yet (the upsert adds
   * it). What is written for a minute that is over, or everything, leaves memory.
   */
  private async take(everything: boolean): Promise<Held[]> {
    const out: Held[] = [];
    const minute = Math.floor(this.now() / 60_000);
    const early = everything || this.held.length > HOLD_AT_MOST;
    const fresh = this.fresh;
    this.fresh = [];
    let n = 0;
    for (const h of fresh) {
      if ((++n & 2047) === 0) await yieldToEventLoop();
      if (h.count === 0) continue;
      if (h.gone) {
        out.push(h);
        continue;
      }
      // Still counting: what it has so far is written, and it counts on from zero.
      const copy = new Held(
        h.series,
        h.minute,
        h.first,
        h.last,
        h.count,
        h.username,
        h.userAgent,
        h.credential,
        h.label,
      );
      copy.gone = true;
      out.push(copy);
      h.count = 0;
    }
    if (this.series.size > this.held.length * 2 + 1024) {
      for (const [k, s] of this.series) {
        if ((++n & 2047) === 0) await yieldToEventLoop();
        if (s.minute < minute - 1) this.series.delete(k);
      }
    }
    // Oldest first: the first aggregate of the current minute ends what is over. (Checks that arrive
    // while this yields append to the end, and are not taken this time unless it is everything.)
    const held = this.held;
    const until = held.length;
    let i = 0;
    for (; i < until; i++) {
      const h = held[i]!;
      if (!early && h.minute >= minute) break;
      if ((++n & 2047) === 0) await yieldToEventLoop();
      h.gone = true;
      if (h.count > 0) out.push(h);
    }
    if (i > 0) this.held = this.held.slice(i);
    return out;
  }

  /** A row that could not be written: its count goes back to be written next time. */
  private giveBack(h: Held): void {
    if (this.held.length + this.fresh.length >= MAX_PENDING) {
      this.dropped += h.count;
      return;
    }
    // Written with the next flush (it is gone: nothing counts into it); the upsert adds its count to
    // whatever the row has by then.
    this.fresh.push(h);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}

// SQLite: one prepared statement per row, a few hundred rows to a transaction, the event loop free
// between transactions (Store.runBatch). A user deleted since their check: the event keeps no link
// (the subquery finds no id) and the familiar source is not written.
const LAST_USE_SQL = `update app_passwords set last_used_at = ?, last_used_ip = ?, last_used_door = ?
  where id = ? and (last_used_at is null or last_used_at < ?)`;
const BUCKET_SQL = `insert into sign_in_events (at, last_at, count, username, user_id, door, ip, user_agent,
    result, reason, credential, app_password_id, app_password_label, bucket)
  values (?, ?, ?, ?, (select id from users where id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (bucket) do update set count = sign_in_events.count + excluded.count,
    last_at = max(sign_in_events.last_at, excluded.last_at)`;
const FAMILIAR_SQL = `insert into familiar_sources (user_id, ip, last_success_at)
  select ?, ?, ? where exists (select 1 from users where id = ?)
  on conflict (user_id, ip) do update set last_success_at = max(familiar_sources.last_success_at, excluded.last_success_at)`;

async function writeSqlite(
  run: NonNullable<Store['runBatch']>,
  uses: LastUse[],
  rows: Held[],
  familiar: { userId: string; ip: string; at: number }[],
): Promise<void> {
  await run(LAST_USE_SQL, uses, (u) => [u.at, u.ip, u.door, u.id, u.at]);
  // Each row's parameters (and its bucket key) are made as it is written, and are garbage at once.
  await run(BUCKET_SQL, rows, (h) => {
    const s = h.series;
    const base = h.minute * 60_000;
    return [
      base + h.first,
      base + h.last,
      h.count,
      h.username,
      s.userId,
      s.door,
      s.ip,
      h.userAgent,
      'accepted',
      null,
      h.credential,
      s.appPasswordId,
      h.label,
      `${h.minute}|${s.key}`,
    ];
  });
  await run(FAMILIAR_SQL, familiar, (f) => [f.userId, f.ip, f.at, f.userId]);
}

/** The values of a map no one writes to any more, copied without holding the event loop. */
async function valuesInSlices<T>(m: Map<unknown, T>): Promise<T[]> {
  const out: T[] = [];
  let n = 0;
  for (const v of m.values()) {
    out.push(v);
    if ((++n & 2047) === 0) await yieldToEventLoop();
  }
  return out;
}

/**
 * `items` in the order `less` gives, sorted without holding the event loop: runs of 2,048 sorted one
 * at a time, then merged, yielding every 4,096 elements moved. (One `Array.sort` of 130,000 bucket
 * keys takes longer than the pause a door may see.)
 */
export async function sortInSlices<T>(items: T[], less: (a: T, b: T) => boolean): Promise<T[]> {
  const RUN = 2048;
  const n = items.length;
  const cmp = (a: T, b: T) => (less(a, b) ? -1 : less(b, a) ? 1 : 0);
  if (n <= RUN) return items.sort(cmp);
  let src = items.slice();
  for (let lo = 0; lo < n; lo += RUN) {
    const run = src.slice(lo, lo + RUN).sort(cmp);
    for (let k = 0; k < run.length; k++) src[lo + k] = run[k]!;
    await yieldToEventLoop();
  }
  let dst: T[] = new Array(n);
  let moved = 0;
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      for (let k = lo; k < hi; k++) {
        // Stable: on a tie the left run goes first.
        dst[k] = b >= hi || (a < mid && !less(src[b]!, src[a]!)) ? src[a++]! : src[b++]!;
        if ((++moved & 4095) === 0) await yieldToEventLoop();
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}
