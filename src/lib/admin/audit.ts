import type { DbOrTx } from '../db/client';
import { adminAuditLogs } from '../db/schema';
import type { AdminActor } from './actor';

export const ADMIN_ACTIONS = [
  'tenant.created',
  'tenant.updated',
  'tenant.credentials_rotated',
  'tenant.deactivated',
  'tenant.reactivated',
  'user.deactivated',
  'user.reactivated',
  'user.call_limit_changed',
  'system.call_limit_changed',
  'member.role_changed',
  'member.removed',
  'member.invited',
  'invite.revoked',
  'invite.accepted',
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export interface AuditEntry {
  action: AdminAction;
  targetType: 'tenant' | 'user' | 'membership' | 'invite' | 'system';
  targetId?: string | null;
  tenantId?: string | null;
  /** What changed — names and non-secret values only (a rotated key is `{ rotated: ['webKey'] }`). */
  details?: Record<string, unknown>;
}

/** Writes one audit row; call it with the transaction that made the change, so both or neither land. */
export async function recordAdminAudit(db: DbOrTx, actor: AdminActor, entry: AuditEntry) {
  await db.insert(adminAuditLogs).values({
    actorUserId: actor.type === 'user' ? actor.userId : null,
    actorLabel: actor.type === 'user' ? actor.email : 'admin-cli',
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    subjectTenantId: entry.tenantId ?? null,
    details: entry.details ?? {},
  });
}
