import { describe, expect, it } from 'vitest';
import {
  getCallAnalytics,
  getDashboardStats,
  getOverviewPage,
  listRecentActivity,
  listRunningCampaigns,
  rollupDays,
} from '../../../src/lib/analytics';
import { getOverview } from '../../../src/lib/dashboard';
import { APP_ROLE } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';
import { useRecordingDb } from '../../helpers/recording-db';
import { insertCalls, makeCallCampaign } from './seed-calls';

const t = useTestDatabase();
// A connection that records every statement it sends, with its parameters.
const recording = useRecordingDb(t);
const captured = recording.sent;

/** Relation names in an EXPLAIN (format json) plan. */
function relations(plan: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Relation Name' && typeof value === 'string') found.push(value);
        else walk(value);
      }
    }
  };
  walk(plan);
  return found;
}

describe('the overview queries', () => {
  it('read stats_daily and never call_queue or call_events (EXPLAIN)', async () => {
    const tenant = await makeTenant(t.db, { timezone: 'UTC' });
    const campaign = await makeCallCampaign(t.db, tenant);
    const at = new Date(Date.now() - 3_600_000);
    await insertCalls(t.db, tenant.id, campaign, [
      { status: 'completed', outcome: 'completed', dialledAt: at, finishedAt: at },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    await rollupDays(t.db, tenant.id, '2026-01-01', today);

    const db = recording.open();
    for (const range of ['today', '7d', '30d', '90d'] as const) {
      await getDashboardStats(db, tenant.id, range);
    }
    for (const granularity of ['day', 'week', 'month'] as const) {
      await getCallAnalytics(db, tenant.id, '90d', granularity);
    }
    await listRunningCampaigns(db, tenant.id);
    await listRecentActivity(db, tenant.id);
    await getOverviewPage(db, tenant.id, '30d', 'day');
    await getOverview(db, tenant.id);

    const statements = captured.filter((c) => /^\s*(with|select)\b/i.test(c.query));
    expect(statements.length).toBeGreaterThanOrEqual(10);
    const sql = t.sql;
    const seen = new Set<string>();
    for (const { query, params } of statements) {
      if (/set_config\(/.test(query)) continue; // withTenant's own setup
      const plan = await sql.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${tenant.id}, true), set_config('role', ${APP_ROLE}, true)`;
        const [row] = await tx.unsafe(`explain (format json) ${query}`, params as never[]);
        return row?.['QUERY PLAN'];
      });
      const names = relations(plan);
      for (const name of names) seen.add(name);
      expect(names, query).not.toContain('call_queue');
      expect(names, query).not.toContain('call_events');
    }
    expect(seen).toContain('stats_daily');
  });
});
