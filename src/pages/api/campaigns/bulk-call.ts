import type { APIRoute } from 'astro';
import { fail } from '../../../lib/api/result';
import { createCampaign } from '../../../lib/campaigns/create-campaign';
import { jsonFailure, jsonResult, readBody } from '../../../lib/http/responses';

/** "Call selected" from the contacts list: `{ contactIds, …campaign settings }` → a campaign of those contacts (201). */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace || !locals.user)
    throw new Error('guarded route reached without a workspace');
  const body = await readBody(request);
  if (
    !body ||
    typeof body !== 'object' ||
    !Array.isArray((body as { contactIds?: unknown }).contactIds)
  ) {
    return jsonFailure(
      fail('VALIDATION', 'Send the selected contacts as contactIds', {
        fields: { contactIds: 'Select at least one contact' },
      }).error,
    );
  }
  const { contactIds, ...settings } = body as { contactIds: unknown[] } & Record<string, unknown>;
  const result = await createCampaign(
    {
      db: locals.db,
      tenantId: locals.workspace.tenant.id,
      actor: { type: 'user', userId: locals.user.id },
    },
    { ...settings, contacts: { ids: contactIds } },
  );
  return jsonResult(result, 201);
};
