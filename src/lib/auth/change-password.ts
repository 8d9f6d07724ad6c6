import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import { hashPassword, Password, verifyPassword } from './passwords';
import { createSession, invalidateUserSessions, type Session } from './sessions';

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: Password,
});

/**
 * Changes a signed-in user's password. Every session of the user ends —
 * including the one asking — and a fresh session is returned for its cookie.
 */
export async function changePassword(
  db: Database,
  userId: string,
  input: unknown,
  now = new Date(),
): Promise<Result<{ token: string; session: Session }>> {
  const parsed = ChangePasswordInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('VALIDATION', issue?.message ?? 'Invalid input', {
      fields: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])),
    });
  }
  const [user] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return fail('NOT_FOUND', 'User not found');
  if (!(await verifyPassword(user.passwordHash, parsed.data.currentPassword))) {
    return fail('VALIDATION', 'Current password is incorrect', {
      fields: { currentPassword: 'Current password is incorrect' },
    });
  }
  const passwordHash = await hashPassword(parsed.data.newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
    await invalidateUserSessions(tx, userId);
    return ok(await createSession(tx, userId, now));
  });
}

/** Admin reset (CLI): sets the password and ends every session of the user. */
export async function setPassword(db: Database, userId: string, newPassword: string) {
  const parsed = Password.safeParse(newPassword);
  if (!parsed.success)
    return fail('VALIDATION', parsed.error.issues[0]?.message ?? 'Invalid password');
  const passwordHash = await hashPassword(parsed.data);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
    await invalidateUserSessions(tx, userId);
  });
  return ok(undefined);
}
