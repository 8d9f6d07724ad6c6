import { and, eq, gt, isNull } from 'drizzle-orm';
import { hashToken } from '../auth/tokens';
import type { DbOrTx } from '../db/client';
import { invites, tenants } from '../db/schema';

export interface InviteView {
  email: string;
  role: string;
  tenantName: string;
  expiresAt: Date;
}

const TOKEN = /^[a-z2-7]{32}$/;

/**
 * What the invite page shows to whoever holds the link: the workspace, role
 * and address it was sent to. An expired, used, revoked or forged token — or
 * one for a deactivated workspace — reads as null, all alike.
 */
export async function findInvite(
  db: DbOrTx,
  token: string,
  now = new Date(),
): Promise<InviteView | null> {
  if (!TOKEN.test(token)) return null;
  const [row] = await db
    .select({
      email: invites.email,
      role: invites.role,
      tenantName: tenants.name,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .innerJoin(tenants, eq(tenants.id, invites.targetTenantId))
    .where(
      and(
        eq(invites.tokenHash, hashToken(token)),
        isNull(invites.usedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, now),
        isNull(tenants.deactivatedAt),
      ),
    );
  return row ?? null;
}
