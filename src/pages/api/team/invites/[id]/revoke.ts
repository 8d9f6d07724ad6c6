import type { APIRoute } from 'astro';
import { answer } from '../../../../../lib/admin/form-response';
import { revokeInvite } from '../../../../../lib/invites/revoke-invite';
import { teamActorOf } from '../../../../../lib/team/actor';

/** Owners and admins: withdraw a pending invitation of this workspace. */
export const POST: APIRoute = async ({ locals, params, request }) => {
  const { workspace, user, db } = locals;
  if (!workspace || !user) throw new Error('guarded route reached without a workspace');
  const result = await revokeInvite(
    db,
    workspace.tenant.id,
    teamActorOf(user, workspace.role),
    params.id ?? '',
  );
  return answer(request, result, {
    success: () => '/settings/team?saved=revoked',
    back: '/settings/team',
  });
};
