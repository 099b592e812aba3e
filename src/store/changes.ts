// Reading the change feed of the check path (migration 009): the rows after the last one a node has
// seen, the locks of source addresses, and pruning. core/check-cache.ts decides what to do with them.

import pg from 'pg';
import type { Executor, Store } from './database.js';

export interface ChangeRow {
  seq: number;
  /** The user whose app passwords, account, counters or familiar sources changed. */
  user_id: string | null;
  /** The source address (its counter key without `ip:`) whose lock changed. */
  source: string | null;
}

/** More rows than this in one read: the node forgets everything instead of applying them one by one. */
export const CHANGES_PER_READ = 2000;

export interface FeedReader {
  lastSeq(): Promise<number>;
  since(seq: number): Promise<ChangeRow[]>;
  /** The lock of one source, if it is locked after `now`. */
  sourceLock(source: string, now: number): Promise<number | null>;
  /** Every source locked after `now`. */
  allSourceLocks(now: number): Promise<{ source: string; lockedUntil: number }[]>;
}

const SEQ = -987_654_321;
const KEY = '\u0000sentinel-key';

/**
 * The feed's queries, compiled once (Store.prepare): on SQLite they run on the read connection, so a
 * check reading the feed never waits behind a write transaction.
 */
export function feedReader(store: Store): FeedReader {
  const db = store.db;
  const last = store.prepare(
    db.selectFrom('check_changes').select((eb) => eb.fn.max('seq').as('seq')),
    [],
  );
  const since = store.prepare(
    db
      .selectFrom('check_changes')
      .select(['seq', 'user_id', 'source'])
      .where('seq', '>', SEQ)
      .orderBy('seq')
      .limit(CHANGES_PER_READ + 1),
    [SEQ],
  );
  const one = store.prepare(db.selectFrom('failure_counters').select('locked_until').where('key', '=', KEY), [
    KEY,
  ]);
  const all = store.prepare(
    db
      .selectFrom('failure_counters')
      .select(['key', 'locked_until'])
      .where('key', 'like', 'ip:%')
      .where('locked_until', 'is not', null),
    [],
  );
  return {
    async lastSeq() {
      return Number((await last([]))[0]?.seq ?? 0);
    },
    async since(seq) {
      return (await since([seq])).map((r) => ({
        seq: Number(r.seq),
        user_id: r.user_id,
        source: r.source,
      }));
    },
    async sourceLock(source, now) {
      const r = (await one([`ip:${source}`]))[0];
      return r && r.locked_until !== null && Number(r.locked_until) > now ? Number(r.locked_until) : null;
    },
    async allSourceLocks(now) {
      return (await all([]))
        .filter((r) => Number(r.locked_until) > now)
        .map((r) => ({ source: r.key.slice(3), lockedUntil: Number(r.locked_until) }));
    },
  };
}

export async function pruneChanges(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('check_changes').where('at', '<', before).execute();
}

/**
 * A dedicated PostgreSQL connection that LISTENs for the feed's notifications (one per transaction
 * that changed something, on any node). `onNotify` runs for each; `onLost` when the connection
 * fails, after which the caller decides when to listen again.
 */
export async function listenForChanges(
  connectionString: string,
  onNotify: () => void,
  onLost: (err: Error) => void,
): Promise<{ close(): Promise<void> }> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  let closing = false;
  const lost = (err: Error) => {
    if (closing) return;
    closing = true;
    client.end().catch(() => {});
    onLost(err);
  };
  client.on('error', lost);
  client.on('end', () => lost(new Error('the notification connection ended')));
  client.on('notification', onNotify);
  await client.connect();
  await client.query('listen latchkey_check_changes');
  return {
    async close() {
      closing = true;
      await client.end().catch(() => {});
    },
  };
}
