import type { APIRoute } from 'astro';
import { getCampaignProgress } from '../../../../lib/campaigns/progress';
import { jsonResult } from '../../../../lib/http/responses';

/** The live monitor's figures (the poll fallback when events can't stream); 404 for a foreign id. */
export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  return jsonResult(
    await getCampaignProgress(locals.db, locals.workspace.tenant.id, params.id ?? ''),
  );
};
