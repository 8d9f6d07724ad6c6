import type { APIRoute } from 'astro';
import { actorOf } from '../../../../../lib/admin/actor';
import { setUserCallLimitAudited } from '../../../../../lib/admin/call-limits';
import { jsonResult, readBody } from '../../../../../lib/http/responses';

/** Platform admins: `{ limit }` calls in flight for one user's campaigns (audited). */
export const PATCH: APIRoute = async ({ locals, params, request }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  return jsonResult(
    await setUserCallLimitAudited(
      locals.db,
      actorOf(locals.user),
      params.id ?? '',
      await readBody(request),
    ),
  );
};
