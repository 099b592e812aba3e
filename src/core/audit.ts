// The audit log (B5): every change made through the core records who, what, to whom, when and from
// where, in the same transaction as the change itself, so that neither exists without the other.

import type { Executor } from '../store/database.js';
import { insertAuditEvent, listAuditEvents } from '../store/events.js';
import type { AuditEventRow } from '../store/schema.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import { type Actor, actorLabel, authorize } from './policy.js';
import { checkLimit } from './validate.js';

export type AuditAction =
  | 'admin.initialized'
  | 'user.created'
  | 'user.updated'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.deleted'
  | 'user.password_set'
  | 'user.role_changed'
  | 'two_step.state_changed'
  | 'app_password.created'
  | 'app_password.deleted'
  | 'app_password.deleted_all'
  | 'app_password.auto_revoked'
  | 'device_login.approved'
  | 'device_login.denied'
  | 'device_login.delivered'
  | 'device_login.refused'
  | 'settings.changed'
  | 'service.created'
  | 'service.deleted'
  | 'radius_client.created'
  | 'radius_client.deleted'
  | 'radius_reply.created'
  | 'radius_reply.deleted'
  | 'user.unlocked'
  | 'token.created'
  | 'token.revoked'
  | 'two_step.method_added'
  | 'two_step.method_removed'
  | 'two_step.default_changed'
  | 'two_step.recovery_codes_generated'
  | 'two_step.reregistration_required'
  | 'devices.revoked'
  | 'sessions.revoked'
  | 'oidc_client.created'
  | 'oidc_client.deleted'
  | 'oidc_client.secret_rotated'
  | 'oidc_keys.rotated'
  | 'oidc_access.revoked';

export async function recordAudit(
  ctx: CoreContext,
  db: Executor,
  actor: Actor,
  action: AuditAction,
  target: string | null,
  details: Record<string, unknown> | null = null,
): Promise<void> {
  await insertAuditEvent(db, {
    at: ctx.now(),
    actor: actorLabel(actor),
    actor_ip: actor.ip,
    action,
    target,
    details: details ? JSON.stringify(details) : null,
  });
}

export interface AuditEventView {
  id: number;
  at: string;
  actor: string;
  actorIp: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

export function auditView(r: AuditEventRow): AuditEventView {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    actorIp: r.actor_ip,
    action: r.action,
    target: r.target,
    details: r.details ? JSON.parse(r.details) : null,
  };
}

export async function listAudit(
  ctx: CoreContext,
  actor: Actor,
  q: { limit?: unknown; target?: string | null; before?: unknown } = {},
): Promise<AuditEventView[]> {
  authorize(actor, 'audit.read');
  // Keyset paging: events older than the event with this id (the last one of the previous page).
  const before = q.before === undefined || q.before === null || q.before === '' ? null : Number(q.before);
  if (before !== null && (!Number.isSafeInteger(before) || before < 1)) {
    throw new LatchkeyError('FILTER_INVALID', { detail: 'auditBefore' });
  }
  const rows = await listAuditEvents(ctx.store.db, {
    limit: checkLimit(q.limit, 50),
    target: q.target ?? null,
    beforeId: before,
  });
  return rows.map(auditView);
}
