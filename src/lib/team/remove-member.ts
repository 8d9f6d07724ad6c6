import { and, eq } from 'drizzle-orm';
import { recordAdminAudit } from '../admin/audit';
import { UUID } from '../admin/uuid';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { memberships } from '../db/schema';
import { withTenant } from '../db/tenant';
import { actsAsOwner, auditActor, canManageTeam, type TeamActor } from './actor';
import { LAST_OWNER_MESSAGE } from './change-role';
import { countOwners, lockTeam } from './lock-team';

/**
 * Removes a member. Effective on their next request: the middleware re-reads
 * the membership every time, so a removed member's tenant cookie stops working.
 */
export async function removeMember(
  db: DbOrTx,
  tenantId: string,
  actor: TeamActor,
  userId: string,
): Promise<Result<{ userId: string }>> {
  if (!canManageTeam(actor)) return fail('FORBIDDEN', 'Your role does not allow this');
  if (!UUID.test(userId)) return fail('NOT_FOUND', 'No such member');
  return withTenant(db, tenantId, async (tx) => {
    const member = await lockTeam(tx, tenantId, userId);
    if (!member) return fail('NOT_FOUND', 'No such member');
    if (member.role === 'owner' && !actsAsOwner(actor)) {
      return fail('FORBIDDEN', 'Only an owner can remove an owner');
    }
    if (member.role === 'owner' && (await countOwners(tx, tenantId)) <= 1) {
      return fail('CONFLICT', LAST_OWNER_MESSAGE);
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
    await recordAdminAudit(tx, auditActor(actor), {
      action: 'member.removed',
      targetType: 'membership',
      targetId: userId,
      tenantId,
      details: { role: member.role },
    });
    return ok({ userId });
  });
}
