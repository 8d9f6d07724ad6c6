import { and, count, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { fieldErrors } from '../api/field-errors';
import { fail, ok, type Result } from '../api/result';
import { hashPassword, Password } from '../auth/passwords';
import { invalidateUserSessions } from '../auth/sessions';
import type { Database } from '../db/client';
import { accountTokens, users } from '../db/schema';
import { absoluteUrl } from '../invites/links';
import { processLogger } from '../log';
import { passwordResetMessage } from '../mail/messages';
import { type MailConfig, sendMail } from '../mail/send-mail';
import { normalizeEmail } from '../users/email';
import { consumeAccountToken, issueAccountToken, RESET_TTL_MS } from './account-tokens';

/**
 * Reset mails one account may be sent in an hour. Past it the answer is the
 * same and nothing is sent: the form cannot be used to flood a mailbox, and
 * the answer still says nothing about the account.
 */
export const RESETS_PER_HOUR = 3;
const HOUR = 3_600_000;

export const ForgotPasswordInput = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(254),
});

/** The same words whether or not the address has an account. */
export const FORGOT_PASSWORD_ANSWER =
  'If an account exists for that address, we have sent it a link to reset the password. The link works for 1 hour.';

/**
 * Starts a password reset. The answer never depends on the address: an
 * unknown or deactivated account gets the same result, and the mail's
 * delivery (SMTP) is not waited for, so timing tells nothing either.
 */
export async function requestPasswordReset(
  db: Database,
  mail: MailConfig,
  baseUrl: string,
  input: unknown,
  now = new Date(),
): Promise<Result<{ message: string }>> {
  const parsed = ForgotPasswordInput.safeParse(input);
  if (!parsed.success) {
    return fail('VALIDATION', 'Enter your email address', fieldErrors(parsed.error));
  }
  const email = normalizeEmail(parsed.data.email);
  const message = await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, email), isNull(users.deactivatedAt)));
    if (!user) return null;
    const [recent] = await tx
      .select({ n: count() })
      .from(accountTokens)
      .where(
        and(
          eq(accountTokens.userId, user.id),
          eq(accountTokens.purpose, 'password_reset'),
          gt(accountTokens.createdAt, new Date(now.getTime() - HOUR)),
        ),
      );
    if ((recent?.n ?? 0) >= RESETS_PER_HOUR) return null;
    const token = await issueAccountToken(tx, user.id, 'password_reset', RESET_TTL_MS, now);
    const outgoing = passwordResetMessage({
      to: email,
      link: absoluteUrl(baseUrl, `/reset-password/${token}`),
    });
    // Outbox mode writes the row in this transaction; SMTP mode sends after commit.
    if (!mail.smtpUrl) await sendMail(tx, mail, outgoing);
    return outgoing;
  });
  if (message && mail.smtpUrl) {
    sendMail(db, mail, message).catch((error: unknown) => {
      const code = (error as { code?: string }).code ?? 'unknown';
      processLogger().error({ scope: 'mail', code }, 'password reset delivery failed');
    });
  }
  return ok({ message: FORGOT_PASSWORD_ANSWER });
}

export const ResetPasswordInput = z.object({
  token: z.string().min(1).max(64),
  password: Password,
});

export const RESET_INVALID = 'This reset link is invalid or has expired. Ask for a new one.';

/** Sets a new password from a reset link; every session of the user ends. */
export async function resetPassword(
  db: Database,
  input: unknown,
  now = new Date(),
): Promise<Result<null>> {
  const parsed = ResetPasswordInput.safeParse(input);
  if (!parsed.success) {
    return fail('VALIDATION', 'Check the highlighted fields', fieldErrors(parsed.error));
  }
  const passwordHash = await hashPassword(parsed.data.password);
  return db.transaction(async (tx) => {
    const consumed = await consumeAccountToken(tx, parsed.data.token, 'password_reset', now);
    if (!consumed) return fail('NOT_FOUND', RESET_INVALID);
    const updated = await tx
      .update(users)
      .set({ passwordHash, updatedAt: now })
      .where(and(eq(users.id, consumed.userId), isNull(users.deactivatedAt)))
      .returning({ id: users.id });
    if (!updated.length) return fail('NOT_FOUND', RESET_INVALID);
    await invalidateUserSessions(tx, consumed.userId);
    return ok(null);
  });
}
