// Signing keys of the OpenID Connect provider (issue 10). Every node signs with the same keys, so they
// live in the store, each private JWK sealed under encryption.key (associated data: its kid). RS256
// (RSA 2048) only: it is the one algorithm every relying party verifies (mod_auth_openidc, Nextcloud's
// user_oidc, Grafana…).
//
// A key's life: published at created_at; signs from signs_from — an hour after it is published when it
// replaces another, so that relying parties whose JWKS cache predates it have fetched it before the
// first token signed with it arrives; retired when its successor starts signing, and still published
// for a day after that, longer than any token it signed lives (ID tokens: 1 h); then pruneKeys deletes
// it.

import { generateKeyPair, type JsonWebKey, type KeyObject, randomBytes } from 'node:crypto';
import { open, seal } from '../crypto/secret-box.js';
import type { Store } from '../store/database.js';
import {
  countKeyRows,
  deleteKeysRetiredBefore,
  insertKeyRow,
  keysVersionLookup,
  listKeyRows,
  type OidcKeyRow,
  retireKeysAt,
} from '../store/oidc-keys.js';
import { lockStoreWide } from '../store/settings.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { type Actor, authorize } from './policy.js';

export const SIGNING_ALG = 'RS256';
/** A new key is published this long before it signs anything. */
export const PUBLISH_BEFORE_SIGN_MS = 60 * 60_000;
/** A retired key stays published this long: longer than the longest-lived token it signed. */
export const VERIFY_AFTER_RETIRE_MS = 24 * 60 * 60_000;

/** A private JWK as oidc-provider's `jwks` option takes it. */
export type SigningJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };

const iso = (ms: number) => new Date(ms).toISOString();
const sealContext = (kid: string) => `oidc-key:${kid}`;

function generateRsaKey(): Promise<KeyObject> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _publicKey, privateKey) =>
      err ? reject(err) : resolve(privateKey),
    ),
  );
}

/** A new key row (not yet stored), generated off the event loop. */
async function newKeyRow(ctx: CoreContext, at: number, signsFrom: number): Promise<OidcKeyRow> {
  const privateKey = await generateRsaKey();
  const kid = randomBytes(12).toString('base64url');
  const jwk: SigningJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: SIGNING_ALG, use: 'sig' };
  return {
    kid,
    alg: SIGNING_ALG,
    sealed_jwk: seal(ctx.keys.encryption, JSON.stringify(jwk), sealContext(kid)),
    created_at: at,
    signs_from: signsFrom,
    retired_at: null,
  };
}

function openKey(ctx: CoreContext, row: OidcKeyRow): SigningJwk {
  const text = open(ctx.keys.encryption, row.sealed_jwk, sealContext(row.kid));
  // createCore refuses other server keys, so this is a damaged row: an outage, not a refusal.
  if (text === null) throw new Error(`The sealed OpenID Connect signing key ${row.kid} cannot be opened.`);
  return JSON.parse(text) as SigningJwk;
}

/**
 * The published keys at `now`, the one that signs first (oidc-provider signs with the first key of an
 * algorithm), then the ones waiting to sign (soonest first), then the retired ones (newest first).
 */
export function orderKeys<R extends Pick<OidcKeyRow, 'signs_from' | 'retired_at'>>(
  rows: R[],
  now: number,
): R[] {
  const live = rows.filter((r) => r.retired_at === null || now < r.retired_at + VERIFY_AFTER_RETIRE_MS);
  if (live.length === 0) return [];
  const started = live.filter((r) => r.signs_from <= now).sort((a, b) => b.signs_from - a.signs_from);
  // The signer is the newest key that has started; if none has (a clock set back), the soonest one.
  const signer = started[0] ?? [...live].sort((a, b) => a.signs_from - b.signs_from)[0]!;
  const waiting = live
    .filter((r) => r !== signer && r.signs_from > now)
    .sort((a, b) => a.signs_from - b.signs_from);
  const retired = started.filter((r) => r !== signer);
  return [signer, ...waiting, ...retired];
}

/** The first key: signs at once (no relying party has cached a key set yet). Safe against several
 * nodes starting together: one inserts under the store-wide lock, the others read it back. */
