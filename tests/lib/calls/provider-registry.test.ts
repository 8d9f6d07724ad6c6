/** A Bolna campaign in a workspace with no key anywhere pauses with a reason instead of burning attempts. */
import { beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { createProviderRegistry } from '../../../src/lib/calls/provider-registry';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import { idleCallSystem, makeCallerCampaign, setSystemCallLimit } from '../../factories/campaigns';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

describe('provider registry', () => {
  beforeEach(() => idleCallSystem(t.db));

  it('pauses a Bolna campaign when no key is configured, spending no attempt', async () => {
    await setSystemCallLimit(t.db, 10);
    const { tenant, campaign } = await makeCallerCampaign(t.db, {
      limit: 2,
      campaign: { provider: 'bolna' },
    });
    const registry = createProviderRegistry(t.db, { bolnaApiUrl: 'https://api.bolna.ai' });
    await runDispatchCycle({ db: t.db, sql: t.sql, providerFor: registry.providerFor });
    const after = await getCampaign(t.db, tenant.id, campaign.id);
    if (!after.ok) throw new Error('campaign gone');
    expect(after.data.status).toBe('paused');
    expect(after.data.pausedReason).toMatch(/key/i);
    expect(after.data.counts).toMatchObject({ queued: 1, active: 0, failed: 0 });
  });
});
