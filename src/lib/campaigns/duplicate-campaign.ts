import { and, eq, sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { callCampaigns } from '../db/schema';
import { withTenant } from '../db/tenant';
import { type Actor, recordAudit } from './audit';
import { type CampaignView, toCampaignView } from './campaign-view';
import { enqueueContacts } from './enqueue';
import { lockCampaign, UUID } from './internal';

/** A draft copy of a campaign: same settings, same contacts (still in the workspace), nothing called yet. */
export async function duplicateCampaign(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  actor: Actor & { type: 'user' },
  now = new Date(),
): Promise<Result<CampaignView>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  return withTenant(db, tenantId, async (tx) => {
    const source = await lockCampaign(tx, tenantId, campaignId, false);
    if (!source) return fail('NOT_FOUND', 'No such campaign');
    const { id: _id, createdAt: _c, updatedAt: _u, ...settings } = source;
    const [copy] = await tx
      .insert(callCampaigns)
      .values({
        ...settings,
        name: `${source.name} (copy)`.slice(0, 120),
        status: 'draft',
        createdBy: actor.userId,
        startAt: now,
        totalCalls: 0,
        queuedCalls: 0,
        activeCalls: 0,
        completedCalls: 0,
        failedCalls: 0,
        cancelledCalls: 0,
        skippedCalls: 0,
        pausedReason: null,
        processingLock: null,
        lockAcquiredAt: null,
        startedAt: null,
        finishedAt: null,
        deletedAt: null,
      })
      .returning();
    if (!copy) throw new Error('campaign copy was not created');
    const counts = await enqueueContacts(
      tx,
      copy,
      sql`c.id in (select q.contact_id from call_queue q
                   where q.tenant_id = ${tenantId} and q.campaign_id = ${campaignId})`,
      now,
    );
    const [updated] = await tx
      .update(callCampaigns)
      .set({ totalCalls: counts.total, queuedCalls: counts.queued, skippedCalls: counts.skipped })
      .where(and(eq(callCampaigns.tenantId, tenantId), eq(callCampaigns.id, copy.id)))
      .returning();
    await recordAudit(tx, tenantId, copy.id, actor, 'duplicate', { from: campaignId });
    if (!updated) throw new Error('campaign copy vanished');
    return ok(toCampaignView(updated));
  });
}
