import { and, eq, sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { callCampaigns } from '../db/schema';
import { withTenant } from '../db/tenant';
import { type Actor, recordAudit } from './audit';
import { type CampaignView, toCampaignView } from './campaign-view';
import { lockCampaign, lockDispatch, UUID } from './internal';

/** Cancels every call not yet dialled; calls already ringing end on their own. */
export async function cancelCampaign(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  actor: Actor,
): Promise<Result<CampaignView>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  return withTenant(db, tenantId, async (tx) => {
    await lockDispatch(tx);
    const campaign = await lockCampaign(tx, tenantId, campaignId);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    if (campaign.status === 'completed' || campaign.status === 'cancelled') {
      return fail('CONFLICT', `The campaign is already ${campaign.status}`);
    }
    const [moved] = await tx.execute<{ n: number }>(sql`
      with cancelled as (
        update call_queue set status = 'cancelled', outcome = 'campaign_cancelled',
          finished_at = now(), updated_at = now()
        where tenant_id = ${tenantId} and campaign_id = ${campaignId} and status = 'queued'
        returning 1
      ) select count(*)::int as n from cancelled`);
    const n = moved?.n ?? 0;
    const [open] = await tx.execute<{ n: number }>(sql`
      select count(*)::int as n from call_queue
      where tenant_id = ${tenantId} and campaign_id = ${campaignId}
        and status in ('dispatching', 'in_progress')`);
    const now = new Date();
    const [updated] = await tx
      .update(callCampaigns)
      .set({
        status: 'cancelled',
        queuedCalls: sql`${callCampaigns.queuedCalls} - ${n}`,
        cancelledCalls: sql`${callCampaigns.cancelledCalls} + ${n}`,
        finishedAt: (open?.n ?? 0) === 0 ? now : null,
        updatedAt: now,
      })
      .where(and(eq(callCampaigns.tenantId, tenantId), eq(callCampaigns.id, campaignId)))
      .returning();
    await recordAudit(tx, tenantId, campaignId, actor, 'cancel', { cancelledCalls: n });
    if (!updated) throw new Error('campaign vanished while cancelling');
    return ok(toCampaignView(updated));
  });
}
