import type { APIRoute } from 'astro';
import { actorOf } from '../../../../lib/admin/actor';
import { setSystemCallLimitAudited } from '../../../../lib/admin/call-limits';
import { jsonResult, readBody } from '../../../../lib/http/responses';

/** Platform admins: `{ limit }` calls in flight across every workspace (audited). */
export const PATCH: APIRoute = async ({ locals, request }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  return jsonResult(
    await setSystemCallLimitAudited(locals.db, actorOf(locals.user), await readBody(request)),
  );
};
