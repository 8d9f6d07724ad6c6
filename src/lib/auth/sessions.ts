import { and, eq, lte, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { sessions, users } from '../db/schema';
import { generateSessionToken, hashToken } from './tokens';

const DAY = 24 * 60 * 60 * 1000;
/** A session lives 30 days from its last renewal... */
export const SESSION_TTL_MS = 30 * DAY;
/** ...is renewed when fewer than 15 days remain... */
export const SESSION_RENEW_BELOW_MS = 15 * DAY;
/** ...and never outlives 90 days from sign-in, however active (documented in README). */
export const SESSION_ABSOLUTE_MS = 90 * DAY;

export type Session = typeof sessions.$inferSelect;
export type SessionUser = Pick<
  typeof users.$inferSelect,
  'id' | 'email' | 'name' | 'isPlatformAdmin'
>;

export interface ValidatedSession {
  session: Session;
  user: SessionUser;
  /** True when this validation extended the expiry: the cookie must be re-sent. */
  renewed: boolean;
}

export async function createSession(db: DbOrTx, userId: string, now = new Date()) {
  const token = generateSessionToken();
  const [session] = await db
    .insert(sessions)
    .values({
      id: hashToken(token),
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    })
    .returning();
  if (!session) throw new Error('session insert returned nothing');
  return { token, session };
}

/** Looks a cookie token up; expired, capped or deactivated sessions are deleted and rejected. */
export async function validateSessionToken(
  db: DbOrTx,
  token: string,
  now = new Date(),
): Promise<ValidatedSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = hashToken(token);
  const [row] = await db
    .select({
      session: sessions,
      user: {
        id: users.id,
        email: users.email,
        name: users.name,
        isPlatformAdmin: users.isPlatformAdmin,
        deactivatedAt: users.deactivatedAt,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!row) return null;

  const { session, user } = row;
  const cap = session.createdAt.getTime() + SESSION_ABSOLUTE_MS;
  if (now >= session.expiresAt || now.getTime() >= cap || user.deactivatedAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }

  let renewed = false;
  if (session.expiresAt.getTime() - now.getTime() < SESSION_RENEW_BELOW_MS) {
    const expiresAt = new Date(Math.min(now.getTime() + SESSION_TTL_MS, cap));
    if (expiresAt > session.expiresAt) {
      await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
      session.expiresAt = expiresAt;
      renewed = true;
    }
  }
  const { deactivatedAt: _, ...sessionUser } = user;
  return { session, user: sessionUser, renewed };
}

export async function invalidateSession(db: DbOrTx, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Signs a user out everywhere, optionally keeping the session that asked for it. */
export async function invalidateUserSessions(
  db: DbOrTx,
  userId: string,
  options: { except?: string } = {},
) {
  const where = options.except
    ? and(eq(sessions.userId, userId), ne(sessions.id, options.except))
    : eq(sessions.userId, userId);
  await db.delete(sessions).where(where);
}

/** Housekeeping for the worker: rows past their expiry or absolute cap. */
export async function deleteExpiredSessions(db: DbOrTx, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - SESSION_ABSOLUTE_MS);
  const deleted = await db
    .delete(sessions)
    .where(or(lte(sessions.expiresAt, now), lte(sessions.createdAt, cutoff)))
    .returning({ id: sessions.id });
  return deleted.length;
}
