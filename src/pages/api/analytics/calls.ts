import type { APIRoute } from 'astro';
import { CallAnalyticsQuery, getCallAnalytics } from '../../../lib/analytics';
import { ok } from '../../../lib/api/result';
import { parseQuery } from '../../../lib/dashboard/schemas';
import { jsonFailure, jsonResult } from '../../../lib/http/responses';

/** `?range=today|7d|30d|90d&granularity=day|week|month`: call volume by outcome, from stats_daily. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(CallAnalyticsQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  const { range, granularity } = query.data;
  return jsonResult(
    ok(await getCallAnalytics(locals.db, locals.workspace.tenant.id, range, granularity)),
  );
};
