import type { APIRoute } from 'astro';
import { answer, baseUrlFor } from '../../../lib/admin/form-response';
import { readBody } from '../../../lib/http/responses';
import { requestPasswordReset } from '../../../lib/profile/password-reset';

/** Always the same answer (status, body) whether or not the address has an account. */
export const POST: APIRoute = async ({ locals, request, url }) => {
  const result = await requestPasswordReset(
    locals.db,
    locals.config,
    baseUrlFor(locals.config, url),
    await readBody(request),
  );
  return answer(request, result, {
    success: () => '/forgot-password?sent',
    back: '/forgot-password',
  });
};
