import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fieldErrors } from '../api/field-errors';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { users } from '../db/schema';

export const ProfileInput = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(200, 'At most 200 characters'),
});

export async function updateProfile(
  db: DbOrTx,
  userId: string,
  input: unknown,
): Promise<Result<{ name: string }>> {
  const parsed = ProfileInput.safeParse(input);
  if (!parsed.success) return fail('VALIDATION', 'Enter your name', fieldErrors(parsed.error));
  const updated = await db
    .update(users)
    .set({ name: parsed.data.name, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ name: users.name });
  if (!updated[0]) return fail('NOT_FOUND', 'User not found');
  return ok({ name: updated[0].name });
}
