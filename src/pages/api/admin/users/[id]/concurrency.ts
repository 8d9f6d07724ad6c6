import type { APIRoute } from 'astro';
import { setUserCallLimit } from '../../../../../lib/calls/concurrency';
import { jsonResult, readBody } from '../../../../../lib/http/responses';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Platform admins: `{ limit }` calls in flight for one user's campaigns. */
export const PATCH: APIRoute = async ({ locals, params, request }) => {
  const id = params.id ?? '';
  if (!UUID.test(id))
    return jsonResult({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No such user', retryable: false },
    });
  return jsonResult(await setUserCallLimit(locals.db, id, await readBody(request)));
};
