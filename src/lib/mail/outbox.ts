import { count, desc } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { mailOutbox } from '../db/schema';

export const OUTBOX_PAGE_SIZE = 25;

export type OutboxMessage = typeof mailOutbox.$inferSelect;

/** The newest kept messages first, a page at a time (pages from 1). */
export async function listOutbox(
  db: DbOrTx,
  page = 1,
): Promise<{ messages: OutboxMessage[]; total: number; page: number; pageSize: number }> {
  const safePage = Number.isInteger(page) && page > 0 ? page : 1;
  const [messages, [totals]] = await Promise.all([
    db
      .select()
      .from(mailOutbox)
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(OUTBOX_PAGE_SIZE)
      .offset((safePage - 1) * OUTBOX_PAGE_SIZE),
    db.select({ total: count() }).from(mailOutbox),
  ]);
  return { messages, total: totals?.total ?? 0, page: safePage, pageSize: OUTBOX_PAGE_SIZE };
}
