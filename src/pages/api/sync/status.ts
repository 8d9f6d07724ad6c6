import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { jsonResult } from '../../../lib/http/responses';
import { getSyncStatus } from '../../../lib/sync/status';

/** `{ lastSyncAt, status, isStale, lastError }` for the current workspace. */
export const GET: APIRoute = async ({ locals }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  return jsonResult(ok(await getSyncStatus(locals.db, locals.workspace.tenant.id)));
};
