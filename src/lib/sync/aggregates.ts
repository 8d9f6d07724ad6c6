import { sql } from 'drizzle-orm';
import type { TenantTx } from '../db/tenant';
import { type RunScope, stamp } from './normalize';

/** Which opportunities are "hot": explicit stage names, or stages at least this likely to close. */
export type HotListRule = { stages: string[] } | { minLikelihood: number };
export const DEFAULT_HOT_LIST_RULE: HotListRule = { minLikelihood: 50 };

/**
 * Recomputes the dashboard aggregates from the normalised tables, replacing
 * the previous ones inside the sync's transaction: readers see the old set or
 * the new one, never a mix. Prospects are ClientTether contact type "1".
 */
export async function recomputeAggregates(tx: TenantTx, scope: RunScope, rule: HotListRule) {
  const t = scope.tenantId;
  await tx.execute(sql`delete from lead_metrics where tenant_id = ${t}`);
  await tx.execute(sql`insert into lead_metrics (tenant_id, run_id, dimension, key, leads, prospects, computed_at)
    select ${t}, ${scope.runId}, dimension, key, count(*), count(*) filter (where contact_type = '1'), ${stamp(scope)}
    from (
      select 'source' as dimension, coalesce(lead_source, 'Unknown') as key, contact_type from ct_leads
        where tenant_id = ${t} and deleted_at is null
      union all
      select 'stage', stage, contact_type from ct_leads where tenant_id = ${t} and deleted_at is null
      union all
      select 'day', to_char(ct_created_at at time zone ${scope.timezone}, 'YYYY-MM-DD'), contact_type from ct_leads
        where tenant_id = ${t} and deleted_at is null and ct_created_at is not null
    ) leads
    group by dimension, key`);

  // Per day × source × stage, so a date range on the leads page sums a few
  // thousand rows instead of counting every lead.
  await tx.execute(sql`delete from lead_daily_counts where tenant_id = ${t}`);
  await tx.execute(sql`insert into lead_daily_counts (tenant_id, run_id, day, source, stage, leads, computed_at)
    select ${t}, ${scope.runId}, day, source, stage, count(*), ${stamp(scope)}
    from (select (ct_created_at at time zone ${scope.timezone})::date as day,
        coalesce(lead_source, 'Unknown') as source, stage from ct_leads
      where tenant_id = ${t} and deleted_at is null and ct_created_at is not null) leads
    group by day, source, stage`);

  await tx.execute(sql`delete from pipeline_stage_counts where tenant_id = ${t}`);
  await tx.execute(sql`insert into pipeline_stage_counts (tenant_id, run_id, stage, stage_order, likelihood,
      opportunities, total_value, weighted_value, computed_at)
    with stages as (
      select name, min(stage_order) as stage_order, max(likelihood) as likelihood from ct_sales_cycles
      where tenant_id = ${t} and deleted_at is null and active = '1' and coalesce(contact_type, '1') = '1'
      group by name),
    opps as (
      select stage, count(*) as n, coalesce(sum(deal_size), 0) as total from ct_opportunities
      where tenant_id = ${t} and deleted_at is null and coalesce(contact_type, '1') = '1'
      group by stage)
    select ${t}, ${scope.runId}, coalesce(s.name, o.stage), coalesce(s.stage_order, 0), coalesce(s.likelihood, 0),
      coalesce(o.n, 0), coalesce(o.total, 0), round(coalesce(o.total, 0) * coalesce(s.likelihood, 0) / 100.0, 2),
      ${stamp(scope)}
    from stages s full join opps o on o.stage = s.name`);

  const hot =
    'stages' in rule
      ? sql`s.name = any(${sql.param(rule.stages)}::text[])`
      : sql`s.likelihood >= ${rule.minLikelihood}`;
  await tx.execute(sql`delete from hot_list_items where tenant_id = ${t}`);
  await tx.execute(sql`insert into hot_list_items (tenant_id, run_id, opportunity_ct_id, candidate, market, units,
      iff, weighted_iff, stage, likelihood, sales_lead, computed_at)
    select ${t}, ${scope.runId}, o.ct_id, coalesce(o.candidate, o.name, 'Unnamed candidate'), o.company,
      greatest(coalesce(o.units, 1), 1), coalesce(o.deal_size, 0),
      round(coalesce(o.deal_size, 0) * s.likelihood / 100.0, 2), o.stage, s.likelihood, o.assigned_user, ${stamp(scope)}
    from ct_opportunities o
    join (select name, max(likelihood) as likelihood from ct_sales_cycles
          where tenant_id = ${t} and deleted_at is null group by name) s on s.name = o.stage
    where o.tenant_id = ${t} and o.deleted_at is null and coalesce(o.contact_type, '1') = '1' and ${hot}`);
}
