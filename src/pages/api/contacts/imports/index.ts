import type { APIRoute } from 'astro';
import { z } from 'zod';
import { ok } from '../../../../lib/api/result';
import { listImports } from '../../../../lib/contacts/imports/list-imports';
import { parseQuery } from '../../../../lib/dashboard/schemas';
import { jsonFailure, jsonResult } from '../../../../lib/http/responses';

const ImportsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/** `?limit` (≤ 100): the workspace's latest imports, newest first. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(ImportsQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  const imports = await listImports(locals.db, locals.workspace.tenant.id, query.data);
  return jsonResult(ok({ imports }));
};
