import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { memberships, users } from '../db/schema';

export interface MemberCallLimit {
  userId: string;
  name: string;
  email: string;
  role: string;
  limit: number;
}

/** A workspace's members with their call limits, for the platform admin's editor in Settings. */
export async function listMemberCallLimits(
  db: DbOrTx,
  tenantId: string,
): Promise<MemberCallLimit[]> {
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      limit: users.concurrentCallsLimit,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(users.name))
    .limit(200);
  return rows;
}
