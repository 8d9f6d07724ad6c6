import type { APIRoute } from 'astro';
import { ok } from '../../../../lib/api/result';
import { getImport } from '../../../../lib/contacts/imports/get-import';
import { jsonResult } from '../../../../lib/http/responses';

/** One import's status and counters: the import island polls this while it runs. */
export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const found = await getImport(locals.db, locals.workspace.tenant.id, params.id ?? '');
  return jsonResult(found.ok ? ok({ import: found.data }) : found);
};
