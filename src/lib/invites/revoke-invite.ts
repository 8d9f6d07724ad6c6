import { and, eq, isNull } from 'drizzle-orm';
import { recordAdminAudit } from '../admin/audit';
import { UUID } from '../admin/uuid';
import { fail, ok, type Result } from '../api/result';
import type { Database } from '../db/client';
import { invites } from '../db/schema';
import { actsAsOwner, auditActor, canManageTeam, type TeamActor } from '../team/actor';

/** Withdraws a pending invite of this tenant; an owner invite only by an owner. */
export async function revokeInvite(
  db: Database,
  tenantId: string,
  actor: TeamActor,
  inviteId: string,
): Promise<Result<{ id: string }>> {
  if (!canManageTeam(actor)) return fail('FORBIDDEN', 'Your role does not allow this');
  if (!UUID.test(inviteId)) return fail('NOT_FOUND', 'No such invitation');
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .select({ role: invites.role, email: invites.email })
      .from(invites)
      .where(
        and(
          eq(invites.id, inviteId),
          eq(invites.targetTenantId, tenantId),
          isNull(invites.usedAt),
          isNull(invites.revokedAt),
        ),
      )
      .for('update');
    if (!invite) return fail('NOT_FOUND', 'No such invitation');
    if (invite.role === 'owner' && !actsAsOwner(actor)) {
      return fail('FORBIDDEN', 'Only an owner can withdraw an owner invitation');
    }
    await tx.update(invites).set({ revokedAt: new Date() }).where(eq(invites.id, inviteId));
    await recordAdminAudit(tx, auditActor(actor), {
      action: 'invite.revoked',
      targetType: 'invite',
      targetId: inviteId,
      tenantId,
      details: { email: invite.email, role: invite.role },
    });
    return ok({ id: inviteId });
  });
}
