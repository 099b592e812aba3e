// Frozen: never edit a migration after it has landed; add the next number instead.
// The administrators' overview (issue 12, item 9) reads the last 7 days of the sign-in log in GROUP BY
// queries (store/overview.ts). Two of them would otherwise visit every row of the week through the
// `at` index: the lockouts (a few refused rows among millions of accepted ones) and the accounts still
// signing in to apps with their primary password. Both indexes are partial, so the write path of the
// log pays for them only on the rows they hold: refusals, and accepted primary-password checks; the
// second one covers its query (no table lookups).

import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.js';

export function up010(_dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    await sql`create index sign_in_events_reason_at on sign_in_events (reason, at)
      where reason is not null`.execute(db);
    await sql`create index sign_in_events_primary_at on sign_in_events (at, user_id, door, count)
      where credential = 'primary' and result = 'accepted'`.execute(db);
  };
}
