// Frozen: never edit a migration after it has landed; add the next number instead.
// Device sign-in (issue 13 item 4), the security review: requests waiting are counted per source as
// every other limit counts them (core/validate.ts sourceKey: an IPv4 address, or an IPv6 address's
// /64), not per full address, so one host holding a /64 cannot fill the global cap from many
// addresses. `source` is that key; rows from before (ten minutes' worth at most) take their address.

import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../database.js';

export function up016(_dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.alterTable('device_logins').addColumn('source', 'text').execute();
    await sql`update device_logins set source = ip`.execute(db);
    await db.schema
      .createIndex('device_logins_source')
      .on('device_logins')
      .columns(['source', 'status'])
      .execute();
  };
}
