import type { APIRoute } from 'astro';
import { answer } from '../../../../lib/admin/form-response';
import { readBody } from '../../../../lib/http/responses';
import { confirmEmailChange } from '../../../../lib/profile/change-email';

/** `{ token }` from the confirmation link, for the user who asked for the change. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const result = await confirmEmailChange(
    locals.db,
    locals.config,
    locals.user.id,
    await readBody(request),
  );
  return answer(request, result, { success: () => '/profile?saved=email', back: '/profile' });
};
