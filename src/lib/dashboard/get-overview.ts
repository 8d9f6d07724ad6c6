import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { type TenantTx, withTenant } from '../db/tenant';
import { STALE_AFTER_MS, type SyncStatus } from '../sync/status';
import {
  cachedHotListTotals,
  type HotListItem,
  type HotListRow,
  hotListFrom,
} from './get-hot-list';
import { hotListQuery } from './hot-list-query';
import type { UpcomingActivity } from './list-upcoming-activities';

export const OVERVIEW_LEAD_DAYS = 30;
const TOP = 5;

export interface Overview {
  /** Leads created in the last 30 days (tenant's calendar days, today included). */
  leads: { totalLeads: number; qualifiedLeads: number };
  pipeline: { totalValue: number; weightedValue: number; opportunities: number };
  /** The whole hot list's totals and its first five by weighted IFF. */
  hot: { total: number; totalWeightedIff: number; items: HotListItem[] };
  /** The next five activities. */
  upcoming: UpcomingActivity[];
  sync: SyncStatus;
}

type Row = {
  leads: Overview['leads'];
  pipeline: Overview['pipeline'];
  hot: HotListRow;
  latest_run: {
    status: Exclude<SyncStatus['status'], 'never'>;
    errorMessage: string | null;
  } | null;
  last_success: Date | string | null;
  upcoming: (Omit<UpcomingActivity, 'startsAt' | 'endsAt'> & {
    startsAt: string;
    endsAt: string | null;
  })[];
};

/**
 * The /dashboard overview in one tenant transaction and one statement: the
 * same definitions as the leads, pipeline, hot list, schedule and sync
 * status verbs, read from the aggregates the sync writes. Each figure reads
 * an index or a few dozen aggregate rows: round trips were the cost (five
 * verbs took five transactions and about 35 round trips).
 */
export async function getOverview(
  db: DbOrTx,
  tenantId: string,
  now = new Date(),
): Promise<Overview> {
  return withTenant(db, tenantId, (tx) => readOverview(tx, tenantId, now));
}

/** getOverview inside the caller's tenant transaction (the overview page adds its analytics reads). */
export async function readOverview(
  tx: TenantTx,
  tenantId: string,
  now = new Date(),
): Promise<Overview> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const known = cachedHotListTotals(tenantId);
  const top = { sort: 'weightedIff', dir: 'desc', offset: 0, limit: TOP } as const;
  const topOfHotList = hotListQuery(tenantId, top, known?.runId ?? null);
  const [row] = await tx.execute<Row>(sql`with today as (
      select (${at} at time zone timezone)::date as day from tenants where id = ${tenantId})
    select
      -- Qualified: a stage some sales cycle gives a likelihood above 0 (as getLeadsOverview).
      (select json_build_object('totalLeads', coalesce(sum(c.leads), 0),
          'qualifiedLeads', coalesce(sum(c.leads) filter (where s.likelihood > 0), 0))
        from lead_daily_counts c
        left join (select name, max(likelihood) as likelihood from ct_sales_cycles
          where tenant_id = ${tenantId} and deleted_at is null group by name) s on s.name = c.stage
        where c.tenant_id = ${tenantId}
          and c.day between (select day from today) - ${OVERVIEW_LEAD_DAYS - 1}::int
            and (select day from today)) as leads,
      (select json_build_object('totalValue', coalesce(sum(total_value), 0),
          'weightedValue', coalesce(sum(weighted_value), 0),
          'opportunities', coalesce(sum(opportunities), 0))
        from pipeline_stage_counts where tenant_id = ${tenantId}) as pipeline,
      (select row_to_json(hot) from (${topOfHotList}) hot) as hot,
      -- The sync banner's two reads (as getSyncStatus), on sync_runs_tenant_started_idx.
      (select json_build_object('status', status, 'errorMessage', error_message) from sync_runs
        where tenant_id = ${tenantId} and status in ('running', 'success', 'failed')
        order by started_at desc limit 1) as latest_run,
      (select finished_at from sync_runs where tenant_id = ${tenantId} and status = 'success'
        order by finished_at desc limit 1) as last_success,
      -- ct_activities_tenant_starts_idx from now on (as listUpcomingActivities).
      (select coalesce(json_agg(a order by a."startsAt", a.id), '[]') from (
        select ct_id as id, starts_at as "startsAt", ends_at as "endsAt", activity_type as type,
          title, contact_name as "contactName", description, owner_name as "ownerName"
        from ct_scheduled_activities
        where tenant_id = ${tenantId} and deleted_at is null and starts_at > ${at}
        order by starts_at, ct_id limit ${TOP}) a) as upcoming`);
  if (!row) throw new Error('getOverview: the overview query returned no row');
  return {
    leads: row.leads,
    pipeline: row.pipeline,
    hot: hotListFrom(tenantId, row.hot, known),
    upcoming: row.upcoming.map((a) => ({
      ...a,
      startsAt: new Date(a.startsAt).toISOString(),
      endsAt: a.endsAt === null ? null : new Date(a.endsAt).toISOString(),
    })),
    sync: syncStatusFrom(row.latest_run, row.last_success, now),
  };
}

/** getSyncStatus's answer from its two reads; overview.test.ts checks the two agree. */
function syncStatusFrom(
  latest: Row['latest_run'],
  lastSuccess: Date | string | null,
  now: Date,
): SyncStatus {
  const lastSyncAt = lastSuccess === null ? null : new Date(lastSuccess);
  return {
    lastSyncAt: lastSyncAt?.toISOString() ?? null,
    status: latest?.status ?? 'never',
    isStale: !lastSyncAt || now.getTime() - lastSyncAt.getTime() > STALE_AFTER_MS,
    lastError:
      latest?.status === 'failed' ? (latest.errorMessage ?? 'The last sync failed.') : null,
  };
}
