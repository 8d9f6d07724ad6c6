/**
 * A sync whose process died (SIGKILL, a lost host): its run row stays
 * `running` and the hour's other tenants were never reached. The next sync of
 * the tenant closes the row itself, and a worker starting later finishes the
 * hour's tick (the system test tests/system/sync-kill.test.ts shows both
 * across real processes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { withSyncTickLock, withTenantSyncLock } from '../../../src/lib/sync/lock';
import { runTenantSync } from '../../../src/lib/sync/run-tenant-sync';
import { closeRun, INTERRUPTED_MESSAGE, openRun } from '../../../src/lib/sync/runs';
import { resumeSyncTick, syncAllTenants } from '../../../src/lib/sync/sync-all';
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
const sim = useSimulator([{ webKey, seed: 9, clients: 12, opportunities: 4 }]);
const MINUTE = 60_000;

async function connected() {
  const tenant = await makeTenant(t.db);
  await connectTenant(t.db, tenant.id, webKey);
  return tenant;
}

// The hourly job syncs every connected tenant: each test's tenants are the only connected ones.
afterEach(async () => {
  await t.sql`update tenants set clienttether_web_key_sealed = null`;
});

const runsOf = (tenantId: string) =>
  t.sql<{ id: string; status: string; trigger: string; error_message: string | null }[]>`
    select id, status, trigger, error_message from sync_runs
    where tenant_id = ${tenantId} order by started_at, finished_at`;

describe('a sync interrupted by its process dying', () => {
  it('does not block the next sync: the run left running is closed as interrupted under the lock', async () => {
    const tenant = await connected();
    // What a killed worker leaves: a running row, and (its connection gone) a free lock.
    const dead = await openRun(t.db, tenant.id, 'scheduled', new Date(Date.now() - MINUTE));

    const outcome = await runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id);

    expect(outcome.status).toBe('success');
    expect(await runsOf(tenant.id)).toEqual([
      { id: dead.id, status: 'failed', trigger: 'scheduled', error_message: INTERRUPTED_MESSAGE },
      expect.objectContaining({ status: 'success' }),
    ]);
  });

  it('is left alone while its process is alive (holding the lock): the new sync is skipped', async () => {
    const tenant = await connected();
    const live = await openRun(t.db, tenant.id, 'scheduled', new Date());
    const outcome = await withTenantSyncLock(t.sql, tenant.id, () =>
      runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id),
    );
    expect(outcome).toMatchObject({ acquired: true, value: { status: 'skipped' } });
    expect((await runsOf(tenant.id)).find((r) => r.id === live.id)?.status).toBe('running');
  });
});

describe("resuming the hour's tick at worker start", () => {
  it('syncs the tenants the dead tick runner did not finish, and only those', async () => {
    const tick = new Date();
    const finished = await connected();
    const interrupted = await connected();
    const unreached = await connected();
    const ctx = simulatorSyncContext(t, sim.simulator);
    expect((await runTenantSync(ctx, finished.id)).status).toBe('success');
    await openRun(t.db, interrupted.id, 'scheduled', new Date());
    // A failure for a reason of its own is this tick's answer for that tenant; not retried.
    const failedOwn = await connected();
    const own = await openRun(t.db, failedOwn.id, 'scheduled', new Date());
    await closeRun(
      t.db,
      failedOwn.id,
      own.id,
      { status: 'failed', recordsFetched: 0, errorMessage: 'ClientTether said no.' },
      new Date(),
    );

    const lines: string[] = [];
    const summary = await resumeSyncTick(ctx, (l) => lines.push(l), tick);

    expect(summary).toMatchObject({ success: 2, failed: 0, skipped: 0 });
    expect((await runsOf(finished.id)).map((r) => r.status)).toEqual(['success']);
    expect((await runsOf(interrupted.id)).map((r) => [r.status, r.error_message])).toEqual([
      ['failed', INTERRUPTED_MESSAGE],
      ['success', null],
    ]);
    expect((await runsOf(unreached.id)).map((r) => [r.status, r.trigger])).toEqual([
      ['success', 'scheduled'],
    ]);
    expect((await runsOf(failedOwn.id)).map((r) => r.status)).toEqual(['failed']);
    // Everything is done now: a second resume (another worker starting) finds nothing.
    expect(await resumeSyncTick(ctx, () => {}, tick)).toBeNull();
  });

  it('does nothing while a tick is running in some process', async () => {
    const tick = new Date();
    const waiting = await connected();
    const ctx = simulatorSyncContext(t, sim.simulator);
    const resumed = await withSyncTickLock(t.sql, 'run', () => resumeSyncTick(ctx, () => {}, tick));
    expect(resumed).toEqual({ acquired: true, value: null });
    expect(await runsOf(waiting.id)).toEqual([]);
  });

  it("lets a tick's own run pass over tenants a resume already synced for it", async () => {
    const tick = new Date();
    const tenant = await connected();
    const ctx = simulatorSyncContext(t, sim.simulator);
    expect(await resumeSyncTick(ctx, () => {}, tick)).toMatchObject({ success: 1 });
    const summary = await syncAllTenants(ctx, () => {}, undefined, tick);
    expect(summary.success).toBe(0);
    expect(summary.done).toBe(summary.tenants);
    expect((await runsOf(tenant.id)).map((r) => r.status)).toEqual(['success']);
  });
});
