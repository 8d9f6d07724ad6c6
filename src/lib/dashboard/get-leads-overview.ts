import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { type TenantTx, withTenant } from '../db/tenant';
import type { LeadRange } from './schemas';

export interface LeadsOverview {
  range: LeadRange;
  totalLeads: number;
  qualifiedLeads: number;
  /** How many sources the range's leads came from ("Unknown" included): the bars of bySource. */
  leadSources: number;
  bySource: { source: string; leads: number }[];
  /** In pipeline order; stages unknown to the sales cycles last. */
  byStage: { stage: string; leads: number }[];
  /** A ranged view lists every day of the range, zeros included; "all" lists days with leads. */
  byDay: { day: string; leads: number }[];
}

interface Window {
  first: string;
  last: string;
}
type Dimension = 'source' | 'stage' | 'day';

/**
 * The leads page: counts of non-deleted leads created in the last `range`
 * days (calendar days in the tenant's time zone, today included) or all time.
 * Reads only the aggregates the sync computes: lead_daily_counts for a range
 * (its primary key starts with tenant and day), lead_metrics for all time.
 */
export async function getLeadsOverview(
  db: DbOrTx,
  tenantId: string,
  range: LeadRange,
  now = new Date(),
): Promise<LeadsOverview> {
  return withTenant(db, tenantId, async (tx) => {
    const window = range === 'all' ? null : await dayWindow(tx, tenantId, Number(range), now);
    const counts = (d: Dimension) => dimension(tenantId, d, window);

    const bySource = await tx.execute<{ source: string; leads: number }>(
      sql`select key as source, leads from (${counts('source')}) c order by leads desc, key`,
    );
    // A stage name can appear in several sales cycles (per contact type): first position wins.
    const stages = await tx.execute<{ stage: string; leads: number; qualified: boolean }>(
      sql`select c.key as stage, c.leads, coalesce(s.likelihood, 0) > 0 as qualified
        from (${counts('stage')}) c
        left join (select name, min(stage_order) as stage_order, max(likelihood) as likelihood
          from ct_sales_cycles where tenant_id = ${tenantId} and deleted_at is null group by name) s
          on s.name = c.key
        order by s.stage_order nulls last, c.key`,
    );
    const byDay = await tx.execute<{ day: string; leads: number }>(
      window
        ? sql`select to_char(d, 'YYYY-MM-DD') as day, coalesce(c.leads, 0)::int as leads
            from generate_series(${window.first}::date, ${window.last}::date, interval '1 day') d
            left join (${counts('day')}) c on c.key = to_char(d, 'YYYY-MM-DD') order by d`
        : sql`select key as day, leads from (${counts('day')}) c order by key`,
    );

    // Summing a few dozen source and stage rows; the counting happened in the sync.
    const sum = (rows: { leads: number }[]) => rows.reduce((total, r) => total + r.leads, 0);
    return {
      range,
      totalLeads: sum(bySource),
      qualifiedLeads: sum(stages.filter((s) => s.qualified)),
      leadSources: bySource.length,
      bySource: bySource.map(({ source, leads }) => ({ source, leads })),
      byStage: stages.map(({ stage, leads }) => ({ stage, leads })),
      byDay: byDay.map(({ day, leads }) => ({ day, leads })),
    };
  });
}

/** The range's first and last day (YYYY-MM-DD), "today" being `now` in the tenant's zone. */
async function dayWindow(tx: TenantTx, tenantId: string, days: number, now: Date) {
  const [row] = await tx.execute<{ first: string; last: string }>(
    sql`select to_char(today - ${days - 1}::int, 'YYYY-MM-DD') as first, to_char(today, 'YYYY-MM-DD') as last
      from (select (${now.toISOString()}::timestamptz at time zone timezone)::date as today
        from tenants where id = ${tenantId}) t`,
  );
  if (!row) throw new Error('getLeadsOverview: unknown tenant');
  return row satisfies Window;
}

/** `(key, leads)` rows for one dimension, over the window or all time. */
function dimension(tenantId: string, d: Dimension, window: Window | null): SQL {
  if (!window) {
    return sql`select key, leads from lead_metrics where tenant_id = ${tenantId} and dimension = ${d}`;
  }
  const key = d === 'day' ? sql`to_char(day, 'YYYY-MM-DD')` : sql.identifier(d);
  return sql`select ${key} as key, sum(leads)::int as leads from lead_daily_counts
    where tenant_id = ${tenantId} and day between ${window.first}::date and ${window.last}::date
    group by 1`;
}
