import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { importLimitsFrom } from '../../../lib/contacts/imports/limits';
import { startImport } from '../../../lib/contacts/imports/start-import';
import { jsonResult } from '../../../lib/http/responses';

/** Multipart upload (`mode` field, then `file`): 202 with the import once the file is accepted. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace || !locals.user)
    throw new Error('guarded route reached without a workspace');
  const started = await startImport(
    {
      db: locals.db,
      sql: locals.sql,
      limits: importLimitsFrom(locals.config),
      tenantId: locals.workspace.tenant.id,
      userId: locals.user.id,
    },
    request,
  );
  return jsonResult(started.ok ? ok({ import: started.data }) : started, 202);
};
