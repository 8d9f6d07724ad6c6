/**
 * The producers wired to live events: a contact import announces its
 * committed chunks (coalesced) and its end, an abandoned import swept by the
 * worker announces its failure, and a ClientTether sync announces its end —
 * each heard by a hub subscriber of that workspace with the stored figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAbandonedImports } from '../../../src/lib/contacts/imports/sweep-abandoned';
import type { ImportProgress, LiveEventData } from '../../../src/lib/events/event-data';
import { createLiveHub, type LiveHub } from '../../../src/lib/events/hub';
import { runTenantSync } from '../../../src/lib/sync/run-tenant-sync';
import { makeMember, makeTenant } from '../../factories';
import { importCsv } from '../../factories/imports';
import {
  connectTenant,
  newWebKey,
  simulatorSyncContext,
  useSimulator,
} from '../../helpers/clienttether';
import { useTestDatabase } from '../../helpers/db';
import { collector, eventually } from './helpers';

const t = useTestDatabase();
const webKey = newWebKey();
const sim = useSimulator([{ webKey, seed: 5, clients: 20, opportunities: 5 }]);
let hub: LiveHub;
beforeAll(() => {
  hub = createLiveHub({ db: t.db, sql: t.sql, probeIntervalMs: 0 });
});
afterAll(() => hub.stop());

describe('live events from imports and syncs', () => {
  it('a contact import sends its progress as chunks commit and its final counts', async () => {
    const { tenant, user } = await makeMember(t.db);
    const watcher = collector(tenant.id);
    await hub.subscribe(watcher.subscription, null);
    const rows = Array.from(
      { length: 30 },
      (_, i) => `Person ${i},+1303555${String(i).padStart(4, '0')}`,
    );
    const { final } = await importCsv(
      t,
      { id: tenant.id, userId: user.id },
      `name,phone\n${rows.join('\n')}\nbad,not-a-phone\n`,
      { chunkRows: 10 },
    );
    expect(final?.status).toBe('completed');
    const last = () =>
      watcher.events.filter((e) => e.type === 'import.progress').at(-1)?.data as
        | ImportProgress
        | undefined;
    await eventually(() => last()?.status === 'completed', 5000, 'the completed import');
    expect(last()).toEqual({
      id: final?.id,
      status: 'completed',
      totalRows: 31,
      processedRows: 31,
      inserted: 30,
      updated: 0,
      duplicates: 0,
      invalid: 1,
      errorCount: 1,
    });
    // Four commits and two status changes, coalesced: far fewer events than that.
    expect(watcher.events.filter((e) => e.type === 'import.progress').length).toBeLessThanOrEqual(
      4,
    );
  });

  it('an abandoned import swept by the worker sends its failure', async () => {
    const tenant = await makeTenant(t.db);
    const [row] = await t.sql<{ id: string }[]>`
      insert into contact_imports (tenant_id, file_name, mode, status, heartbeat_at)
      values (${tenant.id}, 'old.csv', 'skip', 'running', now() - interval '1 hour') returning id`;
    const watcher = collector(tenant.id);
    await hub.subscribe(watcher.subscription, null);
    expect(watcher.events.map((e) => e.type)).toEqual(['import.progress']); // in flight: snapshot
    await sweepAbandonedImports(t.db);
    await eventually(() => watcher.events.length === 2, 5000, 'the swept import');
    expect(watcher.events[1]?.data).toMatchObject({ id: row?.id, status: 'failed' });
  });

  it('a sync sends sync.finished with its run and status', async () => {
    const tenant = await makeTenant(t.db);
    await connectTenant(t.db, tenant.id, webKey);
    const watcher = collector(tenant.id);
    await hub.subscribe(watcher.subscription, null);
    const outcome = await runTenantSync(simulatorSyncContext(t, sim.simulator), tenant.id, {
      trigger: 'manual',
    });
    expect(outcome.status).toBe('success');
    await eventually(() => watcher.events.length === 1, 5000, 'sync.finished');
    const event = watcher.events[0];
    expect(event?.type).toBe('sync.finished');
    expect(event?.data as LiveEventData['sync.finished']).toMatchObject({
      runId: outcome.run.id,
      status: 'success',
    });
  });
});
