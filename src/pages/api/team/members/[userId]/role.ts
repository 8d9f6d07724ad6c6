import type { APIRoute } from 'astro';
import { answer } from '../../../../../lib/admin/form-response';
import { readBody } from '../../../../../lib/http/responses';
import { teamActorOf } from '../../../../../lib/team/actor';
import { changeMemberRole } from '../../../../../lib/team/change-role';

/** Owners and admins: `{ role }` for a member of this workspace (the last owner stays owner). */
export const POST: APIRoute = async ({ locals, params, request }) => {
  const { workspace, user, db } = locals;
  if (!workspace || !user) throw new Error('guarded route reached without a workspace');
  const result = await changeMemberRole(
    db,
    workspace.tenant.id,
    teamActorOf(user, workspace.role),
    params.userId ?? '',
    await readBody(request),
  );
  return answer(request, result, {
    success: () => '/settings/team?saved=role',
    back: '/settings/team',
  });
};
