import type { APIRoute } from 'astro';
import { ok } from '../../../lib/api/result';
import {
  expiredCookieAttributes,
  sessionCookieName,
  tenantCookieName,
} from '../../../lib/auth/cookies';
import { invalidateSession } from '../../../lib/auth/sessions';
import { isFormPost, jsonResult, redirect } from '../../../lib/http/responses';
import { getRuntime } from '../../../server/runtime';

export const POST: APIRoute = async ({ request, cookies, locals }) => {
  if (locals.session) await invalidateSession(locals.db, locals.session.id);
  const { https } = getRuntime();
  cookies.set(sessionCookieName(https), '', expiredCookieAttributes(https));
  cookies.set(tenantCookieName(https), '', expiredCookieAttributes(https));
  return isFormPost(request) ? redirect('/login?signed-out') : jsonResult(ok(null));
};
