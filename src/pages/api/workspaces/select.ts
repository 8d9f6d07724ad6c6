import type { APIRoute } from 'astro';
import { z } from 'zod';
import { fail, ok } from '../../../lib/api/result';
import { cookieAttributes, tenantCookieName } from '../../../lib/auth/cookies';
import {
  isFormPost,
  jsonFailure,
  jsonResult,
  readBody,
  redirect,
} from '../../../lib/http/responses';
import { safeNext } from '../../../lib/http/safe-next';
import { getWorkspace } from '../../../lib/tenants/memberships';
import { getRuntime } from '../../../server/runtime';

const SelectInput = z.object({ tenantId: z.uuid(), next: z.string().optional() });

/** Chooses the workspace for this browser; a tenant the user doesn't belong to is "not found". */
export const POST: APIRoute = async ({ request, cookies, locals }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const parsed = SelectInput.safeParse(await readBody(request));
  if (!parsed.success)
    return jsonFailure(fail('VALIDATION', 'tenantId must be a workspace id').error);
  const workspace = await getWorkspace(locals.db, parsed.data.tenantId, locals.user.id);
  if (!workspace) return jsonFailure(fail('NOT_FOUND', 'Workspace not found').error);

  const { https } = getRuntime();
  cookies.set(tenantCookieName(https), workspace.tenant.id, cookieAttributes(https));
  const next = safeNext(parsed.data.next);
  return isFormPost(request) ? redirect(next) : jsonResult(ok({ workspace, next }));
};
