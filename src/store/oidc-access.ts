// What one person has given OpenID Connect apps (issue 10): their live grants and the tokens issued
// under them (rows of oidc_payloads, by account), the app sign-ins the log recorded for them, and the
// removal of one app's entry from their provider sessions when its access is removed.

import type { Executor } from './database.js';

/** The models whose rows say an app has, or had lately, access to an account. */
const ACCESS_MODELS = ['Grant', 'AccessToken', 'RefreshToken'] as const;

export interface AccessRow {
  model: (typeof ACCESS_MODELS)[number];
  client_id: string;
  payload: string;
}

/** A person's live grants and tokens (expired rows wait for housekeeping; the provider ignores them). */
export async function listAccessRows(db: Executor, accountId: string, now: number): Promise<AccessRow[]> {
  const rows = await db
    .selectFrom('oidc_payloads')
    .select(['model', 'client_id', 'payload'])
    .where('account_id', '=', accountId)
    .where('model', 'in', [...ACCESS_MODELS])
    .where('client_id', 'is not', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
  return rows as AccessRow[];
}

/**
 * The last accepted app sign-in (door `oidc`) of a person per client id, from the sign-in log. Those
 * events keep the client id in app_password_id (see core/sign-in-log.ts).
 */
export async function lastAppSignIns(db: Executor, userId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('sign_in_events')
    .select((eb) => ['app_password_id', eb.fn.max('last_at').as('last')])
    .where('user_id', '=', userId)
    .where('door', '=', 'oidc')
    .where('result', '=', 'accepted')
    .where('app_password_id', 'is not', null)
    .groupBy('app_password_id')
    .execute();
  return new Map(rows.map((r) => [r.app_password_id!, Number(r.last)]));
}

/**
 * Takes one client out of a person's provider sessions: the session then no longer names a grant of
 * that app, nor sends it a logout. The sessions themselves stay (single sign-on to other apps goes on).
 * Returns how many sessions changed.
 */
export async function dropClientFromSessions(
  db: Executor,
  accountId: string,
  clientId: string,
): Promise<number> {
  const rows = await db
    .selectFrom('oidc_payloads')
    .select(['id', 'payload'])
    .where('model', '=', 'Session')
    .where('account_id', '=', accountId)
    .execute();
  let changed = 0;
  for (const r of rows) {
    const payload = JSON.parse(r.payload) as { authorizations?: Record<string, unknown> };
    if (!payload.authorizations || !(clientId in payload.authorizations)) continue;
    delete payload.authorizations[clientId];
    await db
      .updateTable('oidc_payloads')
      .set({ payload: JSON.stringify(payload) })
      .where('model', '=', 'Session')
      .where('id', '=', r.id)
      .execute();
    changed += 1;
  }
  return changed;
}
