import type { APIRoute } from 'astro';
import { answer } from '../../../lib/admin/form-response';
import { readBody } from '../../../lib/http/responses';
import { updateProfile } from '../../../lib/profile/update-profile';

/** `{ name }` for the signed-in user. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const result = await updateProfile(locals.db, locals.user.id, await readBody(request));
  return answer(request, result, { success: () => '/profile?saved=name', back: '/profile' });
};
