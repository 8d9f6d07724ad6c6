import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { getConcurrency } from '../../../lib/calls/concurrency';
import { jsonResult } from '../../../lib/http/responses';

/** The signed-in user's call limit and the system's, with the calls in flight against each. */
export const GET: APIRoute = async ({ locals }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  return jsonResult(ok(await getConcurrency(locals.db, locals.user.id)));
};
