import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeAbandonedRuns, pruneRawSnapshots } from '../../../src/lib/sync/housekeeping';
import { withTenantSyncLock } from '../../../src/lib/sync/lock';
import { startManualSync } from '../../../src/lib/sync/manual';
import { closeRun, openRun } from '../../../src/lib/sync/runs';
import { getSyncStatus } from '../../../src/lib/sync/status';
import { syncAllTenants } from '../../../src/lib/sync/sync-all';
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
const sim = useSimulator([{ webKey, seed: 5, clients: 20, opportunities: 8 }]);
const HOUR = 3_600_000;

describe('sync status', () => {
  it('says never, then up to date, then stale after two hours, then failed with the message', async () => {
    const tenant = await makeTenant(t.db);
    const t0 = new Date('2026-11-24T10:00:00Z');
    expect(await getSyncStatus(t.db, tenant.id, t0)).toEqual({
      lastSyncAt: null,
      status: 'never',
      isStale: true,
      lastError: null,
    });

    const run = await openRun(t.db, tenant.id, 'scheduled', t0);
    expect((await getSyncStatus(t.db, tenant.id, t0)).status).toBe('running');
    await closeRun(
      t.db,
      tenant.id,
      run.id,
      { status: 'success', recordsFetched: 1, recordsUpdated: 1 },
      t0,
    );
    expect(await getSyncStatus(t.db, tenant.id, new Date(t0.getTime() + HOUR))).toEqual({
      lastSyncAt: t0.toISOString(),
      status: 'success',
      isStale: false,
      lastError: null,
    });
    expect(
      (await getSyncStatus(t.db, tenant.id, new Date(t0.getTime() + 2 * HOUR + 1))).isStale,
    ).toBe(true);

    const t1 = new Date(t0.getTime() + HOUR);
    const failed = await openRun(t.db, tenant.id, 'scheduled', t1);
    await closeRun(
      t.db,
      tenant.id,
      failed.id,
      { status: 'failed', recordsFetched: 0, errorMessage: 'ClientTether said no.' },
      t1,
    );
    expect(await getSyncStatus(t.db, tenant.id, t1)).toMatchObject({
      status: 'failed',
      lastError: 'ClientTether said no.',
      lastSyncAt: t0.toISOString(),
    });
  });
});

describe('hourly sync of all tenants', () => {
  it('syncs exactly the active tenants that have a web key, with a log line each', async () => {
    const connected = await makeTenant(t.db);
    await connectTenant(t.db, connected.id, webKey);
    const unconnected = await makeTenant(t.db);
    const lines: string[] = [];
    const summary = await syncAllTenants(simulatorSyncContext(t, sim.simulator), (line) =>
      lines.push(line),
    );
    expect(summary).toMatchObject({ tenants: 1, success: 1, failed: 0 });
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^sync ${connected.slug}: success`))]);
    const [row] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from sync_runs where tenant_id = ${unconnected.id}`,
    );
    expect(row?.n).toBe(0);
  });
});

describe('start-up reconciliation', () => {
  it('closes a run left running by a crash, but not one whose sync is alive', async () => {
    const crashed = await makeTenant(t.db);
    const alive = await makeTenant(t.db);
    await openRun(t.db, crashed.id, 'scheduled', new Date());
    await openRun(t.db, alive.id, 'scheduled', new Date());
    let closed = -1;
    await withTenantSyncLock(t.sql, alive.id, async () => {
      closed = await closeAbandonedRuns(t.db, t.sql);
    });
    expect(closed).toBe(1);
    const statuses = await t.db.execute<{ tenant_id: string; status: string }>(
      sql`select tenant_id, status from sync_runs where tenant_id in (${crashed.id}, ${alive.id})`,
    );
    expect(Object.fromEntries(statuses.map((r) => [r.tenant_id, r.status]))).toEqual({
      [crashed.id]: 'failed',
      [alive.id]: 'running',
    });
  });
});

describe('raw snapshot retention', () => {
  it('prunes pages older than 30 days and keeps newer ones', async () => {
    const tenant = await makeTenant(t.db);
    const run = await openRun(t.db, tenant.id, 'scheduled', new Date());
    await t.db.execute(sql`insert into ct_raw_snapshots (tenant_id, run_id, resource, page, raw, fetched_at) values
      (${tenant.id}, ${run.id}, 'clients', 0, '{}', now() - interval '31 days'),
      (${tenant.id}, ${run.id}, 'clients', 1, '{}', now() - interval '29 days')`);
    expect(await pruneRawSnapshots(t.db)).toBe(1);
    const [row] = await t.db.execute<{ page: number }>(
      sql`select page from ct_raw_snapshots where tenant_id = ${tenant.id}`,
    );
    expect(row?.page).toBe(1);
  });
});

describe('manual sync', () => {
  it('starts at most one per five minutes per tenant, with a Retry-After', async () => {
    const tenant = await makeTenant(t.db);
    await connectTenant(t.db, tenant.id, webKey);
    const ctx = simulatorSyncContext(t, sim.simulator);
    const first = await startManualSync(ctx, tenant.id);
    expect(first.ok).toBe(true);
    if (first.ok) expect((await first.data.done).status).toBe('success');
    const second = await startManualSync(ctx, tenant.id);
    expect(second).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    if (!second.ok) expect(second.error.retryAfterSeconds).toBeGreaterThan(200);
    const later = await startManualSync(ctx, tenant.id, new Date(Date.now() + 5 * 60_000 + 1000));
    expect(later.ok).toBe(true);
    if (later.ok) await later.data.done;
  });

  it('refuses to start without credentials', async () => {
    const tenant = await makeTenant(t.db);
    expect(await startManualSync(simulatorSyncContext(t, sim.simulator), tenant.id)).toMatchObject({
      ok: false,
      error: { code: 'PRECONDITION_FAILED' },
    });
  });
});
