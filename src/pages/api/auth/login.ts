import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import { cookieAttributes, sessionCookieName } from '../../../lib/auth/cookies';
import { login } from '../../../lib/auth/login';
import { invalidateSession } from '../../../lib/auth/sessions';
import {
  isFormPost,
  jsonFailure,
  jsonResult,
  readBody,
  redirect,
} from '../../../lib/http/responses';
import { safeNext } from '../../../lib/http/safe-next';
import { getRuntime } from '../../../server/runtime';

/** JSON in → Result out; a classic form post gets redirects instead, so sign-in works without JS. */
export const POST: APIRoute = async ({ request, cookies, locals }) => {
  const body = await readBody(request);
  const result = await login(locals.db, body);
  const form = isFormPost(request);
  const next = safeNext(
    body && typeof body === 'object' && 'next' in body ? String(body.next) : undefined,
  );

  if (!result.ok) {
    if (!form) return jsonFailure(result.error);
    const reason =
      { RATE_LIMITED: 'throttled', VALIDATION: 'missing' }[result.error.code as string] ??
      'invalid';
    const retry = result.error.retryAfterSeconds ? `&retry=${result.error.retryAfterSeconds}` : '';
    return redirect(`/login?error=${reason}${retry}&next=${encodeURIComponent(next)}`);
  }

  // A new sign-in ends the session this browser held before (one cookie, one live session).
  if (locals.session) await invalidateSession(locals.db, locals.session.id);
  const { https } = getRuntime();
  cookies.set(
    sessionCookieName(https),
    result.data.token,
    cookieAttributes(https, result.data.session.expiresAt),
  );
  if (form) return redirect(next);
  return jsonResult(ok({ expiresAt: result.data.session.expiresAt.toISOString(), next }));
};
