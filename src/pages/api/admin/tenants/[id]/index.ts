import type { APIRoute } from 'astro';
import { actorOf } from '../../../../../lib/admin/actor';
import { answer } from '../../../../../lib/admin/form-response';
import { tenantFieldsFromForm } from '../../../../../lib/admin/schemas';
import { adminUpdateTenant } from '../../../../../lib/admin/update-tenant';
import { readBody } from '../../../../../lib/http/responses';

/** Platform admins: change a tenant's settings and rotate its secrets (blank = keep). */
const update: APIRoute = async ({ locals, params, request }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const id = params.id ?? '';
  const body = await readBody(request);
  // An array is not a set of fields: passed on as it is, the schema refuses it (400). The route
  // inventory found `[1, 2]` read as fields "0" and "1", i.e. an empty update answered 200.
  const input =
    body && typeof body === 'object' && !Array.isArray(body)
      ? tenantFieldsFromForm(body as Record<string, unknown>)
      : body;
  const result = await adminUpdateTenant(
    locals.db,
    locals.config.secretsKey,
    actorOf(locals.user),
    id,
    input,
  );
  return answer(request, result, {
    success: () => `/admin/tenants/${id}?saved=updated`,
    back: `/admin/tenants/${encodeURIComponent(id)}`,
  });
};

// PATCH for JSON clients; POST because that is what an HTML form can send.
export const PATCH = update;
export const POST = update;
