// Write-behind of accepted non-browser checks (spec §6): the check path only updates two maps; once a
// second they are written in one transaction — the last-used fields of app passwords (B1) and the
// per-minute aggregates of the sign-in log (B4). A crash loses at most a second of this; refusals are
// never written behind (see sign-in.ts).

import { type LastUse, recordLastUses } from '../store/app-passwords.js';
import type { Store } from '../store/database.js';
import { yieldToEventLoop } from '../store/database.js';
import { addToBuckets, type NewSignInEvent } from '../store/events.js';
import { recordFamiliarSources } from '../store/guard.js';

/** Beyond this many pending rows (an outage of the database), new aggregates are dropped, not queued. */
const MAX_PENDING = 100_000;

export class UsageRecorder {
  private lastUses = new Map<string, LastUse>();
  private buckets = new Map<string, NewSignInEvent>();
  /** Sources where an account succeeded: they become "familiar" for smart lockout (B9). */
  private familiar = new Map<string, { userId: string; ip: string; at: number }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  dropped = 0;

  constructor(private readonly store: Store) {}

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
    const key = `${minute}|${e.userId}|${e.appPasswordId ?? 'primary'}|${e.door}|${e.ip ?? ''}`;
    const b = this.buckets.get(key);
    if (b) {
      b.count += 1;
      if (e.at > b.last_at) b.last_at = e.at;
      return;
    }
    if (this.buckets.size >= MAX_PENDING) {
      this.dropped += 1;
      return;
    }
    this.buckets.set(key, {
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
    });
  }

  get pending(): number {
    return this.buckets.size + this.lastUses.size + this.familiar.size;
  }

  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch(() => {});
    }, intervalMs);
    this.timer.unref();
  }

  /** Writes what is pending. Concurrent calls share one write. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.pending === 0) return Promise.resolve();
    const uses = [...this.lastUses.values()];
    const events = [...this.buckets.values()];
    const familiar = [...this.familiar.values()];
    this.lastUses = new Map();
    this.buckets = new Map();
    this.familiar = new Map();
    this.flushing = this.store
      .transaction(async (trx) => {
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
      })
      .catch((err) => {
        // Keep the data for the next attempt (within the cap) and report the outage to the caller.
        for (const u of uses) if (!this.lastUses.has(u.id)) this.lastUses.set(u.id, u);
        for (const f of familiar)
          if (!this.familiar.has(`${f.userId}|${f.ip}`)) this.familiar.set(`${f.userId}|${f.ip}`, f);
        for (const ev of events) {
          if (this.buckets.size >= MAX_PENDING) break;
          const cur = this.buckets.get(ev.bucket!);
          if (cur) {
            cur.count += ev.count;
            cur.at = Math.min(cur.at, ev.at);
          } else this.buckets.set(ev.bucket!, ev);
        }
        throw err;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
