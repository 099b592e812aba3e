// OpenID Connect clients (issue 10): the apps an administrator registers so that people can sign in to
// them through Latchkey. A client has a random id (never its name, which is only for people), a secret
// shown once and stored as a keyed hash like service secrets (none for public clients: SPAs, native
// and command-line apps, which use PKCE alone), the addresses the provider may send people back to,
// and the scopes it may ask for. The provider (http/oidc.ts) reads clients through clientMetadata().

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { keyedHash } from '../crypto/app-passwords.js';
import type { Executor } from '../store/database.js';
import {
  deleteClientRow,
  findClientById,
  findClientByName,
  insertClientRow,
  listClientRows,
  type OidcClientRow,
  setClientSecretHash,
  touchClientRow,
} from '../store/oidc-clients.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { LatchkeyError, type UriSubject } from './errors.js';
import { type Actor, authorize } from './policy.js';
import { asciiLower, MAX_SECRET_BYTES } from './validate.js';

/** What a client may ask for, in the order they are stored and shown. */
export const CLIENT_SCOPES = ['openid', 'profile', 'email', 'groups', 'offline_access', 'mail'] as const;
/**
 * What a new client may ask for unless told otherwise: everything but `mail`, which lets a token open
 * the person's mailbox (Dovecot's passdb oauth2) and is for mail apps only, given on purpose.
 */
export const DEFAULT_CLIENT_SCOPES = CLIENT_SCOPES.filter((s) => s !== 'mail');
export type ClientScope = (typeof CLIENT_SCOPES)[number];

export const MAX_REDIRECT_URIS = 20;
export const MAX_REDIRECT_URI_LENGTH = 2000;

/** Client ids carry a prefix so that they are never mistaken for a name (names may not start with it). */
const CLIENT_ID_PREFIX = 'lkc_';

export interface OidcClientView {
  clientId: string;
  name: string;
  /** No secret: the client proves nothing but PKCE (token_endpoint_auth_method "none"). */
  public: boolean;
  /** People are not asked to consent: an app the organization runs itself. */
  trusted: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  scopes: ClientScope[];
  createdAt: string;
  secretRotatedAt: string | null;
  lastUsedAt: string | null;
}

export interface NewClientInput {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  public?: boolean;
  trusted?: boolean;
  scopes?: string[];
  backchannelLogoutUri?: string | null;
}

/**
 * What oidc-provider's adapter returns for the `Client` model. `client_secret` is the keyed hash of
 * the secret (base64url), never the secret: the provider compares with checkClientSecret().
 * A type alias, not an interface, so that it is assignable to the adapter's payload type.
 */
