// The check path's memory (issue 11): app passwords that were checked recently, with the state of their
// user that a check needs, and the locks of source addresses. A check that finds its app password here
// touches no database; one that does not reads the store once, as before, and fills it.
//
// Kept true by the store's change feed (migration 009, store/changes.ts): triggers write a row for
// every change that could alter an answer, whoever made it. Before serving from memory a check makes
// sure this node has read the feed up to
//   - every write this process finished (the store counts them): effect at once on this node;
//   - on SQLite, every commit by another process on the same file (the read connection's data
//     version, looked at no more than once a millisecond): a CLI next to the server;
//   - on PostgreSQL, every notification from other nodes (LISTEN), and in any case the state of a
//     second ago (a poll, should a notification be lost): the bound across nodes.
// When the feed cannot be read, nothing is served from memory: the check fails as the store does.

import { performance } from 'node:perf_hooks';
import type { AppPasswordCheckRow } from '../store/app-passwords.js';
import {
  CHANGES_PER_READ,
  type ChangeRow,
  type FeedReader,
  feedReader,
  listenForChanges,
  pruneChanges,
} from '../store/changes.js';
import type { Store } from '../store/database.js';
import type { GuardRow } from '../store/guard.js';
import type { Role, TwoStepState, UserRow } from '../store/schema.js';
import type { UserCheckRow } from '../store/users.js';
import type { Credential, SignedInUser } from './sign-in.js';
import type { UsageSlot } from './usage.js';

export interface CachedUser {
  readonly id: string;
  username: string;
  email: string | null;
  displayName: string | null;
  role: Role;
  disabledAt: number | null;
  twoStepState: TwoStepState;
  /** Whether the account had any failure counter (then the guard reads them from the store). */
  hasCounters: boolean;
  /**
   * Last success from each source seen lately (null: not familiar), as pairs in one array, oldest
   * first: [ip, at, ip, at, …]. A Map and its table per user cost three objects and ~150 bytes for what
   * is, for nearly everyone, one or two sources (issue 11: the long-lived heap).
   */
  familiar: (string | number | null)[];
  /** This user's app passwords held here: a list through `CachedAppPassword.next`. */
  first: CachedAppPassword | null;
  /** Keys of this user's account rows held here (by name, by email address), if any. */
  names: string[] | null;
  /** The user as a check's answer gives it, made once (dropped when the fields above change). */
  view: SignedInUser | null;
}

/** A user's row as the primary-password check reads it (password hash included), by name or email. */
interface CachedAccount {
  readonly row: UserRow;
  readonly user: CachedUser;
  /**
   * The row with its guard columns as last handed out: a device checking again from the same source
   * gets the same frozen object instead of a copy of some twenty fields per check.
   */
  last: HeldAccount | null;
  /** The usage series the account's last accepted primary check counted into (see UsageSlot). */
  readonly holder: { usage: UsageSlot | null };
}

/** An account row as `getAccount` hands it out: frozen, with the user's answer view made once. */
export type HeldAccount = Readonly<UserCheckRow> & {
  readonly view: SignedInUser;
  readonly holder: { usage: UsageSlot | null };
};

export interface CachedAppPassword {
  readonly key: string;
  readonly id: string;
  readonly label: string;
  readonly scopes: readonly string[] | null;
  readonly expiresAt: number | null;
  readonly createdAt: number;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  lastUsedDoor: string | null;
  readonly user: CachedUser;
  /** Used since it was last passed over for eviction (a second chance, like a clock). */
  hot: boolean;
  /** Where the write-behind counts this app password's accepted checks (usage.ts). */
  usage: UsageSlot | null;
  /** The credential as a check's answer gives it. */
  readonly credential: Credential;
  /** The next app password of the same user held here. */
  next: CachedAppPassword | null;
}

/** App passwords held by default: about 60 MB; a mail server's working set is its connected devices. */
export const DEFAULT_CHECK_CACHE_SIZE = 200_000;

/** Sources remembered per user: a mail server is one source; a person has up to 40 app passwords, each
 * perhaps on a device of its own address, and a phone roams. */
const FAMILIAR_PER_USER = 128;
/** Changes are kept this long; a node that could not read the feed for half of it forgets everything. */
const KEEP_CHANGES_MS = 10 * 60_000;
const PRUNE_EVERY_MS = 60_000;
/** PostgreSQL: read the feed at least this often, whatever the notifications do. */
const POLL_MS = 1000;

export class CheckCache {
  private readonly aps = new Map<string, CachedAppPassword>();
  private readonly users = new Map<string, CachedUser>();
  private readonly accounts = new Map<string, CachedAccount>();
  /** Sources locked now, until when. Complete: a source not here is not locked. */
  private locks = new Map<string, number>();
  /** Moves on every forget: a fill that began before it may hold what was forgotten. */
  private epoch = 0;

