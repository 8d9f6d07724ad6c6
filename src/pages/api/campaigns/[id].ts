import type { APIRoute } from 'astro';
import { fail } from '../../../lib/api/result';
import { deleteCampaign } from '../../../lib/campaigns/delete-campaign';
import { getCampaign } from '../../../lib/campaigns/get-campaign';
import { updateCampaign } from '../../../lib/campaigns/update-campaign';
import { jsonFailure, jsonResult, readBody } from '../../../lib/http/responses';
import { hasRole } from '../../../lib/http/routes';

export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  return jsonResult(await getCampaign(locals.db, locals.workspace.tenant.id, params.id ?? ''));
};

/** Changes a draft or paused campaign (409 while it is calling). */
export const PATCH: APIRoute = async ({ locals, params, request }) => {
  if (!locals.workspace || !locals.user)
    throw new Error('guarded route reached without a workspace');
  return jsonResult(
    await updateCampaign(
      locals.db,
      locals.workspace.tenant.id,
      params.id ?? '',
      { type: 'user', userId: locals.user.id },
      await readBody(request),
    ),
  );
};

/** Soft delete; admins and owners only. */
export const DELETE: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace || !locals.user)
    throw new Error('guarded route reached without a workspace');
  if (!hasRole(locals.workspace.role, 'admin')) {
    return jsonFailure(fail('FORBIDDEN', 'Only admins can delete campaigns').error);
  }
  return jsonResult(
    await deleteCampaign(locals.db, locals.workspace.tenant.id, params.id ?? '', {
      type: 'user',
      userId: locals.user.id,
    }),
  );
};
