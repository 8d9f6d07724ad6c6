import type { APIRoute } from 'astro';
import { answer, baseUrlFor } from '../../../lib/admin/form-response';
import { readBody } from '../../../lib/http/responses';
import { createInvite } from '../../../lib/invites/create-invite';
import { teamActorOf } from '../../../lib/team/actor';

/** Owners and admins: invite an email to this workspace with a role (owners only invite owners). */
export const POST: APIRoute = async ({ locals, request, url }) => {
  const { workspace, user, db, config } = locals;
  if (!workspace || !user) throw new Error('guarded route reached without a workspace');
  const result = await createInvite(
    {
      db,
      mail: config,
      baseUrl: baseUrlFor(config, url),
      actor: { ...teamActorOf(user, workspace.role), name: user.name },
    },
    workspace.tenant.id,
    await readBody(request),
  );
  return answer(request, result, {
    status: 201,
    success: () => '/settings/team?saved=invited',
    back: '/settings/team',
  });
};
