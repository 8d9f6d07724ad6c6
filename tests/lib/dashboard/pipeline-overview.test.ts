import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getPipelineOverview } from '../../../src/lib/dashboard';
import { makeTenant } from '../../factories';
import {
  makeOpportunities,
  makeSalesCycles,
  type OpportunitySpec,
  refreshAggregates,
} from '../../factories/crm';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

async function tenantWith(opportunities: OpportunitySpec[]) {
  const tenant = await makeTenant(t.db);
  await makeSalesCycles(t.db, tenant.id);
  await makeOpportunities(t.db, tenant.id, opportunities);
  await refreshAggregates(t.db, tenant.id);
  return tenant;
}

describe('getPipelineOverview', () => {
  it('lists every stage in pipeline order with its weighted value (value × likelihood)', async () => {
    const tenant = await tenantWith([
      { stage: 'Signed', dealSize: 40_000 },
      { stage: 'Signed', dealSize: 35_000.5 },
      { stage: 'Qualified', dealSize: 10_000 },
      { stage: 'New Lead', dealSize: 20_000 },
      { stage: 'New Lead', dealSize: null },
      { stage: 'Qualified', dealSize: 99_999, deleted: true },
    ]);
    const pipeline = await getPipelineOverview(t.db, tenant.id);
    expect(pipeline.stages).toEqual([
      {
        stage: 'New Lead',
        stageOrder: 1,
        likelihood: 0,
        opportunities: 2,
        totalValue: 20_000,
        weightedValue: 0,
      },
      {
        stage: 'Contacted',
        stageOrder: 2,
        likelihood: 10,
        opportunities: 0,
        totalValue: 0,
        weightedValue: 0,
      },
      {
        stage: 'Qualified',
        stageOrder: 3,
        likelihood: 30,
        opportunities: 1,
        totalValue: 10_000,
        weightedValue: 3_000,
      },
      {
        stage: 'Discovery Day',
        stageOrder: 4,
        likelihood: 60,
        opportunities: 0,
        totalValue: 0,
        weightedValue: 0,
      },
      {
        stage: 'Signed',
        stageOrder: 5,
        likelihood: 90,
        opportunities: 2,
        totalValue: 75_000.5,
        weightedValue: 67_500.45,
      },
    ]);
    expect(pipeline).toMatchObject({
      totalValue: 105_000.5,
      weightedValue: 70_500.45,
      stageCount: 3,
      opportunities: 5,
      averageDealSize: 21_000.1,
    });
  });

  it('equals straight sums over ct_opportunities and ct_sales_cycles', async () => {
    const specs: OpportunitySpec[] = [];
    const names = ['New Lead', 'Contacted', 'Qualified', 'Discovery Day', 'Signed'];
    for (let i = 0; i < 60; i++)
      specs.push({
        stage: names[i % 5] ?? 'New Lead',
        dealSize: 1_000 + ((i * 7919) % 50_000) + 0.25 * (i % 4),
      });
    const tenant = await tenantWith(specs);
    const pipeline = await getPipelineOverview(t.db, tenant.id);
    const [expected] = await t.db.execute<{
      total: string;
      average: string;
      weighted: string;
      n: number;
      stages: number;
    }>(sql`
      with o as (select o.stage, o.deal_size, s.likelihood from ct_opportunities o
        join ct_sales_cycles s on s.tenant_id = o.tenant_id and s.name = o.stage
        where o.tenant_id = ${tenant.id} and o.deleted_at is null)
      select sum(deal_size)::text as total, round(avg(deal_size), 2)::text as average,
        count(*)::int as n, count(distinct stage)::int as stages,
        (select sum(w)::text from (select round(sum(deal_size) * max(likelihood) / 100.0, 2) as w
          from o group by stage) per_stage) as weighted
      from o`);
    expect(pipeline.totalValue).toBe(Number(expected?.total));
    expect(pipeline.opportunities).toBe(expected?.n);
    expect(pipeline.stageCount).toBe(expected?.stages);
    expect(pipeline.averageDealSize).toBe(Number(expected?.average));
    expect(pipeline.weightedValue).toBe(Number(expected?.weighted));
    expect(pipeline.stages.reduce((n, s) => n + s.opportunities, 0)).toBe(60);
  });

  it('answers zeros, and an average of 0, for a tenant without opportunities', async () => {
    const tenant = await tenantWith([]);
    const pipeline = await getPipelineOverview(t.db, tenant.id);
    expect(pipeline).toMatchObject({
      totalValue: 0,
      weightedValue: 0,
      stageCount: 0,
      averageDealSize: 0,
      opportunities: 0,
    });
    expect(pipeline.stages.map((s) => s.stage)).toEqual([
      'New Lead',
      'Contacted',
      'Qualified',
      'Discovery Day',
      'Signed',
    ]);
  });

  it("never includes another tenant's opportunities or stages", async () => {
    const mine = await tenantWith([{ stage: 'Signed', dealSize: 1_000 }]);
    const other = await makeTenant(t.db);
    await makeSalesCycles(t.db, other.id, [{ name: 'Their stage', likelihood: 50 }]);
    await makeOpportunities(t.db, other.id, [{ stage: 'Their stage', dealSize: 9_999_999 }]);
    await refreshAggregates(t.db, other.id);
    const pipeline = await getPipelineOverview(t.db, mine.id);
    expect(pipeline).toMatchObject({ totalValue: 1_000, opportunities: 1 });
    expect(pipeline.stages.map((s) => s.stage)).not.toContain('Their stage');
  });
});
