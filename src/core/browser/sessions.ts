// Browser sessions and remembered devices: made when a sign-in finishes, read on every page, ended
// one at a time or everywhere. The browser holds a random token; the store holds its keyed hash. A
// session hands out a SessionView: the person as a BrowserUser, never their row.

import { timingSafeEqual } from 'node:crypto';
import { newId } from '../../crypto/ids.js';
import { denyApprovedOf } from '../../store/device-logins.js';
import {
  deleteSession,
  deleteUserSessions,
  findDeviceByHash,
  findSessionByHash,
  findSessionIdByHash,
  insertDevice,
  insertSession,
  listUserSessions,
  pruneDevices,
  pruneSessions,
  type SessionListRow,
  touchDevice,
  updateSession,
} from '../../store/sessions.js';
import { recordAudit } from '../audit.js';
import type { CoreContext } from '../context.js';
import { normalizeIp } from '../validate.js';
import {
  browserUser,
  type Client,
  newToken,
  type SessionView,
  TOKEN,
  type TokenHasher,
  userActor,
} from './shared.js';

export function makeSessions(ctx: CoreContext, hash: TokenHasher) {
  const agent = (client: Client) => (client.userAgent ? client.userAgent.slice(0, 256) : null);

  return {
    /** A new session for a person who just finished signing in; the browser gets the token. */
    async create(userId: string, method: string, strong: boolean, client: Client): Promise<string> {
      const token = newToken();
      const now = ctx.now();
      const settings = await ctx.settings.get();
      await insertSession(ctx.store.db, {
        id: newId(),
        hash: hash('session', token),
        user_id: userId,
        created_at: now,
        expires_at: now + settings.sessionLifetimeMinutes * 60_000,
        last_seen_at: now,
        two_step_at: strong ? now : null,
        method,
        ip: normalizeIp(client.ip),
        user_agent: agent(client),
      });
      return token;
    },

    async session(token: string | null | undefined): Promise<SessionView | null> {
      if (typeof token !== 'string' || !TOKEN.test(token)) return null;
      const s = await findSessionByHash(ctx.store.db, hash('session', token));
      const now = ctx.now();
      if (!s) return null;
      if (s.expires_at <= now || s.user.disabled_at !== null) {
        await deleteSession(ctx.store.db, s.id);
        return null;
      }
      if (s.last_seen_at < now - 60_000) await updateSession(ctx.store.db, s.id, { last_seen_at: now });
      const settings = await ctx.settings.get();
      return {
        id: s.id,
        user: browserUser(s.user, settings.requireTwoStepForEveryone),
        actor: userActor(s.user, null),
        createdAt: s.created_at,
        expiresAt: s.expires_at,
        strongAt: s.two_step_at,
        method: s.method,
      };
    },

    /** A sudo check passed in this session: it counts as strong from now, by this method. */
    async raise(sessionId: string, method: string): Promise<void> {
      await updateSession(ctx.store.db, sessionId, { two_step_at: ctx.now(), method });
    },

    /** The form token of a session or flow: derived, so there is nothing more to store. */
    csrfToken(token: string): string {
      return hash('csrf', token).subarray(0, 18).toString('base64url');
    },

    checkCsrf(token: string | null | undefined, given: unknown): boolean {
      if (typeof token !== 'string' || typeof given !== 'string' || given.length !== 24) return false;
      const want = Buffer.from(hash('csrf', token).subarray(0, 18).toString('base64url'));
      const got = Buffer.from(given);
      return got.length === want.length && timingSafeEqual(got, want);
    },

    async signOut(token: string | null | undefined): Promise<void> {
      if (typeof token !== 'string' || !TOKEN.test(token)) return;
      const id = await findSessionIdByHash(ctx.store.db, hash('session', token));
      if (id) await deleteSession(ctx.store.db, id);
    },

    async signOutEverywhere(s: SessionView): Promise<number> {
      return ctx.store.transaction(async (trx) => {
        // A device sign-in approved but not yet collected goes with the sessions (core/device-login.ts).
        await denyApprovedOf(trx, s.user.id);
        const n = await deleteUserSessions(trx, s.user.id);
        await recordAudit(ctx, trx, s.actor, 'sessions.revoked', s.user.username, { count: n });
        return n;
      });
    },

    listSessions(userId: string): Promise<SessionListRow[]> {
      return listUserSessions(ctx.store.db, userId);
    },

    // ---- remembered devices

    /** Remembers this browser for the second step, when the organisation allows it. */
    async rememberDevice(userId: string, client: Client): Promise<string | null> {
      const settings = await ctx.settings.get();
      if (settings.rememberDeviceDays <= 0) return null;
      const token = newToken();
      const now = ctx.now();
      await insertDevice(ctx.store.db, {
        id: newId(),
        hash: hash('device', token),
        user_id: userId,
        created_at: now,
        expires_at: now + settings.rememberDeviceDays * 86_400_000,
        last_used_at: now,
        ip: normalizeIp(client.ip),
        user_agent: agent(client),
      });
      return token;
    },

    async isRememberedDevice(userId: string, token: string): Promise<boolean> {
      if (!TOKEN.test(token)) return false;
      const d = await findDeviceByHash(ctx.store.db, hash('device', token));
      return d !== undefined && d.user_id === userId && d.expires_at > ctx.now();
    },

    async touchRememberedDevice(userId: string, token: string, ip: string | null): Promise<void> {
      if (!TOKEN.test(token)) return;
      const d = await findDeviceByHash(ctx.store.db, hash('device', token));
      if (d && d.user_id === userId) await touchDevice(ctx.store.db, d.id, ctx.now(), normalizeIp(ip));
    },

    /** Expired sessions and remembered devices (housekeeping). */
    async prune(): Promise<void> {
      await pruneSessions(ctx.store.db, ctx.now());
      await pruneDevices(ctx.store.db, ctx.now());
    },
  };
}

export type Sessions = ReturnType<typeof makeSessions>;
