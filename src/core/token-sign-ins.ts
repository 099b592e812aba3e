// Mail logins with an OpenID Connect access token (XOAUTH2, OAUTHBEARER; issue 10). The mail server
// (Dovecot's `passdb oauth2`) asks the provider's introspection endpoint whether the token a mail client
// sent is live; the provider answers, and this records the answer in the sign-in log (B4) under the
// door the mail server names, beside the app-password logins of the same doors. No secret is checked
// here: the provider decided. The credential is `oidc_token`.
//
// Accepted logins are counted per credential, door, source and minute, like other non-browser checks
// (one upsert per check: the introspection that precedes it reads the token, its grant and its client,
// so this is not the app-password hot path of spec §6). Refusals cost no hashing, so a flood of bad
// tokens is counted per minute too, as locked and throttled refusals are in sign-in.ts.

import { addToBuckets } from '../store/events.js';
import { findOidcPayload } from '../store/oidc-payloads.js';
import { findUserById } from '../store/users.js';
import type { CoreContext } from './context.js';
import type { SignInReason } from './sign-in.js';
import { type Door, isDoor, normalizeIp } from './validate.js';

/** The `credential` of these events in the sign-in log. */
export const TOKEN_CREDENTIAL = 'oidc_token';

/** The doors a mail server may name: the ones whose logins can carry a token (SASL XOAUTH2/OAUTHBEARER). */
const MAIL_DOORS: ReadonlySet<Door> = new Set(['imap', 'pop3', 'smtp']);

/** A door the operator named (`?door=imap`), or null when it is not one of the mail doors. */
export function tokenDoor(value: unknown): Door | null {
  return isDoor(value) && MAIL_DOORS.has(value) ? value : null;
}

export type TokenCheckResult =
  /** The token is live and names this account, who may sign in. */
  | { active: true; accountId: string }
  /** The provider refused the token; `presented` is what the mail client sent (never stored). */
  | { active: false; presented: string | null };

function clean(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  return value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, max);
}

/** Records one mail login with a token, accepted or refused, under the door the mail server named. */
export async function recordTokenSignIn(
  ctx: CoreContext,
  check: { door: Door; ip: string | null; userAgent: string | null; result: TokenCheckResult },
): Promise<void> {
  const at = ctx.now();
  const ip = normalizeIp(check.ip);
  const minute = Math.floor(at / 60_000);
  const base = {
    at,
    last_at: at,
    count: 1,
    door: check.door,
    ip,
    user_agent: clean(check.userAgent, 256),
    credential: TOKEN_CREDENTIAL,
    app_password_id: null,
    app_password_label: null,
  };
  let userId: string | null = null;
  if (check.result.active) {
    userId = check.result.accountId;
  } else if (check.result.presented && check.result.presented.length <= 512) {
    // An expired token stays in the store until housekeeping (as does one checked in the moment its
    // person was disabled): its owner is known, and their log shows the refusal. A revoked one is
    // gone, and with it whose it was.
    const row = await findOidcPayload(ctx.store.db, 'AccessToken', 'id', check.result.presented);
    userId = row?.account_id ?? null;
  }
  const user = userId ? await findUserById(ctx.store.db, userId) : undefined;
  if (check.result.active && user) {
    await addToBuckets(ctx.store.db, [
      {
        ...base,
        username: user.username,
        user_id: user.id,
        result: 'accepted',
        reason: null,
        bucket: `${TOKEN_CREDENTIAL}|${minute}|${user.id}|${check.door}|${ip ?? ''}`,
      },
    ]);
    return;
  }
  const reason: SignInReason = user && user.disabled_at !== null ? 'user_disabled' : 'invalid_credentials';
  const username = user?.username ?? '';
  await addToBuckets(ctx.store.db, [
    {
      ...base,
      username,
      user_id: user?.id ?? null,
      result: 'refused',
      reason,
      bucket: `${TOKEN_CREDENTIAL}-refused|${reason}|${minute}|${ip ?? ''}|${username}|${check.door}`,
    },
  ]);
}
