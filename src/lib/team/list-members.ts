import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { type MembershipRole, memberships, users } from '../db/schema';
import { withTenant } from '../db/tenant';

export interface TeamMember {
  userId: string;
  name: string;
  email: string;
  role: MembershipRole;
  deactivated: boolean;
  joinedAt: Date;
}

/** A tenant's members by name (owners first within a name tie is not needed: roles show). */
export function listMembers(db: DbOrTx, tenantId: string): Promise<TeamMember[]> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        role: memberships.role,
        deactivatedAt: users.deactivatedAt,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, tenantId))
      .orderBy(asc(users.name), asc(users.email));
    return rows.map(({ deactivatedAt, ...m }) => ({ ...m, deactivated: deactivatedAt !== null }));
  });
}
