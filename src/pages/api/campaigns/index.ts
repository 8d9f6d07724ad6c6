import type { APIRoute } from 'astro';
import { z } from 'zod';
import { ok } from '../../../lib/api/result';
import { createCampaign } from '../../../lib/campaigns/create-campaign';
import { listCampaigns } from '../../../lib/campaigns/list-campaigns';
import { parseQuery } from '../../../lib/dashboard/schemas';
import { jsonFailure, jsonResult, readBody } from '../../../lib/http/responses';

const ListQuery = z.object({
  before: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** `?before&limit`: the workspace's campaigns, newest first. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(ListQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  return jsonResult(ok(await listCampaigns(locals.db, locals.workspace.tenant.id, query.data)));
};

/** Creates a campaign and its queue (201); 10 a minute per user (429 with Retry-After). */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace || !locals.user)
    throw new Error('guarded route reached without a workspace');
  const result = await createCampaign(
    {
      db: locals.db,
      tenantId: locals.workspace.tenant.id,
      actor: { type: 'user', userId: locals.user.id },
    },
    await readBody(request),
  );
  return jsonResult(result, 201);
};
