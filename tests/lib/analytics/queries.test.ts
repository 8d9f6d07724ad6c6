/**
 * What the dashboard reads from stats_daily: period totals, deltas against
 * the previous period, buckets by day, week and month; and the query
 * strings the APIs accept.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  CallAnalyticsQuery,
  DashboardStatsQuery,
  getCallAnalytics,
  getDashboardStats,
  points,
  relative,
} from '../../../src/lib/analytics';
import { parseQuery } from '../../../src/lib/dashboard/schemas';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const NOW = new Date('2026-04-15T15:00:00Z'); // a Wednesday

/** stats_daily rows as the roll-up writes them: day offset from NOW's day → figures. */
async function seedStats(tenantId: string, days: Record<number, Partial<Record<string, number>>>) {
  for (const [offset, f] of Object.entries(days)) {
    await t.db.execute(sql`insert into stats_daily (tenant_id, day, calls_placed, calls_connected,
        calls_completed, calls_busy, talk_seconds, leads_synced, pipeline_value)
      values (${tenantId}, '2026-04-15'::date + ${Number(offset)}::int, ${f.placed ?? 0},
        ${f.connected ?? 0}, ${f.completed ?? 0}, ${f.busy ?? 0}, ${f.talk ?? 0}, ${f.leads ?? 0},
        ${f.pipeline ?? null})`);
  }
}

describe('getDashboardStats', () => {
  it('sums the period, compares it with the one before, and takes the last pipeline value', async () => {
    const tenant = await makeTenant(t.db, { timezone: 'UTC' });
    await seedStats(tenant.id, {
      0: { placed: 10, connected: 5, completed: 6, talk: 300, leads: 2, pipeline: 5000 },
      [-6]: { placed: 10, connected: 1, completed: 2, talk: 100, leads: 1 },
      [-7]: { placed: 5, connected: 1, completed: 1, talk: 60, leads: 0, pipeline: 4000 },
      [-14]: { placed: 99, connected: 99 }, // outside both 7-day periods
    });
    const stats = await getDashboardStats(t.db, tenant.id, '7d', NOW);
    expect(stats.period).toEqual({ from: '2026-04-09', to: '2026-04-15' });
    expect(stats.previousPeriod).toEqual({ from: '2026-04-02', to: '2026-04-08' });
    expect(stats.current).toMatchObject({
      callsPlaced: 20,
      callsConnected: 6,
      callsCompleted: 8,
      connectRate: 0.3,
      talkSeconds: 400,
      newLeads: 3,
      pipelineValue: 5000,
    });
    expect(stats.previous).toMatchObject({ callsPlaced: 5, connectRate: 0.2, pipelineValue: 4000 });
    expect(stats.deltas.callsPlaced).toEqual({ change: 3, direction: 'up' });
    expect(stats.deltas.connectRate.change).toBeCloseTo(0.1);
    expect(stats.deltas.pipelineValue).toEqual({ change: 0.25, direction: 'up' });
    expect(stats.deltas.newLeads).toEqual({ change: null, direction: 'up' });

    const today = await getDashboardStats(t.db, tenant.id, 'today', NOW);
    expect(today.current.callsPlaced).toBe(10);
    expect(today.previous.callsPlaced).toBe(0);
  });

  it('answers zeros and no rate for a workspace the roll-up has not reached', async () => {
    const tenant = await makeTenant(t.db);
    const stats = await getDashboardStats(t.db, tenant.id, '30d', NOW);
    expect(stats.current).toMatchObject({ callsPlaced: 0, connectRate: null, pipelineValue: null });
    expect(stats.rolledAt).toBeNull();
    expect(stats.deltas.callsPlaced).toEqual({ change: null, direction: 'flat' });
  });
});

describe('getCallAnalytics', () => {
  it('buckets by day, by week from Monday and by month, clipped to the range, gaps as zeros', async () => {
    const tenant = await makeTenant(t.db, { timezone: 'UTC' });
    await seedStats(tenant.id, {
      0: { placed: 4, busy: 1 },
      [-2]: { placed: 3 },
      [-20]: { placed: 7 },
    });
    const daily = await getCallAnalytics(t.db, tenant.id, '7d', 'day', NOW);
    expect(daily.buckets.map((b) => [b.start, b.placed])).toEqual([
      ['2026-04-09', 0],
      ['2026-04-10', 0],
      ['2026-04-11', 0],
      ['2026-04-12', 0],
      ['2026-04-13', 3],
      ['2026-04-14', 0],
      ['2026-04-15', 4],
    ]);
    expect(daily.buckets.at(-1)?.busy).toBe(1);
    const weekly = await getCallAnalytics(t.db, tenant.id, '30d', 'week', NOW);
    expect(weekly.buckets[0]?.start).toBe('2026-03-17'); // the range's first day, mid-week
    expect(weekly.buckets.map((b) => b.start).slice(1)).toEqual([
      '2026-03-23',
      '2026-03-30',
      '2026-04-06',
      '2026-04-13',
    ]);
    expect(weekly.buckets.reduce((n, b) => n + b.placed, 0)).toBe(14);
    const monthly = await getCallAnalytics(t.db, tenant.id, '90d', 'month', NOW);
    expect(monthly.buckets.map((b) => b.start)).toEqual([
      '2026-01-16',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
    ]);
  });
});

describe('query strings', () => {
  const parse = (schema: typeof DashboardStatsQuery | typeof CallAnalyticsQuery, q: string) =>
    parseQuery(schema, new URLSearchParams(q));

  it('default to 30 days by day and name the parameter they reject', () => {
    expect(parse(CallAnalyticsQuery, '')).toEqual({
      ok: true,
      data: { range: '30d', granularity: 'day' },
    });
    const range = parse(DashboardStatsQuery, 'range=1y');
    expect(range.ok).toBe(false);
    if (!range.ok) {
      expect(range.error.code).toBe('VALIDATION');
      expect(range.error.message).toContain('range must be one of today, 7d, 30d, 90d');
    }
    const granularity = parse(CallAnalyticsQuery, 'range=7d&granularity=hour');
    expect(granularity.ok).toBe(false);
    if (!granularity.ok) expect(granularity.error.message).toContain('granularity');
  });
});

describe('deltas', () => {
  it('are relative for counts and in points for rates', () => {
    expect(relative(150, 100)).toEqual({ change: 0.5, direction: 'up' });
    expect(relative(50, 100)).toEqual({ change: -0.5, direction: 'down' });
    expect(relative(0, 0)).toEqual({ change: null, direction: 'flat' });
    expect(relative(5, null)).toEqual({ change: null, direction: 'flat' });
    expect(points(0.5, 0.5)).toEqual({ change: 0, direction: 'flat' });
    expect(points(null, 0.5)).toEqual({ change: null, direction: 'flat' });
  });
});
