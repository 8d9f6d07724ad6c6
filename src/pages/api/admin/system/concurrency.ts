import type { APIRoute } from 'astro';
import { setSystemCallLimit } from '../../../../lib/calls/concurrency';
import { jsonResult, readBody } from '../../../../lib/http/responses';

/** Platform admins: `{ limit }` calls in flight across every workspace. */
export const PATCH: APIRoute = async ({ locals, request }) =>
  jsonResult(await setSystemCallLimit(locals.db, await readBody(request)));
