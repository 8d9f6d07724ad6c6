import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import {
  getHotList,
  getLeadsOverview,
  getOverview,
  getPipelineOverview,
  listUpcomingActivities,
} from '../../../src/lib/dashboard';
import * as schema from '../../../src/lib/db/schema';
import { syncRuns } from '../../../src/lib/db/schema';
import { getSyncStatus } from '../../../src/lib/sync/status';
import { makeTenant } from '../../factories';
import {
  makeActivities,
  makeLeads,
  makeOpportunities,
  makeSalesCycles,
  refreshAggregates,
} from '../../factories/crm';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A workspace with leads in and out of the 30-day window, a pipeline, a hot list, a schedule. */
async function busyTenant(marker: string) {
  const tenant = await makeTenant(t.db);
  const ago = (ms: number) => new Date(Date.now() - ms);
  await makeSalesCycles(t.db, tenant.id);
  await makeLeads(t.db, tenant.id, [
    { stage: 'Qualified', createdAt: ago(HOUR) },
    { stage: 'New Lead', createdAt: ago(3 * DAY) },
    { stage: 'Signed', createdAt: ago(29 * DAY) },
    { stage: 'Signed', createdAt: ago(40 * DAY) },
    { stage: 'Qualified', createdAt: null },
    { stage: 'Qualified', createdAt: ago(HOUR), deleted: true },
  ]);
  await makeOpportunities(
    t.db,
    tenant.id,
    Array.from({ length: 8 }, (_, i) => ({
      candidate: `${marker} ${String.fromCharCode(65 + i)}`,
      stage: i % 2 ? 'Signed' : 'Discovery Day',
      dealSize: 10_000 * (1 + (i % 3)) + 0.5,
    })),
  );
  await makeActivities(
    t.db,
    tenant.id,
    [-2, 1, 2, 3, 4, 5, 6, 7].map((h) => ({
      startsAt: new Date(Date.now() + h * HOUR),
      title: `${marker} call ${h}`,
    })),
  );
  await refreshAggregates(t.db, tenant.id);
  await t.db.insert(syncRuns).values({
    tenantId: tenant.id,
    trigger: 'manual',
    status: 'success',
    startedAt: ago(HOUR),
    finishedAt: ago(HOUR - 60_000),
  });
  return tenant;
}

describe('getOverview', () => {
  it('gives the same figures as the leads, pipeline, hot list, schedule and sync verbs', async () => {
    const tenant = await busyTenant('Mine');
    const now = new Date();
    const overview = await getOverview(t.db, tenant.id, now);
    const leads = await getLeadsOverview(t.db, tenant.id, '30', now);
    const pipeline = await getPipelineOverview(t.db, tenant.id);
    const hot = await getHotList(t.db, tenant.id, { pageSize: 5 });
    const upcoming = await listUpcomingActivities(t.db, tenant.id, { limit: 5, now });
    expect(overview).toEqual({
      leads: { totalLeads: leads.totalLeads, qualifiedLeads: leads.qualifiedLeads },
      pipeline: {
        totalValue: pipeline.totalValue,
        weightedValue: pipeline.weightedValue,
        opportunities: pipeline.opportunities,
      },
      hot: { total: hot.total, totalWeightedIff: hot.totalWeightedIff, items: hot.items },
      upcoming: upcoming.activities,
      sync: await getSyncStatus(t.db, tenant.id, now),
    });
    expect(overview.leads).toEqual({ totalLeads: 3, qualifiedLeads: 2 });
    expect(overview.hot.items).toHaveLength(5);
    expect(overview.upcoming.map((a) => a.title)).toEqual(
      [1, 2, 3, 4, 5].map((h) => `Mine call ${h}`),
    );
    expect(overview.sync).toMatchObject({ status: 'success', isStale: false });
  });

  it('reads everything in one transaction', async () => {
    const tenant = await busyTenant('Mine');
    const statements: string[] = [];
    const connection = postgres(t.url, {
      max: 1,
      debug: (_connection, query) => statements.push(query.trim().toLowerCase()),
    });
    try {
      await getOverview(drizzle(connection, { schema }), tenant.id);
    } finally {
      await connection.end({ timeout: 5 });
    }
    expect(statements.filter((s) => s === 'begin')).toHaveLength(1);
    expect(statements.filter((s) => s === 'commit')).toHaveLength(1);
  });

  it('counts nothing of another tenant, and zeros for an empty one', async () => {
    const mine = await busyTenant('Mine');
    await busyTenant('Theirs');
    const overview = await getOverview(t.db, mine.id);
    expect(JSON.stringify(overview)).not.toContain('Theirs');
    expect(overview.hot.total).toBe(8);
    const empty = await makeTenant(t.db);
    expect(await getOverview(t.db, empty.id)).toEqual({
      leads: { totalLeads: 0, qualifiedLeads: 0 },
      pipeline: { totalValue: 0, weightedValue: 0, opportunities: 0 },
      hot: { total: 0, totalWeightedIff: 0, items: [] },
      upcoming: [],
      sync: { lastSyncAt: null, status: 'never', isStale: true, lastError: null },
    });
  });
});
