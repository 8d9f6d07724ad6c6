import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import { normalizeEmail } from '../users/email';
import { verifyAgainstDummy, verifyPassword } from './passwords';
import { createSession, type Session } from './sessions';
import {
  clearLoginFailures,
  lockEmail,
  loginRetryAfterSeconds,
  recordLoginFailure,
} from './throttle';

export const LoginInput = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});
export type LoginInput = z.infer<typeof LoginInput>;

/** Same words for an unknown email and a wrong password: the answer reveals nothing. */
export const INVALID_CREDENTIALS = 'Invalid email or password';

export interface LoginSuccess {
  token: string;
  session: Session;
  userId: string;
}

export async function login(
  db: Database,
  input: unknown,
  now = new Date(),
): Promise<Result<LoginSuccess>> {
  const parsed = LoginInput.safeParse(input);
  if (!parsed.success) return fail('VALIDATION', 'Enter your email and password');
  const email = normalizeEmail(parsed.data.email);
  const { password } = parsed.data;

  return db.transaction(async (tx) => {
    await lockEmail(tx, email);
    const retryAfterSeconds = await loginRetryAfterSeconds(tx, email, now);
    if (retryAfterSeconds > 0) {
      return fail('RATE_LIMITED', 'Too many sign-in attempts. Try again later.', {
        retryAfterSeconds,
      });
    }

    const [user] = await tx
      .select({
        id: users.id,
        passwordHash: users.passwordHash,
        deactivatedAt: users.deactivatedAt,
      })
      .from(users)
      .where(eq(users.email, email));
    const valid = user
      ? await verifyPassword(user.passwordHash, password)
      : await verifyAgainstDummy(password);
    if (!user || !valid || user.deactivatedAt) {
      await recordLoginFailure(tx, email, now);
      return fail('UNAUTHENTICATED', INVALID_CREDENTIALS);
    }

    await clearLoginFailures(tx, email);
    const { token, session } = await createSession(tx, user.id, now);
    return ok({ token, session, userId: user.id });
  });
}
