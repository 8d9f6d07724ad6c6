import type { APIRoute } from 'astro';
import { deleteContact, getContact, updateContact } from '../../../lib/contacts';
import { jsonResult, readBody } from '../../../lib/http/responses';

/** One contact of the workspace; another workspace's id is 404, like a missing one. */
export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  return jsonResult(await getContact(locals.db, locals.workspace.tenant.id, params.id));
};

/** JSON with the fields to change; `optedOut: true` opts out for good. */
export const PATCH: APIRoute = async ({ locals, params, request }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const body = await readBody(request);
  return jsonResult(await updateContact(locals.db, locals.workspace.tenant.id, params.id, body));
};

export const DELETE: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  return jsonResult(await deleteContact(locals.db, locals.workspace.tenant.id, params.id));
};
