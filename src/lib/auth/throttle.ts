import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { DbOrTx, Transaction } from '../db/client';
import { loginFailures } from '../db/schema';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

/**
 * Serialises login attempts for one email across every process (a
 * transaction-scoped advisory lock), so concurrent guesses can't all slip
 * under the limit before any failure is recorded.
 */
export async function lockEmail(tx: Transaction, email: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`login:${email}`}, 0))`);
}

/** Seconds until another attempt is allowed, or 0 when the email may try now. */
export async function loginRetryAfterSeconds(db: DbOrTx, email: string, now: Date) {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const [row] = await db
    .select({
      failures: sql<number>`count(*)::int`,
      oldest: sql<string | null>`min(${loginFailures.failedAt})`,
    })
    .from(loginFailures)
    .where(and(eq(loginFailures.email, email), gt(loginFailures.failedAt, since)));
  if (!row || row.failures < LOGIN_MAX_FAILURES || !row.oldest) return 0;
  const freesAt = new Date(row.oldest).getTime() + LOGIN_WINDOW_MS;
  // Capped: a request that waited on the lock may be judged against failures newer than its `now`.
  const seconds = Math.ceil((freesAt - now.getTime()) / 1000);
  return Math.min(LOGIN_WINDOW_MS / 1000, Math.max(1, seconds));
}

export async function recordLoginFailure(db: DbOrTx, email: string, now: Date) {
  await db.insert(loginFailures).values({ email, failedAt: now });
}

export async function clearLoginFailures(db: DbOrTx, email: string) {
  await db.delete(loginFailures).where(eq(loginFailures.email, email));
}

/** Housekeeping for the worker: failures older than the window no longer matter. */
export async function deleteStaleLoginFailures(db: DbOrTx, now = new Date()) {
  const cutoff = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const deleted = await db
    .delete(loginFailures)
    .where(lte(loginFailures.failedAt, cutoff))
    .returning({ id: loginFailures.id });
  return deleted.length;
}
