import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAdminAudit } from '../admin/audit';
import { UUID } from '../admin/uuid';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { MEMBERSHIP_ROLES, type MembershipRole, memberships } from '../db/schema';
import { withTenant } from '../db/tenant';
import { actsAsOwner, auditActor, canManageTeam, type TeamActor } from './actor';
import { countOwners, lockTeam } from './lock-team';

export const ChangeRoleInput = z.object({
  role: z.enum(MEMBERSHIP_ROLES, { error: 'Choose owner, admin or member' }),
});

export const LAST_OWNER_MESSAGE =
  'A workspace needs at least one owner: make someone else owner first';

/**
 * Changes a member's role. Admins manage admins and members; only owners
 * (and platform admins) grant or take away ownership; the last owner stays
 * an owner — checked under the team lock, so concurrent demotions can't race.
 */
export async function changeMemberRole(
  db: DbOrTx,
  tenantId: string,
  actor: TeamActor,
  userId: string,
  input: unknown,
): Promise<Result<{ userId: string; role: MembershipRole }>> {
  if (!canManageTeam(actor)) return fail('FORBIDDEN', 'Your role does not allow this');
  const parsed = ChangeRoleInput.safeParse(input);
  if (!parsed.success) {
    return fail('VALIDATION', 'Choose owner, admin or member', {
      fields: { role: 'Choose owner, admin or member' },
    });
  }
  if (!UUID.test(userId)) return fail('NOT_FOUND', 'No such member');
  const { role } = parsed.data;
  return withTenant(db, tenantId, async (tx) => {
    const member = await lockTeam(tx, tenantId, userId);
    if (!member) return fail('NOT_FOUND', 'No such member');
    if ((member.role === 'owner' || role === 'owner') && !actsAsOwner(actor)) {
      return fail('FORBIDDEN', 'Only an owner can grant or change ownership');
    }
    if (member.role === role) return ok({ userId, role });
    if (member.role === 'owner' && (await countOwners(tx, tenantId)) <= 1) {
      return fail('CONFLICT', LAST_OWNER_MESSAGE);
    }
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
    await recordAdminAudit(tx, auditActor(actor), {
      action: 'member.role_changed',
      targetType: 'membership',
      targetId: userId,
      tenantId,
      details: { from: member.role, to: role },
    });
    return ok({ userId, role });
  });
}
