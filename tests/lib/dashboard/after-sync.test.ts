/**
 * The dashboards over data a real sync wrote: ClientTether played by the
 * simulator, each verb checked against straight SQL over the synced tables.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeNotesCursor,
  getHotList,
  getLeadsOverview,
  getPipelineOverview,
  LEAD_RANGES,
  listNotes,
  type NotesCursor,
} from '../../../src/lib/dashboard';
import { runTenantSync } from '../../../src/lib/sync/run-tenant-sync';
import type { PublicTenant } from '../../../src/lib/tenants/schemas';
import { makeTenant } from '../../factories';
import {
  connectTenant,
  newWebKey,
  simulatorSyncContext,
  useSimulator,
} from '../../helpers/clienttether';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const webKey = newWebKey();
const sim = useSimulator([{ webKey, seed: 44, clients: 300, opportunities: 140 }]);
const ZONE = 'America/Los_Angeles';
let tenant: PublicTenant;

beforeAll(async () => {
  tenant = await makeTenant(t.db, { timezone: ZONE });
  await connectTenant(t.db, tenant.id, webKey);
  const outcome = await runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id);
  if (outcome.status !== 'success') throw new Error(`sync did not succeed: ${outcome.status}`);
});

describe('dashboards after a real sync', () => {
  it('shows lead figures equal to straight counts over the synced leads, for every range', async () => {
    const now = new Date();
    const totals: Record<string, number> = {};
    for (const range of LEAD_RANGES) {
      const overview = await getLeadsOverview(t.db, tenant.id, range, now);
      totals[range] = overview.totalLeads;
      const window =
        range === 'all'
          ? sql`true`
          : sql`(ct_created_at at time zone ${ZONE})::date
              > (${now.toISOString()}::timestamptz at time zone ${ZONE})::date - ${Number(range)}::int
              and (ct_created_at at time zone ${ZONE})::date <= (${now.toISOString()}::timestamptz at time zone ${ZONE})::date`;
      const [expected] = await t.db.execute<{
        total: number;
        qualified: number;
        sources: number;
      }>(sql`
        select count(*)::int as total,
          (count(*) filter (where stage in (select name from ct_sales_cycles where tenant_id = ${tenant.id}
            and deleted_at is null and likelihood > 0)))::int as qualified,
          count(distinct coalesce(lead_source, 'Unknown'))::int as sources
        from ct_leads where tenant_id = ${tenant.id} and deleted_at is null and ${window}`);
      expect(overview, range).toMatchObject({
        totalLeads: expected?.total,
        qualifiedLeads: expected?.qualified,
        leadSources: expected?.sources,
      });
    }
    // The simulated leads span six months, so the ranges really differ.
    expect(totals['7']).toBeLessThan(totals['90'] ?? 0);
    expect(totals['90']).toBeLessThan(totals.all ?? 0);
    const all = await getLeadsOverview(t.db, tenant.id, 'all', now);
    expect(all.totalLeads).toBe(300);
    expect(all.qualifiedLeads).toBeGreaterThan(0);
    expect(all.qualifiedLeads).toBeLessThan(all.totalLeads);
  });

  it('shows pipeline figures equal to straight sums over the synced opportunities', async () => {
    const pipeline = await getPipelineOverview(t.db, tenant.id);
    const [expected] = await t.db.execute<{ n: number; total: string }>(sql`
      select count(*)::int as n, coalesce(sum(deal_size), 0)::text as total from ct_opportunities
      where tenant_id = ${tenant.id} and deleted_at is null and coalesce(contact_type, '1') = '1'`);
    expect(pipeline.opportunities).toBe(expected?.n);
    expect(pipeline.totalValue).toBe(Number(expected?.total));
    expect(pipeline.opportunities).toBeGreaterThan(0);
    const orders = pipeline.stages.map((s) => s.stageOrder);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    for (const stage of pipeline.stages)
      expect(stage.weightedValue).toBeCloseTo((stage.totalValue * stage.likelihood) / 100, 1);
  });

  it('lists the synced hot list and notes', async () => {
    const [counts] = await t.db.execute<{ hot: number; notes: number }>(sql`select
      (select count(*)::int from hot_list_items where tenant_id = ${tenant.id}) as hot,
      (select count(*)::int from ct_notes where tenant_id = ${tenant.id} and deleted_at is null) as notes`);
    expect((await getHotList(t.db, tenant.id, {})).total).toBe(counts?.hot);
    let seen = 0;
    for (let after: NotesCursor | null | undefined; after !== null; ) {
      const page = await listNotes(t.db, tenant.id, { limit: 100, after });
      seen += page.notes.length;
      after = page.nextAfter === null ? null : decodeNotesCursor(page.nextAfter);
      if (page.nextAfter !== null) expect(after).not.toBeNull();
    }
    expect(seen).toBe(counts?.notes);
    expect(seen).toBeGreaterThan(0);
  });
});
