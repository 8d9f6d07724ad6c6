import type { APIRoute } from 'astro';
import { exportCampaignResults } from '../../../../lib/campaigns/export-results';
import { getCampaign } from '../../../../lib/campaigns/get-campaign';
import { csvDownload } from '../../../../lib/http/csv-download';
import { jsonResult } from '../../../../lib/http/responses';

/** The campaign's calls as a CSV download, streamed; formula-safe cells. */
export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const { db } = locals;
  const tenantId = locals.workspace.tenant.id;
  const campaign = await getCampaign(db, tenantId, params.id ?? '');
  if (!campaign.ok) return jsonResult(campaign);
  const slug = campaign.data.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return csvDownload(
    exportCampaignResults(db, tenantId, campaign.data.id),
    `campaign-${slug || 'results'}-results.csv`,
  );
};
