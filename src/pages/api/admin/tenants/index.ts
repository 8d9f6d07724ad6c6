import type { APIRoute } from 'astro';
import { actorOf } from '../../../../lib/admin/actor';
import { adminCreateTenant } from '../../../../lib/admin/create-tenant';
import { answer } from '../../../../lib/admin/form-response';
import { tenantFieldsFromForm } from '../../../../lib/admin/schemas';
import { readBody } from '../../../../lib/http/responses';

/** Platform admins: create a tenant (JSON or form). Secrets in the body are sealed, never echoed. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const body = await readBody(request);
  // An array is not a set of fields: passed on as it is, the schema refuses it (400). The route
  // inventory found `[1, 2]` read as fields "0" and "1", i.e. an empty update answered 200.
  const input =
    body && typeof body === 'object' && !Array.isArray(body)
      ? tenantFieldsFromForm(body as Record<string, unknown>)
      : body;
  const result = await adminCreateTenant(
    locals.db,
    locals.config.secretsKey,
    actorOf(locals.user),
    input,
  );
  return answer(request, result, {
    status: 201,
    success: (tenant) => `/admin/tenants/${tenant.id}?saved=created`,
    back: '/admin/tenants/new',
  });
};
