import type { APIRoute } from 'astro';
import { listUserQueue, UserQueueQuery } from '../../../lib/campaigns/list-user-queue';
import { parseQuery } from '../../../lib/dashboard/schemas';
import { jsonFailure, jsonResult } from '../../../lib/http/responses';

/** `?after&limit`: the signed-in user's calls to come in this workspace, across campaigns. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace || !locals.user)
    throw new Error('guarded route reached without a workspace');
  const query = parseQuery(UserQueueQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  return jsonResult(
    await listUserQueue(locals.db, locals.workspace.tenant.id, locals.user.id, query.data),
  );
};
