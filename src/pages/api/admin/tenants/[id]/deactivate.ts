import type { APIRoute } from 'astro';
import { actorOf } from '../../../../../lib/admin/actor';
import { answer } from '../../../../../lib/admin/form-response';
import { setTenantActive } from '../../../../../lib/admin/set-tenant-active';

/** Platform admins: members lose access at once, syncs stop, running campaigns are paused. */
export const POST: APIRoute = async ({ locals, params, request }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const id = params.id ?? '';
  const result = await setTenantActive(locals.db, actorOf(locals.user), id, false);
  return answer(request, result, {
    success: () => `/admin/tenants/${id}?saved=deactivated`,
    back: `/admin/tenants/${encodeURIComponent(id)}`,
  });
};
