import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { listUpcomingActivities, parseQuery, ScheduleQuery } from '../../../lib/dashboard';
import { jsonFailure, jsonResult } from '../../../lib/http/responses';

/** `?limit` (≤ 500): activities starting after now, soonest first. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(ScheduleQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  return jsonResult(
    ok(await listUpcomingActivities(locals.db, locals.workspace.tenant.id, query.data)),
  );
};
