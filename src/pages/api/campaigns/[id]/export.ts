import type { APIRoute } from 'astro';
import { exportCampaignResults } from '../../../../lib/campaigns/export-results';
import { getCampaign } from '../../../../lib/campaigns/get-campaign';
import { jsonResult } from '../../../../lib/http/responses';

/** The campaign's calls as a CSV download, streamed; formula-safe cells. */
export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const { db } = locals;
  const tenantId = locals.workspace.tenant.id;
  const campaign = await getCampaign(db, tenantId, params.id ?? '');
  if (!campaign.ok) return jsonResult(campaign);
  const chunks = exportCampaignResults(db, tenantId, campaign.data.id);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const slug = campaign.data.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="campaign-${slug || 'results'}-results.csv"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  });
};
