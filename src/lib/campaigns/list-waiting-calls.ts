import { sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { lockCampaign, UUID } from './internal';

export interface WaitingCall {
  id: number;
  contactName: string;
  phoneE164: string;
  status: string;
  /** Attempts made so far (the one under way included, for a call in flight). */
  attempt: number;
  /** How the previous attempt ended, for a call waiting to be tried again. */
  lastOutcome: string | null;
  /** 1 = next of this campaign; null while in flight or paused. */
  position: number | null;
  scheduledAt: string | null;
  /** Rough: until the window opens, plus the calls ahead shared over the owner's slots. */
  estimatedWaitSeconds: number | null;
}

const DEFAULT_CALL_SECONDS = 90;

/**
 * The campaign's open calls in the order the claim takes them — (scheduled_at,
 * id) per user, as call_queue_due_idx ranks them (enqueue inserts the higher
 * priority first, so id order is priority order) — with positions and a
 * rough wait. Calls in flight come first, then parked ones (a paused
 * campaign's), without a position. Each part reads at most `limit` rows by
 * index, whatever the campaign's size: in flight through
 * call_queue_campaign_status_idx (bounded by the concurrency limit), waiting
 * and parked through call_queue_due_idx; the open count comes from the
 * campaign's counters, the average call from its roll-up (campaign_stats).
 */
export async function listWaitingCalls(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  limit = 50,
  now = new Date(),
): Promise<Result<{ items: WaitingCall[]; open: number }>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  return withTenant(db, tenantId, async (tx) => {
    const campaign = await lockCampaign(tx, tenantId, campaignId, false);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    const columns = sql`q.id, q.contact_name, q.phone_e164, q.status, q.attempt, q.outcome, q.scheduled_at`;
    const ofCampaign = sql`q.tenant_id = ${tenantId} and q.campaign_id = ${campaignId}`;
    // Every row of a campaign is its creator's (enqueue.ts): the claim takes them per user too.
    const waiting = sql`q.user_id = ${campaign.createdBy} and q.status = 'queued'`;
    const rows = await tx.execute<Record<string, unknown>>(sql`
      select w.*,
        (select sum(s.duration_sum)::float8 / nullif(sum(s.duration_count), 0) from campaign_stats s
          where s.tenant_id = ${tenantId} and s.campaign_id = ${campaignId}
            and s.status = 'completed') as avg_seconds,
        (select concurrent_calls_limit from users where id = ${campaign.createdBy}) as user_limit
      from (
        (select ${columns}, 0 as part from call_queue q
          where ${ofCampaign} and q.status in ('dispatching', 'in_progress')
          order by q.id limit ${limit})
        union all
        (select ${columns}, 1 as part from call_queue q
          where ${waiting} and q.scheduled_at = 'infinity' and ${ofCampaign}
          order by q.id limit ${limit})
        union all
        (select ${columns}, 2 as part from call_queue q
          where ${waiting} and q.scheduled_at < 'infinity' and ${ofCampaign}
          order by q.scheduled_at, q.id limit ${limit})
      ) w
      order by w.part, w.scheduled_at, w.id
      limit ${limit}`);
    const perCall = Number(rows[0]?.avg_seconds ?? DEFAULT_CALL_SECONDS) || DEFAULT_CALL_SECONDS;
    const slots = Math.max(1, Number(rows[0]?.user_limit ?? 1));
    let ahead = 0;
    const items = rows.map((r) => {
      const position = Number(r.part) === 2 ? ++ahead : null;
      const scheduled =
        r.scheduled_at && String(r.scheduled_at) !== 'infinity'
          ? new Date(r.scheduled_at as string)
          : null;
      const untilOpen = scheduled ? Math.max(0, (scheduled.getTime() - now.getTime()) / 1000) : 0;
      return {
        id: Number(r.id),
        contactName: String(r.contact_name ?? ''),
        phoneE164: String(r.phone_e164),
        status: String(r.status),
        attempt: Number(r.attempt),
        lastOutcome: r.status === 'queued' && typeof r.outcome === 'string' ? r.outcome : null,
        position,
        scheduledAt:
          scheduled && Number.isFinite(scheduled.getTime()) ? scheduled.toISOString() : null,
        estimatedWaitSeconds:
          position === null
            ? null
            : Math.round(untilOpen + Math.floor((position - 1) / slots) * perCall),
      };
    });
    return ok({ items, open: campaign.queuedCalls + campaign.activeCalls });
  });
}
