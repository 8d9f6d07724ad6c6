import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { getPipelineOverview } from '../../../lib/dashboard';
import { jsonResult } from '../../../lib/http/responses';

/** Pipeline KPIs and the stages in pipeline order. Takes no parameters. */
export const GET: APIRoute = async ({ locals }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  return jsonResult(ok(await getPipelineOverview(locals.db, locals.workspace.tenant.id)));
};
