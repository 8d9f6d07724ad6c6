import type { APIRoute } from 'astro';
import { createCampaignFromCsv } from '../../../lib/campaigns/create-from-csv';
import { importLimitsFrom } from '../../../lib/contacts/imports/limits';
import { jsonResult } from '../../../lib/http/responses';

/** Multipart: `campaign` (JSON settings), then `file` (CSV). 201 with the campaign and the import's counts. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace || !locals.user)
    throw new Error('guarded route reached without a workspace');
  const result = await createCampaignFromCsv(
    {
      db: locals.db,
      sql: locals.sql,
      limits: importLimitsFrom(locals.config),
      tenantId: locals.workspace.tenant.id,
      userId: locals.user.id,
    },
    request,
  );
  return jsonResult(result, 201);
};