export type OidcClientMetadata = {
  client_id: string;
  client_name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  response_types: ['code'];
  grant_types: string[];
  scope: string;
  token_endpoint_auth_method: 'none' | 'client_secret_basic';
  client_secret?: string;
  backchannel_logout_uri?: string;
  latchkey_trusted: boolean;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function view(r: OidcClientRow): OidcClientView {
  return {
    clientId: r.id,
    name: r.name,
    public: r.secret_hash === null,
    trusted: r.trusted === 1,
    redirectUris: JSON.parse(r.redirect_uris),
    postLogoutRedirectUris: JSON.parse(r.post_logout_redirect_uris),
    backchannelLogoutUri: r.backchannel_logout_uri,
    scopes: r.scopes.split(' ').filter(Boolean) as ClientScope[],
    createdAt: iso(r.created_at)!,
    secretRotatedAt: iso(r.secret_rotated_at),
    lastUsedAt: iso(r.last_used_at),
  };
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkClientName(name: unknown): string {
  const n = typeof name === 'string' ? asciiLower(name.trim()) : '';
  if (!NAME.test(n) || n.startsWith(CLIENT_ID_PREFIX)) throw new LatchkeyError('CLIENT_NAME_INVALID');
  return n;
}

/** The issuer relying parties are configured with: the public URL without a trailing slash. */
export function issuerOf(ctx: CoreContext): string {
  return ctx.publicUrl.replace(/\/+$/, '');
}

function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  // The URL parser has already written any IPv4 form (127.1, 0x7f.1) as a dotted quad.
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

/**
 * One redirect-type URI (redirect, post-logout, back-channel logout). Kept exactly as given: the
 * provider compares the app's redirect_uri with it character for character.
 */
export function checkRedirectUri(value: unknown, what: UriSubject = { field: 'redirect' }): string {
  type Why =
    | 'uriEmpty'
    | 'uriNotAscii'
    | 'uriNotAbsolute'
    | 'uriUserInfo'
    | 'uriFragment'
    | 'uriInvalid'
    | 'uriNoHost'
    | 'uriNotHttps';
  const bad = (why: Why) => new LatchkeyError('REDIRECT_URI_INVALID', { detail: why, params: { what } });
  if (typeof value !== 'string' || value.length === 0) throw bad('uriEmpty');
  if (value.length > MAX_REDIRECT_URI_LENGTH) {
    throw new LatchkeyError('REDIRECT_URI_INVALID', {
      detail: 'uriTooLong',
      params: { what, max: MAX_REDIRECT_URI_LENGTH },
    });
  }
  // URIs are ASCII (RFC 3986): anything else is percent-encoded. No spaces or control characters, and
  // no backslash, which URL parsers read as "/" and other programs do not.
  if (!/^[!-~]+$/.test(value) || value.includes('\\')) {
    throw bad('uriNotAscii');
  }
  const m = /^(https?):\/\/([^/?#]*)/i.exec(value);
  if (!m) throw bad('uriNotAbsolute');
  if (m[2]!.includes('@')) throw bad('uriUserInfo');
  if (value.includes('#')) throw bad('uriFragment');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('uriInvalid');
  }
  if (!url.hostname) throw bad('uriNoHost');
  // RFC 8252 §7.3/§8.3: native apps listen on the loopback interface over plain http; nothing else may.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw bad('uriNotHttps');
  }
  return value;
}

function checkUriList(values: unknown, field: UriSubject['field'], required: boolean): string[] {
  const what: UriSubject = { field };
  if (values === undefined || values === null) {
    if (required)
      throw new LatchkeyError('REDIRECT_URI_INVALID', { detail: 'urisRequired', params: { what } });
    return [];
  }
  if (!Array.isArray(values)) {
    throw new LatchkeyError('REDIRECT_URI_INVALID', { detail: 'urisNotList', params: { what } });
  }
  if (required && values.length === 0) {
    throw new LatchkeyError('REDIRECT_URI_INVALID', { detail: 'urisRequired', params: { what } });
  }
  if (values.length > MAX_REDIRECT_URIS) {
    throw new LatchkeyError('REDIRECT_URI_INVALID', {
      detail: 'urisTooMany',
      params: { what, max: MAX_REDIRECT_URIS },
    });
  }
  const out: string[] = [];
  values.forEach((v, i) => {
    const uri = checkRedirectUri(v, { field, n: i + 1 });
    if (!out.includes(uri)) out.push(uri);
  });
  return out;
}

export function checkClientScopes(scopes: unknown): ClientScope[] {
  if (scopes === undefined || scopes === null) return [...DEFAULT_CLIENT_SCOPES];
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.length > 16) {
    throw new LatchkeyError('CLIENT_SCOPE_INVALID');
  }
  const wanted = new Set<string>();
  for (const s of scopes) {
    if (typeof s !== 'string' || !(CLIENT_SCOPES as readonly string[]).includes(s)) {
      throw new LatchkeyError('CLIENT_SCOPE_INVALID');
    }
    wanted.add(s);
  }
  return CLIENT_SCOPES.filter((s) => wanted.has(s));
}

/** 128 random bits: a client id says nothing about the app, so nothing can be guessed from it. */
function newClientId(): string {
  return `${CLIENT_ID_PREFIX}${randomBytes(16).toString('base64url')}`;
}

/** Client secrets carry 256 bits; "lkcs_" marks them for secret scanners. */
function newClientSecret(): string {
  return `lkcs_${randomBytes(32).toString('base64url')}`;
}

async function findClient(db: Executor, nameOrId: string): Promise<OidcClientRow> {
  const row =
    typeof nameOrId === 'string' && nameOrId.startsWith(CLIENT_ID_PREFIX)
      ? nameOrId.length <= 64
        ? await findClientById(db, nameOrId)
        : undefined
      : await findClientByName(db, checkClientName(nameOrId));
  if (!row) throw new LatchkeyError('CLIENT_NOT_FOUND');
  return row;
}

/** Registers a client; its secret is in the answer and nowhere else, ever. */
export async function addClient(
  ctx: CoreContext,
  actor: Actor,
  input: NewClientInput,
): Promise<{ clientId: string; clientSecret: string | null; issuer: string }> {
  authorize(actor, 'clients.manage');
  const name = checkClientName(input.name);
  const redirectUris = checkUriList(input.redirectUris, 'redirect', true);
  const postLogoutRedirectUris = checkUriList(input.postLogoutRedirectUris, 'postLogout', false);
  const backchannelLogoutUri =
    input.backchannelLogoutUri === undefined ||
    input.backchannelLogoutUri === null ||
    input.backchannelLogoutUri === ''
      ? null
      : checkRedirectUri(input.backchannelLogoutUri, { field: 'backChannelLogout' });
  const scopes = checkClientScopes(input.scopes);
  const isPublic = input.public === true;
  const trusted = input.trusted === true;
  const clientSecret = isPublic ? null : newClientSecret();
  const row: OidcClientRow = {
    id: newClientId(),
    name,
    secret_hash: clientSecret === null ? null : keyedHash(ctx.keys.hmac, clientSecret),
    redirect_uris: JSON.stringify(redirectUris),
    post_logout_redirect_uris: JSON.stringify(postLogoutRedirectUris),
    scopes: scopes.join(' '),
    trusted: trusted ? 1 : 0,
    backchannel_logout_uri: backchannelLogoutUri,
    created_at: ctx.now(),
    secret_rotated_at: null,
    last_used_at: null,
  };
  await ctx.store.transaction(async (trx) => {
    if (await findClientByName(trx, name)) throw new LatchkeyError('CLIENT_EXISTS');
    await insertClientRow(trx, row);
    await recordAudit(ctx, trx, actor, 'oidc_client.created', `oidc_client:${name}`, {
      clientId: row.id,
      public: isPublic,
      trusted,
      redirectUris,
      scopes,
    });
  });
  return { clientId: row.id, clientSecret, issuer: issuerOf(ctx) };
}

export async function listClients(ctx: CoreContext, actor: Actor): Promise<OidcClientView[]> {
  authorize(actor, 'clients.manage');
  return (await listClientRows(ctx.store.db)).map(view);
}

/** One client, by its name or its client id. */
export async function getClient(ctx: CoreContext, actor: Actor, nameOrId: string): Promise<OidcClientView> {
  authorize(actor, 'clients.manage');
  return view(await findClient(ctx.store.db, nameOrId));
}

/**
 * Deletes a client and, in the same transaction, every code, token and grant the provider issued to it:
 * none of them works a moment longer.
 */
export async function deleteClient(ctx: CoreContext, actor: Actor, nameOrId: string): Promise<void> {
  authorize(actor, 'clients.manage');
  await ctx.store.transaction(async (trx) => {
    const row = await findClient(trx, nameOrId);
    const revoked = await deleteClientRow(trx, row.id);
    await recordAudit(ctx, trx, actor, 'oidc_client.deleted', `oidc_client:${row.name}`, {
      clientId: row.id,
      objectsRevoked: revoked,
    });
  });
}

/** A new secret, shown once; the old one stops working at once. Public clients have none. */
export async function rotateClientSecret(
  ctx: CoreContext,
  actor: Actor,
  nameOrId: string,
): Promise<{ clientId: string; clientSecret: string }> {
  authorize(actor, 'clients.manage');
  const clientSecret = newClientSecret();
  const clientId = await ctx.store.transaction(async (trx) => {
    const row = await findClient(trx, nameOrId);
    if (row.secret_hash === null) throw new LatchkeyError('CLIENT_PUBLIC');
    await setClientSecretHash(trx, row.id, keyedHash(ctx.keys.hmac, clientSecret), ctx.now());
    await recordAudit(ctx, trx, actor, 'oidc_client.secret_rotated', `oidc_client:${row.name}`, {
      clientId: row.id,
    });
    return row.id;
  });
  return { clientId, clientSecret };
}

export const CLIENT_GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
] as const;

