// Admin API tokens (spec: `latchkey token create --role admin|helpdesk [--expires 90d]`): a bearer
// secret shown once, stored as a keyed hash like app passwords, with a role, an optional expiry and a
// revocation that applies to the next request on every node (every request reads the store).

import { randomBytes } from 'node:crypto';
import { keyedHash } from '../crypto/app-passwords.js';
import { newId } from '../crypto/ids.js';
import type { Role } from '../store/schema.js';
import {
  findToken,
  insertToken,
  listTokenRows,
  revokeTokenRow,
  type TokenRow,
  tokenByHashLookup,
  touchToken,
} from '../store/tokens.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import { type Actor, actorLabel, authorize } from './policy.js';
import { checkLabel, MAX_SECRET_BYTES, parseExpiry } from './validate.js';

export interface TokenView {
  id: string;
  role: Role;
  label: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  active: boolean;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function view(r: TokenRow, now: number): TokenView {
  return {
    id: r.id,
    role: r.role,
    label: r.label,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at),
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
    active: r.revoked_at === null && (r.expires_at === null || r.expires_at > now),
  };
}

export async function createToken(
  ctx: CoreContext,
  actor: Actor,
  input: { role: string; expires?: string | null; label?: string | null },
): Promise<TokenView & { token: string }> {
  authorize(actor, 'tokens.manage');
  if (input.role !== 'admin' && input.role !== 'helpdesk') {
    throw new LatchkeyError('ROLE_INVALID', { detail: 'tokenRole' });
  }
  const now = ctx.now();
  const expiresAt = parseExpiry(input.expires ?? null, now);
  const label = input.label ? checkLabel(input.label) : null;
  // "lkt_" marks admin tokens in config files and secret scanners; 256 bits.
  const token = `lkt_${randomBytes(32).toString('base64url')}`;
  const row = {
    id: newId(),
    role: input.role as Role,
    label,
    created_by: actorLabel(actor),
    created_at: now,
    expires_at: expiresAt,
    revoked_at: null,
    last_used_at: null,
  };
  await ctx.store.transaction(async (trx) => {
    await insertToken(trx, { ...row, hash: keyedHash(ctx.keys.hmac, token) });
    await recordAudit(ctx, trx, actor, 'token.created', `token:${row.id}`, {
      role: row.role,
      label,
      expiresAt: iso(expiresAt),
    });
  });
  return { ...view(row, now), token };
}

export async function listTokens(ctx: CoreContext, actor: Actor): Promise<TokenView[]> {
  authorize(actor, 'tokens.manage');
  const now = ctx.now();
  return (await listTokenRows(ctx.store.db)).map((r) => view(r, now));
}

export async function revokeToken(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'tokens.manage');
  await ctx.store.transaction(async (trx) => {
    if (!(await findToken(trx, id))) throw new LatchkeyError('TOKEN_NOT_FOUND');
    if (await revokeTokenRow(trx, id, ctx.now()))
      await recordAudit(ctx, trx, actor, 'token.revoked', `token:${id}`);
  });
}

export type TokenAuthenticator = (secret: string, ip: string | null) => Promise<Actor | null>;

/** The actor behind a bearer token, or null (unknown, expired or revoked: all the same to the caller). */
export function makeTokenAuthenticator(ctx: CoreContext): TokenAuthenticator {
  const lookup = tokenByHashLookup(ctx.store);
  return async (secret, ip) => {
    if (!secret.startsWith('lkt_') || Buffer.byteLength(secret) > MAX_SECRET_BYTES) return null;
    const row = await lookup(keyedHash(ctx.keys.hmac, secret));
    const now = ctx.now();
    if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return null;
    if (row.last_used_at === null || row.last_used_at < now - 60_000) {
      await touchToken(ctx.store.db, row.id, now).catch(() => {});
    }
    return { kind: 'token', tokenId: row.id, role: row.role, ip };
  };
}
