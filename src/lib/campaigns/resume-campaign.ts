import { and, eq, sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import { completeIfDone } from '../calls/transitions';
import type { DbOrTx } from '../db/client';
import { callCampaigns } from '../db/schema';
import { withTenant } from '../db/tenant';
import { type Actor, recordAudit } from './audit';
import { type CampaignView, toCampaignView } from './campaign-view';
import { lockCampaign, lockDispatch, UUID } from './internal';
import { rescheduleQueued } from './reschedule-queued';

/** Starts a draft or resumes a paused campaign: its queued rows get their next window instant from now. */
export async function resumeCampaign(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  now = new Date(),
): Promise<Result<CampaignView>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  return withTenant(db, tenantId, async (tx) => {
    await lockDispatch(tx);
    const campaign = await lockCampaign(tx, tenantId, campaignId);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    if (campaign.status !== 'paused' && campaign.status !== 'draft') {
      return fail('CONFLICT', `A ${campaign.status} campaign can't be started or resumed`);
    }
    const from = campaign.startAt > now ? campaign.startAt : now;
    await rescheduleQueued(tx, campaign, from);
    const [updated] = await tx
      .update(callCampaigns)
      .set({
        status: from > now ? 'scheduled' : 'running',
        pausedReason: null,
        startedAt: campaign.startedAt ?? (from > now ? null : now),
        updatedAt: now,
      })
      .where(and(eq(callCampaigns.tenantId, tenantId), eq(callCampaigns.id, campaignId)))
      .returning();
    await recordAudit(
      tx,
      tenantId,
      campaignId,
      actor,
      campaign.status === 'draft' ? 'start' : 'resume',
    );
    if (!updated) throw new Error('campaign vanished while resuming');
    // Its last calls may have ended while it was paused: then there is nothing left to run.
    await completeIfDone(tx, tenantId, campaignId);
    const current = await lockCampaign(tx, tenantId, campaignId);
    await tx.execute(sql`select pg_notify('call_slot_freed', '')`);
    return ok(toCampaignView(current ?? updated));
  });
}
