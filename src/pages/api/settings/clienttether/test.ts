import type { APIRoute } from 'astro';
import { isFormPost, jsonResult, redirect } from '../../../../lib/http/responses';
import { testClientTetherConnection } from '../../../../lib/sync/manual';
import { getSyncContext } from '../../../../server/sync-context';

/** Calls ClientTether once with the stored credentials and says whether it answered. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const result = await testClientTetherConnection(getSyncContext(), locals.workspace.tenant.id);
  if (!isFormPost(request)) return jsonResult(result);
  const query = result.ok
    ? `test=ok&users=${result.data.users}`
    : `test=failed&message=${encodeURIComponent(result.error.message)}`;
  return redirect(`/settings?${query}`);
};
