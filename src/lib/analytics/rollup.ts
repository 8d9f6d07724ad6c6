import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';

/** A day counts as closed when it is rolled this long after it ended: late webhooks have landed. */
export const CLOSE_GRACE_MINUTES = 15;

/**
 * Queue rows whose day (last dial, else end) falls in [lo, hi): the two arms
 * match call_queue_stats_dialled_idx and _undialled_idx (migration 0011).
 * Written without coalesce() on purpose: under row-level security a
 * non-leakproof expression in a condition keeps it off the index (a 5M-row
 * seq scan per roll-up).
 */
export function inDayRange(lo: SQL, hi: SQL, q = sql.raw('q')): SQL {
  return sql`((${q}.dialled_at >= ${lo} and ${q}.dialled_at < ${hi})
    or (${q}.dialled_at is null and ${q}.finished_at >= ${lo} and ${q}.finished_at < ${hi}))`;
}

/** YYYY-MM-DD, a calendar day in the tenant's time zone. */
export type Day = string;

/**
 * Rolls up `from`..`to` (inclusive, capped at the tenant's today) for one
 * tenant in ONE statement: every day of the range gets its row replaced
 * (zeros where nothing happened), so re-running never double counts.
 * Calls are read through call_queue_stats_dialled_idx and _undialled_idx
 * (see inDayRange), events through call_events_received_idx, the CRM columns from
 * the sync's tables. Only today's row takes the current pipeline value; a
 * past day keeps the value its last roll-up as "today" saw.
 * Returns the days written.
 */
