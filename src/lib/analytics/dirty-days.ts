import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { type Day, inDayRange } from './rollup';

/**
 * How far back a changed call is looked for. Calls end within minutes and
 * stuck ones are settled within hours (the dispatcher's sweeps), so a call
 * row older than this does not change; a backfill re-rolls older history.
 */
export const DIRTY_LOOKBACK_DAYS = 7;
/**
 * A call row's updated_at is its transaction's start: one that began before
 * a roll-up's snapshot but committed after it would look older than the
 * roll-up. Rows this close to the roll-up keep their day dirty a little longer.
 */
const COMMIT_SLACK = sql`interval '2 minutes'`;

/**
 * The days one tick must roll for a tenant, oldest first: today; yesterday
 * until it has been rolled closed; past days (within the look-back) whose
 * calls changed since their last roll-up, e.g. a late webhook; and, when a
 * ClientTether sync finished since the last tick, days from the first rolled
 * one whose new leads or opportunities no longer match. One statement.
 */
export async function findDaysToRoll(db: DbOrTx, tenantId: string, now = new Date()) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.execute<{ day: string }>(sql`
    with t as (
      select timezone as tz, (${at} at time zone timezone)::date as today
      from tenants where id = ${tenantId}),
    call_days as (
      select (coalesce(q.dialled_at, q.finished_at) at time zone (select tz from t))::date as day,
             max(q.updated_at) as changed
      from call_queue q
      where q.tenant_id = ${tenantId}
        -- Bounds as whole subqueries: a timezone() call in the condition itself would keep
        -- it off the index under row-level security (see inDayRange).
        and ${inDayRange(
          sql`(select (today - ${DIRTY_LOOKBACK_DAYS}::int)::timestamp at time zone tz from t)`,
          sql`(select today::timestamp at time zone tz from t)`,
        )}
      group by 1),
    synced as (
      select exists (
        select 1 from sync_runs r
        where r.tenant_id = ${tenantId} and r.status = 'success'
          and r.finished_at > coalesce((select s.rolled_at from stats_rollup_state s
            where s.tenant_id = ${tenantId} and s.day = (select today from t)), '-infinity')) as yes),
    first_day as (select min(day) as day from stats_rollup_state where tenant_id = ${tenantId}),
    crm as (
      select day, sum(leads) as leads, sum(opportunities) as opportunities from (
        select l.day, l.leads, 0 as opportunities from lead_daily_counts l
        where l.tenant_id = ${tenantId} and (select yes from synced)
        union all
        select (o.ct_created_at at time zone (select tz from t))::date, 0, 1 from ct_opportunities o
        where o.tenant_id = ${tenantId} and o.deleted_at is null and o.ct_created_at is not null
          and (select yes from synced)) x
      group by day),
    crm_days as (
      select coalesce(c.day, s.day) as day
      from crm c
      full join (select day, leads_synced, new_opportunities from stats_daily
                 where tenant_id = ${tenantId} and (select yes from synced)) s on s.day = c.day
      where coalesce(c.leads, 0) <> coalesce(s.leads_synced, 0)
         or coalesce(c.opportunities, 0) <> coalesce(s.new_opportunities, 0))
    select to_char(day, 'YYYY-MM-DD') as day from (
      select today as day from t
      union
      select t.today - 1 from t
      where not exists (select 1 from stats_rollup_state s
        where s.tenant_id = ${tenantId} and s.day = t.today - 1 and s.closed)
      union
      select c.day from call_days c
      left join stats_rollup_state s on s.tenant_id = ${tenantId} and s.day = c.day
      where s.rolled_at is null or c.changed > s.rolled_at - ${COMMIT_SLACK}
      union
      select c.day from crm_days c
      where c.day >= (select day from first_day) and c.day < (select today from t)
    ) d
    order by 1`),
  );
  return rows.map((r) => r.day);
}

/** Consecutive days folded into [from, to] ranges, each one roll-up statement. */
export function toRanges(days: readonly Day[]): { from: Day; to: Day }[] {
  const ranges: { from: Day; to: Day }[] = [];
  for (const day of [...days].sort()) {
    const last = ranges.at(-1);
    if (last && addDays(last.to, 1) === day) last.to = day;
    else if (!last || last.to !== day) ranges.push({ from: day, to: day });
  }
  return ranges;
}

/** Calendar arithmetic on YYYY-MM-DD (UTC noon: no DST edge). */
export function addDays(day: Day, n: number): Day {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}
