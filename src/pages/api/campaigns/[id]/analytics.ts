import type { APIRoute } from 'astro';
import { getCampaignAnalytics } from '../../../../lib/campaigns/campaign-analytics';
import { jsonResult } from '../../../../lib/http/responses';

export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  return jsonResult(
    await getCampaignAnalytics(locals.db, locals.workspace.tenant.id, params.id ?? ''),
  );
};
