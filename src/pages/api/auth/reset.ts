import type { APIRoute } from 'astro';
import { answer } from '../../../lib/admin/form-response';
import { expiredCookieAttributes, sessionCookieName } from '../../../lib/auth/cookies';
import { readBody } from '../../../lib/http/responses';
import { resetPassword } from '../../../lib/profile/password-reset';
import { getRuntime } from '../../../server/runtime';

/** Sets a new password from a reset link; every session of that user ends (this browser signs in anew). */
export const POST: APIRoute = async ({ locals, request, cookies }) => {
  const body = await readBody(request);
  const result = await resetPassword(locals.db, body);
  if (result.ok) {
    const { https } = getRuntime();
    cookies.set(sessionCookieName(https), '', expiredCookieAttributes(https));
  }
  const token =
    body && typeof body === 'object' && 'token' in body ? String(body.token).slice(0, 64) : '';
  return answer(request, result, {
    success: () => '/login?reset',
    back: `/reset-password/${encodeURIComponent(token)}`,
  });
};
