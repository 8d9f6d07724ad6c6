import type { APIRoute } from 'astro';
import { listCampaignQueue, QueueQuery } from '../../../../lib/campaigns/list-queue';
import { parseQuery } from '../../../../lib/dashboard/schemas';
import { jsonFailure, jsonResult } from '../../../../lib/http/responses';

/** `?status&after&limit`: the campaign's calls, in order. */
export const GET: APIRoute = async ({ locals, params, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(QueueQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  return jsonResult(
    await listCampaignQueue(locals.db, locals.workspace.tenant.id, params.id ?? '', query.data),
  );
};
