import type { APIRoute } from 'astro';
import { z } from 'zod';
import { CSV_TEMPLATE_TYPES, getCsvTemplate } from '../../../lib/contacts/templates';
import { parseQuery } from '../../../lib/dashboard/schemas';
import { csvDownload } from '../../../lib/http/csv-download';
import { jsonFailure } from '../../../lib/http/responses';

const TemplateQuery = z.object({
  type: z
    .enum(CSV_TEMPLATE_TYPES, {
      error: () => `type must be one of ${CSV_TEMPLATE_TYPES.join(', ')}`,
    })
    .default('basic'),
});

/** `?type=basic|advanced` (default basic): an example contacts CSV, as a download. */
export const GET: APIRoute = ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(TemplateQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  const { fileName, content } = getCsvTemplate(query.data.type);
  return csvDownload(content, fileName, { cacheControl: 'private, max-age=3600' });
};
