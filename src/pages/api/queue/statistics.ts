import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { getQueueStatistics } from '../../../lib/campaigns/queue-statistics';
import { jsonResult } from '../../../lib/http/responses';

/** The workspace's open calls by status, how many are due now, and the average call length. */
export const GET: APIRoute = async ({ locals }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  return jsonResult(ok(await getQueueStatistics(locals.db, locals.workspace.tenant.id)));
};
