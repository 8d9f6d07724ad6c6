import type { APIRoute } from 'astro';
import { actorOf } from '../../../../../lib/admin/actor';
import { answer, withSaved } from '../../../../../lib/admin/form-response';
import { setUserActive } from '../../../../../lib/admin/set-user-active';
import { readBody } from '../../../../../lib/http/responses';
import { safeNext } from '../../../../../lib/http/safe-next';

/** Platform admins: the user may sign in again. */
export const POST: APIRoute = async ({ locals, params, request }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const body = (await readBody(request)) as { returnTo?: unknown } | undefined;
  const back = safeNext(typeof body?.returnTo === 'string' ? body.returnTo : null, '/admin/users');
  const result = await setUserActive(locals.db, actorOf(locals.user), params.id ?? '', true);
  return answer(request, result, { success: () => withSaved(back, 'reactivated'), back });
};
