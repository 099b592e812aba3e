// Housekeeping of the OpenID Connect provider's state: expired codes, tokens, grants, sessions and
// interactions, and signing keys past their verify window. The provider ignores expired rows when it
// reads them; this keeps them from piling up.

import { pruneOidcPayloads } from '../store/oidc-payloads.js';
import type { CoreContext } from './context.js';
import { pruneKeys } from './oidc-keys.js';

export async function pruneOidcState(ctx: CoreContext): Promise<{ payloads: number; keys: number }> {
  const payloads = await pruneOidcPayloads(ctx.store.db, ctx.now());
  const keys = await pruneKeys(ctx);
  return { payloads, keys };
}
