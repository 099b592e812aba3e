// Service accounts (spec §7): named by an administrator, each with a generated secret shown once and
// stored as a keyed hash, like app passwords. Dovecot, nginx and apps use them to bind to LDAP (as
// cn=NAME,ou=services,BASE_DN) and to call POST /api/v1/verify (as a bearer token).

import { randomBytes } from 'node:crypto';
import { keyedHash } from '../crypto/app-passwords.js';
import { newId } from '../crypto/ids.js';
import { insertSignInEvent } from '../store/events.js';
import { sourceLockedUntil } from '../store/guard.js';
import {
  deleteServiceRow,
  findServiceByName,
  insertService,
  listServiceRows,
  type ServiceRow,
  serviceByHashLookup,
  touchServices,
} from '../store/services.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import { recordFailure } from './lockout.js';
import { type Actor, authorize } from './policy.js';
import { asciiLower, type Door, MAX_SECRET_BYTES, normalizeIp, sourceKey } from './validate.js';

export interface ServiceView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const view = (r: ServiceRow): ServiceView => ({
  id: r.id,
  name: r.name,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at).toISOString(),
});

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkServiceName(name: unknown): string {
  const n = typeof name === 'string' ? asciiLower(name.trim()) : '';
  if (!NAME.test(n)) throw new LatchkeyError('SERVICE_NAME_INVALID');
  return n;
}

/** Service secrets carry 256 bits; "lks_" marks them in config files and secret scanners. */
function generateServiceSecret(): string {
  return `lks_${randomBytes(32).toString('base64url')}`;
}

export async function addService(
  ctx: CoreContext,
  actor: Actor,
  name: string,
): Promise<ServiceView & { secret: string }> {
  authorize(actor, 'services.manage');
  const n = checkServiceName(name);
  const secret = generateServiceSecret();
  const row = { id: newId(), name: n, created_at: ctx.now(), last_used_at: null };
  await ctx.store.transaction(async (trx) => {
    if (await findServiceByName(trx, n)) throw new LatchkeyError('SERVICE_EXISTS');
    await insertService(trx, { ...row, hash: keyedHash(ctx.keys.hmac, secret) });
    await recordAudit(ctx, trx, actor, 'service.created', `service:${n}`);
  });
  return { ...view(row), secret };
}

export async function listServices(ctx: CoreContext, actor: Actor): Promise<ServiceView[]> {
  authorize(actor, 'services.manage');
  return (await listServiceRows(ctx.store.db)).map(view);
}

export async function deleteService(ctx: CoreContext, actor: Actor, name: string): Promise<void> {
  authorize(actor, 'services.manage');
  const n = checkServiceName(name);
  await ctx.store.transaction(async (trx) => {
    const row = await findServiceByName(trx, n);
    if (!row) throw new LatchkeyError('SERVICE_NOT_FOUND');
    await deleteServiceRow(trx, row.id);
    await recordAudit(ctx, trx, actor, 'service.deleted', `service:${n}`);
  });
}

export type ServiceAuthenticator = (
  secret: string,
  name?: string | null,
  attempt?: { door: Door; ip: string | null },
) => Promise<ServiceView | null>;

/**
 * Checks a service secret (and, for an LDAP bind, the name it was bound as). One keyed hash and one
 * index lookup; last use is written at most once a minute per service. A wrong secret is an attempt
 * like any other: it goes to the sign-in log and counts against its source, and a locked source
 * refuses it. The address of a service that authenticated becomes a relay for its users' attempts.
 */
export function makeServiceAuthenticator(ctx: CoreContext): ServiceAuthenticator {
  const lookup = serviceByHashLookup(ctx.store);
  const touched = new Map<string, number>();

  async function refused(name: string | null, attempt: { door: Door; ip: string | null }, reason: string) {
    const at = ctx.now();
    const ip = normalizeIp(attempt.ip);
    await insertSignInEvent(ctx.store.db, {
      at,
      last_at: at,
      count: 1,
      // The name is the client's: no control characters reach the log.
      username: `service:${(name ?? '(token)').replace(/[\p{Cc}\p{Cf}]/gu, '?').slice(0, 64)}`,
      user_id: null,
      door: attempt.door,
      ip,
      user_agent: null,
      result: 'refused',
      reason,
      credential: 'service',
      app_password_id: null,
      app_password_label: null,
      bucket: null,
    });
    return null;
  }

  return async (secret, name = null, attempt = { door: 'http', ip: null }) => {
    const ip = normalizeIp(attempt.ip);
    let row: ServiceRow | undefined;
    if (
      typeof secret === 'string' &&
      secret.length > 0 &&
      Buffer.byteLength(secret, 'utf8') <= MAX_SECRET_BYTES
    ) {
      row = await lookup(keyedHash(ctx.keys.hmac, secret));
    }
    if (!row || (name !== null && row.name !== asciiLower(name))) {
      // Only a wrong secret meets the source's lock. A right one (256 bits: nobody guesses it) always
      // passes: the failures of an app's users, arriving from the app's address, must never lock the
      // app itself out.
      await ctx.relays.fresh();
      if (ip && !ctx.isRelay(ip)) {
        const locked = await sourceLockedUntil(ctx.store.db, sourceKey(ip));
        if (locked !== null && locked > ctx.now()) return refused(name, attempt, 'locked_out');
      }
      await recordFailure(ctx, {
        userId: null,
        username: `service:${(name ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '?').slice(0, 64)}`,
        kind: 'primary',
        familiar: false,
        ip,
        secret: typeof secret === 'string' ? secret : '',
      });
      return refused(name, attempt, 'invalid_credentials');
    }
    // From now on this address carries the app's users' attempts: a relay (relays.ts).
    await ctx.relays.noteService(ip, row.id).catch(() => {});
    const now = ctx.now();
    if ((touched.get(row.id) ?? 0) < now - 60_000) {
      touched.set(row.id, now);
      await touchServices(ctx.store.db, [{ id: row.id, at: now }]).catch(() => {});
    }
    return view(row);
  };
}