/** The client as oidc-provider's adapter returns it (model `Client`), or undefined. No actor: the
 * provider asks on behalf of the app itself. */
export async function clientMetadata(
  ctx: CoreContext,
  clientId: string,
): Promise<OidcClientMetadata | undefined> {
  if (typeof clientId !== 'string' || !clientId.startsWith(CLIENT_ID_PREFIX) || clientId.length > 64) {
    return undefined;
  }
  const r = await findClientById(ctx.store.db, clientId);
  if (!r) return undefined;
  const v = view(r);
  const meta: OidcClientMetadata = {
    client_id: r.id,
    client_name: r.name,
    redirect_uris: v.redirectUris,
    post_logout_redirect_uris: v.postLogoutRedirectUris,
    response_types: ['code'],
    grant_types: [...CLIENT_GRANT_TYPES],
    scope: r.scopes,
    token_endpoint_auth_method: r.secret_hash === null ? 'none' : 'client_secret_basic',
    latchkey_trusted: v.trusted,
  };
  if (r.secret_hash !== null) meta.client_secret = Buffer.from(r.secret_hash).toString('base64url');
  if (r.backchannel_logout_uri !== null) meta.backchannel_logout_uri = r.backchannel_logout_uri;
  return meta;
}

/**
 * Whether `presented` is the secret whose keyed hash is `storedHashB64` (the `client_secret` of
 * clientMetadata). Constant time in the secret.
 */
