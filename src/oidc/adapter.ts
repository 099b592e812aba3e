// oidc-provider's storage interface over the store (SQLite or PostgreSQL), so that every node sees the
// same codes, tokens, grants and sessions. Clients are not stored here: the `Client` model reads the
// clients an administrator registered (core/oidc-clients.ts).

import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Core } from '../core/index.js';
import {
  consumeOidcPayload,
  destroyOidcPayload,
  findOidcPayload,
  type OidcPayloadRow,
  revokeOidcGrant,
  upsertOidcPayload,
} from '../store/oidc-payloads.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export function adapterFactory(core: Core): (model: string) => Adapter {
  const db = () => core.ctx.store.db;
  const now = () => core.ctx.now();

  function read(row: OidcPayloadRow | undefined): AdapterPayload | undefined {
    if (!row) return undefined;
    if (row.expires_at !== null && Number(row.expires_at) <= now()) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    if (row.consumed_at !== null) payload.consumed = Math.floor(Number(row.consumed_at) / 1000);
    return payload;
  }

  return (model: string): Adapter => {
    if (model === 'Client') {
      return {
        async upsert() {},
        async find(id) {
          return (await core.oidcClients.clientMetadata(id)) as AdapterPayload | undefined;
        },
        async findByUid() {
          return undefined;
        },
        async findByUserCode() {
          return undefined;
        },
        async consume() {},
        async destroy() {},
        async revokeByGrantId() {},
      };
    }
    return {
      async upsert(id, payload, expiresIn) {
        await upsertOidcPayload(db(), {
          model,
          id,
          payload: JSON.stringify(payload),
          grant_id: str(payload.grantId),
          user_code: str(payload.userCode),
          uid: str(payload.uid),
          client_id: str(payload.clientId),
          account_id: str(payload.accountId),
          expires_at: typeof expiresIn === 'number' ? now() + expiresIn * 1000 : null,
          consumed_at: null,
        });
      },
      async find(id) {
        return read(await findOidcPayload(db(), model, 'id', id));
      },
      async findByUid(uid) {
        return read(await findOidcPayload(db(), model, 'uid', uid));
      },
      async findByUserCode(userCode) {
        return read(await findOidcPayload(db(), model, 'user_code', userCode));
      },
      async consume(id) {
        await consumeOidcPayload(db(), model, id, now());
      },
      async destroy(id) {
        await destroyOidcPayload(db(), model, id);
      },
      async revokeByGrantId(grantId) {
        await revokeOidcGrant(db(), grantId);
      },
    };
  };
}
