import { type SQL, sql } from 'drizzle-orm';
import type { TenantTx } from '../db/tenant';
import type { CampaignRow } from './campaign-view';
import { isValidTimeZone } from './schedule';
import { scheduleByZone, windowOf } from './zone-schedule';

/**
 * Writes one queue row per contact matching `selection` (a condition on
 * contacts `c`), set-based: the zones' schedules are computed once each and
 * joined in. Rows are inserted highest priority first so that, among rows due
 * at the same instant, id order is priority order (the claim relies on it).
 */
export async function enqueueContacts(
  tx: TenantTx,
  campaign: CampaignRow,
  selection: SQL,
  from: Date,
): Promise<{ total: number; queued: number; skipped: number }> {
  const zoneOf = campaign.useContactTimezone
    ? sql`coalesce(c.timezone, ${campaign.timezone})`
    : sql`${campaign.timezone}`;
  const zones = await tx.execute<{ tz: string }>(
    sql`select distinct ${zoneOf} as tz from contacts c
        where c.tenant_id = ${campaign.tenantId} and ${selection}`,
  );
  const window = windowOf(campaign);
  const slots = zones.map(({ tz }) => {
    const effective = isValidTimeZone(tz) ? tz : campaign.timezone;
    const [slot] = scheduleByZone(window, [effective], from, campaign.endAt);
    return {
      tz,
      effective_tz: effective,
      scheduled_at: slot?.scheduled_at ?? null,
      not_after: slot?.not_after ?? null,
    };
  });
  const [counts] = await tx.execute<{ total: number; queued: number; skipped: number }>(sql`
    with picked as (
      select c.id, c.phone_e164, c.name, c.opted_out_at, ${zoneOf} as tz,
             (case when c.name <> '' then 100 else 0 end)
             + (case when c.attributes->>'priority' ~ '^-?[0-9]{1,4}$'
                     then (c.attributes->>'priority')::integer else 0 end) as priority
      from contacts c
      where c.tenant_id = ${campaign.tenantId} and ${selection}
    ), ins as (
      insert into call_queue (tenant_id, campaign_id, contact_id, user_id, phone_e164, contact_name,
                              timezone, priority, scheduled_at, not_after, status, outcome, finished_at)
      select ${campaign.tenantId}, ${campaign.id}, p.id, ${campaign.createdBy}, p.phone_e164, p.name,
             coalesce(z.effective_tz, ${campaign.timezone}), p.priority,
             coalesce(z.scheduled_at, 'infinity'), z.not_after,
             case when p.opted_out_at is not null or z.scheduled_at is null then 'skipped' else 'queued' end,
             case when p.opted_out_at is not null then 'opted_out'
                  when z.scheduled_at is null then 'no_calling_window' end,
             case when p.opted_out_at is not null or z.scheduled_at is null then now() end
      from picked p
      left join jsonb_to_recordset(${JSON.stringify(slots)}::jsonb)
             as z(tz text, effective_tz text, scheduled_at timestamptz, not_after timestamptz)
             on z.tz = p.tz
      order by p.priority desc, p.id
      on conflict (tenant_id, campaign_id, contact_id) do nothing
      returning status
    )
    select count(*)::int as total,
           count(*) filter (where status = 'queued')::int as queued,
           count(*) filter (where status = 'skipped')::int as skipped
    from ins`);
  return counts ?? { total: 0, queued: 0, skipped: 0 };
}
