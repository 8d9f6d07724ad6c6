/** A Bolna campaign in a workspace with no key anywhere pauses with a reason instead of burning attempts. */
import { beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { createProviderRegistry } from '../../../src/lib/calls/provider-registry';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCampaign,
  setSystemCallLimit,
} from '../../factories/campaigns';
import { makeContacts, uniquePhone } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

describe('provider registry', () => {
  beforeEach(() => idleCallSystem(t.db));

  it('pauses a Bolna campaign when no key is configured, spending no attempt', async () => {
    await setSystemCallLimit(t.db, 10);
    const tenant = await makeTenant(t.db);
    const user = await makeCaller(t.db, tenant, 2);
    const [contact] = await makeContacts(t.db, tenant.id, [
      { name: 'Keyless', phoneE164: uniquePhone() },
    ]);
    const campaign = await makeCampaign(t.db, tenant.id, user.id, {
      contacts: { ids: [contact?.id ?? 0] },
      provider: 'bolna',
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
