import type { APIRoute } from 'astro';
import { answer, baseUrlFor } from '../../../lib/admin/form-response';
import { readBody } from '../../../lib/http/responses';
import { requestEmailChange } from '../../../lib/profile/change-email';

/** `{ email, currentPassword }`: mails a confirmation link to the new address. */
export const POST: APIRoute = async ({ locals, request, url }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const result = await requestEmailChange(
    locals.db,
    locals.config,
    baseUrlFor(locals.config, url),
    locals.user.id,
    await readBody(request),
  );
  return answer(request, result, { success: () => '/profile?saved=email-sent', back: '/profile' });
};
