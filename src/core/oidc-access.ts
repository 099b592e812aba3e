// The apps a person has let sign them in (issue 10): OpenID Connect clients holding a grant for their
// account, what each may see, when it was granted and last used; removing one app's access (its grants,
// codes and tokens for that person, and its place in their provider sessions); and the sign-in log's
// record of each sign-in to an app (door `oidc`), written by the provider's door.
//
// "Last used" is per person: the newest token the app was given for this account, or the newest sign-in
// to it in the log, whichever is later. Tokens live at most 14 days and the log 90 (by default), so an
// app unused for longer shows no last use; its grant has expired by then anyway.

import { insertSignInEvent } from '../store/events.js';
import { dropClientFromSessions, lastAppSignIns, listAccessRows } from '../store/oidc-access.js';
import { findClientById } from '../store/oidc-clients.js';
import { deleteOidcPayloadsOfAccount } from '../store/oidc-payloads.js';
import { findUserById, lockUser } from '../store/users.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import { CLIENT_SCOPES, type ClientScope } from './oidc-clients.js';
import { type Actor, authorize } from './policy.js';
import { OIDC_DOOR } from './sign-in-log.js';
import { normalizeIp } from './validate.js';

export interface AppAccessView {
  clientId: string;
  /** The client's name, as the administrator registered it. */
  name: string;
  /** An app of the organization's own: it signs people in without asking, and will again. */
  trusted: boolean;
  /** What the person let it see, in the order of CLIENT_SCOPES. */
  scopes: ClientScope[];
  /** When the person first let it in (of the grants still live). */
  grantedAt: string;
  /** The newest token it was given for this person, or sign-in to it, whichever is later. */
  lastUsedAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Scopes a grant's payload holds, less the ones the person refused (openid cannot be refused). */
function grantedScopes(payload: {
  openid?: { scope?: string };
  rejected?: { openid?: { scope?: string } };
}): string[] {
  const granted = String(payload.openid?.scope ?? '')
    .split(' ')
    .filter(Boolean);
  const rejected = new Set(
    String(payload.rejected?.openid?.scope ?? '')
      .split(' ')
      .filter((x) => x && x !== 'openid'),
  );
  return granted.filter((x) => !rejected.has(x));
}

/** The apps with access to one person's account, by name. */
export async function listAppAccess(
  ctx: CoreContext,
  actor: Actor,
  userId: string,
): Promise<AppAccessView[]> {
  const user = typeof userId === 'string' ? await findUserById(ctx.store.db, userId) : undefined;
  if (!user) throw new LatchkeyError('USER_NOT_FOUND');
  authorize(actor, 'appAccess.list', user.id);
  const [rows, signIns] = await Promise.all([
    listAccessRows(ctx.store.db, user.id, ctx.now()),
    lastAppSignIns(ctx.store.db, user.id),
  ]);
  const byClient = new Map<
    string,
    { grantedAt: number | null; scopes: Set<string>; lastToken: number | null }
  >();
  for (const r of rows) {
    let a = byClient.get(r.client_id);
    if (!a) {
      a = { grantedAt: null, scopes: new Set(), lastToken: null };
      byClient.set(r.client_id, a);
    }
    const payload = JSON.parse(r.payload) as { iat?: number } & Parameters<typeof grantedScopes>[0];
    const at = typeof payload.iat === 'number' ? payload.iat * 1000 : null;
    if (r.model === 'Grant') {
      if (at !== null) a.grantedAt = a.grantedAt === null ? at : Math.min(a.grantedAt, at);
      for (const s of grantedScopes(payload)) a.scopes.add(s);
    } else if (at !== null) {
      a.lastToken = a.lastToken === null ? at : Math.max(a.lastToken, at);
    }
  }
  const out: AppAccessView[] = [];
  for (const [clientId, a] of byClient) {
    // Tokens whose grant has gone no longer work: only grants give access.
    if (a.grantedAt === null) continue;
    const client = await findClientById(ctx.store.db, clientId);
    if (!client) continue;
    const signedIn = signIns.get(clientId) ?? null;
    const last =
      a.lastToken === null ? signedIn : signedIn === null ? a.lastToken : Math.max(a.lastToken, signedIn);
    out.push({
      clientId,
      name: client.name,
      trusted: client.trusted === 1,
      scopes: CLIENT_SCOPES.filter((s) => a.scopes.has(s)),
      grantedAt: iso(a.grantedAt)!,
      lastUsedAt: iso(last),
    });
  }
  return out.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/**
 * Ends one app's access to one person's account, at once and on every node: their grants, codes and
 * tokens for that app are deleted (introspection answers inactive, refresh fails) and the app leaves
 * their provider sessions, with an audit event, in one transaction. The person's other apps and their
 * single sign-on are untouched. A trusted app signs them in again without asking the next time they
 * open it; any other app asks for their consent again.
 */
export async function revokeAppAccess(
  ctx: CoreContext,
  actor: Actor,
  userId: string,
  clientId: string,
): Promise<{ removed: number }> {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 64)
    throw new LatchkeyError('USER_NOT_FOUND');
  if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 64)
    throw new LatchkeyError('APP_ACCESS_NOT_FOUND');
  return ctx.store.transaction(async (trx) => {
    // Under the user's row lock: the helpdesk's right depends on the role, which must not change meanwhile.
    await lockUser(trx, userId);
    const user = await findUserById(trx, userId);
    if (!user) throw new LatchkeyError('USER_NOT_FOUND');
    authorize(actor, 'appAccess.revoke', user.id, user.role);
    const removed = await deleteOidcPayloadsOfAccount(trx, user.id, clientId);
    const sessions = await dropClientFromSessions(trx, user.id, clientId);
    if (removed === 0 && sessions === 0) throw new LatchkeyError('APP_ACCESS_NOT_FOUND');
    const client = await findClientById(trx, clientId);
    await recordAudit(ctx, trx, actor, 'oidc_access.revoked', user.username, {
      clientId,
      app: client?.name ?? null,
      objectsRevoked: removed,
    });
    return { removed };
  });
}

function clean(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  return value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, max);
}

export interface AppSignIn {
  userId: string;
  clientId: string;
  ip: string | null;
  userAgent: string | null;
  /** The second step of the portal session the sign-in rode on (totp, webauthn, password, …). */
  method: string | null;
  /** The person chose Cancel when the app asked to sign them in. */
  refused?: boolean;
}

/**
 * One sign-in to an app through the OpenID Connect provider, in the sign-in log as its own event (B4):
 * door `oidc`, the app's client id and name, the method of the web sign-in it rode on. No actor: the
 * provider's door records what happened, as the browser sign-in does.
 */
export async function recordAppSignIn(ctx: CoreContext, e: AppSignIn): Promise<void> {
  const user = typeof e.userId === 'string' ? await findUserById(ctx.store.db, e.userId) : undefined;
  if (!user) return;
  const client = typeof e.clientId === 'string' ? await findClientById(ctx.store.db, e.clientId) : undefined;
  if (!client) return;
  const at = ctx.now();
  await insertSignInEvent(ctx.store.db, {
    at,
    last_at: at,
    count: 1,
    username: user.username,
    user_id: user.id,
    door: OIDC_DOOR,
    ip: normalizeIp(e.ip),
    user_agent: clean(e.userAgent, 256),
    result: e.refused ? 'refused' : 'accepted',
    reason: e.refused ? 'consent_refused' : null,
    credential: clean(e.method, 32),
    app_password_id: client.id,
    app_password_label: client.name,
    bucket: null,
  });
}
