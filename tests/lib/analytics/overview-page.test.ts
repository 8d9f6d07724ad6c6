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
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';
import { useRecordingDb } from '../../helpers/recording-db';
import { insertCalls, makeCallCampaign } from './seed-calls';

const t = useTestDatabase();
const recording = useRecordingDb(t);

async function seedTenantWithCalls(completed: number) {
  const tenant = await makeTenant(t.db, { timezone: 'UTC' });
  const campaign = await makeCallCampaign(t.db, tenant);
  const at = new Date(Date.now() - 3_600_000);
  await insertCalls(
    t.db,
    tenant.id,
    campaign,
    Array.from({ length: completed }, () => ({
      status: 'completed' as const,
      outcome: 'completed',
      dialledAt: at,
      finishedAt: at,
    })),
  );
  const today = new Date().toISOString().slice(0, 10);
  await rollupDays(t.db, tenant.id, '2026-01-01', today);
  return tenant;
}

describe('getOverviewPage', () => {
  it('answers what the separate verbs answer, for this tenant only', async () => {
    const mine = await seedTenantWithCalls(3);
    await seedTenantWithCalls(7); // another tenant's calls must not show
    const now = new Date();

    const page = await getOverviewPage(t.db, mine.id, '7d', 'day', now);

    expect(page.crm).toEqual(await getOverview(t.db, mine.id, now));
    expect(page.stats).toEqual(await getDashboardStats(t.db, mine.id, '7d', now));
    expect(page.calls).toEqual(await getCallAnalytics(t.db, mine.id, '7d', 'day', now));
    expect(page.running).toEqual(await listRunningCampaigns(t.db, mine.id));
    expect(page.activity).toEqual(await listRecentActivity(t.db, mine.id));
    expect(page.stats.current.callsPlaced).toBe(3);
  });

  it('takes one transaction for all of its reads', async () => {
    const tenant = await seedTenantWithCalls(1);
    const db = recording.open();
    await getOverviewPage(db, tenant.id, '30d', 'week');
    const sent = recording.sent.map((s) => s.query);
    // (a new connection first reads pg_type; what follows is the page's)
    const page = sent.slice(sent.findIndex((q) => /^\s*begin\b/i.test(q)));
    expect(page.filter((q) => /^\s*begin\b/i.test(q))).toHaveLength(1);
    // begin, the tenant binding, five reads, commit
    expect(page).toHaveLength(8);
    expect(page.at(-1)).toMatch(/^\s*commit\b/i);
  });
});
