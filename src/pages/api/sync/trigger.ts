import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { isFormPost, jsonFailure, jsonResult, redirect } from '../../../lib/http/responses';
import { processLogger } from '../../../lib/log';
import { startManualSync } from '../../../lib/sync/manual';
import { getSyncContext } from '../../../server/sync-context';

/** Owners and admins start a sync now (one per 5 minutes per workspace); 202 while it runs. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const tenantId = locals.workspace.tenant.id;
  const result = await startManualSync(getSyncContext(), tenantId);
  const form = isFormPost(request);
  if (!result.ok) {
    if (!form) return jsonFailure(result.error);
    return redirect(
      `/settings?sync=${result.error.code === 'RATE_LIMITED' ? 'throttled' : 'unavailable'}`,
    );
  }
  result.data.done.catch((error: unknown) => {
    processLogger().error({ scope: 'sync', tenantId, err: error }, 'manual sync crashed');
  });
  return form ? redirect('/settings?sync=started') : jsonResult(ok({ started: true }), 202);
};
