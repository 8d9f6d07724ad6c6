import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { invites, users } from '../db/schema';

export interface PendingInvite {
  id: string;
  email: string;
  role: string;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** A tenant's invites that can still be accepted, newest first (at most 200). */
export async function listPendingInvites(
  db: DbOrTx,
  tenantId: string,
  now = new Date(),
): Promise<PendingInvite[]> {
  return db
    .select({
      id: invites.id,
      email: invites.email,
      role: invites.role,
      invitedBy: users.name,
      createdAt: invites.createdAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .leftJoin(users, eq(users.id, invites.invitedBy))
    .where(
      and(
        eq(invites.targetTenantId, tenantId),
        isNull(invites.usedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, now),
      ),
    )
    .orderBy(desc(invites.createdAt))
    .limit(200);
}
