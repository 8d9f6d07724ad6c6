import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAdminAudit } from '../admin/audit';
import { fieldErrors } from '../api/field-errors';
import { fail, ok, type Result } from '../api/result';
import { hashPassword, Password } from '../auth/passwords';
import { createSession, invalidateUserSessions, type Session } from '../auth/sessions';
import { hashToken } from '../auth/tokens';
import type { Database } from '../db/client';
import { invites, type MembershipRole, memberships, tenants, users } from '../db/schema';
import { withTenant } from '../db/tenant';

export const AcceptInviteInput = z.object({
  token: z.string().regex(/^[a-z2-7]{32}$/, 'This invitation link is not valid'),
  name: z.string().trim().min(1, 'Enter your name').max(200),
  password: Password,
});

/** The one answer for a forged, used, expired or revoked link. */
export const INVITE_INVALID = 'This invitation link is invalid or has expired';

/**
 * Accepts an invite. The link proves the holder reads that mailbox — the
 * same proof a password reset asks for — so the answer is the same whether
 * the address has an account or not: a new account is created, or the
 * existing one's password becomes the one chosen here (its other sessions
 * end); the membership is added and this browser is signed in. The token is
 * consumed atomically, so it works once.
 */
export async function acceptInvite(
  db: Database,
  input: unknown,
  now = new Date(),
): Promise<Result<{ token: string; session: Session; tenantId: string }>> {
  const parsed = AcceptInviteInput.safeParse(input);
  if (!parsed.success) {
    return fail('VALIDATION', 'Check the highlighted fields', fieldErrors(parsed.error));
  }
  const { token, name, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .update(invites)
      .set({ usedAt: now })
      .where(
        and(
          eq(invites.tokenHash, hashToken(token)),
          isNull(invites.usedAt),
          isNull(invites.revokedAt),
          gt(invites.expiresAt, now),
          sql`exists (select 1 from ${tenants} where ${tenants.id} = ${invites.targetTenantId}
                      and ${tenants.deactivatedAt} is null)`,
        ),
      )
      .returning({
        id: invites.id,
        tenantId: invites.targetTenantId,
        email: invites.email,
        role: invites.role,
      });
    if (!invite) return fail('NOT_FOUND', INVITE_INVALID);

    const userId = await upsertAccount(tx, invite.email, name, passwordHash, now);
    await withTenant(tx, invite.tenantId, (ttx) =>
      ttx
        .insert(memberships)
        .values({ tenantId: invite.tenantId, userId, role: invite.role as MembershipRole })
        .onConflictDoNothing(),
    );
    await recordAdminAudit(
      tx,
      { type: 'user', userId, email: invite.email },
      {
        action: 'invite.accepted',
        targetType: 'invite',
        targetId: invite.id,
        tenantId: invite.tenantId,
        details: { role: invite.role },
      },
    );
    const session = await createSession(tx, userId, now);
    return ok({ ...session, tenantId: invite.tenantId });
  });
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

async function upsertAccount(
  tx: Tx,
  email: string,
  name: string,
  passwordHash: string,
  now: Date,
): Promise<string> {
  const [created] = await tx
    .insert(users)
    .values({ email, name, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  if (created) return created.id;
  const [existing] = await tx
    .update(users)
    .set({ passwordHash, updatedAt: now })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!existing) throw new Error('acceptInvite: account vanished');
  await invalidateUserSessions(tx, existing.id);
  return existing.id;
}
