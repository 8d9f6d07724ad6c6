import type { APIRoute } from 'astro';
import { bulkContacts } from '../../../lib/contacts';
import { jsonResult, readBody } from '../../../lib/http/responses';

/** JSON `{ action: 'delete' | 'opt_out', ids: number[] }` (1 to 1,000 ids) → how many were affected. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const body = await readBody(request);
  return jsonResult(await bulkContacts(locals.db, locals.workspace.tenant.id, body));
};
