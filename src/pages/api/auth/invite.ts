import type { APIRoute } from 'astro';
import { answer } from '../../../lib/admin/form-response';
import { ok } from '../../../lib/api/result';
import { cookieAttributes, sessionCookieName, tenantCookieName } from '../../../lib/auth/cookies';
import { invalidateSession } from '../../../lib/auth/sessions';
import { readBody } from '../../../lib/http/responses';
import { acceptInvite } from '../../../lib/invites/accept-invite';
import { getRuntime } from '../../../server/runtime';

/**
 * Accepts an invitation: the same answer whether the address had an account;
 * this browser is signed in to the workspace it was invited to.
 */
export const POST: APIRoute = async ({ locals, request, cookies }) => {
  const body = await readBody(request);
  const result = await acceptInvite(locals.db, body);
  const token =
    body && typeof body === 'object' && 'token' in body ? String(body.token).slice(0, 64) : '';
  if (result.ok) {
    // One cookie, one live session: whatever this browser held before ends.
    if (locals.session) await invalidateSession(locals.db, locals.session.id);
    const { https } = getRuntime();
    cookies.set(
      sessionCookieName(https),
      result.data.token,
      cookieAttributes(https, result.data.session.expiresAt),
    );
    cookies.set(tenantCookieName(https), result.data.tenantId, cookieAttributes(https));
  }
  const answerResult = result.ok ? ok({ next: '/dashboard' }) : result;
  return answer(request, answerResult, {
    success: () => '/dashboard',
    back: `/invite/${encodeURIComponent(token)}`,
  });
};
