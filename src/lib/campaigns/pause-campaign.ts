import { and, eq, sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { callCampaigns } from '../db/schema';
import { type TenantTx, withTenant } from '../db/tenant';
import { type Actor, recordAudit } from './audit';
import { type CampaignView, toCampaignView } from './campaign-view';
import { lockCampaign, lockDispatch, UUID } from './internal';

/**
 * Stops new calls at once: queued rows wait (scheduled at infinity, so the
 * claim's index never reaches them) and the claim also checks the status.
 * Calls already ringing finish normally.
 */
export async function pauseCampaign(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  reason: string | null = null,
): Promise<Result<CampaignView>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  return withTenant(db, tenantId, (tx) => pauseLocked(tx, tenantId, campaignId, actor, reason));
}

export async function pauseLocked(
  tx: TenantTx,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  reason: string | null,
): Promise<Result<CampaignView>> {
  await lockDispatch(tx);
  const campaign = await lockCampaign(tx, tenantId, campaignId);
  if (!campaign) return fail('NOT_FOUND', 'No such campaign');
  if (campaign.status !== 'running' && campaign.status !== 'scheduled') {
    return fail('CONFLICT', `A ${campaign.status} campaign can't be paused`);
  }
  await tx.execute(sql`
    update call_queue set scheduled_at = 'infinity', updated_at = now()
    where tenant_id = ${tenantId} and campaign_id = ${campaignId} and status = 'queued'`);
  const [updated] = await tx
    .update(callCampaigns)
    .set({ status: 'paused', pausedReason: reason, updatedAt: new Date() })
    .where(and(eq(callCampaigns.tenantId, tenantId), eq(callCampaigns.id, campaignId)))
    .returning();
  await recordAudit(tx, tenantId, campaignId, actor, 'pause', reason ? { reason } : {});
  if (!updated) throw new Error('campaign vanished while pausing');
  return ok(toCampaignView(updated));
}
