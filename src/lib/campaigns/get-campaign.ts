import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { type CampaignView, toCampaignView } from './campaign-view';
import { lockCampaign, UUID } from './internal';

/** One campaign of the workspace; a foreign, deleted or unknown id is NOT_FOUND alike. */
export async function getCampaign(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
): Promise<Result<CampaignView>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  const row = await withTenant(db, tenantId, (tx) => lockCampaign(tx, tenantId, campaignId, false));
  return row ? ok(toCampaignView(row)) : fail('NOT_FOUND', 'No such campaign');
}
