import { and, desc, eq, gt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { sessions } from '../db/schema';

export interface SessionRow {
  /** A short, non-secret label (the first characters of the stored hash, not of the token). */
  label: string;
  createdAt: Date;
  expiresAt: Date;
  current: boolean;
}

/** The user's live sessions, newest first; the stored ids are hashes, only a prefix is shown. */
export async function listActiveSessions(
  db: DbOrTx,
  userId: string,
  currentSessionId: string | null,
  now = new Date(),
): Promise<SessionRow[]> {
  const rows = await db
    .select({ id: sessions.id, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.createdAt))
    .limit(100);
  return rows.map((r) => ({
    label: r.id.slice(0, 8),
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    current: r.id === currentSessionId,
  }));
}
