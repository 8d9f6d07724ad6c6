import { sql } from 'drizzle-orm';
import type { TenantTx } from '../db/tenant';
import type { CampaignRow } from './campaign-view';
import { scheduleByZone, windowOf } from './zone-schedule';

/**
 * Gives every queued row of the campaign its next window instant at or after
 * `from`, zone by zone in one statement; rows no window can reach before the
 * campaign's end are skipped with the reason.
 */
export async function rescheduleQueued(
  tx: TenantTx,
  campaign: CampaignRow,
  from: Date,
): Promise<void> {
  const zones = await tx.execute<{ tz: string }>(sql`
    select distinct timezone as tz from call_queue
    where tenant_id = ${campaign.tenantId} and campaign_id = ${campaign.id} and status = 'queued'`);
  const slots = scheduleByZone(
    windowOf(campaign),
    zones.map((z) => z.tz),
    from,
    campaign.endAt,
  );
  await tx.execute(sql`
    with moved as (
      update call_queue q
      set scheduled_at = coalesce(z.scheduled_at, q.scheduled_at), not_after = z.not_after,
          status = case when z.scheduled_at is null then 'skipped' else 'queued' end,
          outcome = case when z.scheduled_at is null then 'no_calling_window' else q.outcome end,
          finished_at = case when z.scheduled_at is null then now() end,
          updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(slots)}::jsonb)
           as z(tz text, scheduled_at timestamptz, not_after timestamptz)
      where q.tenant_id = ${campaign.tenantId} and q.campaign_id = ${campaign.id}
        and q.status = 'queued' and q.timezone = z.tz
      returning q.status
    )
    update call_campaigns set
      queued_calls = queued_calls - (select count(*) from moved where status = 'skipped'),
      skipped_calls = skipped_calls + (select count(*) from moved where status = 'skipped')
    where tenant_id = ${campaign.tenantId} and id = ${campaign.id}`);
}
