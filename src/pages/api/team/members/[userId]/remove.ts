import type { APIRoute } from 'astro';
import { answer } from '../../../../../lib/admin/form-response';
import { teamActorOf } from '../../../../../lib/team/actor';
import { removeMember } from '../../../../../lib/team/remove-member';

/** Owners and admins: take a member out of this workspace; their access ends on their next request. */
export const POST: APIRoute = async ({ locals, params, request }) => {
  const { workspace, user, db } = locals;
  if (!workspace || !user) throw new Error('guarded route reached without a workspace');
  const result = await removeMember(
    db,
    workspace.tenant.id,
    teamActorOf(user, workspace.role),
    params.userId ?? '',
  );
  // Removing yourself leaves the workspace: the team page is no longer yours to see.
  const self = result.ok && params.userId === user.id;
  return answer(request, result, {
    success: () => (self ? '/workspaces' : '/settings/team?saved=removed'),
    back: '/settings/team',
  });
};
