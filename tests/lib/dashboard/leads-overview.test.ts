import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getLeadsOverview, LEAD_RANGES, type LeadRange } from '../../../src/lib/dashboard';
import { makeTenant } from '../../factories';
import { type LeadSpec, makeLeads, makeSalesCycles, refreshAggregates } from '../../factories/crm';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const ZONE = 'America/Chicago'; // UTC-6 in January
const NOW = new Date('2026-01-15T18:00:00Z'); // noon in Chicago: "today" is Jan 15
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

async function tenantWith(leads: LeadSpec[]) {
  const tenant = await makeTenant(t.db, { timezone: ZONE });
  await makeSalesCycles(t.db, tenant.id);
  await makeLeads(
    t.db,
    tenant.id,
    leads.map((l) => ({ createdAt: NOW, ...l })),
  );
  await refreshAggregates(t.db, tenant.id, { now: NOW });
  return tenant;
}

/** The same figures as a straight count over ct_leads. */
async function straightCounts(tenantId: string, range: LeadRange) {
  const inRange =
    range === 'all'
      ? sql`true`
      : sql`(l.ct_created_at at time zone ${ZONE})::date
          between (${NOW.toISOString()}::timestamptz at time zone ${ZONE})::date - ${Number(range) - 1}::int
          and (${NOW.toISOString()}::timestamptz at time zone ${ZONE})::date`;
  const [row] = await t.db.execute<{ total: number; qualified: number; sources: unknown }>(sql`
    with l as (select * from ct_leads l where tenant_id = ${tenantId} and deleted_at is null and ${inRange})
    select (select count(*)::int from l) as total,
      (select count(*)::int from l where stage in
        (select name from ct_sales_cycles where tenant_id = ${tenantId} and likelihood > 0)) as qualified,
      (select coalesce(jsonb_object_agg(k, n), '{}') from (select coalesce(lead_source, 'Unknown') k, count(*)::int n
        from l group by 1) s) as sources`);
  return row;
}

