import { and, eq, isNull } from 'drizzle-orm';
import { type MembershipRole, memberships, tenants } from '../db/schema';
import type { TenantTx } from '../db/tenant';

/**
 * Serialises every change to one tenant's team on the tenant's row (FOR NO
 * KEY UPDATE: foreign-key checks elsewhere still pass), so two owners demoting
 * each other at once cannot both see "another owner remains". Returns the
 * target's membership, locked, or null; a deactivated tenant has no team to change.
 */
export async function lockTeam(tx: TenantTx, tenantId: string, userId: string) {
  const [tenant] = await tx
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.id, tenantId), isNull(tenants.deactivatedAt)))
    .for('no key update');
  if (!tenant) return null;
  const [member] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .for('update');
  return member ? { role: member.role as MembershipRole } : null;
}

export async function countOwners(tx: TenantTx, tenantId: string): Promise<number> {
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, 'owner')));
  return rows.length;
}
