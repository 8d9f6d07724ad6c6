import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { type TenantTx, withTenant } from '../db/tenant';
import { type AnalyticsRange, type Granularity, RANGE_DAYS } from './schemas';

/** One bucket of the call-volume chart: calls by how they ended, and the leads of the same days. */
export interface CallBucket {
  /** The bucket's first day (YYYY-MM-DD; weeks start on Monday), clipped to the range. */
  start: string;
  placed: number;
  connected: number;
  voicemail: number;
  busy: number;
  noAnswer: number;
  failed: number;
  cancelled: number;
  inProgress: number;
  talkSeconds: number;
  newLeads: number;
}

export interface CallAnalytics {
  range: AnalyticsRange;
  granularity: Granularity;
  from: string;
  to: string;
  buckets: CallBucket[];
}

/** A mapped copy: postgres rows need an index signature, which interfaces lack. */
type BucketRow = { [K in keyof CallBucket]: CallBucket[K] } & { from: string; to: string };

/**
 * Calls per day, week or month over a range ending today (tenant time zone),
 * from stats_daily alone (its primary key, at most 90 rows). Every bucket of
 * the range is present, zeros included, so charts have no gaps.
 */
export function getCallAnalytics(
  db: DbOrTx,
  tenantId: string,
  range: AnalyticsRange,
  granularity: Granularity,
  now = new Date(),
): Promise<CallAnalytics> {
  return withTenant(db, tenantId, (tx) => readCallAnalytics(tx, tenantId, range, granularity, now));
}

/** getCallAnalytics inside a tenant transaction the caller already holds. */
export async function readCallAnalytics(
  tx: TenantTx,
  tenantId: string,
  range: AnalyticsRange,
  granularity: Granularity,
  now = new Date(),
): Promise<CallAnalytics> {
  const n = RANGE_DAYS[range];
  const unit = sql.raw(`'${granularity}'`);
  const at = sql`${now.toISOString()}::timestamptz`;
  const rows = await tx.execute<BucketRow>(sql`
      with b as (
        select today - ${n - 1}::int as from_day, today as to_day
        from (select (${at} at time zone timezone)::date as today from tenants where id = ${tenantId}) t),
      days as (
        select d::date as day, greatest(date_trunc(${unit}, d)::date, b.from_day) as bucket
        from b, generate_series(b.from_day::timestamp, b.to_day::timestamp, interval '1 day') d)
      select to_char(d.bucket, 'YYYY-MM-DD') as start,
        to_char((select from_day from b), 'YYYY-MM-DD') as from,
        to_char((select to_day from b), 'YYYY-MM-DD') as to,
        coalesce(sum(s.calls_placed), 0)::int as placed,
        coalesce(sum(s.calls_connected), 0)::int as connected,
        coalesce(sum(s.calls_voicemail), 0)::int as voicemail,
        coalesce(sum(s.calls_busy), 0)::int as busy,
        coalesce(sum(s.calls_no_answer), 0)::int as "noAnswer",
        coalesce(sum(s.failed_error + s.failed_invalid_number + s.failed_other), 0)::int as failed,
        coalesce(sum(s.calls_cancelled), 0)::int as cancelled,
        coalesce(sum(s.calls_in_progress), 0)::int as "inProgress",
        coalesce(sum(s.talk_seconds), 0)::bigint as "talkSeconds",
        coalesce(sum(s.leads_synced), 0)::int as "newLeads"
      from days d
      left join stats_daily s on s.tenant_id = ${tenantId} and s.day = d.day
      group by d.bucket order by d.bucket`);
  const first = rows[0];
  if (!first) throw new Error('getCallAnalytics: no such tenant');
  return {
    range,
    granularity,
    from: first.from,
    to: first.to,
    buckets: rows.map(({ from: _f, to: _t, ...b }) => ({
      ...b,
      talkSeconds: Number(b.talkSeconds),
    })),
  };
}
