/**
 * The consistency check the dispatcher runs at start and every 30 s: slots
 * and counters drifted from the rows are put back, and each campaign
 * correction is written to its audit log; a healthy system changes nothing.
 */
import { and, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { repairCallBookkeeping } from '../../../src/lib/calls/dispatch/repair';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import { callCampaigns, campaignAuditLogs } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import {
  idleCallSystem,
  makeCallerCampaign,
  manualProvider,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const NOON = new Date('2026-06-10T12:00:00Z');

describe('repairing call bookkeeping', () => {
  beforeEach(() => idleCallSystem(t.db));

  it('changes nothing in a healthy system, then puts drifted slots and counters back', async () => {
    await setSystemCallLimit(t.db, 10);
    const { tenant, user, campaign } = await makeCallerCampaign(t.db, {
      contacts: 4,
      limit: 2,
      at: NOON,
    });
    const { providerFor } = manualProvider();
    await runDispatchCycle({ db: t.db, sql: t.sql, providerFor, now: () => NOON });
    expect(await repairCallBookkeeping(t.db, t.sql)).toEqual([]);

    // A crash between a row's move and its bookkeeping (simulated by hand).
    await t.db.execute(
      sql`update call_slots set in_flight = in_flight + 3 where holder = ${user.id}`,
    );
    await t.db
      .update(callCampaigns)
      .set({ queuedCalls: 40, activeCalls: 0 })
      .where(and(eq(callCampaigns.tenantId, tenant.id), eq(callCampaigns.id, campaign.id)));

    const corrections = await repairCallBookkeeping(t.db, t.sql);
    expect(corrections.map((c) => c.what).sort()).toEqual(['counters', `slots:${user.id}`].sort());
    expect(await slotsInFlight(t.db)).toMatchObject({ system: 2, [user.id]: 2 });
    const view = await getCampaign(t.db, tenant.id, campaign.id);
    expect(view.ok && view.data.counts).toMatchObject({ queued: 2, active: 2, total: 4 });
    const audit = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(campaignAuditLogs).where(eq(campaignAuditLogs.action, 'repair_counters')),
    );
    expect(audit).toHaveLength(1);
    expect(await repairCallBookkeeping(t.db, t.sql)).toEqual([]);
  });
});
