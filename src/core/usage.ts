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
/** More aggregates than this held for the current minute: their counts are written early. */
const HOLD_AT_MOST = 100_000;

interface Held {
  /** `count` is what the store does not have yet. */
  event: NewSignInEvent;
  minute: number;
}

export class UsageRecorder {
  private lastUses = new Map<string, LastUse>();
  /** Aggregates by bucket key: written once, counting on. */
  private held = new Map<string, Held>();
  /** Aggregates the store has not seen at all yet: written at the next flush. */
  private fresh: Held[] = [];
  /** The last minute each series (credential, door, source) was counted in. */
  private series = new Map<string, number>();
  /** Sources where an account succeeded: they become "familiar" for smart lockout (B9). */
  private familiar = new Map<string, { userId: string; ip: string; at: number }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  dropped = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  recordAccepted(e: {
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
  }): void {
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
    const series = `${e.userId}|${e.appPasswordId ?? 'primary'}|${e.door}|${e.ip ?? ''}`;
    const key = `${minute}|${series}`;
    const h = this.held.get(key);
    if (h) {
      h.event.count += 1;
      if (e.at > h.event.last_at) h.event.last_at = e.at;
      return;
    }
    if (this.held.size >= MAX_PENDING) {
      this.dropped += 1;
      return;
    }
    const held: Held = {
      minute,
      event: {
        at: e.at,
        last_at: e.at,
        count: 1,
        username: e.username,
        user_id: e.userId,
        door: e.door,
        ip: e.ip,
        user_agent: e.userAgent,
        result: 'accepted',
        reason: null,
        credential: e.credential,
        app_password_id: e.appPasswordId,
        app_password_label: e.appPasswordLabel,
        bucket: key,
      },
    };
    this.held.set(key, held);
    // A credential already counted in the minute before is known to be in use: its new minute is
    // written when it is over. Only a series that starts (or starts again) is written at once.
    if (this.series.get(series) !== minute - 1) this.fresh.push(held);
    this.series.set(series, minute);
  }

  /** Rows not yet in the store (aggregates held for their minute count when they have new counts). */
  get pending(): number {
    return this.held.size + this.lastUses.size + this.familiar.size;
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
    // The maps are swapped at once; everything else (copying, writing) lets the doors run between
    // slices, so that a large backlog never holds the event loop.
    const lastUses = this.lastUses;
    const familiarMap = this.familiar;
    this.lastUses = new Map();
    this.familiar = new Map();
    let uses: LastUse[] = [];
    let familiar: { userId: string; ip: string; at: number }[] = [];
    let events: NewSignInEvent[] = [];
    this.flushing = (async () => {
      uses = [...lastUses.values()];
      familiar = [...familiarMap.values()];
      events = await this.take(everything);
      if (uses.length === 0 && familiar.length === 0 && events.length === 0) return;
      if (this.store.runBatch) return writeSqlite(this.store.runBatch, uses, events, familiar);
      return this.store.transaction(async (trx) => {
        // A user deleted since their check: keep the event without the link, drop the familiar source.
        const ids = [...new Set([...events.map((e) => e.user_id!), ...familiar.map((f) => f.userId)])];
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
        for (const ev of events) this.giveBack(ev);
        throw err;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /**
   * The aggregate rows to write now, each with the count the store does not have yet (the upsert adds
   * it). What is written for a minute that is over, or everything, leaves memory.
   */
  private async take(everything: boolean): Promise<NewSignInEvent[]> {
    const out: NewSignInEvent[] = [];
    const minute = Math.floor(this.now() / 60_000);
    const early = everything || this.held.size > HOLD_AT_MOST;
    const fresh = this.fresh;
    this.fresh = [];
    let n = 0;
    for (const h of fresh) {
      if ((++n & 2047) === 0) await yieldToEventLoop();
      if (h.event.count === 0) continue;
      out.push({ ...h.event });
      h.event.count = 0;
    }
    if (this.series.size > this.held.size * 2 + 1024) {
      for (const [k, m] of this.series) {
        if ((++n & 2047) === 0) await yieldToEventLoop();
        if (m < minute - 1) this.series.delete(k);
      }
    }
    for (const [key, h] of this.held) {
      // Map order is insertion order, and keys are made in time order: the rest is this minute too.
      if (!early && h.minute >= minute) break;
      if ((++n & 2047) === 0) await yieldToEventLoop();
      this.held.delete(key);
      if (h.event.count > 0) out.push(h.event);
    }
    return out;
  }

  /** A row that could not be written: its count goes back to be written next time. */
  private giveBack(ev: NewSignInEvent): void {
    const cur = this.held.get(ev.bucket!);
    if (cur) {
      cur.event.count += ev.count;
      cur.event.at = Math.min(cur.event.at, ev.at);
      return;
    }
    if (this.held.size >= MAX_PENDING) {
      this.dropped += ev.count;
      return;
    }
    const h = { event: ev, minute: Math.floor(ev.at / 60_000) };
    this.held.set(ev.bucket!, h);
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
  events: NewSignInEvent[],
  familiar: { userId: string; ip: string; at: number }[],
): Promise<void> {
  await run(LAST_USE_SQL, uses, (u) => [u.at, u.ip, u.door, u.id, u.at]);
  await run(BUCKET_SQL, events, (e) => [
    e.at,
    e.last_at,
    e.count,
    e.username,
    e.user_id,
    e.door,
    e.ip,
    e.user_agent,
    e.result,
    e.reason,
    e.credential,
    e.app_password_id,
    e.app_password_label,
    e.bucket,
  ]);
  await run(FAMILIAR_SQL, familiar, (f) => [f.userId, f.ip, f.at, f.userId]);
}