export async function rollupDays(
  db: DbOrTx,
  tenantId: string,
  from: Day,
  to: Day,
  now = new Date(),
): Promise<Day[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const rows = await withTenant(db, tenantId, async (tx) => {
    // A month's roll-up is costed above jit_above_cost, and compiling took
    // longer (~70 ms) than running a day's statement.
    await tx.execute(sql`set local jit = off`);
    return tx.execute<{ day: string }>(sql`
    with tenant as (
      select timezone as tz, (${at} at time zone timezone)::date as today
      from tenants where id = ${tenantId}),
    days as (
      select d::date as day, d at time zone t.tz as starts,
             (d + interval '1 day') at time zone t.tz as ends
      from tenant t,
        generate_series(${from}::date::timestamp, least(${to}::date, t.today)::timestamp, interval '1 day') d),
    calls as (
      select (coalesce(q.dialled_at, q.finished_at) at time zone (select tz from tenant))::date as day,
        count(*) filter (where q.dialled_at is not null) as placed,
        coalesce(sum(q.attempt) filter (where q.dialled_at is not null), 0) as attempts,
        count(*) filter (where q.status = 'in_progress') as in_progress,
        count(*) filter (where q.status = 'completed' and q.outcome = 'completed') as connected,
        count(*) filter (where q.status = 'completed') as completed,
        count(*) filter (where q.status = 'completed' and q.outcome = 'voicemail') as voicemail,
        count(*) filter (where q.status = 'failed' and q.outcome = 'busy') as busy,
        count(*) filter (where q.status = 'failed' and q.outcome = 'no_answer') as no_answer,
        count(*) filter (where q.status = 'failed') as failed,
        count(*) filter (where q.status = 'failed' and q.outcome = 'failed') as failed_error,
        count(*) filter (where q.status = 'failed' and q.outcome = 'invalid_number') as failed_invalid,
        count(*) filter (where q.status = 'failed' and (q.outcome is null
          or q.outcome not in ('busy', 'no_answer', 'failed', 'invalid_number'))) as failed_other,
        count(*) filter (where q.status = 'cancelled') as cancelled,
        coalesce(sum(q.duration_seconds) filter (where q.status = 'completed'), 0) as talk
      from call_queue q
      where q.tenant_id = ${tenantId}
        and ${inDayRange(sql`(select min(starts) from days)`, sql`(select max(ends) from days)`)}
        and q.status in ('in_progress', 'completed', 'failed', 'cancelled')
        and (q.dialled_at is not null or q.status = 'failed')
      group by 1),
    -- A cost per execution (its largest report), on the day the provider reported it.
    costs as (
      select day, sum(cost) as cost from (
        select (e.received_at at time zone (select tz from tenant))::date as day, e.execution_id,
          max(case when e.raw->>'total_cost' ~ '^[0-9]{1,9}(\\.[0-9]+)?$'
                   then (e.raw->>'total_cost')::numeric end) as cost
        from call_events e
        where e.tenant_id = ${tenantId}
          and e.received_at >= (select min(starts) from days)
          and e.received_at < (select max(ends) from days)
        group by 1, 2) x
      group by day),
    imports as (
      select (i.finished_at at time zone (select tz from tenant))::date as day, sum(i.inserted) as n
      from contact_imports i
      where i.tenant_id = ${tenantId} and i.status = 'completed'
        and i.finished_at >= (select min(starts) from days)
        and i.finished_at < (select max(ends) from days)
      group by 1),
    leads as (
      select l.day, sum(l.leads) as n from lead_daily_counts l
      where l.tenant_id = ${tenantId} and l.day between ${from}::date and ${to}::date
      group by 1),
    opportunities as (
      select (o.ct_created_at at time zone (select tz from tenant))::date as day, count(*) as n
      from ct_opportunities o
      where o.tenant_id = ${tenantId} and o.deleted_at is null
        and o.ct_created_at >= (select min(starts) from days)
        and o.ct_created_at < (select max(ends) from days)
      group by 1),
    written as (
      insert into stats_daily as s (tenant_id, day, calls_placed, attempts, calls_in_progress,
        calls_connected, calls_completed, calls_voicemail, calls_busy, calls_no_answer, calls_failed,
        failed_error, failed_invalid_number, failed_other, calls_cancelled, talk_seconds, cost,
        contacts_imported, leads_synced, new_opportunities, pipeline_value, rolled_at)
      select ${tenantId}, d.day, coalesce(c.placed, 0), coalesce(c.attempts, 0),
        coalesce(c.in_progress, 0), coalesce(c.connected, 0), coalesce(c.completed, 0),
        coalesce(c.voicemail, 0), coalesce(c.busy, 0), coalesce(c.no_answer, 0),
        coalesce(c.failed, 0), coalesce(c.failed_error, 0), coalesce(c.failed_invalid, 0),
        coalesce(c.failed_other, 0), coalesce(c.cancelled, 0), coalesce(c.talk, 0),
        coalesce(k.cost, 0), coalesce(i.n, 0), coalesce(l.n, 0), coalesce(o.n, 0),
        case when d.day = (select today from tenant) then
          (select sum(p.total_value) from pipeline_stage_counts p where p.tenant_id = ${tenantId})
        end,
        now()
      from days d
      left join calls c on c.day = d.day
      left join costs k on k.day = d.day
      left join imports i on i.day = d.day
      left join leads l on l.day = d.day
      left join opportunities o on o.day = d.day
      on conflict (tenant_id, day) do update set
        calls_placed = excluded.calls_placed, attempts = excluded.attempts,
        calls_in_progress = excluded.calls_in_progress, calls_connected = excluded.calls_connected,
        calls_completed = excluded.calls_completed, calls_voicemail = excluded.calls_voicemail,
        calls_busy = excluded.calls_busy, calls_no_answer = excluded.calls_no_answer,
        calls_failed = excluded.calls_failed, failed_error = excluded.failed_error,
        failed_invalid_number = excluded.failed_invalid_number, failed_other = excluded.failed_other,
        calls_cancelled = excluded.calls_cancelled, talk_seconds = excluded.talk_seconds,
        cost = excluded.cost, contacts_imported = excluded.contacts_imported,
        leads_synced = excluded.leads_synced, new_opportunities = excluded.new_opportunities,
        pipeline_value = case when excluded.day = (select today from tenant)
          then excluded.pipeline_value else s.pipeline_value end,
        rolled_at = excluded.rolled_at
      returning s.day)
    insert into stats_rollup_state as r (tenant_id, day, rolled_at, closed)
    select ${tenantId}, w.day, now(),
      ${at} >= d.ends + make_interval(mins => ${CLOSE_GRACE_MINUTES})
    from written w join days d on d.day = w.day
    on conflict (tenant_id, day) do update set rolled_at = excluded.rolled_at, closed = excluded.closed
    returning to_char(r.day, 'YYYY-MM-DD') as day`);
  });
  return rows.map((r) => r.day).sort();
}
