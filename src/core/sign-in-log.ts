// Reading the sign-in log (B4). Writing happens in sign-in.ts (refusals, at once) and usage.ts
// (accepted non-browser checks, aggregated per minute).

import { listSignInEvents, pruneSignInEvents } from '../store/events.js';
import type { SignInEventRow } from '../store/schema.js';
import { findUserByName } from '../store/users.js';
import type { CoreContext } from './context.js';
import { type Actor, authorize } from './policy.js';
import { checkLimit, isValidUsername } from './validate.js';

export interface SignInEventView {
  id: number;
  at: string;
  lastAt: string;
  count: number;
  username: string;
  door: string;
  ip: string | null;
  userAgent: string | null;
  result: 'accepted' | 'refused';
  reason: string | null;
  credential: string | null;
  appPasswordId: string | null;
  appPasswordLabel: string | null;
}

export function signInView(r: SignInEventRow): SignInEventView {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    lastAt: new Date(r.last_at).toISOString(),
    count: r.count,
    username: r.username,
    door: r.door,
    ip: r.ip,
    userAgent: r.user_agent,
    result: r.result,
    reason: r.reason,
    credential: r.credential,
    appPasswordId: r.app_password_id,
    appPasswordLabel: r.app_password_label,
  };
}

export async function listSignIns(
  ctx: CoreContext,
  actor: Actor,
  q: { username?: string | null; limit?: unknown } = {},
): Promise<SignInEventView[]> {
  const limit = checkLimit(q.limit, 50);
  // Show what was accepted in the last second too.
  await ctx.usage.flush().catch(() => {});
  if (q.username) {
    // Any name that was tried can be looked up ("service:dovecot", a mistyped address), not only users.
    const name = q.username.trim().toLowerCase().slice(0, 128);
    const user = isValidUsername(name) ? await findUserByName(ctx.store.db, name) : undefined;
    authorize(actor, 'signIns.read', user?.id ?? null);
    // Attempts on names that do not exist are in the log under the name that was tried.
    const rows = await listSignInEvents(
      ctx.store.db,
      user ? { userId: user.id, limit } : { username: name, limit },
    );
    return rows.map(signInView);
  }
  authorize(actor, 'signIns.read');
  return (await listSignInEvents(ctx.store.db, { limit })).map(signInView);
}

export async function pruneSignIns(ctx: CoreContext): Promise<number> {
  const days = (await ctx.settings.get()).signInLogRetentionDays;
  return pruneSignInEvents(ctx.store.db, ctx.now() - days * 86_400_000);
}