  private lastSeq = 0;
  private wanted = 1;
  private synced = 0;
  private syncedWrites = -1;
  private syncedAt = 0;
  private syncing: Promise<void> | null = null;
  private lastVersion = -1;
  private versionAt = -1;
  private started = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private listener: { close(): Promise<void> } | null = null;
  private closed = false;
  /** Figures for the benchmarks and metrics. */
  hits = 0;
  misses = 0;
  private readonly feed: FeedReader;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly capacity: number,
    /** Called when the feed says everything may have changed (settings). */
    private readonly onEverything: () => void = () => {},
  ) {
    this.feed = feedReader(store);
  }

  get size(): number {
    return this.aps.size;
  }

  /** Reads where the feed stands and which sources are locked; PostgreSQL starts listening. */
  async start(): Promise<void> {
    if (this.started || this.capacity <= 0) return;
    this.started = true;
    this.lastSeq = await this.feed.lastSeq();
    await this.loadAllLocks();
    this.synced = this.wanted;
    this.syncedWrites = this.store.writes();
    this.syncedAt = this.now();
    this.lastVersion = this.store.dataVersion?.() ?? -1;
    const prune = setInterval(() => {
      pruneChanges(this.store.db, this.now() - KEEP_CHANGES_MS).catch(() => {});
    }, PRUNE_EVERY_MS);
    prune.unref();
    this.timers.push(prune);
    if (this.store.databaseUrl !== null) {
      const poll = setInterval(() => {
        this.wanted++;
      }, POLL_MS);
      poll.unref();
      this.timers.push(poll);
      await this.listen();
    }
  }

  private async listen(): Promise<void> {
    if (this.closed || this.store.databaseUrl === null) return;
    try {
      this.listener = await listenForChanges(
        this.store.databaseUrl,
        () => {
          this.wanted++;
        },
        () => {
          // Changes may have been missed: read the feed again, and listen again in a second. The poll
          // keeps the bound meanwhile.
          this.listener = null;
          this.wanted++;
          const t = setTimeout(() => void this.listen(), POLL_MS);
          t.unref();
        },
      );
      this.wanted++;
    } catch {
      const t = setTimeout(() => void this.listen(), POLL_MS);
      t.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.listener?.close();
  }

  /**
   * Null when memory is up to date with the feed, else a promise that brings it there. On SQLite
   * that happens at once (its reads are synchronous) and null is returned.
   */
  fresh(): Promise<void> | null {
    if (!this.started) return null;
    const version = this.store.dataVersion;
    if (version !== null) {
      const t = performance.now();
      if (t - this.versionAt >= 1) {
        this.versionAt = t;
        const v = version();
        if (v !== this.lastVersion) {
          this.lastVersion = v;
          this.wanted++;
        }
      }
    }
    if (this.synced === this.wanted && this.syncedWrites === this.store.writes()) return null;
    return this.sync();
  }

  private sync(): Promise<void> {
    if (this.syncing) return this.syncing.then(() => this.fresh() ?? undefined);
    const wanted = this.wanted;
    const writes = this.store.writes();
    const run = this.readFeed().then(
      () => {
        this.synced = wanted;
        this.syncedWrites = writes;
        this.syncedAt = this.now();
      },
      (err) => {
        // Unreadable: serve nothing from memory until it can be read again.
        this.forgetAll();
        throw err;
      },
    );
    this.syncing = run.finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async readFeed(): Promise<void> {
    if (this.now() - this.syncedAt > KEEP_CHANGES_MS / 2) {
      // Rows this node never read may have been pruned: start over.
      this.lastSeq = await this.feed.lastSeq();
      this.forgetAll();
      await this.loadAllLocks();
      return;
    }
    const rows = await this.feed.since(this.lastSeq);
    if (rows.length === 0) return;
    this.lastSeq = rows[rows.length - 1]!.seq;
    if (rows.length > CHANGES_PER_READ) {
      this.lastSeq = await this.feed.lastSeq();
      this.forgetAll();
      await this.loadAllLocks();
      return;
    }
    await this.apply(rows);
  }

  private async apply(rows: ChangeRow[]): Promise<void> {
    const sources = new Set<string>();
    let everything = false;
    for (const r of rows) {
      if (r.user_id !== null) this.forgetUser(r.user_id);
      else if (r.source !== null) sources.add(r.source);
      else everything = true;
    }
    if (everything) {
      this.forgetAll();
      this.onEverything();
    }
    if (sources.size > 0) {
      const now = this.now();
      const read: [string, number | null][] = [];
      for (const s of sources) read.push([s, await this.feed.sourceLock(s, now)]);
      this.epoch++;
      for (const [s, until] of read) {
        if (until === null) this.locks.delete(s);
        else this.locks.set(s, until);
      }
    }
  }

  private async loadAllLocks(): Promise<void> {
    const all = await this.feed.allSourceLocks(this.now());
    this.locks = new Map(all.map((l) => [l.source, l.lockedUntil]));
  }

  private forgetUser(userId: string): void {
    const user = this.users.get(userId);
    this.epoch++;
    if (!user) return;
    for (let ap = user.first; ap !== null; ap = ap.next) this.aps.delete(ap.key);
    if (user.names !== null) for (const k of user.names) this.accounts.delete(k);
    this.users.delete(userId);
  }

  private forgetAll(): void {
    this.epoch++;
    this.aps.clear();
    this.accounts.clear();
    this.users.clear();
  }

  /** A mark to pass to `fill`: what was read after it may be kept only if nothing was forgotten since. */
  mark(): number {
    return this.epoch;
  }

  /**
   * The app password with this key, and the guard columns for a check from `ip` (whose source key is
   * `source`), when memory holds all of it; else undefined (read the store, then `fill`).
   */
  get(key: string, ip: string, source: string): { ap: CachedAppPassword; guard: GuardRow } | undefined {
    if (!this.started) return undefined;
    const ap = this.aps.get(key);
    if (ap === undefined) {
      this.misses++;
      return undefined;
    }
    const familiarAt = familiarGet(ap.user, ip);
    if (familiarAt === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    ap.hot = true;
    const locked = this.locks.get(source);
    return {
      ap,
      guard: {
        g_familiar_at: familiarAt,
        g_counters: ap.user.hasCounters,
        g_ip_locked: locked !== undefined && locked > this.now() ? locked : null,
      },
    };
  }

  /**
   * Keeps what the store answered for `key`, read after `mark`, and returns it as memory holds it (or,
   * when it may not be kept, as it would be held).
   */
  fill(key: string, ip: string, row: AppPasswordCheckRow, mark: number): CachedAppPassword {
    if (!this.started || this.closed || mark !== this.epoch) return entryOf(key, row, userOf(row));
    const user = this.userFrom(row);
    this.remember(user, ip, row.g_familiar_at);
    let ap = this.aps.get(key);
    if (ap === undefined) {
      if (this.aps.size >= this.capacity) this.evict();
      ap = entryOf(key, row, user);
      this.aps.set(key, ap);
      ap.next = user.first;
      user.first = ap;
    }
    return ap;
  }

  /** An accepted check: what the write-behind will store within a second, memory knows now. */
  used(
    ap: CachedAppPassword,
    at: number,
    ip: string,
    door: string,
    lastUse: boolean,
    familiar: boolean,
  ): void {
    if (lastUse) {
      ap.lastUsedAt = at;
      ap.lastUsedIp = ip === '' ? null : ip;
      ap.lastUsedDoor = door;
    }
    if (familiar) familiarUpdate(ap.user, ip, at);
  }

  /** A success from `ip` that the write-behind will record as familiar within a second. */
  familiarNow(userId: string, ip: string, at: number): void {
    const user = this.users.get(userId);
    if (user !== undefined) familiarUpdate(user, ip, at);
  }

  /** Drops the least recently used entry, roughly: the oldest that was not used since it was last passed. */
  private evict(): void {
    for (let i = 0; i < 64; i++) {
      const first = this.aps.values().next().value as CachedAppPassword | undefined;
      if (first === undefined) return;
      this.aps.delete(first.key);
      if (first.hot && i < 63) {
        first.hot = false;
        this.aps.set(first.key, first);
        continue;
      }
      unlink(first);
      if (first.user.first === null && first.user.names === null) this.users.delete(first.user.id);
      return;
    }
  }

  /**
   * The account row for a primary-password check by `name` ('n:' + username or 'e:' + email), with
   * the guard columns for this source, when memory holds it; else undefined (read, then `fillAccount`).
   */
  getAccount(name: string, ip: string, source: string): HeldAccount | undefined {
    if (!this.started) return undefined;
    const a = this.accounts.get(name);
    const familiarAt = a === undefined ? undefined : familiarGet(a.user, ip);
    if (a === undefined || familiarAt === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    const until = this.locks.get(source);
    const locked = until !== undefined && until > this.now() ? until : null;
    const counters = a.user.hasCounters;
    const last = a.last;
    if (
      last !== null &&
      last.g_familiar_at === familiarAt &&
      last.g_counters === counters &&
      last.g_ip_locked === locked
    ) {
      return last;
    }
    const row = a.row;
    const held: HeldAccount = Object.freeze({
      ...row,
      g_familiar_at: familiarAt,
      g_counters: counters,
      g_ip_locked: locked,
      holder: a.holder,
      view:
        last?.view ??
        Object.freeze({
          id: row.id,
          username: row.username,
          email: row.email,
          displayName: row.display_name,
          role: row.role,
        }),
    });
    a.last = held;
    return held;
  }

  /** Keeps the account row the store answered for `name`, read after `mark`. */
  fillAccount(name: string, ip: string, row: UserCheckRow, mark: number): void {
    if (!this.started || this.closed || mark !== this.epoch) return;
    const user = this.userFrom({
      user_id: row.id,
      username: row.username,
      email: row.email,
      display_name: row.display_name,
      role: row.role,
      disabled_at: row.disabled_at,
      two_step_state: row.two_step_state,
      g_counters: row.g_counters,
    });
    this.remember(user, ip, row.g_familiar_at);
    if (!this.accounts.has(name)) {
      if (this.accounts.size >= this.capacity) {
        const first = this.accounts.keys().next().value as string;
        const old = this.accounts.get(first)!;
        this.accounts.delete(first);
        const names = old.user.names;
        if (names !== null) {
          const at = names.indexOf(first);
          if (at >= 0) names.splice(at, 1);
          if (names.length === 0) old.user.names = null;
        }
        if (old.user.first === null && old.user.names === null) this.users.delete(old.user.id);
      }
      const { g_familiar_at: _f, g_counters: _c, g_ip_locked: _l, ...plain } = row;
      this.accounts.set(name, { row: plain, user, last: null, holder: { usage: null } });
      if (user.names === null) user.names = [name];
      else user.names.push(name);
    }
  }

  /** The user entry for this row, made or brought up to date. */
  private userFrom(row: UserFields): CachedUser {
    let user = this.users.get(row.user_id);
    if (user === undefined) {
      user = userOf(row);
      this.users.set(row.user_id, user);
      return user;
    }
    user.username = row.username;
    user.email = row.email;
    user.displayName = row.display_name;
    user.role = row.role;
    user.disabledAt = row.disabled_at;
    user.twoStepState = row.two_step_state;
    user.hasCounters = row.g_counters === true || row.g_counters === 1;
    user.view = null;
    return user;
  }

  private remember(user: CachedUser, ip: string, familiarAt: number | null): void {
    const at = familiarAt === null ? null : Number(familiarAt);
    const f = user.familiar;
    if (f.length === 0) {
      // Made to measure: the first push would give the array room for eight more pairs.
      user.familiar = [ip, at];
      return;
    }
    for (let i = 0; i < f.length; i += 2) {
      if (f[i] === ip) {
        f[i + 1] = at;
        return;
      }
    }
    if (f.length >= 2 * FAMILIAR_PER_USER) f.splice(0, 2);
    f.push(ip, at);
  }
}

/** The last success of `user` from `ip` held here: null when not familiar, undefined when not held. */
function familiarGet(user: CachedUser, ip: string): number | null | undefined {
  const f = user.familiar;
  for (let i = 0; i < f.length; i += 2) if (f[i] === ip) return f[i + 1] as number | null;
  return undefined;
}

/** A success from a source held for this user: its time moves on (a source not held stays so). */
function familiarUpdate(user: CachedUser, ip: string, at: number): void {
  const f = user.familiar;
  for (let i = 0; i < f.length; i += 2) {
    if (f[i] === ip) {
      f[i + 1] = at;
      return;
    }
  }
}

/** Takes `ap` out of its user's list. */
function unlink(ap: CachedAppPassword): void {
  const user = ap.user;
  if (user.first === ap) user.first = ap.next;
  else {
    let p = user.first;
    while (p !== null && p.next !== ap) p = p.next;
    if (p !== null) p.next = ap.next;
  }
  ap.next = null;
}

type UserFields = Pick<
  AppPasswordCheckRow,
  'user_id' | 'username' | 'email' | 'display_name' | 'role' | 'disabled_at' | 'two_step_state' | 'g_counters'
>;

function userOf(row: UserFields): CachedUser {
  return {
    id: row.user_id,
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    disabledAt: row.disabled_at,
    twoStepState: row.two_step_state,
    hasCounters: row.g_counters === true || row.g_counters === 1,
    familiar: [],
    first: null,
    names: null,
    view: null,
  };
}

function entryOf(key: string, row: AppPasswordCheckRow, user: CachedUser): CachedAppPassword {
  return {
    key,
    id: row.id,
    label: row.label,
    scopes: row.scopes === null ? null : row.scopes.split(','),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    lastUsedIp: row.last_used_ip,
    lastUsedDoor: row.last_used_door,
    user,
    hot: false,
    usage: null,
    credential: Object.freeze({ kind: 'app_password' as const, id: row.id, label: row.label }),
    next: null,
  };
}
