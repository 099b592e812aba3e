// Frozen: never edit a migration after it has landed; add the next number instead.
// RADIUS clients (NAS: VPN concentrators, Wi-Fi controllers; issue 13). RADIUS needs the shared secret
// itself (it keys MD5 and HMAC-MD5 over every packet), so it is sealed with encryption.key, as TOTP
// seeds are, never hashed. `cidr` is the canonical address or range packets must come from.

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up012(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('radius_clients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('cidr', 'text', (c) => c.notNull())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('require_message_authenticator', 'integer', (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .execute();
  };
}
