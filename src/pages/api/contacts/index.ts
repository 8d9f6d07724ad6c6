import type { APIRoute } from 'astro';
import { createContact, ListContactsQuery, listContacts } from '../../../lib/contacts';
import { parseQuery } from '../../../lib/dashboard/schemas';
import { jsonFailure, jsonResult, readBody } from '../../../lib/http/responses';

/** `?q&sort&dir&after&limit` (limit ≤ 100): one keyset page of contacts. */
export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const query = parseQuery(ListContactsQuery, url.searchParams);
  if (!query.ok) return jsonFailure(query.error);
  const { q, ...rest } = query.data;
  return jsonResult(
    await listContacts(locals.db, locals.workspace.tenant.id, { search: q, ...rest }),
  );
};

/** JSON `{ name, phone, email?, company?, timezone?, tags?, attributes? }` → 201 with the contact. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const result = await createContact(
    locals.db,
    locals.workspace.tenant.id,
    await readBody(request),
  );
  return jsonResult(result, 201);
};
