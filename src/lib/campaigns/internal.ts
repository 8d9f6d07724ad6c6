import { and, eq, isNull, sql } from 'drizzle-orm';
import { callCampaigns } from '../db/schema';
import type { TenantTx } from '../db/tenant';
import type { CampaignRow } from './campaign-view';

/** The campaign (locked for the rest of the transaction unless `forUpdate` is false); a foreign or deleted one is null. */
export async function lockCampaign(
  tx: TenantTx,
  tenantId: string,
  campaignId: string,
  forUpdate = true,
): Promise<CampaignRow | null> {
  const query = tx
    .select()
    .from(callCampaigns)
    .where(
      and(
        eq(callCampaigns.tenantId, tenantId),
        eq(callCampaigns.id, campaignId),
        isNull(callCampaigns.deletedAt),
      ),
    );
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Status changes that touch queued rows (pause, resume, cancel) take the
 * dispatcher's lock first: the claim locks queued rows and then updates the
 * campaign, so taking them in the other order could deadlock with it.
 */
export async function lockDispatch(tx: TenantTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('switchboard:call-dispatch'))`);
}
