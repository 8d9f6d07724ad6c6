import { and, eq, gt, isNull } from 'drizzle-orm';
import { generateSessionToken, hashToken } from '../auth/tokens';
import type { DbOrTx } from '../db/client';
import { type AccountTokenPurpose, accountTokens } from '../db/schema';

export const RESET_TTL_MS = 60 * 60 * 1000;
export const EMAIL_CHANGE_TTL_MS = 60 * 60 * 1000;

export const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

/**
 * Issues a single-use token for `purpose`, retiring the user's earlier unused
 * ones of the same purpose (only the newest link works). Returns the token;
 * the database keeps its SHA-256.
 */
export async function issueAccountToken(
  db: DbOrTx,
  userId: string,
  purpose: AccountTokenPurpose,
  ttlMs: number,
  now: Date,
  newEmail: string | null = null,
): Promise<string> {
  await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(accountTokens.userId, userId),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
      ),
    );
  const token = generateSessionToken();
  await db.insert(accountTokens).values({
    tokenHash: hashToken(token),
    userId,
    purpose,
    newEmail,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  });
  return token;
}

/** Consumes a token atomically (one UPDATE … RETURNING): a second use, or an expired one, gets null. */
export async function consumeAccountToken(
  db: DbOrTx,
  token: string,
  purpose: AccountTokenPurpose,
  now: Date,
  userId?: string,
): Promise<{ userId: string; newEmail: string | null } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(accountTokens.tokenHash, hashToken(token)),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
        ...(userId ? [eq(accountTokens.userId, userId)] : []),
      ),
    )
    .returning({ userId: accountTokens.userId, newEmail: accountTokens.newEmail });
  return row ?? null;
}

/** Whether a token could still be used (the reset page checks before showing its form). */
export async function accountTokenUsable(
  db: DbOrTx,
  token: string,
  purpose: AccountTokenPurpose,
  now = new Date(),
): Promise<boolean> {
  if (!TOKEN_PATTERN.test(token)) return false;
  const [row] = await db
    .select({ userId: accountTokens.userId })
    .from(accountTokens)
    .where(
      and(
        eq(accountTokens.tokenHash, hashToken(token)),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
      ),
    );
  return Boolean(row);
}
