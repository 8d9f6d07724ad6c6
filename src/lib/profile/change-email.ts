import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fieldErrors } from '../api/field-errors';
import { fail, ok, type Result } from '../api/result';
import { verifyPassword } from '../auth/passwords';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import { absoluteUrl } from '../invites/links';
import { emailChangedNotice, emailChangeMessage, emailTakenMessage } from '../mail/messages';
import { type MailConfig, sendMail } from '../mail/send-mail';
import { Email } from '../users/email';
import { consumeAccountToken, EMAIL_CHANGE_TTL_MS, issueAccountToken } from './account-tokens';

export const ChangeEmailInput = z.object({
  email: Email,
  currentPassword: z.string().min(1, 'Enter your current password').max(1024),
});

/**
 * Starts an email change: a link to the new address, which the signed-in
 * user opens to confirm. If the address already has an account, that address
 * is told so instead; the answer here is the same either way.
 */
export async function requestEmailChange(
  db: Database,
  mail: MailConfig,
  baseUrl: string,
  userId: string,
  input: unknown,
  now = new Date(),
): Promise<Result<{ sentTo: string }>> {
  const parsed = ChangeEmailInput.safeParse(input);
  if (!parsed.success) {
    return fail('VALIDATION', 'Check the highlighted fields', fieldErrors(parsed.error));
  }
  const { email, currentPassword } = parsed.data;
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return fail('NOT_FOUND', 'User not found');
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    return fail('VALIDATION', 'Current password is incorrect', {
      fields: { currentPassword: 'Current password is incorrect' },
    });
  }
  if (email === user.email) {
    return fail('VALIDATION', 'That is already your email address', {
      fields: { email: 'That is already your email address' },
    });
  }
  await db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (taken) {
      await sendMail(tx, mail, emailTakenMessage({ to: email }));
      return;
    }
    const token = await issueAccountToken(
      tx,
      userId,
      'email_change',
      EMAIL_CHANGE_TTL_MS,
      now,
      email,
    );
    const link = absoluteUrl(baseUrl, `/profile?confirm-email=${token}`);
    await sendMail(tx, mail, emailChangeMessage({ to: email, link }));
  });
  return ok({ sentTo: email });
}

export const ConfirmEmailInput = z.object({ token: z.string().min(1).max(64) });

/** Confirms an email change from its link, for the user who asked (signed in). */
export async function confirmEmailChange(
  db: Database,
  mail: MailConfig,
  userId: string,
  input: unknown,
  now = new Date(),
): Promise<Result<{ email: string }>> {
  const parsed = ConfirmEmailInput.safeParse(input);
  if (!parsed.success) return fail('NOT_FOUND', 'This confirmation link is invalid or has expired');
  return db.transaction(async (tx) => {
    const consumed = await consumeAccountToken(tx, parsed.data.token, 'email_change', now, userId);
    if (!consumed?.newEmail) {
      return fail('NOT_FOUND', 'This confirmation link is invalid or has expired');
    }
    const [before] = await tx
      .select({ email: users.email })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    const [clash] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, consumed.newEmail));
    if (!before) return fail('NOT_FOUND', 'User not found');
    if (clash) return fail('CONFLICT', 'That address now belongs to another account');
    await tx
      .update(users)
      .set({ email: consumed.newEmail, updatedAt: now })
      .where(eq(users.id, userId));
    await sendMail(tx, mail, emailChangedNotice({ to: before.email, newEmail: consumed.newEmail }));
    return ok({ email: consumed.newEmail });
  });
}
