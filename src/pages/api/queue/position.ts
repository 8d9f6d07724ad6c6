import type { APIRoute } from 'astro';
import { z } from 'zod';
import { getQueuePosition } from '../../../lib/campaigns/queue-position';
import { parseQuery } from '../../../lib/dashboard/schemas';
import { jsonFailure, jsonResult } from '../../../lib/http/responses';

// The route inventory found `?contactId=abc` (or none) answered 404 "No such contact":
// a malformed query is a 400 naming the parameter, like every other query here.
const PositionQuery = z.object({
  contactId: z.coerce
    .number({ error: () => 'contactId must be a contact id' })
    .int('contactId must be a contact id')
    .positive('contactId must be a contact id')
    .max(Number.MAX_SAFE_INTEGER, 'contactId must be a contact id'),
});

/** `?contactId`: where that contact's calls stand, with a rough wait. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(PositionQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  return jsonResult(
    await getQueuePosition(locals.db, locals.workspace.tenant.id, query.data.contactId),
  );
};
