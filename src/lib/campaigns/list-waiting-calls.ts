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
  attempt: number;
  /** 1 = next of this campaign; null while in flight or paused. */
  position: number | null;
  scheduledAt: string | null;
  /** Rough: until the window opens, plus the calls ahead shared over the owner's slots. */
  estimatedWaitSeconds: number | null;
}

const DEFAULT_CALL_SECONDS = 90;

/**
 * The campaign's open calls in the order the claim takes them — (scheduled_at,
 * priority desc, id), as call_queue_due_idx ranks them — with positions and a
 * rough wait. Calls in flight come first, without a position.
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
    const rows = await tx.execute<Record<string, unknown>>(sql`
      with open as (
        select q.id, q.contact_name, q.phone_e164, q.status, q.attempt, q.scheduled_at,
               case when q.status = 'queued' and q.scheduled_at <> 'infinity' then
                 row_number() over (partition by q.status = 'queued' and q.scheduled_at <> 'infinity'
                                    order by q.scheduled_at, q.priority desc, q.id) end as position
        from call_queue q
        where q.tenant_id = ${tenantId} and q.campaign_id = ${campaignId}
          and q.status in ('queued', 'dispatching', 'in_progress')
      )
      select o.*, count(*) over () as open_total,
             (select avg(duration_seconds)::float8 from call_queue d
              where d.tenant_id = ${tenantId} and d.campaign_id = ${campaignId} and d.status = 'completed') as avg_seconds,
             (select concurrent_calls_limit from users where id = ${campaign.createdBy}) as user_limit
      from open o
      order by o.position nulls first, o.id
      limit ${limit}`);
    const perCall = Number(rows[0]?.avg_seconds ?? DEFAULT_CALL_SECONDS) || DEFAULT_CALL_SECONDS;
    const slots = Math.max(1, Number(rows[0]?.user_limit ?? 1));
    const items = rows.map((r) => {
      const position = r.position === null ? null : Number(r.position);
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
        position,
        scheduledAt:
          scheduled && Number.isFinite(scheduled.getTime()) ? scheduled.toISOString() : null,
        estimatedWaitSeconds:
          position === null
            ? null
            : Math.round(untilOpen + Math.floor((position - 1) / slots) * perCall),
      };
    });
    return ok({ items, open: rows.length > 0 ? Number(rows[0]?.open_total) : 0 });
  });
}
