import type { APIRoute } from 'astro';
import { buildErrorReport } from '../../../../../lib/contacts/imports/error-report';
import { jsonFailure } from '../../../../../lib/http/responses';

/** The rejected rows as a formula-safe CSV download. */
export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const report = await buildErrorReport(locals.db, locals.workspace.tenant.id, params.id ?? '');
  if (!report.ok) return jsonFailure(report.error);
  return new Response(report.data.csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${report.data.fileName}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  });
};
