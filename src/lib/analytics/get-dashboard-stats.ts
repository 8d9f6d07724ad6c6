import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { type TenantTx, withTenant } from '../db/tenant';
import { type AnalyticsRange, RANGE_DAYS } from './schemas';

export interface PeriodTotals {
  callsPlaced: number;
  callsConnected: number;
  callsCompleted: number;
  /** Connected over placed; null before any call was placed. */
  connectRate: number | null;
  talkSeconds: number;
  cost: number;
  newLeads: number;
  newOpportunities: number;
  contactsImported: number;
  /** At the end of the period's last rolled day that recorded one; null when none did. */
  pipelineValue: number | null;
}

export interface Delta {
  /** Relative change (0.25 = +25%); for the connect rate, the change in points (0.05 = +5 pt). */
  change: number | null;
  direction: 'up' | 'down' | 'flat';
}

export interface DashboardStats {
  range: AnalyticsRange;
  /** The period's first and last day (tenant time zone), and the previous period's. */
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  current: PeriodTotals;
  previous: PeriodTotals;
  deltas: Record<Exclude<keyof PeriodTotals, 'contactsImported'>, Delta>;
  /** When the roll-up last wrote today's row; null before it ever ran for this tenant. */
  rolledAt: string | null;
}

type Row = {
  from: string;
  to: string;
  prev_from: string;
  prev_to: string;
  rolled_at: string | null;
  current: Omit<PeriodTotals, 'connectRate'>;
  previous: Omit<PeriodTotals, 'connectRate'>;
};

const totals = (from: ReturnType<typeof sql>, to: ReturnType<typeof sql>, tenantId: string) => sql`
  (select json_build_object(
      'callsPlaced', coalesce(sum(calls_placed), 0), 'callsConnected', coalesce(sum(calls_connected), 0),
      'callsCompleted', coalesce(sum(calls_completed), 0), 'talkSeconds', coalesce(sum(talk_seconds), 0),
      'cost', coalesce(sum(cost), 0), 'newLeads', coalesce(sum(leads_synced), 0),
      'newOpportunities', coalesce(sum(new_opportunities), 0),
      'contactsImported', coalesce(sum(contacts_imported), 0),
      'pipelineValue', (select p.pipeline_value from stats_daily p
        where p.tenant_id = ${tenantId} and p.day <= ${to} and p.pipeline_value is not null
        order by p.day desc limit 1))
    from stats_daily where tenant_id = ${tenantId} and day between ${from} and ${to})`;

/**
 * The overview's headline figures for a range ending today (tenant time
 * zone) and for the period of the same length before it, from stats_daily
 * alone: at most 180 rows on its primary key, whatever the history's size.
 */
export function getDashboardStats(
  db: DbOrTx,
  tenantId: string,
  range: AnalyticsRange,
  now = new Date(),
): Promise<DashboardStats> {
  return withTenant(db, tenantId, (tx) => readDashboardStats(tx, tenantId, range, now));
}

/** getDashboardStats inside a tenant transaction the caller already holds. */
export async function readDashboardStats(
  tx: TenantTx,
  tenantId: string,
  range: AnalyticsRange,
  now = new Date(),
): Promise<DashboardStats> {
  const n = RANGE_DAYS[range];
  const at = sql`${now.toISOString()}::timestamptz`;
  const [row] = await tx.execute<Row>(sql`
      with b as (
        select today - ${n - 1}::int as from_day, today as to_day,
               today - ${2 * n - 1}::int as prev_from, today - ${n}::int as prev_to
        from (select (${at} at time zone timezone)::date as today from tenants where id = ${tenantId}) t)
      select to_char(from_day, 'YYYY-MM-DD') as from, to_char(to_day, 'YYYY-MM-DD') as to,
        to_char(prev_from, 'YYYY-MM-DD') as prev_from, to_char(prev_to, 'YYYY-MM-DD') as prev_to,
        ${totals(sql`b.from_day`, sql`b.to_day`, tenantId)} as current,
        ${totals(sql`b.prev_from`, sql`b.prev_to`, tenantId)} as previous,
        (select s.rolled_at from stats_rollup_state s
          where s.tenant_id = ${tenantId} and s.day = b.to_day) as rolled_at
      from b`);
  if (!row) throw new Error('getDashboardStats: no such tenant');
  const current = withRate(row.current);
  const previous = withRate(row.previous);
  return {
    range,
    period: { from: row.from, to: row.to },
    previousPeriod: { from: row.prev_from, to: row.prev_to },
    current,
    previous,
    deltas: {
      callsPlaced: relative(current.callsPlaced, previous.callsPlaced),
      callsConnected: relative(current.callsConnected, previous.callsConnected),
      callsCompleted: relative(current.callsCompleted, previous.callsCompleted),
      connectRate: points(current.connectRate, previous.connectRate),
      talkSeconds: relative(current.talkSeconds, previous.talkSeconds),
      cost: relative(current.cost, previous.cost),
      newLeads: relative(current.newLeads, previous.newLeads),
      newOpportunities: relative(current.newOpportunities, previous.newOpportunities),
      pipelineValue: relative(current.pipelineValue, previous.pipelineValue),
    },
    rolledAt: row.rolled_at === null ? null : new Date(row.rolled_at).toISOString(),
  };
}

function withRate(t: Omit<PeriodTotals, 'connectRate'>): PeriodTotals {
  const number = (v: unknown) => Number(v ?? 0);
  const placed = number(t.callsPlaced);
  const connected = number(t.callsConnected);
  return {
    callsPlaced: placed,
    callsConnected: connected,
    callsCompleted: number(t.callsCompleted),
    connectRate: placed > 0 ? connected / placed : null,
    talkSeconds: number(t.talkSeconds),
    cost: number(t.cost),
    newLeads: number(t.newLeads),
    newOpportunities: number(t.newOpportunities),
    contactsImported: number(t.contactsImported),
    pipelineValue: t.pipelineValue === null ? null : Number(t.pipelineValue),
  };
}

const direction = (change: number | null): Delta['direction'] =>
  change === null || Math.abs(change) < 1e-9 ? 'flat' : change > 0 ? 'up' : 'down';

/** Relative change; null when there is nothing to compare with (previous zero or unknown). */
export function relative(current: number | null, previous: number | null): Delta {
  if (current === null || previous === null) return { change: null, direction: 'flat' };
  if (previous === 0) return { change: null, direction: current > 0 ? 'up' : 'flat' };
  const change = (current - previous) / Math.abs(previous);
  return { change, direction: direction(change) };
}

/** A rate's change in points; null when either side has no rate. */
export function points(current: number | null, previous: number | null): Delta {
  const change = current === null || previous === null ? null : current - previous;
  return { change, direction: direction(change) };
}
