/**
 * A worker stopped cleanly (SIGTERM, as a deploy does) in the middle of the
 * hourly ClientTether sync, from a slow simulator; then a replacement starts.
 * The SIGKILL case is sync-kill.test.ts; the sync's own steps are
 * tests/lib/sync/stopped-sync.test.ts.
 *
 * Bound: the stopping worker exits 0 within 5 s of the signal (its grace for
 * jobs is 10 s, so the sync wound down rather than being cut off), logging
 * nothing at error level (no CONNECTION_ENDED from a pool closed under the
 * sync). Its run is closed as interrupted and the workspace's synced data is
 * untouched (nothing half-applied). Within 45 s of starting, the replacement
 * finishes the hour: one successful run holding exactly the simulator's data.
 *
 * In a rolling deploy the new worker is up before the old one stops: its
 * start-up resume finds the tick taken, and its resume sweep
 * (WORKER_RESUME_SWEEP_SECONDS) finishes the hour once the old one is gone —
 * here within the sweep plus 30 s.
 *
 * And when the sync cannot wind down in time (here: its normalising statement
 * waits on a table lock the test holds), the worker still exits 0 after its
 * grace, saying at warning level that the sync was cut off, with no error
 * line; its transaction never commits, and a replacement finishes the hour.
 */
import { describe, expect, it } from 'vitest';
import { startClientTetherSimulator } from '../../src/lib/clienttether/simulator';
import { INTERRUPTED_MESSAGE } from '../../src/lib/sync/runs';
import { makeTenant } from '../factories';
import {
  connectTenant,
  newWebKey,
  SIM_ACCESS_TOKEN,
  TEST_SECRETS_KEY,
} from '../helpers/clienttether';
import { useTestDatabase } from '../helpers/db';
import { startWorkerProcess } from '../helpers/worker-process';
import { clearOfTheHour, problemLines } from './fault-helpers';
import { until, useProcesses } from './harness';

const t = useTestDatabase({ max: 4 });
/** Per request: the sync (about 50 requests, 4 at a time for notes) takes several seconds. */
const LATENCY_MS = 150;
/** Well inside the worker's 10 s grace for jobs. */
const STOPS_WITHIN_MS = 5_000;
/** WORKER_RESUME_SWEEP_SECONDS for the rolling deploy (300 by default). */
const RESUME_SWEEP_SECONDS = 3;

const runsOf = (tenantId: string) =>
  t.sql<{ status: string; trigger: string; error_message: string | null }[]>`
    select status, trigger, error_message from sync_runs where tenant_id = ${tenantId}
    order by started_at`;

/** What a finished sync holds: every client of the workspace's simulated dataset. */
const simulatedLeadIds = (
  crm: Awaited<ReturnType<typeof startClientTetherSimulator>>,
  webKey: string,
) =>
  crm
    .dataset(webKey)
    .clients.map((c) => c.client_id)
    .sort();

const leadIds = async (tenantId: string) =>
  (await t.sql<{ ct_id: string }[]>`select ct_id from ct_leads where tenant_id = ${tenantId}`)
    .map((r) => r.ct_id)
    .sort();

