import { lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { accountTokens, invites, mailOutbox } from '../db/schema';

const DAY = 86_400_000;
/** Spent or expired links are kept this long (so admins still see recent invites), then deleted. */
export const EXPIRED_LINK_KEEP_DAYS = 30;
/** Outbox messages (the demo's and SMTP-less deployments' mail) are kept this long. */
export const OUTBOX_KEEP_DAYS = 30;

/**
 * Deletes invites and account tokens (resets, email changes) that expired
 * more than 30 days ago, and outbox messages older than 30 days: none can be
 * used any more, and the outbox holds links and addresses nobody needs to keep.
 */
export async function pruneExpiredLinks(db: DbOrTx, now: Date) {
  const linkCutoff = new Date(now.getTime() - EXPIRED_LINK_KEEP_DAYS * DAY);
  const outboxCutoff = new Date(now.getTime() - OUTBOX_KEEP_DAYS * DAY);
  const [invitesGone, tokensGone, mailGone] = await Promise.all([
    db.delete(invites).where(lt(invites.expiresAt, linkCutoff)).returning({ id: invites.id }),
    db
      .delete(accountTokens)
      .where(lt(accountTokens.expiresAt, linkCutoff))
      .returning({ hash: accountTokens.tokenHash }),
    db
      .delete(mailOutbox)
      .where(lt(mailOutbox.createdAt, outboxCutoff))
      .returning({ id: mailOutbox.id }),
  ]);
  return { invites: invitesGone.length, accountTokens: tokensGone.length, outbox: mailGone.length };
}
