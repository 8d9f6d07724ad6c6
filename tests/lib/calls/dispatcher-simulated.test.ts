/**
 * The worker's wiring end to end: the dispatcher loop, the provider registry
 * and the simulator reporting back through recordCallEvent — a campaign runs
 * to completion within its limits, as it does in `npm start`.
 */
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { startDispatcher } from '../../../src/lib/calls/dispatch/dispatcher';
import { createProviderRegistry } from '../../../src/lib/calls/provider-registry';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import { callQueue } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import {
  idleCallSystem,
  makeCallerCampaign,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 8 });

describe('the dispatcher with the simulator', () => {
  beforeEach(() => idleCallSystem(t.db));

  it('runs a campaign to completion without ever exceeding the user limit', async () => {
    await setSystemCallLimit(t.db, 10);
    const { tenant, user, campaign } = await makeCallerCampaign(t.db, {
      contacts: 8,
      limit: 2,
      campaign: { maxAttempts: 1 },
    });
    const registry = createProviderRegistry(
      t.db,
      { bolnaApiUrl: 'https://api.bolna.ai' },
      {
        ringMs: [5, 20],
        talkMs: [5, 30],
        processingMs: [1, 5],
      },
    );
    let peak = 0;
    const dispatcher = await startDispatcher({
      db: t.db,
      sql: t.sql,
      providerFor: registry.providerFor,
      log: () => {},
      intervalMs: 20,
    });
    try {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const inFlight = (await slotsInFlight(t.db))[user.id] ?? 0;
        peak = Math.max(peak, inFlight);
        const current = await getCampaign(t.db, tenant.id, campaign.id);
        if (current.ok && current.data.status === 'completed') break;
        if (Date.now() > deadline) throw new Error(`campaign still ${JSON.stringify(current)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await dispatcher.stop();
      registry.close();
    }
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeGreaterThan(0);
    const rows = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(callQueue).where(eq(callQueue.campaignId, campaign.id)),
    );
    expect(rows.every((r) => ['completed', 'failed'].includes(r.status))).toBe(true);
    const done = await getCampaign(t.db, tenant.id, campaign.id);
    if (!done.ok) throw new Error('campaign gone');
    expect(done.data.counts.completed + done.data.counts.failed).toBe(8);
    expect(done.data.counts).toMatchObject({ queued: 0, active: 0 });
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
  }, 30_000);
});
