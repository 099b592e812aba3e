// Housekeeping of the OpenID Connect provider's state: expired codes, tokens, grants, sessions and
// interactions, and signing keys past their verify window. The provider ignores expired rows when it
// reads them; this keeps them from piling up.

import { findOidcPayload, pruneOidcPayloads } from '../store/oidc-payloads.js';
import type { CoreContext } from './context.js';
import { clientMetadata } from './oidc-clients.js';
import { pruneKeys } from './oidc-keys.js';

export async function pruneOidcState(ctx: CoreContext): Promise<{ payloads: number; keys: number }> {
  const payloads = await pruneOidcPayloads(ctx.store.db, ctx.now());
  const keys = await pruneKeys(ctx);
  return { payloads, keys };
}

/**
 * The name of the app an unfinished sign-in is for (the provider's interaction `uid`), so that the
 * sign-in page can say where the person is going; null when there is none (expired, or not an app's).
 */
export async function appOfInteraction(ctx: CoreContext, uid: string): Promise<string | null> {
  if (!/^[\w-]{10,64}$/.test(uid)) return null;
  const row = await findOidcPayload(ctx.store.db, 'Interaction', 'id', uid);
  if (!row || (row.expires_at !== null && Number(row.expires_at) <= ctx.now())) return null;
  let clientId: unknown;
  try {
    clientId = (JSON.parse(row.payload) as { params?: { client_id?: unknown } }).params?.client_id;
  } catch {
    return null;
  }
  if (typeof clientId !== 'string') return null;
  const client = await clientMetadata(ctx, clientId);
  return client?.client_name ?? null;
}
