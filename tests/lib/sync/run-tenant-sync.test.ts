import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { ClientTetherClient } from '../../../src/lib/clienttether/client';
import { runTenantSync } from '../../../src/lib/sync/run-tenant-sync';
import { makeTenant } from '../../factories';
import {
  connectTenant,
  newWebKey,
  SIM_ACCESS_TOKEN,
  simulatorSyncContext,
  useSimulator,
} from '../../helpers/clienttether';
import { expectConsoleError, loggedErrors } from '../../helpers/console';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const keyA = newWebKey();
const keyB = newWebKey();
/** Data that tests evolve: kept apart so other tests see a stable dataset. */
const keyC = newWebKey();
const sim = useSimulator([
  { webKey: keyA, seed: 11, clients: 250, opportunities: 120 },
  { webKey: keyB, seed: 22, clients: 40, opportunities: 15 },
  { webKey: keyC, seed: 33, clients: 60, opportunities: 30 },
]);

async function connectedTenant(webKey: string) {
  const tenant = await makeTenant(t.db, { timezone: 'America/Chicago' });
  await connectTenant(t.db, tenant.id, webKey);
  return tenant;
}

const count = async (table: string, tenantId: string, where = 'true') => {
  const [row] = await t.db.execute<{ n: number }>(
    sql`select count(*)::int as n from ${sql.raw(table)} where tenant_id = ${tenantId} and ${sql.raw(where)}`,
  );
  return row?.n ?? 0;
};

