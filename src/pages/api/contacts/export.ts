import type { APIRoute } from 'astro';
import { exportContacts } from '../../../lib/contacts/export-contacts';
import { csvDownload } from '../../../lib/http/csv-download';

/** All the workspace's contacts as a CSV download, streamed. */
export const GET: APIRoute = ({ locals }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const tenant = locals.workspace.tenant;
  const day = new Date().toISOString().slice(0, 10);
  return csvDownload(exportContacts(locals.db, tenant.id), `contacts-${tenant.slug}-${day}.csv`);
};
