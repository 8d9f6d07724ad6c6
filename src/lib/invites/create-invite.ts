import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { recordAdminAudit } from '../admin/audit';
import { UUID } from '../admin/uuid';
import { fail, ok, type Result } from '../api/result';
import { generateSessionToken, hashToken } from '../auth/tokens';
import type { Database } from '../db/client';
import { invites, MEMBERSHIP_ROLES, memberships, tenants, users } from '../db/schema';
import { withTenant } from '../db/tenant';
import { inviteMessage } from '../mail/messages';
import { type MailConfig, sendMail } from '../mail/send-mail';
import { actsAsOwner, auditActor, canManageTeam, type TeamActor } from '../team/actor';
import { Email } from '../users/email';
import { absoluteUrl, INVITE_TTL_MS } from './links';

export const InviteInput = z.object({
  email: Email,
  role: z.enum(MEMBERSHIP_ROLES, { error: 'Choose owner, admin or member' }),
});
export type InviteInput = z.input<typeof InviteInput>;

export interface InviteContext {
  db: Database;
  mail: MailConfig;
  /** Where links in the mail point (PUBLIC_URL, else the request's origin). */
  baseUrl: string;
  actor: TeamActor & { name: string };
  now?: Date;
}

/**
 * Invites an email to a tenant with a role: a single-use token valid 7 days,
 * stored hashed, mailed (or kept in the outbox). Inviting the same address
 * again replaces its pending invite. Whether the address already has an
 * account changes nothing here: acceptance decides.
 */
export async function createInvite(
  ctx: InviteContext,
  tenantId: string,
  input: unknown,
): Promise<Result<{ id: string; email: string; role: string; expiresAt: Date }>> {
  const { actor } = ctx;
  if (!canManageTeam(actor)) return fail('FORBIDDEN', 'Your role does not allow this');
  if (!UUID.test(tenantId)) return fail('NOT_FOUND', 'No such workspace');
  const parsed = InviteInput.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
    return fail('VALIDATION', Object.values(fields).join('; '), { fields });
  }
  const { email, role } = parsed.data;
  if (role === 'owner' && !actsAsOwner(actor)) {
    return fail('FORBIDDEN', 'Only an owner can invite an owner', {
      fields: { role: 'Only an owner can invite an owner' },
    });
  }
  const now = ctx.now ?? new Date();
  const token = generateSessionToken();
  return ctx.db.transaction(async (tx) => {
    const [tenant] = await tx
      .select({ name: tenants.name })
      .from(tenants)
      .where(and(eq(tenants.id, tenantId), isNull(tenants.deactivatedAt)));
    if (!tenant) return fail('NOT_FOUND', 'No such workspace');
    const member = await withTenant(tx, tenantId, (ttx) =>
      ttx
        .select({ userId: memberships.userId })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.tenantId, tenantId), eq(users.email, email))),
    );
    if (member.length) {
      return fail('CONFLICT', 'That person is already a member', {
        fields: { email: 'Already a member of this workspace' },
      });
    }
    await tx
      .update(invites)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invites.targetTenantId, tenantId),
          eq(invites.email, email),
          isNull(invites.usedAt),
          isNull(invites.revokedAt),
        ),
      );
    const [invite] = await tx
      .insert(invites)
      .values({
        tokenHash: hashToken(token),
        targetTenantId: tenantId,
        email,
        role,
        invitedBy: actor.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      })
      .returning({ id: invites.id, expiresAt: invites.expiresAt });
    if (!invite) throw new Error('invite insert returned nothing');
    await recordAdminAudit(tx, auditActor(actor), {
      action: 'member.invited',
      targetType: 'invite',
      targetId: invite.id,
      tenantId,
      details: { email, role },
    });
    await sendMail(
      tx,
      ctx.mail,
      inviteMessage({
        to: email,
        tenantName: tenant.name,
        role,
        inviterName: actor.name,
        link: absoluteUrl(ctx.baseUrl, `/invite/${token}`),
      }),
    );
    return ok({ id: invite.id, email, role, expiresAt: invite.expiresAt });
  });
}
