import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { type CampaignView, toCampaignView } from '../campaigns/campaign-view';
import type { DbOrTx } from '../db/client';
import { callCampaigns } from '../db/schema';
import { type TenantTx, withTenant } from '../db/tenant';

/**
 * Campaigns calling now (or paused mid-run), newest first, with the counters
 * their rows move in the same transactions: the overview shows these and
 * keeps them current over live events, without counting the queue.
 */
export function listRunningCampaigns(
  db: DbOrTx,
  tenantId: string,
  limit = 5,
): Promise<CampaignView[]> {
  return withTenant(db, tenantId, (tx) => readRunningCampaigns(tx, tenantId, limit));
}

/** listRunningCampaigns inside a tenant transaction the caller already holds. */
export async function readRunningCampaigns(
  tx: TenantTx,
  tenantId: string,
  limit = 5,
): Promise<CampaignView[]> {
  const rows = await tx
    .select()
    .from(callCampaigns)
    .where(
      and(
        eq(callCampaigns.tenantId, tenantId),
        isNull(callCampaigns.deletedAt),
        inArray(callCampaigns.status, ['running', 'paused']),
      ),
    )
    .orderBy(desc(callCampaigns.createdAt))
    .limit(limit);
  return rows.map(toCampaignView);
}
