import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { getHotList, HotListQuery, parseQuery } from '../../../lib/dashboard';
import { jsonFailure, jsonResult } from '../../../lib/http/responses';

/** `?sort&dir&page&pageSize` (pageSize ≤ 100): one page of the hot list with its totals. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(HotListQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  return jsonResult(ok(await getHotList(locals.db, locals.workspace.tenant.id, query.data)));
};
