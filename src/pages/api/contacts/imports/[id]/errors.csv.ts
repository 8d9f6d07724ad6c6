import type { APIRoute } from 'astro';
import { buildErrorReport } from '../../../../../lib/contacts/imports/error-report';
import { csvDownload } from '../../../../../lib/http/csv-download';
import { jsonFailure } from '../../../../../lib/http/responses';

/** The rejected rows as a formula-safe CSV download. */
export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const report = await buildErrorReport(locals.db, locals.workspace.tenant.id, params.id ?? '');
  if (!report.ok) return jsonFailure(report.error);
  return csvDownload(report.data.csv, report.data.fileName);
};