export function checkClientSecret(ctx: CoreContext, storedHashB64: string, presented: string): boolean {
  if (typeof storedHashB64 !== 'string' || typeof presented !== 'string') return false;
  if (presented.length === 0 || Buffer.byteLength(presented, 'utf8') > MAX_SECRET_BYTES) return false;
  const stored = Buffer.from(storedHashB64, 'base64url');
  const actual = keyedHash(ctx.keys.hmac, presented);
  return stored.length === actual.length && timingSafeEqual(stored, actual);
}

/** Last use per node: at most one write a minute per client. */
const touched = new WeakMap<CoreContext, Map<string, number>>();

/** Records that a client was used (a token issued to it); written at most once a minute per client
 * per node, and never fails the caller. */
export async function touchClient(ctx: CoreContext, clientId: string): Promise<void> {
  if (typeof clientId !== 'string' || !clientId.startsWith(CLIENT_ID_PREFIX) || clientId.length > 64) return;
  let seen = touched.get(ctx);
  if (!seen) {
    seen = new Map();
    touched.set(ctx, seen);
  }
  const now = ctx.now();
  if ((seen.get(clientId) ?? Number.NEGATIVE_INFINITY) > now - 60_000) return;
  // Ids of deleted clients must not pile up in a long-running node.
  if (seen.size >= 10_000) seen.clear();
  seen.set(clientId, now);
  await touchClientRow(ctx.store.db, clientId, now).catch(() => {});
}
