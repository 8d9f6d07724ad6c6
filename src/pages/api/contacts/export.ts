import type { APIRoute } from 'astro';
import { exportContacts } from '../../../lib/contacts/export-contacts';

/** All the workspace's contacts as a CSV download, streamed. */
export const GET: APIRoute = ({ locals }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const { db } = locals;
  const tenant = locals.workspace.tenant;
  const chunks = exportContacts(db, tenant.id);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="contacts-${tenant.slug}-${day}.csv"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  });
};
