import type postgres from 'postgres';
import { lockCampaign, lockDispatch } from '../../campaigns/internal';
import type { Database } from '../../db/client';
import { withTenant } from '../../db/tenant';
import { finishCall, lockCall, retryOrFail } from '../transitions';

/**
 * Queued rows whose window occurrence closes before they were dialled (the
 * system was busy) move to their next window, or fail when none is left
 * before the campaign ends. Bounded per cycle; the rest wait for the next.
 */
export async function rescheduleClosedWindows(
  db: Database,
  sql: postgres.Sql,
  now: Date,
  options: { marginSeconds: number; limit: number },
): Promise<number> {
  const rows = await sql<{ tenant_id: string; id: string; campaign_id: string }[]>`
    select tenant_id, id, campaign_id
    from calls_to_reschedule(${`${options.marginSeconds} seconds`}::interval, ${options.limit},
                             ${now.toISOString()}::timestamptz)`;
  let moved = 0;
  for (const row of rows) {
    await withTenant(db, row.tenant_id, async (tx) => {
      // Queued rows are locked under the dispatch lock everywhere else (claim, pause,
      // resume, cancel lock the campaign, then its queued rows): without it, this
      // row-then-campaign order could deadlock with them.
      await lockDispatch(tx);
      const call = await lockCall(tx, row.tenant_id, Number(row.id));
      const campaign = await lockCampaign(tx, row.tenant_id, row.campaign_id);
      if (call?.status !== 'queued') return;
      // Its campaign was deleted (only paused or finished ones can be): nothing will
      // call it, and left queued it would come back first in every sweep.
      if (!campaign) {
        await finishCall(tx, call, 'cancelled', 'campaign_deleted');
        moved += 1;
        return;
      }
      // A queued row holds no slot and its attempt is not spent: reuse the retry path without counting.
      await retryOrFail(tx, { ...call, attempt: call.attempt + 1 }, campaign, {
        notBefore: new Date(now.getTime() + options.marginSeconds * 1000),
        countAttempt: false,
        outcome: 'window_closed',
        error: null,
      });
      moved += 1;
    });
  }
  return moved;
}
