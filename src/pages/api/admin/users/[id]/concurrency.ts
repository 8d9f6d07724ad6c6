import type { APIRoute } from 'astro';
import { setUserCallLimit } from '../../../../../lib/calls/concurrency';
import { jsonResult, readBody } from '../../../../../lib/http/responses';

/** Platform admins: `{ limit }` calls in flight for one user's campaigns. */
export const PATCH: APIRoute = async ({ locals, params, request }) =>
  jsonResult(await setUserCallLimit(locals.db, params.id ?? '', await readBody(request)));
