// Frozen: never edit a migration after it has landed; add the next number instead.
// The OpenID Connect provider (issue 10): registered clients, signing keys (sealed with
// encryption.key, so that every node signs with the same keys), and the provider's own state — codes,
// tokens, grants, sessions, interactions, device codes — one row per object, as oidc-provider's
// adapter interface sees them.

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up007(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('oidc_clients')
      // The client_id people paste into an app's settings: random, never the name.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      // Keyed hash of the secret; null for public clients (PKCE, no secret).
      .addColumn('secret_hash', blob)
      // JSON arrays of absolute URIs.
      .addColumn('redirect_uris', 'text', (c) => c.notNull())
      .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull())
      // Space-separated scopes the client may ask for.
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('trusted', 'integer', (c) => c.notNull())
      .addColumn('backchannel_logout_uri', 'text')
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('secret_rotated_at', bigint)
      .addColumn('last_used_at', bigint)
      .execute();

    await db.schema
      .createTable('oidc_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      // The private JWK, sealed (AES-256-GCM under encryption.key, associated data: the kid).
      .addColumn('sealed_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      // Published from created_at; signs from signs_from (published first, so caches of the JWKS
      // know it before a token signed with it arrives); retired keys still verify until removed.
      .addColumn('signs_from', bigint, (c) => c.notNull())
      .addColumn('retired_at', bigint)
      .execute();

    await db.schema
      .createTable('oidc_payloads')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      // The payload as JSON text.
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('user_code', 'text')
      .addColumn('uid', 'text')
      .addColumn('client_id', 'text')
      .addColumn('account_id', 'text')
      .addColumn('expires_at', bigint)
      .addColumn('consumed_at', bigint)
      .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
      .execute();
    await db.schema.createIndex('oidc_payloads_grant').on('oidc_payloads').column('grant_id').execute();
    await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').column('uid').execute();
    await db.schema.createIndex('oidc_payloads_user_code').on('oidc_payloads').column('user_code').execute();
    await db.schema.createIndex('oidc_payloads_account').on('oidc_payloads').column('account_id').execute();
    await db.schema.createIndex('oidc_payloads_client').on('oidc_payloads').column('client_id').execute();
    await db.schema.createIndex('oidc_payloads_expires').on('oidc_payloads').column('expires_at').execute();
  };
}
