import type { APIRoute } from 'astro';
import { answer } from '../../../../lib/admin/form-response';
import { ok } from '../../../../lib/api/result';
import {
  expiredCookieAttributes,
  sessionCookieName,
  tenantCookieName,
} from '../../../../lib/auth/cookies';
import { invalidateUserSessions } from '../../../../lib/auth/sessions';
import { getRuntime } from '../../../../server/runtime';

/** "Sign out everywhere": every session of the user ends, this one included. */
export const POST: APIRoute = async ({ locals, request, cookies }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  await invalidateUserSessions(locals.db, locals.user.id);
  const { https } = getRuntime();
  cookies.set(sessionCookieName(https), '', expiredCookieAttributes(https));
  cookies.set(tenantCookieName(https), '', expiredCookieAttributes(https));
  return answer(request, ok(null), { success: () => '/login?signed-out', back: '/profile' });
};
