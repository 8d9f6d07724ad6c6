import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pruneCampaignLogs } from '../../../src/lib/campaigns/retention';
import { callCampaigns, campaignAuditLogs, campaignErrorLogs } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { makeCaller, makeCampaign } from '../../factories/campaigns';
import { makeContacts, uniquePhone } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const NOW = new Date('2026-11-24T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

describe('campaign log retention', () => {
  it('keeps 30 days of audit and errors, 90 days for deleted campaigns, then removes those campaigns', async () => {
    const tenant = await makeTenant(t.db);
    const user = await makeCaller(t.db, tenant, 1);
    const [contact] = await makeContacts(t.db, tenant.id, [
      { name: 'Kept', phoneE164: uniquePhone() },
    ]);
    const make = () =>
      makeCampaign(t.db, tenant.id, user.id, {
        contacts: { ids: [contact?.id ?? 0] },
        start: false,
      });
    const live = await make();
    const recentlyDeleted = await make();
    const longDeleted = await make();
    await withTenant(t.db, tenant.id, async (tx) => {
      const setDeleted = (id: string, at: Date) =>
        tx
          .update(callCampaigns)
          .set({ deletedAt: at })
          .where(and(eq(callCampaigns.tenantId, tenant.id), eq(callCampaigns.id, id)));
      await setDeleted(recentlyDeleted.id, daysAgo(40));
      await setDeleted(longDeleted.id, daysAgo(100));
      const audit = (campaignId: string, at: Date, action: string) =>
        tx.insert(campaignAuditLogs).values({
          tenantId: tenant.id,
          campaignId,
          actorType: 'user',
          actorId: user.id,
          action,
          createdAt: at,
        });
      await audit(live.id, daysAgo(31), 'old');
      await audit(live.id, daysAgo(29), 'recent');
      await audit(recentlyDeleted.id, daysAgo(60), 'kept-for-deleted');
      await audit(longDeleted.id, daysAgo(95), 'gone-with-campaign');
      await tx.insert(campaignErrorLogs).values([
        {
          tenantId: tenant.id,
          campaignId: live.id,
          attempt: 1,
          category: 'retryable',
          message: 'old',
          createdAt: daysAgo(31),
        },
        {
          tenantId: tenant.id,
          campaignId: live.id,
          attempt: 1,
          category: 'retryable',
          message: 'recent',
          createdAt: daysAgo(1),
        },
      ]);
    });

    const pruned = await pruneCampaignLogs(t.db, NOW);
    expect(pruned).toMatchObject({ errors: 1, campaigns: 1 });
    const remaining = await withTenant(t.db, tenant.id, async (tx) => ({
      audit: (await tx.select({ action: campaignAuditLogs.action }).from(campaignAuditLogs))
        .map((a) => a.action)
        .sort(),
      errors: (await tx.select({ message: campaignErrorLogs.message }).from(campaignErrorLogs)).map(
        (e) => e.message,
      ),
      campaigns: (await tx.execute<{ id: string }>(sql`select id from call_campaigns`))
        .map((c) => c.id)
        .sort(),
    }));
    // The "create" entries of today stay too.
    expect(remaining.audit).toEqual(
      ['create', 'create', 'create', 'kept-for-deleted', 'recent'].sort(),
    );
    expect(remaining.errors).toEqual(['recent']);
    expect(remaining.campaigns).toEqual([live.id, recentlyDeleted.id].sort());
  });
});
