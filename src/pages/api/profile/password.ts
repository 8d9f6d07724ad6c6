import type { APIRoute } from 'astro';
import { answer } from '../../../lib/admin/form-response';
import { ok } from '../../../lib/api/result';
import { changePassword } from '../../../lib/auth/change-password';
import { cookieAttributes, sessionCookieName } from '../../../lib/auth/cookies';
import { readBody } from '../../../lib/http/responses';
import { getRuntime } from '../../../server/runtime';

/** `{ currentPassword, newPassword }`: every other session ends; this browser gets a fresh one. */
export const POST: APIRoute = async ({ locals, request, cookies }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const result = await changePassword(locals.db, locals.user.id, await readBody(request));
  if (result.ok) {
    const { https } = getRuntime();
    cookies.set(
      sessionCookieName(https),
      result.data.token,
      cookieAttributes(https, result.data.session.expiresAt),
    );
  }
  const reply = result.ok ? ok({ expiresAt: result.data.session.expiresAt.toISOString() }) : result;
  return answer(request, reply, { success: () => '/profile?saved=password', back: '/profile' });
};