describe('getLeadsOverview', () => {
  it('counts leads created in the last N tenant-zone days: 8 days old is out of 7 and in 30', async () => {
    const tenant = await tenantWith([
      { createdAt: daysAgo(0), source: 'Website' },
      { createdAt: daysAgo(6), source: 'Website' },
      { createdAt: daysAgo(8), source: 'Referral' },
      { createdAt: daysAgo(45), source: 'Referral' },
      { createdAt: null, source: 'Trade show' },
    ]);
    const week = await getLeadsOverview(t.db, tenant.id, '7', NOW);
    const month = await getLeadsOverview(t.db, tenant.id, '30', NOW);
    const all = await getLeadsOverview(t.db, tenant.id, 'all', NOW);
    expect(week).toMatchObject({ range: '7', totalLeads: 2, leadSources: 1 });
    expect(week.bySource).toEqual([{ source: 'Website', leads: 2 }]);
    expect(month).toMatchObject({ totalLeads: 3, leadSources: 2 });
    expect((await getLeadsOverview(t.db, tenant.id, '90', NOW)).totalLeads).toBe(4);
    // All time includes the lead ClientTether sent without a creation date.
    expect(all).toMatchObject({ totalLeads: 5, leadSources: 3 });
  });

  it("draws day boundaries in the tenant's zone, not UTC", async () => {
    const tenant = await tenantWith([
      // Jan 9 in UTC but 11:30 pm on Jan 8 in Chicago: just outside the 7 days (Jan 9–15).
      { createdAt: new Date('2026-01-09T05:30:00Z') },
      // 12:30 am on Jan 9 in Chicago: the range's first minutes.
      { createdAt: new Date('2026-01-09T06:30:00Z') },
    ]);
    const week = await getLeadsOverview(t.db, tenant.id, '7', NOW);
    expect(week.totalLeads).toBe(1);
    expect(week.byDay).toHaveLength(7);
    expect(week.byDay[0]).toEqual({ day: '2026-01-09', leads: 1 });
    expect(week.byDay.at(-1)).toEqual({ day: '2026-01-15', leads: 0 });
    const all = await getLeadsOverview(t.db, tenant.id, 'all', NOW);
    expect(all.byDay).toEqual([
      { day: '2026-01-08', leads: 1 },
      { day: '2026-01-09', leads: 1 },
    ]);
  });

  it('counts as qualified only leads past "New Lead", lists stages in pipeline order and sources by count', async () => {
    const tenant = await tenantWith([
      { stage: 'Signed', source: 'Referral' },
      { stage: 'New Lead', source: 'Website' },
      { stage: 'New Lead', source: 'Website' },
      { stage: 'Qualified', source: null },
      { stage: 'Mystery stage', source: 'Website' },
      { stage: 'Contacted', source: 'Website', deleted: true },
    ]);
    const overview = await getLeadsOverview(t.db, tenant.id, '30', NOW);
    expect(overview).toMatchObject({ totalLeads: 5, qualifiedLeads: 2, leadSources: 3 });
    expect(overview.bySource).toEqual([
      { source: 'Website', leads: 3 },
      { source: 'Referral', leads: 1 },
      { source: 'Unknown', leads: 1 },
    ]);
    expect(overview.byStage).toEqual([
      { stage: 'New Lead', leads: 2 },
      { stage: 'Qualified', leads: 1 },
      { stage: 'Signed', leads: 1 },
      { stage: 'Mystery stage', leads: 1 },
    ]);
  });

  it('answers zeros for a tenant without leads, with every day of the range listed', async () => {
    const tenant = await tenantWith([]);
    const overview = await getLeadsOverview(t.db, tenant.id, '30', NOW);
    expect(overview).toMatchObject({
      totalLeads: 0,
      qualifiedLeads: 0,
      leadSources: 0,
      bySource: [],
    });
    expect(overview.byDay).toHaveLength(30);
    expect(overview.byDay.every((d) => d.leads === 0)).toBe(true);
  });

  it('equals straight counts over ct_leads for every range (property)', async () => {
    const lead = fc.record({
      minutesAgo: fc.option(fc.integer({ min: 0, max: 130 * 24 * 60 }), { nil: null }),
      source: fc.constantFrom('Website', 'Referral', 'Facebook', null),
      stage: fc.constantFrom('New Lead', 'Contacted', 'Signed', 'Unlisted'),
      deleted: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(lead, { maxLength: 40 }), async (leads) => {
        const tenant = await tenantWith(
          leads.map((l) => ({
            createdAt:
              l.minutesAgo === null ? null : new Date(NOW.getTime() - l.minutesAgo * 60_000),
            source: l.source,
            stage: l.stage,
            deleted: l.deleted,
          })),
        );
        for (const range of LEAD_RANGES) {
          const overview = await getLeadsOverview(t.db, tenant.id, range, NOW);
          const expected = await straightCounts(tenant.id, range);
          expect(overview.totalLeads).toBe(expected?.total);
          expect(overview.qualifiedLeads).toBe(expected?.qualified);
          expect(Object.fromEntries(overview.bySource.map((s) => [s.source, s.leads]))).toEqual(
            expected?.sources,
          );
          const byStage = overview.byStage.reduce((n, s) => n + s.leads, 0);
          expect(byStage).toBe(overview.totalLeads);
          if (range !== 'all')
            expect(overview.byDay.reduce((n, d) => n + d.leads, 0)).toBe(overview.totalLeads);
        }
      }),
      { numRuns: 12 },
    );
  });

  it("never counts another tenant's leads", async () => {
    const mine = await tenantWith([{ source: 'Website' }]);
    await tenantWith([{ source: 'Competitor' }, { source: 'Competitor' }]);
    for (const range of LEAD_RANGES) {
      const overview = await getLeadsOverview(t.db, mine.id, range, NOW);
      expect(overview.totalLeads).toBe(1);
      expect(overview.bySource.map((s) => s.source)).toEqual(['Website']);
    }
  });
});