describe('runTenantSync', () => {
  it('creates a run, stores raw pages, normalises every record and finishes with counts', async () => {
    const tenant = await connectedTenant(keyA);
    const outcome = await runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id, {
      trigger: 'manual',
    });

    expect(outcome.status).toBe('success');
    if (outcome.status !== 'success') return;
    const dataset = sim.simulator.dataset(keyA);
    expect(outcome.run).toMatchObject({ status: 'success', trigger: 'manual', errorMessage: null });
    expect(outcome.run.finishedAt).not.toBeNull();
    expect(outcome.recordsUpdated).toBeGreaterThan(dataset.clients.length);
    expect(await count('ct_leads', tenant.id)).toBe(dataset.clients.length);
    expect(await count('ct_opportunities', tenant.id)).toBe(dataset.opportunities.length);
    expect(await count('ct_sales_cycles', tenant.id)).toBe(dataset.salesCycles.length);
    // 250 clients arrive as three pages of at most 100.
    expect(await count('ct_raw_snapshots', tenant.id, `resource = 'clients'`)).toBe(3);
    expect(await count('ct_notes', tenant.id)).toBeGreaterThan(0);
  });

  it('writes nothing and duplicates nothing when ClientTether has not changed', async () => {
    const tenant = await connectedTenant(keyB);
    const ctx = simulatorSyncContext(t, sim.simulator);
    const first = await runTenantSync(ctx, tenant.id);
    const leads = await count('ct_leads', tenant.id);
    const second = await runTenantSync(ctx, tenant.id);
    expect(first.status).toBe('success');
    expect(second).toMatchObject({ status: 'success', recordsUpdated: 0 });
    expect(await count('ct_leads', tenant.id)).toBe(leads);
  });

  it('keeps up with changes: new leads appear, moved stages update, deleted clients are marked deleted', async () => {
    const webKey = keyC;
    const tenant = await connectedTenant(webKey);
    const ctx = simulatorSyncContext(t, sim.simulator);
    await runTenantSync(ctx, tenant.id);
    const before = sim.simulator.dataset(webKey).clients.map((c) => c.client_id);
    sim.simulator.evolve(webKey, 5);
    const after = sim.simulator.dataset(webKey);
    const outcome = await runTenantSync(ctx, tenant.id);
    expect(outcome).toMatchObject({ status: 'success' });
    if (outcome.status === 'success') expect(outcome.recordsUpdated).toBeGreaterThan(0);

    const live = after.clients.map((c) => c.client_id);
    const gone = before.filter((id) => !live.includes(id));
    expect(await count('ct_leads', tenant.id, 'deleted_at is null')).toBe(live.length);
    expect(await count('ct_leads', tenant.id, 'deleted_at is not null')).toBe(gone.length);
    for (const client of after.clients.slice(0, 20)) {
      const [row] = await t.db.execute<{ stage: string }>(
        sql`select stage from ct_leads where tenant_id = ${tenant.id} and ct_id = ${client.client_id}`,
      );
      expect(row?.stage).toBe(client.clients_sales_cycle || 'New Lead');
    }
  });

  it('fails the run with a readable, secret-free message when ClientTether refuses the credentials', async () => {
    const tenant = await makeTenant(t.db);
    const canaryKey = 'CT_0123456789abcdef0123456789abcdef';
    await connectTenant(t.db, tenant.id, canaryKey);
    const outcome = await runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id);
    expect(outcome.status).toBe('failed');
    const [run] = await t.db.execute(sql`select * from sync_runs where tenant_id = ${tenant.id}`);
    const stored = JSON.stringify(run);
    expect(stored).toMatch(/refused the credentials/);
    expect(stored).not.toContain(canaryKey);
    expect(stored).not.toContain(SIM_ACCESS_TOKEN);
    expect(await count('ct_leads', tenant.id)).toBe(0);
  });

  it('waits out a 429 for the time Retry-After gives, then finishes', async () => {
    const tenant = await connectedTenant(keyB);
    const sleeps: number[] = [];
    sim.simulator.setFaults({ rateLimited: 1, retryAfterSeconds: 3 });
    try {
      const outcome = await runTenantSync(
        simulatorSyncContext(t, sim.simulator, sleeps),
        tenant.id,
      );
      expect(outcome.status).toBe('success');
      expect(sleeps).toContain(3000);
    } finally {
      sim.simulator.resetFaults();
    }
  });

  it('reads both envelope casings', async () => {
    const tenant = await connectedTenant(keyB);
    sim.simulator.setFaults({ envelope: 'quirky' });
    try {
      const outcome = await runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id);
      expect(outcome.status).toBe('success');
      expect(await count('ct_leads', tenant.id)).toBe(sim.simulator.dataset(keyB).clients.length);
    } finally {
      sim.simulator.resetFaults();
    }
  });

  it('leaves the previous data and aggregates untouched when a run fails midway', async () => {
    const tenant = await connectedTenant(keyC);
    const ctx = simulatorSyncContext(t, sim.simulator);
    await runTenantSync(ctx, tenant.id);
    const snapshot = async () =>
      t.db.execute(sql`select
        (select json_agg(p order by stage) from pipeline_stage_counts p where tenant_id = ${tenant.id}) as pipeline,
        (select json_agg(l order by dimension, key) from lead_metrics l where tenant_id = ${tenant.id}) as metrics,
        (select json_agg(h order by opportunity_ct_id) from hot_list_items h where tenant_id = ${tenant.id}) as hot,
        (select count(*) from ct_leads where tenant_id = ${tenant.id}) as leads`);
    const before = await snapshot();

    sim.simulator.evolve(keyC, 3);
    const failing: SyncContextOverride = (client) => ({
      ...client,
      pages: ((resource: string, params?: object) =>
        resource === 'opportunities'
          ? failingPages()
          : client.pages(resource as 'clients', params)) as ClientTetherClient['pages'],
    });
    const outcome = await runTenantSync(withClient(ctx, failing), tenant.id);

    expect(outcome.status).toBe('failed');
    expect(await snapshot()).toEqual(before);
    // The clients pages of the failed run were stored before anything was normalised.
    const [stored] = await t.db.execute<{
      n: number;
    }>(sql`select count(*)::int as n from ct_raw_snapshots
      where tenant_id = ${tenant.id} and resource = 'clients' and run_id = ${outcome.run.id}`);
    expect(stored?.n).toBeGreaterThan(0);
  });

  it('refuses a second concurrent sync of the same tenant', async () => {
    const tenant = await connectedTenant(keyA);
    const ctx = simulatorSyncContext(t, sim.simulator);
    const outcomes = await Promise.all([
      runTenantSync(ctx, tenant.id),
      runTenantSync(ctx, tenant.id),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['skipped', 'success']);
  });

  it("never writes another tenant's rows", async () => {
    const a = await connectedTenant(keyA);
    const b = await makeTenant(t.db);
    await runTenantSync(simulatorSyncContext(t, sim.simulator), a.id);
    for (const table of [
      'ct_leads',
      'ct_opportunities',
      'ct_notes',
      'lead_metrics',
      'pipeline_stage_counts',
      'sync_runs',
    ]) {
      expect(await count(table, b.id), table).toBe(0);
    }
  });

  it('computes aggregates equal to straight counts over the normalised tables', async () => {
    const tenant = await connectedTenant(keyA);
    await runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id);
    const id = tenant.id;
    const [check] = await t.db.execute<Record<string, boolean>>(sql`select
      (select coalesce(jsonb_agg(jsonb_build_array(key, leads) order by key), '[]') from lead_metrics where tenant_id = ${id} and dimension = 'source')
        = (select coalesce(jsonb_agg(jsonb_build_array(k, n) order by k), '[]') from (select coalesce(lead_source, 'Unknown') k, count(*)::int n
             from ct_leads where tenant_id = ${id} and deleted_at is null group by 1) x) as sources,
      (select coalesce(sum(leads), 0) from lead_metrics where tenant_id = ${id} and dimension = 'stage')
        = (select count(*) from ct_leads where tenant_id = ${id} and deleted_at is null) as stages,
      (select coalesce(sum(total_value), 0) from pipeline_stage_counts where tenant_id = ${id})
        = (select coalesce(sum(deal_size), 0) from ct_opportunities where tenant_id = ${id} and deleted_at is null and coalesce(contact_type, '1') = '1') as pipeline,
      (select count(*) from hot_list_items where tenant_id = ${id})
        = (select count(*) from ct_opportunities o where tenant_id = ${id} and deleted_at is null and coalesce(contact_type, '1') = '1'
             and exists (select 1 from ct_sales_cycles s where s.tenant_id = ${id} and s.name = o.stage and s.likelihood >= 50)) as hot`);
    expect(check).toEqual({ sources: true, stages: true, pipeline: true, hot: true });
    expect(await count('hot_list_items', id)).toBeGreaterThan(0);
  });

  it('fails cleanly, without calling ClientTether, when the tenant has no credentials', async () => {
    const tenant = await makeTenant(t.db);
    const outcome = await runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id);
    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/web key/) });
  });

  it('logs an unexpected error once and stores a generic message', async () => {
    expectConsoleError();
    const tenant = await connectedTenant(keyB);
    const ctx = withClient(simulatorSyncContext(t, sim.simulator), (client) => ({
      ...client,
      readUserList: async () => {
        throw new Error(`boom with ${SIM_ACCESS_TOKEN}`);
      },
    }));
    const outcome = await runTenantSync(ctx, tenant.id);
    expect(outcome).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/unexpected error/),
    });
    expect(JSON.stringify(outcome)).not.toContain(SIM_ACCESS_TOKEN);
    const logged = loggedErrors();
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0] ?? '{}')).toMatchObject({
      scope: 'sync',
      tenantId: tenant.id,
      msg: 'sync failed unexpectedly',
      detail: expect.stringContaining('boom with'),
    });
    expect(logged[0]).not.toContain(SIM_ACCESS_TOKEN);
  });
});

type SyncContextOverride = (client: ClientTetherClient) => ClientTetherClient;

function withClient(ctx: ReturnType<typeof simulatorSyncContext>, override: SyncContextOverride) {
  return {
    ...ctx,
    createClient: (credentials: Parameters<typeof ctx.createClient>[0]) =>
      override(ctx.createClient(credentials)),
  };
}

async function* failingPages() {
  yield {
    ok: false as const,
    error: {
      kind: 'http' as const,
      status: 500,
      message: 'server error',
      retryable: true,
      endpoint: 'read_opportunity_list',
    },
  };
}
