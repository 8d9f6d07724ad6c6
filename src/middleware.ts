import { defineMiddleware, sequence } from 'astro:middleware';
import type { APIContext, MiddlewareNext } from 'astro';
import {
  cookieAttributes,
  expiredCookieAttributes,
  sessionCookieName,
  tenantCookieName,
} from './lib/auth/cookies';
import { validateSessionToken } from './lib/auth/sessions';
import { forbiddenPage } from './lib/http/forbidden-page';
import { checkRequestHygiene } from './lib/http/request-hygiene';
import { jsonError, redirect } from './lib/http/responses';
import { findRoute, hasRole, isApiPath } from './lib/http/routes';
import {
  createLogger,
  errorFields,
  loggablePath,
  requestIdFrom,
  setProcessLogger,
} from './lib/log';
import { listUserWorkspaces } from './lib/tenants/memberships';
import { getRuntime } from './server/runtime';

// One logger per web process: JSON lines on stdout (README, "Running in production"),
// for the request lines here and for what sync, imports and live events log below.
const log = createLogger({ name: 'web' });
setProcessLogger(log);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Gives every request an id (echoed as `x-request-id`) and logs one line per
 * request when it is answered: method, path without query or path tokens,
 * status, duration, and who asked. Never headers, cookies or bodies.
 */
const requestLog = defineMiddleware(async (context, next) => {
  const started = performance.now();
  const requestId = requestIdFrom(context.request.headers);
  const line = (status: number) => ({
    requestId,
    method: context.request.method,
    path: loggablePath(context.url.pathname),
    status,
    durationMs: Math.round(performance.now() - started),
    tenantId: context.locals.workspace?.tenant.id,
    userId: context.locals.user?.id,
  });
  try {
    const response = await next();
    response.headers.set('x-request-id', requestId);
    log.info(line(response.status), 'request');
    return response;
  } catch (error) {
    // Unexpected failures are logged once, here, with the request id; only the stack
    // (driver errors carry query parameters, which may hold secrets).
    log.error({ ...line(500), err: errorFields(error) }, 'request failed');
    if (!isApiPath(context.url.pathname)) throw error;
    const response = withSecurityHeaders(jsonError('INTERNAL', 'Something went wrong. Try again.'));
    response.headers.set('x-request-id', requestId);
    return response;
  }
});

/** Provides the pool and config, and refuses cross-site or mistyped mutations early. */
const hygiene = defineMiddleware(async (context, next) => {
  const { config, database } = getRuntime();
  context.locals.db = database.db;
  context.locals.sql = database.sql;
  context.locals.config = config;
  context.locals.user = null;
  context.locals.session = null;
  context.locals.workspace = null;
  context.locals.workspaces = null;
  const refusal = checkRequestHygiene(
    context.request,
    context.url.pathname,
    findRoute(context.url.pathname),
  );
  if (refusal) return withSecurityHeaders(jsonError(refusal.code, refusal.message));
  return withSecurityHeaders(await next());
});

/** Session cookie → locals.user; renews the cookie when the expiry slid forward. */
const session = defineMiddleware(async (context, next) => {
  const { https } = getRuntime();
  const name = sessionCookieName(https);
  const token = context.cookies.get(name)?.value;
  if (!token) return next();
  const validated = await validateSessionToken(context.locals.db, token);
  if (!validated) {
    context.cookies.set(name, '', expiredCookieAttributes(https));
    return next();
  }
  context.locals.user = validated.user;
  context.locals.session = validated.session;
  if (validated.renewed)
    context.cookies.set(name, token, cookieAttributes(https, validated.session.expiresAt));
  return next();
});

/** Tenant cookie → locals.workspace, re-checked against memberships on every request. */
const tenant = defineMiddleware(async (context, next) => {
  const { user, db } = context.locals;
  if (!user) return next();
  const { https } = getRuntime();
  const name = tenantCookieName(https);
  const tenantId = context.cookies.get(name)?.value;
  const tenantRoute = findRoute(context.url.pathname).access === 'tenant';
  if (!tenantId && !tenantRoute) return next();
  // One read of the user's active workspaces serves both the membership check
  // and the layout's workspace switcher (two transactions were a quarter of a
  // page's round trips).
  const workspaces = await listUserWorkspaces(db, user.id);
  context.locals.workspaces = workspaces;
  if (tenantId) {
    const workspace = UUID.test(tenantId)
      ? workspaces.find((w) => w.tenant.id === tenantId)
      : undefined;
    if (!workspace) {
      // A stale or forged workspace is refused where a workspace is needed; elsewhere
      // (sign out, choosing another workspace) the cookie is dropped and the request goes on.
      if (tenantRoute) return refuseTenant(context, name);
      context.cookies.set(name, '', expiredCookieAttributes(https));
      return next();
    }
    context.locals.workspace = workspace;
    return next();
  }
  // With exactly one workspace there is nothing to choose: take it.
  if (tenantRoute) {
    const [only] = workspaces;
    if (only && workspaces.length === 1) {
      context.cookies.set(name, only.tenant.id, cookieAttributes(https));
      context.locals.workspace = only;
    }
  }
  return next();
});

function refuseTenant(context: APIContext, cookieName: string) {
  const { https } = getRuntime();
  context.cookies.set(cookieName, '', expiredCookieAttributes(https));
  const response = isApiPath(context.url.pathname)
    ? jsonError('FORBIDDEN', 'You do not have access to that workspace')
    : forbiddenPage('You do not have access to that workspace.');
  return response; // Astro attaches the cleared cookie to middleware responses too
}

/** The route registry decides who may open what. */
const guard = defineMiddleware((context, next: MiddlewareNext) => {
  const { pathname, search } = context.url;
  const route = findRoute(pathname);
  const api = isApiPath(pathname);
  const { user, workspace } = context.locals;
  if (route.access === 'public') return next();
  if (!user) {
    if (api) return jsonError('UNAUTHENTICATED', 'Sign in to continue');
    return redirect(`/login?next=${encodeURIComponent(pathname + search)}`, 302);
  }
  if (route.access === 'platform-admin' && !user.isPlatformAdmin) {
    return api
      ? jsonError('FORBIDDEN', 'Platform administrators only')
      : forbiddenPage('Platform administrators only.');
  }
  if (route.access === 'tenant') {
    if (!workspace) {
      if (api) return jsonError('FORBIDDEN', 'Choose a workspace first');
      return redirect(`/workspaces?next=${encodeURIComponent(pathname + search)}`, 302);
    }
    if (!hasRole(workspace.role, route.minRole)) {
      return api
        ? jsonError('FORBIDDEN', 'Your role does not allow this')
        : forbiddenPage('Your role does not allow this.');
    }
  }
  return next();
});

function withSecurityHeaders(response: Response): Response {
  const headers = response.headers;
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'same-origin');
  headers.set('x-frame-options', 'DENY');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  return response;
}

export const onRequest = sequence(requestLog, hygiene, session, tenant, guard);
