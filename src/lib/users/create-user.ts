import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import { hashPassword, Password } from '../auth/passwords';
import type { DbOrTx } from '../db/client';
import { users } from '../db/schema';
import { Email } from './email';

export const CreateUserInput = z.object({
  email: Email,
  name: z.string().trim().min(1, 'Name is required').max(200),
  password: Password,
  isPlatformAdmin: z.boolean().default(false),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

export type PublicUser = { id: string; email: string; name: string; isPlatformAdmin: boolean };

export async function createUser(db: DbOrTx, input: CreateUserInput): Promise<Result<PublicUser>> {
  const parsed = CreateUserInput.safeParse(input);
  if (!parsed.success) return fail('VALIDATION', parsed.error.issues[0]?.message ?? 'Invalid user');
  const { password, ...fields } = parsed.data;
  const passwordHash = await hashPassword(password);
  const [user] = await db
    .insert(users)
    .values({ ...fields, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning({
      id: users.id,
      email: users.email,
      name: users.name,
      isPlatformAdmin: users.isPlatformAdmin,
    });
  if (!user) return fail('CONFLICT', 'A user with that email already exists');
  return ok(user);
}

export async function findUserByEmail(db: DbOrTx, email: string) {
  const normalized = Email.safeParse(email);
  if (!normalized.success) return undefined;
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      isPlatformAdmin: users.isPlatformAdmin,
    })
    .from(users)
    .where(eq(users.email, normalized.data));
  return user;
}
