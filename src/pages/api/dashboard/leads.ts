import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { getLeadsOverview, LeadsQuery, parseQuery } from '../../../lib/dashboard';
import { jsonFailure, jsonResult } from '../../../lib/http/responses';

/** `?range=7|30|90|all` (default 30): lead KPIs and counts by source, stage and day. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(LeadsQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  return jsonResult(
    ok(await getLeadsOverview(locals.db, locals.workspace.tenant.id, query.data.range)),
  );
};
