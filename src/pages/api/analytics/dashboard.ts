import type { APIRoute } from 'astro';
import { DashboardStatsQuery, getDashboardStats } from '../../../lib/analytics';
import { ok } from '../../../lib/api/result';
import { parseQuery } from '../../../lib/dashboard/schemas';
import { jsonFailure, jsonResult } from '../../../lib/http/responses';

/** `?range=today|7d|30d|90d` (default 30d): the overview's figures with deltas, from stats_daily. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(DashboardStatsQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  return jsonResult(
    ok(await getDashboardStats(locals.db, locals.workspace.tenant.id, query.data.range)),
  );
};
