import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { listNotes, NotesQuery, parseQuery } from '../../../lib/dashboard';
import { jsonFailure, jsonResult } from '../../../lib/http/responses';

/**
 * `?search&limit&after` (limit ≤ 100): notes newest first, or full-text
 * matches; `after` is the previous page's `nextAfter`. `offset` > 0 is a 400.
 */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(NotesQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  return jsonResult(ok(await listNotes(locals.db, locals.workspace.tenant.id, query.data)));
};