describe('a worker stopped (SIGTERM) in the middle of the hourly sync', () => {
  const run = useProcesses();

  /** A workspace connected to a ClientTether simulator of its own, stopped with the test. */
  async function connectedWorkspace(dataset: {
    seed: number;
    clients: number;
    opportunities: number;
  }) {
    const tenant = await makeTenant(t.db);
    const webKey = newWebKey();
    const crm = await startClientTetherSimulator({
      accessToken: SIM_ACCESS_TOKEN,
      tenants: [{ webKey, ...dataset }],
    });
    run.stoppers.push(() => crm.stop());
    await connectTenant(t.db, tenant.id, webKey);
    const env = { CLIENTTETHER_API_URL: crm.url, SECRETS_KEY: TEST_SECRETS_KEY };
    return { tenant, webKey, crm, env };
  }

  it('winds the sync down before closing its pool: exits 0 promptly, no error logged, run interrupted, data untouched; the replacement finishes the hour', async () => {
    // The whole test within one hourly tick, so that every run below belongs to it.
    await clearOfTheHour(90_000);
    const { tenant, webKey, crm, env } = await connectedWorkspace({
      seed: 7,
      clients: 40,
      opportunities: 15,
    });
    crm.setFaults({ latencyMs: LATENCY_MS });

    const first = startWorkerProcess(t.url, env);
    run.workers.push(first);
    // Mid-fetch: some pages stored, the run still open (the fetch has seconds to go).
    await until(
      'the sync under way',
      async () => {
        const [open] = await t.sql<{ pages: number }[]>`
          select count(s.*)::int as pages from sync_runs r
          left join ct_raw_snapshots s on s.tenant_id = r.tenant_id and s.run_id = r.id
          where r.tenant_id = ${tenant.id} and r.status = 'running'`;
        return (open?.pages ?? 0) >= 3;
      },
      60_000,
    );
    const stoppedAt = Date.now();
    const code = await first.stop('SIGTERM');
    const tookMs = Date.now() - stoppedAt;

    const output = first.output();
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(STOPS_WITHIN_MS);
    expect(problemLines(output)).toEqual([]);
    expect(output).not.toMatch(/CONNECTION_ENDED|cut off at shutdown/);
    expect(output).toMatch(/"msg":"sync [^"]*: interrupted in \d+ ms/);
    expect(output).toMatch(/"msg":"job wound down at shutdown"/);
    expect(await runsOf(tenant.id)).toEqual([
      { status: 'failed', trigger: 'scheduled', error_message: INTERRUPTED_MESSAGE },
    ]);
    // The run never reached its normalising transaction: nothing of it is in the synced tables.
    expect(await leadIds(tenant.id)).toEqual([]);
    const [aggregates] = await t.sql<{ n: number }[]>`
      select (select count(*) from ct_opportunities where tenant_id = ${tenant.id})
           + (select count(*) from pipeline_stage_counts where tenant_id = ${tenant.id})
           + (select count(*) from lead_metrics where tenant_id = ${tenant.id})::int as n`;
    expect(Number(aggregates?.n)).toBe(0);

    // The replacement resumes the hour's tick: the interrupted tenant is not done for it.
    crm.setFaults({ latencyMs: 0 });
    const replacement = startWorkerProcess(t.url, env);
    run.workers.push(replacement);
    await until(
      'the hour to be finished by the replacement',
      async () =>
        (await runsOf(tenant.id)).some((r) => r.status === 'success') ||
        (await runsOf(tenant.id)).length > 2,
      45_000,
    );
    expect((await runsOf(tenant.id)).map((r) => [r.status, r.trigger])).toEqual([
      ['failed', 'scheduled'],
      ['success', 'scheduled'],
    ]);
    expect(await leadIds(tenant.id)).toEqual(simulatedLeadIds(crm, webKey));
    expect(await replacement.stop('SIGTERM')).toBe(0);
    expect(problemLines(replacement.output())).toEqual([]);
  }, 150_000);

  it('in a rolling deploy (the new worker up before the old one stops) the new one finishes the hour within its resume sweep', async () => {
    await clearOfTheHour(90_000);
    const { tenant, crm, env } = await connectedWorkspace({
      seed: 9,
      clients: 40,
      opportunities: 15,
    });
    // Slow enough that the old worker is still fetching when the new one is up.
    crm.setFaults({ latencyMs: 400 });
    const sweeping = { ...env, WORKER_RESUME_SWEEP_SECONDS: String(RESUME_SWEEP_SECONDS) };
    const old = startWorkerProcess(t.url, sweeping);
    run.workers.push(old);
    await until(
      'the old worker’s sync under way',
      async () => (await runsOf(tenant.id)).some((r) => r.status === 'running'),
      60_000,
    );
    // The new worker starts while the old one holds the tick: its start-up resume finds it taken.
    const fresh = startWorkerProcess(t.url, sweeping);
    run.workers.push(fresh);
    await until('the new worker up', async () => /"msg":"started /.test(fresh.output()), 30_000);
    expect((await runsOf(tenant.id)).map((r) => r.status)).toEqual(['running']);

    expect(await old.stop('SIGTERM')).toBe(0);
    crm.setFaults({ latencyMs: 0 });
    const stoppedAt = Date.now();
    await until(
      'the new worker to finish the hour',
      async () => (await runsOf(tenant.id)).some((r) => r.status === 'success'),
      RESUME_SWEEP_SECONDS * 1000 + 30_000,
    );
    expect(Date.now() - stoppedAt).toBeLessThan(RESUME_SWEEP_SECONDS * 1000 + 30_000);
    expect((await runsOf(tenant.id)).map((r) => [r.status, r.error_message])).toEqual([
      ['failed', INTERRUPTED_MESSAGE],
      ['success', null],
    ]);
    expect(fresh.output()).toMatch(/"msg":"job resumed"/);
    expect(await fresh.stop('SIGTERM')).toBe(0);
    expect(problemLines(old.output())).toEqual([]);
    expect(problemLines(fresh.output())).toEqual([]);
  }, 150_000);

  it('cuts off a sync that cannot wind down within the grace with a warning, not an error; nothing half-applied', async () => {
    await clearOfTheHour(120_000);
    const { tenant, webKey, crm, env } = await connectedWorkspace({
      seed: 8,
      clients: 30,
      opportunities: 10,
    });

    // The normalising transaction's first write waits behind this lock for as long as it is held.
    const blocker = await t.sql.reserve();
    await blocker`begin`;
    await blocker`lock table ct_sales_cycles in exclusive mode`;
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await blocker`rollback`;
      blocker.release();
    };
    try {
      const first = startWorkerProcess(t.url, env);
      run.workers.push(first);
      await until(
        'the sync to wait on the lock, inside its normalising transaction',
        async () =>
          (
            await t.sql`select 1 from pg_stat_activity where wait_event_type = 'Lock'
              and query like '%insert into ct_sales_cycles%'`
          ).length > 0,
        60_000,
      );
      const exited = first.stop('SIGTERM');
      // Unblocked once the grace has run out, while the pool is closing (it waits 5 s for the
      // statements under way): the sync's next queries then meet a closed pool. That is how the
      // soak's stopping worker came to log CONNECTION_ENDED as an error.
      await until(
        'the grace to run out',
        async () => first.output().includes('cut off at shutdown'),
        20_000,
      );
      await release();
      const code = await exited;
      const lines = first.output().split('\n');
      expect(code).toBe(0);
      expect(problemLines(first.output())).toEqual([]);
      expect(lines.filter((l) => l.includes('cut off at shutdown: clienttether-sync'))).toEqual([
        expect.stringContaining('"level":40'),
      ]);
      expect(first.output()).not.toMatch(/CONNECTION_ENDED/);
    } finally {
      await release();
    }
    // Until its backend has given up, the stopped worker may still hold the tenant's lock.
    await until(
      "the stopped worker's connections to be gone",
      async () =>
        (await t.sql`select 1 from pg_locks where locktype = 'advisory'`).length === 0 &&
        (await t.sql`select 1 from pg_stat_activity where wait_event_type = 'Lock'`).length === 0,
      30_000,
    );
    // Its transaction never committed; its run was left open, for the next worker to close.
    expect(await leadIds(tenant.id)).toEqual([]);
    expect((await runsOf(tenant.id)).map((r) => r.status)).toEqual(['running']);

    const replacement = startWorkerProcess(t.url, env);
    run.workers.push(replacement);
    await until(
      'the hour to be finished by the replacement',
      async () => (await runsOf(tenant.id)).some((r) => r.status === 'success'),
      45_000,
    );
    expect((await runsOf(tenant.id)).map((r) => [r.status, r.error_message])).toEqual([
      ['failed', INTERRUPTED_MESSAGE],
      ['success', null],
    ]);
    expect(await leadIds(tenant.id)).toEqual(simulatedLeadIds(crm, webKey));
    expect(await replacement.stop('SIGTERM')).toBe(0);
    expect(problemLines(replacement.output())).toEqual([]);
  }, 150_000);
});