async function ensureKeys(ctx: CoreContext): Promise<OidcKeyRow[]> {
  const now = ctx.now();
  const row = await newKeyRow(ctx, now, now);
  return ctx.store.transaction(async (trx) => {
    await lockStoreWide(trx);
    if ((await countKeyRows(trx)) === 0) await insertKeyRow(trx, row);
    return listKeyRows(trx);
  });
}

/**
 * The provider's key set: private JWKs, the one that signs now first, then the others still published.
 * Generates the first key when there is none.
 */
export async function signingKeys(ctx: CoreContext): Promise<{ keys: SigningJwk[] }> {
  let rows = await listKeyRows(ctx.store.db);
  if (rows.length === 0) rows = await ensureKeys(ctx);
  return { keys: orderKeys(rows, ctx.now()).map((r) => openKey(ctx, r)) };
}

/**
 * Adds a key, published now, signing PUBLISH_BEFORE_SIGN_MS from now; the key that signs until then
 * is retired at that moment (and stays published VERIFY_AFTER_RETIRE_MS longer). With no key yet, the
 * new one signs at once.
 */
export async function rotateKeys(
  ctx: CoreContext,
  actor: Actor,
): Promise<{ kid: string; signsFrom: string }> {
  authorize(actor, 'keys.manage');
  const now = ctx.now();
  const row = await newKeyRow(ctx, now, now + PUBLISH_BEFORE_SIGN_MS);
  await ctx.store.transaction(async (trx) => {
    await lockStoreWide(trx);
    if ((await countKeyRows(trx)) === 0) row.signs_from = now;
    else await retireKeysAt(trx, row.signs_from);
    await insertKeyRow(trx, row);
    await recordAudit(ctx, trx, actor, 'oidc_keys.rotated', `oidc_key:${row.kid}`, {
      kid: row.kid,
      alg: row.alg,
      signsFrom: iso(row.signs_from),
    });
  });
  return { kid: row.kid, signsFrom: iso(row.signs_from) };
}

export interface SigningKeyView {
  kid: string;
  alg: string;
  createdAt: string;
  signsFrom: string;
  retiredAt: string | null;
  /** When it leaves the published key set (retired keys only). */
  unpublishedAt: string | null;
  /** signing: signs tokens now; next: published, signs from signsFrom; retired: published, signs
   * nothing; unpublished: past its verify window, waiting for housekeeping to delete it. */
  state: 'signing' | 'next' | 'retired' | 'unpublished';
}

/** The signing keys, newest first, with what each does now. Never the key material. */
export async function listKeys(ctx: CoreContext, actor: Actor): Promise<SigningKeyView[]> {
  authorize(actor, 'keys.manage');
  const rows = await listKeyRows(ctx.store.db);
  const now = ctx.now();
  const ordered = orderKeys(rows, now);
  const signer = ordered[0];
  return rows
    .map((r): SigningKeyView => {
      const published = ordered.includes(r);
      return {
        kid: r.kid,
        alg: r.alg,
        createdAt: iso(r.created_at),
        signsFrom: iso(r.signs_from),
        retiredAt: r.retired_at === null ? null : iso(r.retired_at),
        unpublishedAt: r.retired_at === null ? null : iso(r.retired_at + VERIFY_AFTER_RETIRE_MS),
        state:
          r === signer ? 'signing' : !published ? 'unpublished' : r.signs_from > now ? 'next' : 'retired',
      };
    })
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** Housekeeping: deletes keys whose verify window has ended; returns how many. */
export async function pruneKeys(ctx: CoreContext): Promise<number> {
  return deleteKeysRetiredBefore(ctx.store.db, ctx.now() - VERIFY_AFTER_RETIRE_MS);
}

const versionLookups = new WeakMap<Store, ReturnType<typeof keysVersionLookup>>();

/**
 * A cheap value that changes whenever signingKeys() would answer differently: a key added or pruned, a
 * waiting key starting to sign, a retired key leaving the set. Poll it and reload the keys on change.
 */
export async function keysVersion(ctx: CoreContext): Promise<string> {
  let lookup = versionLookups.get(ctx.store);
  if (!lookup) {
    lookup = keysVersionLookup(ctx.store);
    versionLookups.set(ctx.store, lookup);
  }
  const now = ctx.now();
  const r = await lookup(now, now - VERIFY_AFTER_RETIRE_MS);
  return [r.n, r.created, r.signing, r.expired].map((v) => (v === null ? '-' : String(v))).join('.');
}
