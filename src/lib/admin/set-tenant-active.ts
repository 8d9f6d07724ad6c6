import { and, eq, inArray, isNull } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { Actor } from '../campaigns/audit';
import { pauseCampaign } from '../campaigns/pause-campaign';
import type { Database } from '../db/client';
import { callCampaigns, tenants } from '../db/schema';
import { withTenant } from '../db/tenant';
import type { AdminActor } from './actor';
import { recordAdminAudit } from './audit';
import { UUID } from './uuid';

export const DEACTIVATION_PAUSE_REASON = 'Workspace deactivated by a platform administrator';

/**
 * Deactivation takes effect at once: the middleware re-reads the tenant on
 * every request (memberships.getWorkspace skips deactivated tenants), the
 * hourly sync lists only active ones, and its running or scheduled campaigns
 * are paused in the same transaction. Data stays; reactivating resumes nothing.
 */
export async function setTenantActive(
  db: Database,
  actor: AdminActor,
  tenantId: string,
  active: boolean,
): Promise<Result<{ active: boolean; pausedCampaigns: number }>> {
  if (!UUID.test(tenantId)) return fail('NOT_FOUND', 'No such tenant');
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .select({ id: tenants.id, deactivatedAt: tenants.deactivatedAt })
      .from(tenants)
      .where(eq(tenants.id, tenantId))
      .for('no key update');
    if (!tenant) return fail('NOT_FOUND', 'No such tenant');
    if (!tenant.deactivatedAt === active) return ok({ active, pausedCampaigns: 0 });

    await tx
      .update(tenants)
      .set({ deactivatedAt: active ? null : new Date(), updatedAt: new Date() })
      .where(eq(tenants.id, tenantId));
    let pausedCampaigns = 0;
    if (!active) {
      const campaignActor: Actor =
        actor.type === 'user'
          ? { type: 'user', userId: actor.userId }
          : { type: 'system', job: 'admin-cli' };
      const live = await withTenant(tx, tenantId, (ttx) =>
        ttx
          .select({ id: callCampaigns.id })
          .from(callCampaigns)
          .where(
            and(
              eq(callCampaigns.tenantId, tenantId),
              inArray(callCampaigns.status, ['running', 'scheduled']),
              isNull(callCampaigns.deletedAt),
            ),
          ),
      );
      for (const campaign of live) {
        const paused = await pauseCampaign(
          tx,
          tenantId,
          campaign.id,
          campaignActor,
          DEACTIVATION_PAUSE_REASON,
        );
        if (paused.ok) pausedCampaigns += 1;
      }
    }
    await recordAdminAudit(tx, actor, {
      action: active ? 'tenant.reactivated' : 'tenant.deactivated',
      targetType: 'tenant',
      targetId: tenantId,
      tenantId,
      details: active ? {} : { pausedCampaigns },
    });
    return ok({ active, pausedCampaigns });
  });
}
