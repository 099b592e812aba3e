// The sign-in log and the audit log. Both are append-only from the core's point of view; the audit table
// refuses UPDATE and DELETE in the database itself. Accepted non-browser checks are aggregated per
// credential, door, source and minute through the `bucket` key.

import { sql } from 'kysely';
import type { Executor } from './database.js';
import { WRITE_BATCH, yieldToEventLoop } from './database.js';
import type { AuditEventRow, SignInEventRow, SignInEventsTable } from './schema.js';

export type NewSignInEvent = Omit<SignInEventsTable, 'id'>;

export async function insertSignInEvent(db: Executor, e: NewSignInEvent): Promise<void> {
  await db.insertInto('sign_in_events').values(e).execute();
}

/**
 * Adds counted accepted checks to their minute buckets (one row per bucket, across flushes and nodes),
 * WRITE_BATCH rows per statement.
 */
export async function addToBuckets(db: Executor, events: NewSignInEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += WRITE_BATCH) {
    if (i > 0) await yieldToEventLoop();
    await db
      .insertInto('sign_in_events')
      .values(events.slice(i, i + WRITE_BATCH))
      .onConflict((oc) =>
        oc.column('bucket').doUpdateSet((eb) => ({
          count: eb('sign_in_events.count', '+', eb.ref('excluded.count')),
          // Portable max(): SQLite's is max(a, b), PostgreSQL's is greatest(a, b).
          last_at: sql<number>`case when excluded.last_at > sign_in_events.last_at then excluded.last_at else sign_in_events.last_at end`,
        })),
      )
      .execute();
  }
}

export interface SignInQuery {
  userId?: string | null;
  username?: string | null;
  door?: string | null;
  result?: 'accepted' | 'refused' | null;
  reason?: string | null;
  /** Events whose last attempt is at or after this time (ms). */
  since?: number | null;
  /** Events whose first attempt is before this time (ms). */
  until?: number | null;
  /** Keyset paging: rows after this one in the log's order (newest last attempt first, then id). */
  before?: { lastAt: number; id: number } | null;
  limit: number;
}

export function listSignInEvents(db: Executor, q: SignInQuery): Promise<SignInEventRow[]> {
  let query = db
    .selectFrom('sign_in_events')
    .selectAll()
    .orderBy('last_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit);
  if (q.userId) query = query.where('user_id', '=', q.userId);
  else if (q.username) query = query.where('username', '=', q.username);
  if (q.door) query = query.where('door', '=', q.door);
  if (q.result) query = query.where('result', '=', q.result);
  if (q.reason) query = query.where('reason', '=', q.reason);
  if (q.since != null) query = query.where('last_at', '>=', q.since);
  if (q.until != null) query = query.where('at', '<', q.until);
  if (q.before) {
    const b = q.before;
    query = query.where((eb) =>
      eb.or([eb('last_at', '<', b.lastAt), eb.and([eb('last_at', '=', b.lastAt), eb('id', '<', b.id)])]),
    );
  }
  return query.execute();
}

export async function pruneSignInEvents(db: Executor, before: number): Promise<number> {
  const r = await db.deleteFrom('sign_in_events').where('last_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertAuditEvent(db: Executor, e: Omit<AuditEventRow, 'id'>): Promise<void> {
  await db.insertInto('audit_events').values(e).execute();
}

export function listAuditEvents(
  db: Executor,
  q: { limit: number; target?: string | null; beforeId?: number | null },
): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.target) query = query.where('target', '=', q.target);
  if (q.beforeId != null) query = query.where('id', '<', q.beforeId);
  return query.execute();
}
