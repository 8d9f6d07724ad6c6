import { and, eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { callCampaigns } from '../db/schema';
import { withTenant } from '../db/tenant';
import { type Actor, recordAudit } from './audit';
import { lockCampaign, UUID } from './internal';

/**
 * Soft-deletes a campaign that is not calling (draft, paused, completed or
 * cancelled): it disappears from lists, its audit trail stays (kept 90 days).
 */
export async function deleteCampaign(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  actor: Actor,
): Promise<Result<{ id: string }>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  return withTenant(db, tenantId, async (tx) => {
    const campaign = await lockCampaign(tx, tenantId, campaignId);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    if (
      campaign.status === 'running' ||
      campaign.status === 'scheduled' ||
      campaign.activeCalls > 0
    ) {
      return fail(
        'CONFLICT',
        'Pause or cancel the campaign, and let its calls finish, before deleting it',
      );
    }
    await tx
      .update(callCampaigns)
      .set({ deletedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(callCampaigns.tenantId, tenantId), eq(callCampaigns.id, campaignId)));
    await recordAudit(tx, tenantId, campaignId, actor, 'delete', { name: campaign.name });
    return ok({ id: campaignId });
  });
}
