import type { APIRoute } from 'astro';
import { getQueuePosition } from '../../../lib/campaigns/queue-position';
import { jsonResult } from '../../../lib/http/responses';

/** `?contactId`: where that contact's calls stand, with a rough wait. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const contactId = Number(url.searchParams.get('contactId'));
  return jsonResult(await getQueuePosition(locals.db, locals.workspace.tenant.id, contactId));
};
