import { eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import { invalidateUserSessions } from '../auth/sessions';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import type { AdminActor } from './actor';
import { recordAdminAudit } from './audit';
import { UUID } from './uuid';

/**
 * Deactivating ends every session of the user in the same transaction (and
 * sign-in refuses them from then on); reactivating lets them sign in again.
 * An admin can't deactivate themselves, so a deployment can't lock itself out.
 */
export async function setUserActive(
  db: Database,
  actor: AdminActor,
  userId: string,
  active: boolean,
): Promise<Result<{ active: boolean }>> {
  if (!UUID.test(userId)) return fail('NOT_FOUND', 'No such user');
  if (!active && actor.type === 'user' && actor.userId === userId) {
    return fail('FORBIDDEN', "You can't deactivate your own account");
  }
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ email: users.email, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    if (!user) return fail('NOT_FOUND', 'No such user');
    if (!user.deactivatedAt === active) return ok({ active });
    await tx
      .update(users)
      .set({ deactivatedAt: active ? null : new Date(), updatedAt: new Date() })
      .where(eq(users.id, userId));
    if (!active) await invalidateUserSessions(tx, userId);
    await recordAdminAudit(tx, actor, {
      action: active ? 'user.reactivated' : 'user.deactivated',
      targetType: 'user',
      targetId: userId,
      details: { email: user.email },
    });
    return ok({ active });
  });
}
