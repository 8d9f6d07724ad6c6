import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { changePassword } from '../../../lib/auth/change-password';
import { cookieAttributes, sessionCookieName } from '../../../lib/auth/cookies';
import { jsonFailure, jsonResult, readBody } from '../../../lib/http/responses';
import { getRuntime } from '../../../server/runtime';

/** Changes the password, ends every session of the user and hands this browser a fresh one. */
export const POST: APIRoute = async ({ request, cookies, locals }) => {
  if (!locals.user) throw new Error('guarded route reached without a user');
  const result = await changePassword(locals.db, locals.user.id, await readBody(request));
  if (!result.ok) return jsonFailure(result.error);
  const { https } = getRuntime();
  cookies.set(
    sessionCookieName(https),
    result.data.token,
    cookieAttributes(https, result.data.session.expiresAt),
  );
  return jsonResult(ok({ expiresAt: result.data.session.expiresAt.toISOString() }));
};
