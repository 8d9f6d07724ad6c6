import type { APIRoute } from 'astro';
import { answer, baseUrlFor } from '../../../../../lib/admin/form-response';
import { readBody } from '../../../../../lib/http/responses';
import { createInvite } from '../../../../../lib/invites/create-invite';
import { teamActorOf } from '../../../../../lib/team/actor';

/** Platform admins: invite someone (typically the owner) to a tenant they need not belong to. */
export const POST: APIRoute = async ({ locals, params, request, url }) => {
  const { user, db, config } = locals;
  if (!user) throw new Error('guarded route reached without a user');
  const id = params.id ?? '';
  const result = await createInvite(
    {
      db,
      mail: config,
      baseUrl: baseUrlFor(config, url),
      actor: { ...teamActorOf(user, null), name: user.name },
    },
    id,
    await readBody(request),
  );
  return answer(request, result, {
    status: 201,
    success: () => `/admin/tenants/${id}?saved=invited`,
    back: `/admin/tenants/${encodeURIComponent(id)}`,
  });
};
